package io.kosmos.metrics.benchmarks;

import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
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
 * How recording and scraping scale with the number of series: {@code series} request-counter series
 * = endpoints × 5 statuses × 2 agents (10 = 1 endpoint, 100 = 10, 1,000 = 100, 10,000 = 1,000
 * endpoints), each recorded once before measuring. {@link #record} records one request on the next
 * series of a fixed shuffled order of all of them (so larger sets also pay the cache misses of a
 * real server's spread of requests); {@link #scrape} writes the whole registry as Prometheus text
 * 0.0.4 into a reused buffer. The scrape's size in bytes is printed once per {@code series}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar ScaleBenchmark -prof gc
 * }</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ScaleBenchmark {

  static final int[] STATUSES = {200, 201, 400, 404, 500};
  static final String[] AGENTS = {"zeus", "athena"};

  @Param({"10", "100", "1000", "10000"})
  public int series;

  private PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);

  // The visiting order, one entry per series.
  private HttpRecorder[] recorders;
  private String[] endpoints;
  private int[] statuses;
  private int next;

  // The limit: client_java data points cached per series, in the same order.
  private CounterDataPoint[] limitCounters;
  private DistributionDataPoint[] limitDurations;
  private GaugeDataPoint[] limitInFlight;

  @Setup(Level.Trial)
  public void setUp() {
    int endpointCount = series / (STATUSES.length * AGENTS.length);
    if (endpointCount * STATUSES.length * AGENTS.length != series) {
      throw new IllegalArgumentException(
          "series must be a multiple of "
              + STATUSES.length * AGENTS.length
              + ", but was "
              + series);
    }
    registry = new PrometheusRegistry();
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    HttpRecorder[] byAgent = new HttpRecorder[AGENTS.length];
    for (int a = 0; a < AGENTS.length; a++) {
      byAgent[a] =
          HttpRecorder.builder(metrics).agent(AGENTS[a]).maxEndpoints(endpointCount).build();
    }
    recorders = new HttpRecorder[series];
    endpoints = new String[series];
    statuses = new int[series];
    int i = 0;
    for (int a = 0; a < AGENTS.length; a++) {
      for (int e = 0; e < endpointCount; e++) {
        for (int status : STATUSES) {
          recorders[i] = byAgent[a];
          endpoints[i] = "/api/v1/resource" + e + "/{id}";
          statuses[i] = status;
          i++;
        }
      }
    }
    // A fixed shuffle (Fisher-Yates, seed 42): neighbours in the order are not neighbours in
    // memory.
    Random random = new Random(42);
    for (int j = series - 1; j > 0; j--) {
      int k = random.nextInt(j + 1);
      HttpRecorder r = recorders[j];
      recorders[j] = recorders[k];
      recorders[k] = r;
      String s = endpoints[j];
      endpoints[j] = endpoints[k];
      endpoints[k] = s;
      int t = statuses[j];
      statuses[j] = statuses[k];
      statuses[k] = t;
    }
    cacheLimit();
    // Every series recorded once on both sides, each pass starting where the order starts.
    for (int j = 0; j < series; j++) {
      record();
    }
    for (int j = 0; j < series; j++) {
      limit();
    }
    int counters = 0;
    for (var snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getPrometheusName().equals("http_requests")) {
        counters = snapshot.getDataPoints().size();
      }
    }
    if (counters != series) {
      throw new IllegalStateException(
          "expected " + series + " http_requests_total series, but found " + counters);
    }
    System.out.printf("%nscrape with %d series: %d bytes%n", series, scrape());
  }

  private void cacheLimit() {
    PrometheusRegistry limitRegistry = new PrometheusRegistry();
    Counter counter =
        Counter.builder()
            .name("http_requests_total")
            .labelNames("method", "endpoint", "status", "agent")
            .withoutExemplars()
            .register(limitRegistry);
    Histogram histogram =
        Histogram.builder()
            .name("http_request_duration_seconds")
            .classicOnly()
            .classicUpperBounds(Workload.BUCKETS)
            .labelNames("method", "endpoint", "agent")
            .withoutExemplars()
            .register(limitRegistry);
    Gauge gauge =
        Gauge.builder()
            .name("active_connections")
            .labelNames("agent")
            .withoutExemplars()
            .register(limitRegistry);
    limitCounters = new CounterDataPoint[series];
    limitDurations = new DistributionDataPoint[series];
    limitInFlight = new GaugeDataPoint[series];
    for (int j = 0; j < series; j++) {
      String agent = recorders[j] == recorders[0] ? "a" : "b";
      limitCounters[j] =
          counter.labelValues("GET", endpoints[j], String.valueOf(statuses[j]), agent);
      limitDurations[j] = histogram.labelValues("GET", endpoints[j], agent);
      limitInFlight[j] = gauge.labelValues(agent);
    }
  }

  @Benchmark
  public void record() {
    int i = next;
    next = i + 1 == series ? 0 : i + 1;
    HttpRecorder recorder = recorders[i];
    long start = recorder.start();
    recorder.end(start, "GET", endpoints[i], null, statuses[i]);
  }

  @Benchmark
  public void limit() {
    int i = next;
    next = i + 1 == series ? 0 : i + 1;
    GaugeDataPoint inFlight = limitInFlight[i];
    inFlight.inc();
    long start = System.nanoTime();
    limitCounters[i].inc();
    limitDurations[i].observe((System.nanoTime() - start) / 1e9);
    inFlight.dec();
  }

  @Benchmark
  public int scrape() {
    buffer.reset();
    try {
      writer.write(buffer, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return buffer.size();
  }
}
