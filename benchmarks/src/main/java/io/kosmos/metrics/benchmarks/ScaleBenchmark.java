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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
 * series of a fixed visiting order through kosmos' public recorder (lookup included, into its own
 * store); {@link #limit} does client_java's writes alone, on data points cached in arrays, in the
 * same order; {@link #dense} does the same writes on counts packed into two {@code long[]}s with no
 * lookup and no object per series: the floor of any store, to tell what the memory hierarchy costs
 * from what a layout does. With {@code access=spread} the order is every series once, shuffled, so
 * that larger sets pay the cache misses of requests spread evenly over all of them (the worst
 * case); with {@code access=zipf} it is 65,536 draws from a Zipf distribution (exponent 1) over the
 * series ranked in a shuffled order, as real traffic concentrates on a few endpoints, so that what
 * grows with the number of series is the lookup, not the memory. {@link #scrape} writes the whole
 * registry as Prometheus text 0.0.4 into a reused buffer (the access order does not change it). The
 * scrape's size in bytes is printed once per {@code series}.
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

  @Param({"spread", "zipf"})
  public String access;

  private PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);

  // The visiting order, one entry per series.
  private HttpRecorder[] recorders;
  private String[] endpoints;
  private int[] statuses;

  // Indices into the arrays above, visited in turn.
  private int[] order;
  private int next;

  // The limit: client_java data points cached per series, in the same order.
  private CounterDataPoint[] limitCounters;
  private DistributionDataPoint[] limitDurations;
  private GaugeDataPoint[] limitInFlight;

  // Dense: one long per request-counter series, and per (agent, endpoint) histogram a block of
  // bucket counts (the last one +Inf), the count and the sum in nanoseconds, all updated
  // atomically; the in-flight count one LongAdder per agent, as kosmos keeps it.
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int BLOCK = Workload.BUCKETS.length + 3;
  private static final long[] BOUNDS_NANOS = boundsNanos();
  private long[] denseCounters;
  private long[] denseHistograms;
  private int[] denseBlock;
  private LongAdder[] denseInFlight;

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
    // One string per route template, as a framework holds one per route.
    String[] templates = new String[endpointCount];
    for (int e = 0; e < endpointCount; e++) {
      templates[e] = "/api/v1/resource" + e + "/{id}";
    }
    int i = 0;
    for (int a = 0; a < AGENTS.length; a++) {
      for (int e = 0; e < endpointCount; e++) {
        for (int status : STATUSES) {
          recorders[i] = byAgent[a];
          endpoints[i] = templates[e];
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
    order = order(access, series, random);
    cacheLimit();
    packDense(endpointCount, templates);
    // Every series recorded once on all sides before measuring.
    for (int j = 0; j < series; j++) {
      recordOn(j);
    }
    for (int j = 0; j < series; j++) {
      limitOn(j);
    }
    for (int j = 0; j < series; j++) {
      denseOn(j);
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

  private void packDense(int endpointCount, String[] templates) {
    denseCounters = new long[series];
    denseHistograms = new long[AGENTS.length * endpointCount * BLOCK];
    denseBlock = new int[series];
    LongAdder[] byAgent = {new LongAdder(), new LongAdder()};
    denseInFlight = new LongAdder[series];
    for (int j = 0; j < series; j++) {
      int agent = recorders[j] == recorders[0] ? 0 : 1;
      denseInFlight[j] = byAgent[agent];
      int endpoint = Arrays.asList(templates).indexOf(endpoints[j]);
      denseBlock[j] = (agent * endpointCount + endpoint) * BLOCK;
    }
  }

  private static long[] boundsNanos() {
    long[] bounds = new long[Workload.BUCKETS.length];
    for (int b = 0; b < bounds.length; b++) {
      bounds[b] = (long) (Workload.BUCKETS[b] * 1e9);
    }
    return bounds;
  }

  /**
   * The visiting order: every index once ({@code spread}; the arrays are already shuffled), or
   * 65,536 Zipf draws, rank r taken with probability proportional to 1/r ({@code zipf}).
   */
  static int[] order(String access, int series, Random random) {
    if (access.equals("spread")) {
      int[] order = new int[series];
      for (int j = 0; j < series; j++) {
        order[j] = j;
      }
      return order;
    }
    if (!access.equals("zipf")) {
      throw new IllegalArgumentException("access must be spread or zipf, but was " + access);
    }
    double[] cumulative = new double[series];
    double total = 0;
    for (int rank = 1; rank <= series; rank++) {
      total += 1.0 / rank;
      cumulative[rank - 1] = total;
    }
    int[] order = new int[1 << 16];
    for (int j = 0; j < order.length; j++) {
      int found = Arrays.binarySearch(cumulative, random.nextDouble() * total);
      // The rank is the index of the series: the arrays were shuffled, so rank 1 is any series.
      order[j] = Math.min(series - 1, found >= 0 ? found : -found - 1);
    }
    return order;
  }

  private int nextIndex() {
    int j = next;
    next = j + 1 == order.length ? 0 : j + 1;
    return order[j];
  }

  @Benchmark
  public void record() {
    recordOn(nextIndex());
  }

  private void recordOn(int i) {
    HttpRecorder recorder = recorders[i];
    long start = recorder.start();
    recorder.end(start, "GET", endpoints[i], null, statuses[i]);
  }

  @Benchmark
  public void limit() {
    limitOn(nextIndex());
  }

  private void limitOn(int i) {
    GaugeDataPoint inFlight = limitInFlight[i];
    inFlight.inc();
    long start = System.nanoTime();
    limitCounters[i].inc();
    limitDurations[i].observe((System.nanoTime() - start) / 1e9);
    inFlight.dec();
  }

  @Benchmark
  public void dense() {
    denseOn(nextIndex());
  }

  private void denseOn(int i) {
    LongAdder inFlight = denseInFlight[i];
    inFlight.increment();
    long start = System.nanoTime();
    LONGS.getAndAdd(denseCounters, i, 1L);
    long nanos = System.nanoTime() - start;
    int block = denseBlock[i];
    int bucket = 0;
    while (bucket < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[bucket]) {
      bucket++;
    }
    LONGS.getAndAdd(denseHistograms, block + bucket, 1L);
    LONGS.getAndAdd(denseHistograms, block + BOUNDS_NANOS.length + 1, 1L);
    LONGS.getAndAdd(denseHistograms, block + BOUNDS_NANOS.length + 2, nanos);
    inFlight.decrement();
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
