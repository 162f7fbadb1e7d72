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
import java.util.function.Supplier;

/**
 * {@code http_requests_total} and {@code http_request_duration_seconds} (classic buckets, no
 * exemplars: the catalog's default) kept in slabs of longs instead of one client_java data point
 * per series, and exposed through the client's own snapshots when scraped.
 *
 * <p>Why: a client_java counter is a {@code LongAdder}, a classic histogram a {@code LongAdder} per
 * bucket, a {@code DoubleAdder} sum, a count and a scrape buffer; recording one request touches a
 * dozen objects spread over the heap. With many series in use each is a cache miss, and recording
 * time grew with the number of series (x2.2 from 10 to 10,000 in {@code ScaleBenchmark}). Here a
 * histogram is a run of adjacent longs (its sum in nanoseconds, then one count per bucket) and a
 * status count one long, all packed into a few large arrays: recording is three atomic adds on one
 * or two cache lines, and the memory it touches grows by 8 bytes per series and bucket, not by
 * objects.
 *
 * <p>Every slot exists once per stripe, each stripe in arrays of its own, so that two event loops
 * recording the same series do not take a cache line from each other on every request (what {@code
 * LongAdder} avoids with its cells). A thread's stripe is its id modulo the stripe count; a scrape
 * adds the stripes up. The count of a histogram is the sum of its buckets, so {@code _count} always
 * equals the {@code +Inf} bucket.
 */
public final class HttpStore {

  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle CHUNKS = MethodHandles.arrayElementVarHandle(long[][].class);

  /** Longs per chunk of a slab (16 KB), as a power of two. */
  private static final int CHUNK_BITS = 11;

  private static final int CHUNK = 1 << CHUNK_BITS;
  private static final int CHUNK_MASK = CHUNK - 1;

  /** Chunks per slab: 64 MB per stripe, some 600,000 histograms and their counts. */
  private static final int MAX_CHUNKS = 4096;

  /** The most finite buckets a histogram here may have: its run must fit in one chunk. */
  public static final int MAX_BUCKETS = 1000;

  /**
   * Status counts kept right before a histogram's sum, so that a request of one of a series' first
   * statuses writes one run of adjacent longs (one or two neighbouring cache lines, which the
   * processor fetches together) rather than two places; later statuses are counted elsewhere.
   */
  private static final int INLINE_COUNTS = 4;

  private static final Count[] NO_COUNTS = new Count[0];

  private static final MetricMetadata REQUESTS =
      new MetricMetadata("http_requests", Catalog.HTTP_REQUESTS_HELP);
  private static final MetricMetadata DURATIONS =
      new MetricMetadata("http_request_duration_seconds", Catalog.HTTP_DURATION_HELP, Unit.SECONDS);

  private final double[] upperBounds;
  private final long[] boundNanos;
  private final int stripes;
  private final int stripeMask;

  /** Per stripe, its chunks; a slot's offset is the same in every stripe. */
  private final long[][][] slabs;

  /** The next free offset; guarded by {@code this}. */
  private int next;

  private final ConcurrentHashMap<Key, Series> series = new ConcurrentHashMap<>();

  /**
   * A store for histograms with these finite upper bounds, in seconds, increasing, and stripes for
   * about {@code threads} concurrent recording threads.
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
    // Twice as many stripes as threads (2 to 8), so that two busy threads rarely share one.
    this.stripes = Math.min(8, Integer.highestOneBit(Math.max(1, threads) * 4 - 1));
    this.stripeMask = stripes - 1;
    this.slabs = new long[stripes][MAX_CHUNKS][];
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

  /**
   * Reserves {@code longs} adjacent slots, zero, in every stripe, and returns their offset.
   *
   * @throws IllegalStateException when the slabs are full
   */
  private synchronized int allocate(int longs) {
    int at = next;
    if ((at & CHUNK_MASK) + longs > CHUNK) {
      at = (at | CHUNK_MASK) + 1; // a run never straddles two chunks
    }
    int chunk = at >>> CHUNK_BITS;
    if (chunk >= MAX_CHUNKS) {
      throw new IllegalStateException("the HTTP store is full (" + MAX_CHUNKS + " chunks)");
    }
    if (slabs[0][chunk] == null) {
      for (long[][] slab : slabs) {
        // Released, so that a thread that reads the chunk with acquire sees it zeroed.
        CHUNKS.setRelease(slab, chunk, new long[CHUNK]);
      }
    }
    next = at + longs;
    return at;
  }

  private static long[] chunk(long[][] slab, int offset) {
    return (long[]) CHUNKS.getAcquire(slab, offset >>> CHUNK_BITS);
  }

  private long read(long[][] slab, int offset) {
    return (long) LONGS.getVolatile(chunk(slab, offset), offset & CHUNK_MASK);
  }

