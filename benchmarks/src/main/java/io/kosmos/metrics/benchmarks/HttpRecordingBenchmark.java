package io.kosmos.metrics.benchmarks;

import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.metrics.Aggregation;
import io.opentelemetry.sdk.metrics.ExplicitBucketHistogramOptions;
import io.opentelemetry.sdk.metrics.InstrumentSelector;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.View;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP request's recording (in-flight +1, count, duration, in-flight -1, with both clock
 * readings) done several ways on the same workload. Run at 1 and 2 threads with {@code -t}.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar HttpRecordingBenchmark -prof gc -t 1
 * }</pre>
 *
 * <ul>
 *   <li>{@code kosmos}: core's public {@link HttpRecorder}, as the adapters call it (method string,
 *       route template, int status); it maps the status to its label and the template to its
 *       endpoint itself.
 *   <li>{@code prometheusCachedLimit}: client_java with every data point looked up once,
 *       classic-only histogram, the client's other defaults (exemplars on).
 *   <li>{@code prometheusCachedNoExemplars}: the same without exemplars, which is what kosmos'
 *       catalog records by default: the limit of the identical recording.
 *   <li>{@code prometheusLabelValues}: client_java with {@code labelValues(...)} per request.
 *   <li>{@code micrometer}: {@code Timer.builder(...).register(...)} per request, the buckets as
 *       service-level objectives (Micrometer's timer carries the status tag, so it keeps one
 *       histogram per status where the others keep one per route).
 *   <li>{@code otel}: the OpenTelemetry SDK with an explicit-bucket view, attributes built once.
 * </ul>
 *
 * <p>Every method reads the clock twice and does the same four recordings; the shared state is
 * {@code Scope.Benchmark}, so at 2 threads both threads hit the same series, as in a server.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class HttpRecordingBenchmark {

  /** Per-thread position in the workload. */
  @State(Scope.Thread)
  public static class Cursor {
    int request;

    int next() {
      return request = (request + 1) % Workload.COMBINATIONS;
    }
  }

  /** kosmos-metrics' public recorder, as the adapters call it. */
  @State(Scope.Benchmark)
  public static class Kosmos {
    HttpRecorder recorder;

    @Setup
    public void setUp() {
      recorder =
          KosmosMetrics.builder().registry(new PrometheusRegistry()).build().http(Workload.AGENT);
    }
  }

  /**
   * Raw client_java with data points cached per combination and classic-only histograms, otherwise
   * the client's defaults: exemplars on, as a user who writes {@code Counter.builder()} gets them.
   * This is the "limit".
   */
  @State(Scope.Benchmark)
  public static class PrometheusCached {
    GaugeDataPoint inFlight;
    CounterDataPoint[] counters = new CounterDataPoint[Workload.COMBINATIONS];
    DistributionDataPoint[] durations = new DistributionDataPoint[Workload.ROUTES.length];

    @Setup
    public void setUp() {
      cache(this, true);
    }
  }

  /**
   * As {@link PrometheusCached}, without exemplars: kosmos' own configuration (its catalog turns
   * exemplars off by default), so the limit of the same recording.
   */
  @State(Scope.Benchmark)
  public static class PrometheusCachedNoExemplars extends PrometheusCached {
    @Setup
    @Override
    public void setUp() {
      cache(this, false);
    }
  }

  static void cache(PrometheusCached state, boolean exemplars) {
    PrometheusRegistry registry = new PrometheusRegistry();
    Counter.Builder counterBuilder =
        Counter.builder()
            .name("http_requests_total")
            .labelNames("method", "endpoint", "status", "agent");
    Histogram.Builder histogramBuilder =
        Histogram.builder()
            .name("http_request_duration_seconds")
            .classicOnly()
            .classicUpperBounds(Workload.BUCKETS)
            .labelNames("method", "endpoint", "agent");
    Gauge.Builder gaugeBuilder = Gauge.builder().name("active_connections").labelNames("agent");
    if (!exemplars) {
      counterBuilder.withoutExemplars();
      histogramBuilder.withoutExemplars();
      gaugeBuilder.withoutExemplars();
    }
    Counter counter = counterBuilder.register(registry);
    Histogram histogram = histogramBuilder.register(registry);
    Gauge gauge = gaugeBuilder.register(registry);
    state.inFlight = gauge.labelValues(Workload.AGENT);
    for (int i = 0; i < Workload.COMBINATIONS; i++) {
      state.counters[i] =
          counter.labelValues(
              Workload.METHOD,
              Workload.ROUTES[Workload.route(i)],
              Workload.STATUS_LABELS[Workload.status(i)],
              Workload.AGENT);
    }
    for (int r = 0; r < Workload.ROUTES.length; r++) {
      state.durations[r] =
          histogram.labelValues(Workload.METHOD, Workload.ROUTES[r], Workload.AGENT);
    }
  }

  /** Raw client_java looking data points up with labelValues(...) on every request. */
  @State(Scope.Benchmark)
  public static class PrometheusLabelValues {
    Counter counter;
    Histogram histogram;
    Gauge gauge;

    @Setup
    public void setUp() {
      PrometheusRegistry registry = new PrometheusRegistry();
      counter =
          Counter.builder()
              .name("http_requests_total")
              .labelNames("method", "endpoint", "status", "agent")
              .register(registry);
      histogram =
          Histogram.builder()
              .name("http_request_duration_seconds")
              .classicOnly()
              .classicUpperBounds(Workload.BUCKETS)
              .labelNames("method", "endpoint", "agent")
              .register(registry);
      gauge = Gauge.builder().name("active_connections").labelNames("agent").register(registry);
    }
  }

  /** Micrometer's documented idiom: a Timer built and registered (looked up) per request. */
  @State(Scope.Benchmark)
  public static class Micrometer {
    PrometheusMeterRegistry registry;
    AtomicLong inFlight;
    Duration[] slos;

    @Setup
    public void setUp() {
      registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      inFlight =
          registry.gauge("active_connections", Tags.of("agent", Workload.AGENT), new AtomicLong());
      slos =
          Arrays.stream(Workload.BUCKETS)
              .mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
              .toArray(Duration[]::new);
    }
  }

  /** The OpenTelemetry SDK with an explicit-bucket view and attributes built once. */
  @State(Scope.Benchmark)
  public static class Otel {
    LongUpDownCounter inFlight;
    LongCounter requests;
    DoubleHistogram durations;
    Attributes agent;
    Attributes[] requestAttributes = new Attributes[Workload.COMBINATIONS];
    Attributes[] durationAttributes = new Attributes[Workload.ROUTES.length];

    @Setup
    public void setUp() {
      SdkMeterProvider provider =
          SdkMeterProvider.builder()
              .registerMetricReader(InMemoryMetricReader.create())
              .registerView(
                  InstrumentSelector.builder().setName("http.server.request.duration").build(),
                  View.builder()
                      .setAggregation(
                          Aggregation.explicitBucketHistogram(
                              ExplicitBucketHistogramOptions.builder()
                                  .setBucketBoundaries(
                                      Arrays.stream(Workload.BUCKETS).boxed().toList())
                                  .build()))
                      .build())
              .build();
      Meter meter = provider.get("bench");
      inFlight = meter.upDownCounterBuilder("http.server.active_requests").build();
      requests = meter.counterBuilder("http.server.requests").build();
      durations = meter.histogramBuilder("http.server.request.duration").setUnit("s").build();
      AttributeKey<String> method = AttributeKey.stringKey("method");
      AttributeKey<String> endpoint = AttributeKey.stringKey("endpoint");
      AttributeKey<String> status = AttributeKey.stringKey("status");
      AttributeKey<String> agentKey = AttributeKey.stringKey("agent");
      agent = Attributes.of(agentKey, Workload.AGENT);
      for (int i = 0; i < Workload.COMBINATIONS; i++) {
        requestAttributes[i] =
            Attributes.of(
                method,
                Workload.METHOD,
                endpoint,
                Workload.ROUTES[Workload.route(i)],
                status,
                Workload.STATUS_LABELS[Workload.status(i)],
                agentKey,
                Workload.AGENT);
      }
      for (int r = 0; r < Workload.ROUTES.length; r++) {
        durationAttributes[r] =
            Attributes.of(
                method, Workload.METHOD, endpoint, Workload.ROUTES[r], agentKey, Workload.AGENT);
      }
    }
  }

  @Benchmark
  public void kosmos(Kosmos state, Cursor cursor) {
    int i = cursor.next();
    long start = state.recorder.start();
    state.recorder.end(
        start,
        Workload.METHOD,
        Workload.ROUTES[Workload.route(i)],
        null,
        Workload.STATUSES[Workload.status(i)]);
  }

  @Benchmark
  public void prometheusCachedLimit(PrometheusCached state, Cursor cursor) {
    int i = cursor.next();
    state.inFlight.inc();
    long start = System.nanoTime();
    state.counters[i].inc();
    state.durations[Workload.route(i)].observe((System.nanoTime() - start) / 1e9);
    state.inFlight.dec();
  }

  @Benchmark
  public void prometheusCachedNoExemplars(PrometheusCachedNoExemplars state, Cursor cursor) {
    int i = cursor.next();
    state.inFlight.inc();
    long start = System.nanoTime();
    state.counters[i].inc();
    state.durations[Workload.route(i)].observe((System.nanoTime() - start) / 1e9);
    state.inFlight.dec();
  }

  @Benchmark
  public void prometheusLabelValues(PrometheusLabelValues state, Cursor cursor) {
    int i = cursor.next();
    String route = Workload.ROUTES[Workload.route(i)];
    state.gauge.labelValues(Workload.AGENT).inc();
    long start = System.nanoTime();
    state
        .counter
        .labelValues(
            Workload.METHOD, route, Workload.STATUS_LABELS[Workload.status(i)], Workload.AGENT)
        .inc();
    state
        .histogram
        .labelValues(Workload.METHOD, route, Workload.AGENT)
        .observe((System.nanoTime() - start) / 1e9);
    state.gauge.labelValues(Workload.AGENT).dec();
  }

  @Benchmark
  public void micrometer(Micrometer state, Cursor cursor) {
    int i = cursor.next();
    state.inFlight.incrementAndGet();
    long start = System.nanoTime();
    Timer.builder("http_request_duration")
        .tags(
            "method",
            Workload.METHOD,
            "endpoint",
            Workload.ROUTES[Workload.route(i)],
            "status",
            Workload.STATUS_LABELS[Workload.status(i)],
            "agent",
            Workload.AGENT)
        .serviceLevelObjectives(state.slos)
        .register(state.registry)
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    state.inFlight.decrementAndGet();
  }

  @Benchmark
  public void otel(Otel state, Cursor cursor) {
    int i = cursor.next();
    state.inFlight.add(1, state.agent);
    long start = System.nanoTime();
    state.requests.add(1, state.requestAttributes[i]);
    state.durations.record(
        (System.nanoTime() - start) / 1e9, state.durationAttributes[Workload.route(i)]);
    state.inFlight.add(-1, state.agent);
  }
}
