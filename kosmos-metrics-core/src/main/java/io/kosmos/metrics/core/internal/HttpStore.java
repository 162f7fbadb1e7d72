package io.kosmos.metrics.core.internal;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.Unit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code http_requests_total} and {@code http_request_duration_seconds} (classic buckets, no
 * exemplars: the catalog's default) kept in arrays of longs instead of one client_java data point
 * per series, and exposed through the client's own snapshots when scraped.
 *
 * <p>Why: a client_java counter is a {@code LongAdder}, a classic histogram a {@code LongAdder} per
 * bucket, a {@code DoubleAdder} sum, a count and a scrape buffer; recording one request touches a
 * dozen objects spread over the heap. With many series in use each is a cache miss, and recording
 * time grew with the number of series (x2.2 from 10 to 10,000 in {@code ScaleBenchmark}). Here one
 * method and endpoint's histogram and its first status counts share one array: recording is one
 * array, three atomic adds.
 *
 * <p>Each array holds one stripe per group of threads, each stripe on cache lines of its own, so
 * that two event loops recording the same series do not take a cache line from each other on every
 * request (what {@code LongAdder} avoids with its cells). A thread's stripe is its id modulo the
 * stripe count; a scrape adds the stripes up. The count of a histogram is the sum of its buckets,
 * so {@code _count} always equals the {@code +Inf} bucket.
 */
public final class HttpStore {

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  /** Longs per 64-byte cache line. */
  private static final int LINE = 8;

  /** Offset of the sum (the bits of a double, in seconds) within a stripe. */
  private static final int SUM = 0;

  private static final Count[] NO_COUNTS = new Count[0];

  private final double[] upperBounds;
  private final long[] boundNanos;
  private final int stride;
  private final int stripes;
  private final int stripeMask;
  private final ConcurrentHashMap<Key, Series> series = new ConcurrentHashMap<>();

  /**
   * A store for histograms with these finite upper bounds, in seconds, increasing, and stripes for
   * about {@code threads} concurrent recording threads (a power of two from 2 to 8).
   */
  HttpStore(List<Double> buckets, int threads) {
    int finite = buckets.size();
    this.upperBounds = new double[finite + 1];
    this.boundNanos = new long[finite];
    for (int i = 0; i < finite; i++) {
      upperBounds[i] = buckets.get(i);
      boundNanos[i] = largestNanosWithin(upperBounds[i]);
    }
    upperBounds[finite] = Double.POSITIVE_INFINITY;
    // The sum, the buckets and at least four status counts, rounded up to whole cache lines.
    this.stride = roundUpToLine(1 + upperBounds.length + 4);
    // Twice as many stripes as threads (up to 8), so that two busy threads rarely share one.
    this.stripes = Math.min(8, Integer.highestOneBit(Math.max(1, threads) * 4 - 1));
    this.stripeMask = stripes - 1;
  }

  /**
   * The largest whole number of nanoseconds that client_java's conversion ({@code nanos / 1e9})
   * puts within {@code bound} seconds, so that a duration falls in the bucket it would have fallen
   * in had it been observed in seconds.
   */
  static long largestNanosWithin(double bound) {
    long nanos = (long) Math.floor(bound * 1e9);
    while (Unit.nanosToSeconds(nanos) > bound) {
      nanos--;
    }
    while (Unit.nanosToSeconds(nanos + 1) <= bound) {
      nanos++;
    }
    return nanos;
  }

  private static int roundUpToLine(int longs) {
    return (longs + LINE - 1) / LINE * LINE;
  }

  /** The series of one method, endpoint and agent, made on first use. */
  public Series series(String method, String endpoint, String agent) {
    return series.computeIfAbsent(
        new Key(method, endpoint, agent), key -> new Series(key, new long[stripes * stride]));
  }

  /**
   * Records one request: its status count +1 and, unless {@code nanos} is negative, its duration.
   *
   * @param histogram the {@link Series#cells} of the request's method and endpoint
   * @param counts the {@link Count#cells} of its status
   * @param index the {@link Count#index} of its status
   */
  public void record(long[] histogram, long[] counts, int index, long nanos) {
    int base = ((int) Thread.currentThread().getId() & stripeMask) * stride;
    LONGS.getAndAdd(counts, base + index, 1L);
    if (nanos < 0) {
      return;
    }
    int bucket = 0;
    long[] bounds = boundNanos;
    while (bucket < bounds.length && nanos > bounds[bucket]) {
      bucket++;
    }
    LONGS.getAndAdd(histogram, base + 1 + bucket, 1L);
    double seconds = Unit.nanosToSeconds(nanos);
    int sum = base + SUM;
    long bits = (long) LONGS.getVolatile(histogram, sum);
    while (!LONGS.weakCompareAndSet(
        histogram,
        sum,
        bits,
        Double.doubleToRawLongBits(Double.longBitsToDouble(bits) + seconds))) {
      bits = (long) LONGS.getVolatile(histogram, sum);
    }
  }

  /** The collector of {@code http_requests_total}. */
  Collector requests() {
    return new Family(
        false,
        new MetricMetadata("http_requests", "Total HTTP requests"),
        Set.of("method", "endpoint", "status", "agent")) {
      @Override
      public MetricSnapshot collect() {
        return collectRequests();
      }
    };
  }

  /** The collector of {@code http_request_duration_seconds}. */
  Collector durations() {
    return new Family(
        true,
        new MetricMetadata("http_request_duration_seconds", "HTTP request latency", Unit.SECONDS),
        Set.of("method", "endpoint", "agent")) {
      @Override
      public MetricSnapshot collect() {
        return collectDurations();
      }
    };
  }

  /**
   * A collector that names its family, type and labels, so that the registry refuses another metric
   * of the same name, as it does for the client's own metrics. client_java 1.3 and 1.4 (Spring
   * Boot's) only ask for the name and have no {@code MetricType}, so only {@link #getMetricType}
   * names it.
   */
  // Their replacement, getMetricFamilyDescriptor(), is not in client_java 1.3 or 1.4.
  @SuppressWarnings("deprecation")
  private abstract static class Family implements Collector {
    private final boolean histogram;
    private final MetricMetadata metadata;
    private final Set<String> labelNames;

    Family(boolean histogram, MetricMetadata metadata, Set<String> labelNames) {
      this.histogram = histogram;
      this.metadata = metadata;
      this.labelNames = labelNames;
    }

    @Override
    public String getPrometheusName() {
      return metadata.getPrometheusName();
    }

    @Override
    public MetricType getMetricType() {
      // Named here only, so that client_java 1.3 and 1.4 never load it.
      return histogram ? MetricType.HISTOGRAM : MetricType.COUNTER;
    }

    @Override
    public Set<String> getLabelNames() {
      return labelNames;
    }

    @Override
    public MetricMetadata getMetadata() {
      return metadata;
    }
  }

  private CounterSnapshot collectRequests() {
    CounterSnapshot.Builder snapshot =
        CounterSnapshot.builder().name("http_requests").help("Total HTTP requests");
    for (Series s : series.values()) {
      for (Count count : s.counts) {
        long total = 0;
        for (int stripe = 0; stripe < stripes; stripe++) {
          total += (long) LONGS.getVolatile(count.cells, stripe * stride + count.index);
        }
        snapshot.dataPoint(
            CounterDataPointSnapshot.builder()
                .value(total)
                .labels(
                    Labels.of(
                        "method",
                        s.key.method,
                        "endpoint",
                        s.key.endpoint,
                        "status",
                        count.label,
                        "agent",
                        s.key.agent))
                .createdTimestampMillis(count.createdMillis)
                .build());
      }
    }
    return snapshot.build();
  }

  private HistogramSnapshot collectDurations() {
    HistogramSnapshot.Builder snapshot =
        HistogramSnapshot.builder()
            .name("http_request_duration_seconds")
            .unit(Unit.SECONDS)
            .help("HTTP request latency");
    for (Series s : series.values()) {
      long[] counts = new long[upperBounds.length];
      double sum = 0;
      for (int stripe = 0; stripe < stripes; stripe++) {
        int base = stripe * stride;
        for (int bucket = 0; bucket < counts.length; bucket++) {
          counts[bucket] += (long) LONGS.getVolatile(s.cells, base + 1 + bucket);
        }
        sum += Double.longBitsToDouble((long) LONGS.getVolatile(s.cells, base + SUM));
      }
      snapshot.dataPoint(
          HistogramDataPointSnapshot.builder()
              .classicHistogramBuckets(ClassicHistogramBuckets.of(upperBounds, counts))
              .sum(sum)
              .labels(
                  Labels.of(
                      "method", s.key.method, "endpoint", s.key.endpoint, "agent", s.key.agent))
              .createdTimestampMillis(s.createdMillis)
              .build());
    }
    return snapshot.build();
  }

  private record Key(String method, String endpoint, String agent) {}

  /**
   * One method and endpoint of an agent: its histogram in {@link #cells}, and where each status is
   * counted. The first statuses are counted in the histogram's own array (one array per request);
   * further ones in arrays of their own, each as wide as a stripe.
   */
  public final class Series {
    private final Key key;
    private final long createdMillis = System.currentTimeMillis();

    /** Per stripe: the sum's bits, one count per bucket, then status counts. */
    public final long[] cells;

    private volatile Count[] counts = NO_COUNTS;
    private long[] spill;
    private int spillNext;

    private Series(Key key, long[] cells) {
      this.key = key;
      this.cells = cells;
      this.spill = cells;
      this.spillNext = 1 + upperBounds.length;
    }

    /** Where {@code status} is counted, given its label value, made on first use. */
    public Count count(int status, String label) {
      for (Count count : counts) {
        if (count.status == status) {
          return count;
        }
      }
      return add(status, label);
    }

    private synchronized Count add(int status, String label) {
      Count[] current = counts;
      for (Count count : current) {
        if (count.status == status) {
          return count;
        }
      }
      if (spillNext == stride) {
        spill = new long[stripes * stride];
        spillNext = 0;
      }
      Count count = new Count(status, label, spill, spillNext++, System.currentTimeMillis());
      Count[] grown = Arrays.copyOf(current, current.length + 1);
      grown[current.length] = count;
      counts = grown;
      return count;
    }
  }

  /** Where one status of a {@link Series} is counted: an array and the index within a stripe. */
  public static final class Count {
    final int status;
    final String label;

    /** The array the status is counted in. */
    public final long[] cells;

    /** The status' index within each stripe of {@link #cells}. */
    public final int index;

    final long createdMillis;

    private Count(int status, String label, long[] cells, int index, long createdMillis) {
      this.status = status;
      this.label = label;
      this.cells = cells;
      this.index = index;
      this.createdMillis = createdMillis;
    }
  }
}