  /** The series of one method, endpoint and agent, made on first use. */
  public Series series(String method, String endpoint, String agent) {
    return series.computeIfAbsent(
        new Key(method, endpoint, agent),
        key -> new Series(key, allocate(INLINE_COUNTS + 1 + upperBounds.length) + INLINE_COUNTS));
  }

  /**
   * Records one request: its status count +1 and, unless {@code nanos} is negative, its duration.
   *
   * @param histogram the {@link Series#histogram} of the request's method and endpoint
   * @param count the {@link Count#offset} of its status
   */
  public void record(int histogram, int count, long nanos) {
    long[][] slab = slabs[(int) Thread.currentThread().getId() & stripeMask];
    LONGS.getAndAdd(chunk(slab, count), count & CHUNK_MASK, 1L);
    if (nanos < 0) {
      return;
    }
    int bucket = 0;
    long[] bounds = boundNanos;
    while (bucket < bounds.length && nanos > bounds[bucket]) {
      bucket++;
    }
    long[] cells = chunk(slab, histogram);
    int sum = histogram & CHUNK_MASK;
    LONGS.getAndAdd(cells, sum + 1 + bucket, 1L);
    // The sum in whole nanoseconds: one atomic add rather than a compare-and-set loop on a double,
    // and exact (a double of seconds loses the nanoseconds of a sum past a few days), until 292
    // years of summed time.
    LONGS.getAndAdd(cells, sum, nanos);
  }

  /** The collector of {@code http_requests_total}. */
  Collector requests() {
    return new Family(
        false, REQUESTS, Set.of("method", "endpoint", "status", "agent"), this::collectRequests);
  }

  /** The collector of {@code http_request_duration_seconds}. */
  Collector durations() {
    return new Family(
        true, DURATIONS, Set.of("method", "endpoint", "agent"), this::collectDurations);
  }

  /**
   * A collector that names its family, type and labels, so that the registry refuses another metric
   * of the same name, as it does for the client's own metrics. client_java 1.3 and 1.4 (Spring
   * Boot's) only ask for the name and have no {@code MetricType}, so only {@link #getMetricType}
   * names it.
   */
  // Their replacement, getMetricFamilyDescriptor(), is not in client_java 1.3 or 1.4.
  @SuppressWarnings("deprecation")
  private static final class Family implements Collector {
    private final boolean histogram;
    private final MetricMetadata metadata;
    private final Set<String> labelNames;
    private final Supplier<MetricSnapshot> snapshot;

    Family(
        boolean histogram,
        MetricMetadata metadata,
        Set<String> labelNames,
        Supplier<MetricSnapshot> snapshot) {
      this.histogram = histogram;
      this.metadata = metadata;
      this.labelNames = labelNames;
      this.snapshot = snapshot;
    }

    @Override
    public MetricSnapshot collect() {
      return snapshot.get();
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
        CounterSnapshot.builder().name(REQUESTS.getName()).help(REQUESTS.getHelp());
    for (Series s : series.values()) {
      for (Count count : s.counts) {
        long total = 0;
        for (long[][] slab : slabs) {
          total += read(slab, count.offset);
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
            .name(DURATIONS.getName())
            .unit(DURATIONS.getUnit())
            .help(DURATIONS.getHelp());
    for (Series s : series.values()) {
      long[] counts = new long[upperBounds.length];
      long sumNanos = 0;
      for (long[][] slab : slabs) {
        for (int bucket = 0; bucket < counts.length; bucket++) {
          counts[bucket] += read(slab, s.histogram + 1 + bucket);
        }
        sumNanos += read(slab, s.histogram);
      }
      double sum = Unit.nanosToSeconds(sumNanos);
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
   * One method and endpoint of an agent: where its histogram is kept, and where each status is
   * counted.
   */
  public final class Series {
    private final Key key;
    private final long createdMillis = System.currentTimeMillis();

    /**
     * The offset of the histogram: its sum in nanoseconds, then one count per bucket; the first
     * {@value #INLINE_COUNTS} statuses are counted right before it.
     */
    public final int histogram;

    private volatile Count[] counts = NO_COUNTS;

    private Series(Key key, int histogram) {
      this.key = key;
      this.histogram = histogram;
    }

    /**
     * Where {@code status} is counted, given its label value, made on first use.
     *
     * @throws IllegalStateException when the store is full
     */
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
      int offset =
          current.length < INLINE_COUNTS ? histogram - INLINE_COUNTS + current.length : allocate(1);
      Count count = new Count(status, label, offset, System.currentTimeMillis());
      Count[] grown = Arrays.copyOf(current, current.length + 1);
      grown[current.length] = count;
      counts = grown;
      return count;
    }
  }

  /** Where one status of a {@link Series} is counted. */
  public static final class Count {
    final int status;
    final String label;

    /** The offset of the count. */
    public final int offset;

    final long createdMillis;

    private Count(int status, String label, int offset, long createdMillis) {
      this.status = status;
      this.label = label;
      this.offset = offset;
      this.createdMillis = createdMillis;
    }
  }
}
