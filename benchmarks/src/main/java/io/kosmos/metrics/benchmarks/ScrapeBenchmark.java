package io.kosmos.metrics.benchmarks;

import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time and bytes of one Prometheus text scrape, ours against Micrometer's {@code scrape()}, over
 * the same series: {@code series} request counters (endpoint by 6 statuses) and one 10-bucket
 * duration histogram per endpoint (a Micrometer Timer with the buckets as service-level
 * objectives). Both write Prometheus text 0.0.4 into the same reused buffer. Micrometer's Timer
 * also exposes a {@code _max} gauge per endpoint, which is part of its idiom and of its bytes.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ScrapeBenchmark -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ScrapeBenchmark {

  @Param({"1000", "10000"})
  public int series;

  private PrometheusRegistry kosmosRegistry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
  private PrometheusMeterRegistry micrometerRegistry;

  @Setup(Level.Trial)
  public void setUp() {
    kosmosRegistry = new PrometheusRegistry();
    KosmosMetrics metrics = KosmosMetrics.builder().registry(kosmosRegistry).build();
    int endpoints = series / Workload.STATUSES.length;
    // A clock that stands still, so that every request lasts exactly 42 ms on both sides and the
    // sums print the same digits.
    HttpRecorder http =
        HttpRecorder.builder(metrics)
            .agent(Workload.AGENT)
            .maxEndpoints(endpoints)
            .clock(() -> 0L)
            .build();
    micrometerRegistry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Duration[] slos =
        Arrays.stream(Workload.BUCKETS)
            .mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
            .toArray(Duration[]::new);
    for (int e = 0; e < endpoints; e++) {
      String endpoint = "/api/v1/resource" + e + "/{id}";
      Timer timer =
          Timer.builder("http_request_duration")
              .tags("method", Workload.METHOD, "endpoint", endpoint, "agent", Workload.AGENT)
              .serviceLevelObjectives(slos)
              .register(micrometerRegistry);
      for (int s = 0; s < Workload.STATUSES.length; s++) {
        http.start();
        http.end(-42_000_000L, Workload.METHOD, endpoint, null, Workload.STATUSES[s]);
        Counter.builder("http_requests")
            .tags(
                "method",
                Workload.METHOD,
                "endpoint",
                endpoint,
                "status",
                Workload.STATUS_LABELS[s],
                "agent",
                Workload.AGENT)
            .register(micrometerRegistry)
            .increment();
        timer.record(42, TimeUnit.MILLISECONDS);
      }
    }
    // The size is a property of the setup, not of the timing: print it once for the report.
    System.out.printf(
        "%nscrape bytes with %d series: kosmos %d, micrometer %d%n",
        series, kosmos(), micrometer());
  }

  @Benchmark
  public int kosmos() {
    buffer.reset();
    try {
      writer.write(buffer, kosmosRegistry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.size();
  }

  /**
   * Into the same reused buffer as {@link #kosmos}: {@code scrape()} would add a String and its
   * re-encoding that a real endpoint does not pay. Text format 0.0.4, as {@link #kosmos}.
   */
  @Benchmark
  public int micrometer() {
    buffer.reset();
    try {
      micrometerRegistry.scrape(buffer);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.size();
  }
}
