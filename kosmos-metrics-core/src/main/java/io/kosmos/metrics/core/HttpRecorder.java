package io.kosmos.metrics.core;

import io.kosmos.metrics.core.internal.BoundedLabel;
import io.kosmos.metrics.core.internal.Catalog;
import io.kosmos.metrics.core.internal.DropReason;
import io.kosmos.metrics.core.internal.HttpStore;
import io.kosmos.metrics.core.internal.Labels;
import io.kosmos.metrics.core.internal.SelfMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Unit;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Records HTTP requests of one agent: {@code active_connections}, {@code http_requests_total} and
 * {@code http_request_duration_seconds}. The servlet and Vert.x adapters are thin layers over it;
 * use it directly to instrument any other server.
 *
 * <pre>{@code
 * HttpRecorder http = HttpRecorder.builder(metrics).agent("zeus").build();
 *
 * long start = http.start();                  // active_connections +1
 * // ... handle the request ...
 * http.end(start, "GET", "/tasks/{id}", rawPath, 200);
 * }</pre>
 *
 * <p>The {@code endpoint} label is, in order:
 *
 * <ol>
 *   <li>the route template the adapter matched, with {@code :name} and {@code {name:regex}}
 *       parameters written as {@code {name}}, so that {@code /tasks/:id} (Vert.x) and {@code
 *       /tasks/{id}} (Spring, JAX-RS) give the same value. At most {@link Builder#maxEndpoints}
 *       distinct templates are kept per agent; later ones are recorded as {@code overflow} and
 *       counted in {@code kosmos_metrics_label_overflow_total{label="endpoint"}}. Only the
 *       application's code names routes, so only the application can fill this budget;
 *   <li>without a route, {@value #UNMATCHED}: the client chose the path, so by default it never
 *       becomes a label value, whatever the status (a 404 or 405 from a router, a 401, 403 or login
 *       redirect from a filter that ran before routing, a 200 from a catch-all handler);
 *   <li>only when {@link Builder#maxPathEndpoints} is above 0 (default 0), a request without a
 *       route that was answered 2xx takes its path through the {@link PathNormalizer}, within a
 *       budget of its own that never counts against the route templates. Once that budget is full,
 *       and for a value that names a known route template, it is {@value #UNMATCHED} too.
 * </ol>
 *
 * <p>So no client can write a label value unless the application opts in to path values, and no
 * client can push a route template into {@code overflow} or record under a route's name: a path
 * value that equals a route template already seen is {@value #UNMATCHED}, and once a route is first
 * recorded its name is the route's alone. Methods other than the nine standard ones are recorded as
 * {@value #OTHER_METHOD}, so clients cannot create series by inventing methods.
 *
 * <p>Thread-safe. Once a method, endpoint and status combination has been seen, recording it takes
 * no lock and allocates nothing. No method throws: invalid input is dropped and counted in {@code
 * kosmos_metrics_dropped_total}.
 */
public final class HttpRecorder {

  /** The endpoint of requests without a route template and without a path value of their own. */
  public static final String UNMATCHED = "unmatched";

  /** The method label of requests whose method is not one of the nine standard ones. */
  public static final String OTHER_METHOD = "_OTHER";

  /** The largest {@link Builder#maxPathEndpoints}: path values are the client's choice. */
  static final int MAX_PATH_ENDPOINTS = 1000;

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");

  private static final String[] METHODS = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", OTHER_METHOD
  };

  private final NanoClock clock;
  private final PathNormalizer normalizer;
  private final SelfMetrics self;
  private final LongAdder inFlight;
  private final Endpoints endpoints;
  private final @Nullable HttpStore store;

  private HttpRecorder(Builder builder, String agent) {
    Catalog catalog = builder.metrics.catalog();
    this.clock = builder.clock;
    this.normalizer = builder.normalizer;
    this.self = catalog.self;
    this.inFlight = catalog.inFlight(agent);
    this.store = catalog.httpStore;
    int cap = builder.maxEndpoints;
    int pathCap = builder.maxPathEndpoints;
    this.endpoints =
        catalog.shared(
            "http.endpoints:" + agent,
            Endpoints.class,
            () -> new Endpoints(catalog, agent, cap, pathCap));
    if (endpoints.cap != cap) {
      throw new IllegalArgumentException(
          "maxEndpoints must match the other HttpRecorder of agent '"
              + agent
              + "' on this registry ("
              + endpoints.cap
              + "), but was "
              + cap);
    }
    if (endpoints.pathCap != pathCap) {
      throw new IllegalArgumentException(
          "maxPathEndpoints must match the other HttpRecorder of agent '"
              + agent
              + "' on this registry ("
              + endpoints.pathCap
              + "), but was "
              + pathCap);
    }
  }

  /**
   * A builder for a recorder on {@code metrics}' registry.
   *
   * @throws IllegalArgumentException when {@code metrics} is null
   */
  public static Builder builder(KosmosMetrics metrics) {
    return new Builder(KosmosMetrics.Checks.notNull("metrics", metrics));
  }

  /**
   * Marks the start of a request: {@code active_connections} +1. Pass the returned reading to
   * {@link #end}. Never throws.
   *
   * @return the clock reading at the start
   */
  public long start() {
    try {
      inFlight.increment();
      return clock.nanoTime();
    } catch (RuntimeException e) {
      self.internalError("HttpRecorder.start", e);
      return 0L;
    }
  }

  /**
   * Marks the start of a request that the server saw arrive at {@code systemNanoTime}, a reading of
   * {@link System#nanoTime()} it took itself (Jetty's {@code Request.getBeginNanoTime()}, Vert.x's
   * reading of the start of the event that carries the request): {@code active_connections} +1, as
   * {@link #start()}. With the {@linkplain NanoClock#system() system clock}, the request is timed
   * from that reading: its duration then includes what the server did before the instrumentation
   * saw it (parsing, queueing for a thread, handlers in front), and the clock is read once per
   * request instead of twice. With any other clock, a reading of the system's means nothing, so
   * this reads the configured clock, as {@link #start()} does. Pass the returned reading to {@link
   * #end}. Never throws.
   *
   * @return the reading to time the request from
   */
  public long startedAt(long systemNanoTime) {
    try {
      inFlight.increment();
      return clock == SystemClock.INSTANCE ? systemNanoTime : clock.nanoTime();
    } catch (RuntimeException e) {
      self.internalError("HttpRecorder.startedAt", e);
      return 0L;
    }
  }

  /**
   * Records the end of a request started with {@link #start()} or {@link #startedAt}: {@code
   * active_connections} -1, one count and one duration. Call it exactly once per start. Never
   * throws.
   *
   * @param startNanos what {@link #start()} or {@link #startedAt} returned
   * @param method the request method as received
   * @param route the matched route template, or {@code null} when no route matched or it is
   *     unknown; only the application's routes belong here, never a value derived from the request
   * @param path the raw request path without the context path; read only when {@code route} is
   *     null, the status is 2xx and {@link Builder#maxPathEndpoints} is above 0
   * @param status the status sent, 100..599
   */
  public void end(
      long startNanos,
      @Nullable String method,
      @Nullable String route,
      @Nullable String path,
      int status) {
    try {
      record(clock.nanoTime() - startNanos, method, route, path, status);
    } catch (RuntimeException e) {
      self.internalError("HttpRecorder.end", e);
    } finally {
      // Last, so that a scrape never sees a request neither in flight nor counted: one that
      // finds active_connections back at 0 finds the request's count and duration too.
      inFlight.decrement();
    }
  }

  private void record(
      long elapsed,
      @Nullable String method,
      @Nullable String route,
      @Nullable String path,
      int status) {
    if (Labels.status(status) == null) {
      self.drop(DropReason.INVALID_STATUS, "http status");
      return;
    }
    int methodIndex = methodIndex(method);
    if (methodIndex < 0) {
      return;
    }
    KnownSeries table = endpoints.known;
    HttpStore store = this.store;
    int slot = route == null ? -1 : table.find(route, methodIndex, status);
    // Kept in the store, a known combination needs no entry: its offsets are in the table's own
    // array, next to the key, so that the hot path reads no entry object.
    Known known = null;
    if (slot < 0) {
      Endpoint endpoint = endpoints.resolve(route, path, status, normalizer);
      if (endpoint == null) {
        return;
      }
      known = endpoint.method(methodIndex).status(status);
      if (route != null && endpoint.routed) {
        table.put(route, known);
      }
    } else if (store == null) {
      known = table.entry(slot);
    }
    if (elapsed < 0) {
      self.drop(DropReason.NEGATIVE_AMOUNT, "http duration");
    }
    if (store == null) {
      if (known instanceof ClientKnown client) {
        client.counter.inc();
        if (elapsed >= 0) {
          client.duration.observe(Unit.nanosToSeconds(elapsed));
        }
      }
    } else if (known == null) {
      long target = table.target(slot);
      store.record(KnownSeries.histogram(target), KnownSeries.count(target), elapsed);
    } else {
      store.record(known.histogram, known.count, elapsed);
    }
  }

  private int methodIndex(@Nullable String method) {
    if (method == null) {
      self.drop(DropReason.NULL_LABEL, "http method");
      return -1;
    }
    switch (method) {
      case "GET":
        return 0;
      case "HEAD":
        return 1;
      case "POST":
        return 2;
      case "PUT":
        return 3;
      case "DELETE":
        return 4;
      case "CONNECT":
        return 5;
      case "OPTIONS":
        return 6;
      case "TRACE":
        return 7;
      case "PATCH":
        return 8;
      case "":
        self.drop(DropReason.EMPTY_LABEL, "http method");
        return -1;
      default:
        return METHODS.length - 1;
    }
  }

  /**
   * The endpoint label value of a route template: {@code :name} and {@code {name:regex}} segments
   * become {@code {name}}, and a missing leading slash is added.
   */
  static String renderRoute(String route) {
    StringBuilder out = new StringBuilder(route.length() + 4);
    if (route.charAt(0) != '/') {
      out.append('/');
    }
    int i = 0;
    while (i < route.length()) {
      char c = route.charAt(i);
      boolean segmentStart = i == 0 || route.charAt(i - 1) == '/';
      if (c == ':' && segmentStart && i + 1 < route.length() && route.charAt(i + 1) != '/') {
        int end = route.indexOf('/', i);
        end = end < 0 ? route.length() : end;
        out.append('{').append(route, i + 1, end).append('}');
        i = end;
      } else if (c == '{') {
        int close = route.indexOf('}', i);
        if (close < 0) {
          out.append(route, i, route.length());
          break;
        }
        int colon = route.indexOf(':', i);
        int nameEnd = colon > i && colon < close ? colon : close;
        out.append('{').append(route.substring(i + 1, nameEnd).trim()).append('}');
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * One agent's endpoint values, shared by every recorder of that agent on a registry: route
   * templates within their cap, path values within a budget of their own, and {@value #UNMATCHED}.
   */
  static final class Endpoints {
    final int cap;
    final int pathCap;
    private final Catalog catalog;
    private final String agent;
    private final BoundedLabel<Endpoint> routes;
    private final ConcurrentHashMap<String, Endpoint> byRoute = new ConcurrentHashMap<>();

    /** Every value a route template took, so that no path value records under a route's name. */
    private final Set<String> routeNames = ConcurrentHashMap.newKeySet();

    /** The data points of route, method and status combinations already recorded. */
    final KnownSeries known;

    private final ConcurrentHashMap<String, Endpoint> paths = new ConcurrentHashMap<>();
    private final AtomicBoolean pathsFullLogged = new AtomicBoolean();
    private volatile int pathsAdmitted;
    private final Endpoint unmatched;

    Endpoints(Catalog catalog, String agent, int cap, int pathCap) {
      this.cap = cap;
      this.pathCap = pathCap;
      this.catalog = catalog;
      this.agent = agent;
      this.routes = new BoundedLabel<>("endpoint", cap, this::routeEndpoint, catalog.self);
      this.known = new KnownSeries(cap);
      this.unmatched = new Endpoint(catalog, agent, UNMATCHED, false);
    }

    @Nullable Endpoint resolve(
        @Nullable String route, @Nullable String path, int status, PathNormalizer normalizer) {
      if (route != null && !route.isEmpty()) {
        Endpoint endpoint = byRoute.get(route);
        if (endpoint == null) {
          endpoint = routes.get(renderRoute(route));
          // Templates are few; the bound only guards against callers passing raw paths here.
          // Folded routes stay uncached so that every fold is counted.
          if (endpoint != null && endpoint.routed && byRoute.size() < 4 * cap) {
            byRoute.put(route, endpoint);
          }
        }
        return endpoint;
      }
      // Without a route the path is whatever the client sent. Unless the application asked for
      // path values, and the request was served (a 2xx, not a rejection, redirect or failure that
      // any path can provoke), it is never a label value.
      if (pathCap == 0 || status < 200 || status > 299 || path == null) {
        return unmatched;
      }
      return pathEndpoint(normalizer.normalize(path));
    }

    /**
     * The entry of a path value: its own while the path budget lasts and no route took the name,
     * {@value #UNMATCHED} otherwise. The normaliser only returns valid label values starting with
     * {@code /}, so a path value is never {@value #UNMATCHED} or {@code overflow}.
     */
    private Endpoint pathEndpoint(String value) {
      Endpoint endpoint = paths.get(value);
      if (endpoint != null) {
        return endpoint;
      }
      if (routeNames.contains(value)) {
        return unmatched;
      }
      if (pathsAdmitted >= pathCap) {
        return pathsFull();
      }
      synchronized (this) {
        endpoint = paths.get(value);
        if (endpoint != null) {
          return endpoint;
        }
        if (routeNames.contains(value)) {
          return unmatched;
        }
        if (pathsAdmitted >= pathCap) {
          return pathsFull();
        }
        endpoint = new Endpoint(catalog, agent, value, false);
        paths.put(value, endpoint);
        pathsAdmitted = pathsAdmitted + 1;
        return endpoint;
      }
    }

    private Endpoint pathsFull() {
      if (!pathsFullLogged.get() && pathsFullLogged.compareAndSet(false, true)) {
        LOG.log(
            Level.WARNING,
            "kosmos-metrics: agent ''{0}'' has taken its {1} endpoint values from paths without a"
                + " route (maxPathEndpoints); later such requests are recorded as ''{2}''. Route"
                + " templates keep a budget of their own.",
            agent,
            pathCap,
            UNMATCHED);
      }
      return unmatched;
    }

    /**
     * Makes the entry of a newly admitted route template (or of {@code overflow}); from now on its
     * name is the route's alone, even if a path value took it first.
     */
    private Endpoint routeEndpoint(String value) {
      synchronized (this) {
        routeNames.add(value);
        paths.remove(value);
      }
      return new Endpoint(catalog, agent, value, !value.equals(Labels.OVERFLOW));
    }
  }

  /**
   * Where one method, endpoint and status is recorded: in kosmos' {@link HttpStore} (the offsets of
   * the histogram and of the status' count) or, with native histograms or exemplars, in the
   * client's data points ({@link ClientKnown}). Kept per route template string in {@link
   * KnownSeries} once recorded, so that every later request of that combination finds it in one
   * slot, where resolving it walks the endpoint map, the endpoint's methods and the method's
   * statuses (a cache miss each on a server with many series). Only routes admitted under a name of
   * their own are kept, never {@code overflow} (each fold is counted) nor values taken from paths.
   */
  static class Known {
    final int method;
    final int status;

    /** In the store: the offsets of the histogram and of the status' count. */
    final int histogram;

    final int count;

    Known(int method, int status, int histogram, int count) {
      this.method = method;
      this.status = status;
      this.histogram = histogram;
      this.count = count;
    }
  }

  /** A {@link Known} of the client's data points. */
  static final class ClientKnown extends Known {
    final CounterDataPoint counter;
    final DistributionDataPoint duration;

    ClientKnown(int method, int status, CounterDataPoint counter, DistributionDataPoint duration) {
      super(method, status, -1, -1);
      this.counter = counter;
      this.duration = duration;
    }
  }

  /**
   * An open-addressing table of the route, method and status combinations already recorded, in
   * three parallel arrays: the route template strings (the keys), one long per slot packing the
   * method, the status and, for kosmos' store, the histogram's and the count's offsets, and the
   * {@link Known} entries (only read for the client's data points). Finding a stored series thus
   * reads one slot of two arrays whose addresses are known at once, where an array of entries makes
   * a chain of two cache misses (slot, then entry) with many series in use.
   *
   * <p>The table only grows: lookups take no lock; inserts are serialised, write the packed long
   * and the entry, then publish the route with release semantics, so that a lookup that reads the
   * route with acquire semantics sees the rest. An insert that finds its few slots taken leaves the
   * combination to the slow path, which gives the same series.
   */
  static final class KnownSeries {
    private static final VarHandle ROUTES = MethodHandles.arrayElementVarHandle(String[].class);
    private static final int PROBES = 8;
    private static final int OFFSET_BITS = 24;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    private static final int KEY_SHIFT = 2 * OFFSET_BITS;
    private static final long KEY_MASK = -1L << KEY_SHIFT;

    private final String[] routes;
    private final long[] targets;
    private final Known[] entries;
    private final int mask;

    KnownSeries(int maxEndpoints) {
      // Room for about 16 method and status combinations per endpoint at half full, within
      // 1,024 to 65,536 slots (16 bytes each with compressed references: route, packed long and
      // entry).
      long wanted = Math.max(1024L, Math.min(1L << 16, 32L * maxEndpoints));
      int size = Integer.highestOneBit((int) wanted);
      size = size < wanted ? size << 1 : size;
      this.routes = new String[size];
      this.targets = new long[size];
      this.entries = new Known[size];
      this.mask = size - 1;
    }

    /** The slot of {@code route}, {@code method} and {@code status}, or -1 when not kept. */
    int find(String route, int method, int status) {
      int index = index(route, method, status);
      long key = key(method, status);
      for (int probe = 0; probe < PROBES; probe++) {
        int slot = (index + probe) & mask;
        String kept = (String) ROUTES.getAcquire(routes, slot);
        if (kept == null) {
          return -1;
        }
        if ((targets[slot] & KEY_MASK) == key && route.equals(kept)) {
          return slot;
        }
      }
      return -1;
    }

    /** The packed key and store offsets of a slot {@link #find} returned. */
    long target(int slot) {
      return targets[slot];
    }

    /** The entry of a slot {@link #find} returned. */
    Known entry(int slot) {
      return entries[slot];
    }

    static int histogram(long target) {
      return (int) ((target >>> OFFSET_BITS) & OFFSET_MASK);
    }

    static int count(long target) {
      return (int) (target & OFFSET_MASK);
    }

    private static long key(int method, int status) {
      return ((long) method << 10 | status) << KEY_SHIFT;
    }

    /** Keeps {@code known} under {@code route}, unless kept already or its slots are taken. */
    synchronized void put(String route, Known known) {
      long target = key(known.method, known.status);
      if (known.histogram >= 0) {
        if (known.histogram > OFFSET_MASK || known.count < 0 || known.count > OFFSET_MASK) {
          return; // never in a store of 64 MB per stripe, whose offsets fit in 23 bits
        }
        target |= (long) known.histogram << OFFSET_BITS | known.count;
      }
      if (find(route, known.method, known.status) >= 0) {
        return; // another thread's slow path kept it first
      }
      int index = index(route, known.method, known.status);
      for (int probe = 0; probe < PROBES; probe++) {
        int slot = (index + probe) & mask;
        if (routes[slot] == null) {
          targets[slot] = target;
          entries[slot] = known;
          ROUTES.setRelease(routes, slot, route);
          return;
        }
      }
    }

    private static int index(String route, int method, int status) {
      int h = (route.hashCode() * 31 + method) * 1009 + status;
      return h ^ (h >>> 16);
    }
  }

  /** The series of one endpoint value, per method. */
  static final class Endpoint {
    private final Catalog catalog;
    private final String agent;
    private final String label;

    /** Whether this is a route template's own value: not {@code overflow}, unmatched or a path. */
    final boolean routed;

    private final AtomicReferenceArray<MethodSeries> methods =
        new AtomicReferenceArray<>(METHODS.length);

    Endpoint(Catalog catalog, String agent, String label, boolean routed) {
      this.catalog = catalog;
      this.agent = agent;
      this.label = label;
      this.routed = routed;
    }

    MethodSeries method(int index) {
      MethodSeries series = methods.get(index);
      if (series == null) {
        // Data points are keyed by label values in the metric, so a racing thread gets the same.
        series = new MethodSeries(catalog, index, label, agent);
        if (!methods.compareAndSet(index, null, series)) {
          series = methods.get(index);
        }
      }
      return series;
    }
  }

  /** The histogram of one method and endpoint, and where each status is counted. */
  static final class MethodSeries {
    private static final Known[] NONE = new Known[0];

    private final Catalog catalog;
    private final int methodIndex;
    private final String endpoint;
    private final String agent;
    private final HttpStore.@Nullable Series stored;
    private final @Nullable DistributionDataPoint duration;
    private volatile Known[] statuses = NONE;

    MethodSeries(Catalog catalog, int methodIndex, String endpoint, String agent) {
      this.catalog = catalog;
      this.methodIndex = methodIndex;
      this.endpoint = endpoint;
      this.agent = agent;
      // The catalog has either a store or the client's families (see Catalog#httpStore).
      HttpStore store = catalog.httpStore;
      String method = METHODS[methodIndex];
      this.stored = store == null ? null : store.series(method, endpoint, agent);
      this.duration =
          store == null ? catalog.httpDuration.labelValues(method, endpoint, agent) : null;
    }

    Known status(int status) {
      // An endpoint sees a handful of statuses: a linear scan of a small array beats a map and
      // needs no boxing.
      for (Known known : statuses) {
        if (known.status == status) {
          return known;
        }
      }
      return add(status);
    }

    private synchronized Known add(int status) {
      Known[] current = statuses;
      for (Known known : current) {
        if (known.status == status) {
          return known;
        }
      }
      String label = Labels.status(status);
      label = label == null ? "000" : label;
      HttpStore.Series series = stored;
      Known added =
          series != null
              ? new Known(methodIndex, status, series.histogram, series.count(status, label).offset)
              : new ClientKnown(
                  methodIndex,
                  status,
                  catalog.httpRequests.labelValues(METHODS[methodIndex], endpoint, label, agent),
                  duration);
      Known[] grown = java.util.Arrays.copyOf(current, current.length + 1);
      grown[current.length] = added;
      statuses = grown;
      return added;
    }
  }

  /** Configures an {@link HttpRecorder}. */
  public static final class Builder {
    private final KosmosMetrics metrics;
    private @Nullable String agent;
    private int maxEndpoints = 200;
    private int maxPathEndpoints;
    private NanoClock clock = NanoClock.system();
    private PathNormalizer normalizer = PathNormalizer.defaults();

    private Builder(KosmosMetrics metrics) {
      this.metrics = metrics;
    }

    /**
     * The {@code agent} label of every series. Required: 1 to 64 letters, digits, {@code _ . -}.
     */
    public Builder agent(String agent) {
      this.agent = agent;
      return this;
    }

    /**
     * Most distinct route templates kept as {@code endpoint} values for this agent; later templates
     * are recorded as {@code overflow} and counted in {@code
     * kosmos_metrics_label_overflow_total{label="endpoint"}}. Default 200, at least 1. Values taken
     * from paths ({@link #maxPathEndpoints}) never count against it. Recorders of the same agent on
     * one registry share the cap and must agree on it.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxEndpoints(int maxEndpoints) {
      this.maxEndpoints = KosmosMetrics.Checks.atLeast("maxEndpoints", 1, maxEndpoints);
      return this;
    }

    /**
     * Most distinct {@code endpoint} values taken from raw paths through the {@link
     * #pathNormalizer}, for requests without a route template that were answered 2xx. Default 0:
     * every request without a route is {@value HttpRecorder#UNMATCHED}, as clients choose those
     * paths. Turn it on only where routeless paths are the application's own (say a server without
     * a router serving a few fixed paths): any client can fill it, with values such as {@code
     * /wp-login.php} on a server that answers 200 for every path. The budget is separate from
     * {@link #maxEndpoints}, so path values can never push a route template into {@code overflow};
     * once it is full, further paths are recorded as {@value HttpRecorder#UNMATCHED} (not counted
     * as an overflow, as no route loses its name). A path value that equals a route template
     * already recorded is {@value HttpRecorder#UNMATCHED} too. At most 1000. Recorders of the same
     * agent on one registry must agree on it.
     *
     * @throws IllegalArgumentException outside 0..1000
     */
    public Builder maxPathEndpoints(int maxPathEndpoints) {
      this.maxPathEndpoints =
          KosmosMetrics.Checks.between("maxPathEndpoints", 0, MAX_PATH_ENDPOINTS, maxPathEndpoints);
      return this;
    }

    /** The clock that times requests. Default {@link NanoClock#system()}. */
    public Builder clock(NanoClock clock) {
      this.clock = KosmosMetrics.Checks.notNull("clock", clock);
      return this;
    }

    /**
     * How raw paths become endpoint values when no route template is known and {@link
     * #maxPathEndpoints} is above 0. Default {@link PathNormalizer#defaults()}.
     */
    public Builder pathNormalizer(PathNormalizer normalizer) {
      this.normalizer = KosmosMetrics.Checks.notNull("pathNormalizer", normalizer);
      return this;
    }

    /**
     * A recorder over the shared families.
     *
     * @throws IllegalArgumentException when the agent is missing or invalid, or when another
     *     recorder of this agent on the registry has another {@code maxEndpoints} or {@code
     *     maxPathEndpoints}
     */
    public HttpRecorder build() {
      return new HttpRecorder(this, KosmosMetrics.Checks.agent(agent));
    }
  }
}
