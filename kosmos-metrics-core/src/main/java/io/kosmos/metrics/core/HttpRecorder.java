package io.kosmos.metrics.core;

import io.kosmos.metrics.core.internal.BoundedLabel;
import io.kosmos.metrics.core.internal.Catalog;
import io.kosmos.metrics.core.internal.DropReason;
import io.kosmos.metrics.core.internal.Labels;
import io.kosmos.metrics.core.internal.SelfMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.ConcurrentHashMap;
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
 *       /tasks/{id}} (Spring, JAX-RS) give the same value;
 *   <li>{@value #UNMATCHED} for a 404, 405 or 501 with no route: no route took the path or the
 *       method (a router answers a made-up method with 405, Jetty's default servlet with 501);
 *   <li>otherwise the raw path through the {@link PathNormalizer}.
 * </ol>
 *
 * <p>At most {@link Builder#maxEndpoints} distinct endpoint values are kept per agent; further
 * values are recorded as {@code overflow} and counted in {@code
 * kosmos_metrics_label_overflow_total{label="endpoint"}}. Methods other than the nine standard ones
 * are recorded as {@value #OTHER_METHOD}, so clients cannot create series by inventing methods.
 *
 * <p>Thread-safe. Once a method, endpoint and status combination has been seen, recording it takes
 * no lock and allocates nothing. No method throws: invalid input is dropped and counted in {@code
 * kosmos_metrics_dropped_total}.
 */
public final class HttpRecorder {

  /** The endpoint of requests that matched no route. */
  public static final String UNMATCHED = "unmatched";

  /** The method label of requests whose method is not one of the nine standard ones. */
  public static final String OTHER_METHOD = "_OTHER";

  private static final String[] METHODS = {
    "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", OTHER_METHOD
  };

  private final NanoClock clock;
  private final PathNormalizer normalizer;
  private final SelfMetrics self;
  private final LongAdder inFlight;
  private final Endpoints endpoints;

  private HttpRecorder(Builder builder, String agent) {
    Catalog catalog = builder.metrics.catalog();
    this.clock = builder.clock;
    this.normalizer = builder.normalizer;
    this.self = catalog.self;
    this.inFlight = catalog.inFlight(agent);
    int cap = builder.maxEndpoints;
    this.endpoints =
        catalog.shared(
            "http.endpoints:" + agent, Endpoints.class, () -> new Endpoints(catalog, agent, cap));
    if (endpoints.cap != cap) {
      throw new IllegalArgumentException(
          "maxEndpoints must match the other HttpRecorder of agent '"
              + agent
              + "' on this registry ("
              + endpoints.cap
              + "), but was "
              + cap);
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
   * Records the end of a request started with {@link #start()}: {@code active_connections} -1, one
   * count and one duration. Call it exactly once per {@code start()}. Never throws.
   *
   * @param startNanos what {@link #start()} returned
   * @param method the request method as received
   * @param route the matched route template, or {@code null} when no route matched or it is unknown
   * @param path the raw request path without the context path, used when {@code route} is null
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
    Endpoint endpoint = endpoints.resolve(route, path, status, normalizer);
    if (endpoint == null) {
      return;
    }
    MethodSeries series = endpoint.method(methodIndex);
    series.counter(status).inc();
    if (elapsed >= 0) {
      series.duration.observe(Unit.nanosToSeconds(elapsed));
    } else {
      self.drop(DropReason.NEGATIVE_AMOUNT, "http duration");
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

  /** One agent's endpoint values, shared by every recorder of that agent on a registry. */
  static final class Endpoints {
    final int cap;
    private final BoundedLabel<Endpoint> byLabel;
    private final ConcurrentHashMap<String, Endpoint> byRoute = new ConcurrentHashMap<>();
    private final Endpoint unmatched;

    Endpoints(Catalog catalog, String agent, int cap) {
      this.cap = cap;
      this.byLabel =
          new BoundedLabel<>(
              "endpoint", cap, value -> new Endpoint(catalog, agent, value), catalog.self);
      this.unmatched = new Endpoint(catalog, agent, UNMATCHED);
    }

    @Nullable Endpoint resolve(
        @Nullable String route, @Nullable String path, int status, PathNormalizer normalizer) {
      if (route != null && !route.isEmpty()) {
        Endpoint endpoint = byRoute.get(route);
        if (endpoint == null) {
          endpoint = byLabel.get(renderRoute(route));
          // Templates are few; the bound only guards against callers passing raw paths here.
          // Folded routes stay uncached so that every fold is counted.
          if (endpoint != null && !endpoint.folded() && byRoute.size() < 4 * cap) {
            byRoute.put(route, endpoint);
          }
        }
        return endpoint;
      }
      // Without a route, a 404, 405 or 501 means no route took the request: its path is the
      // client's invention (405 from a router, 501 from Jetty's default servlet for a made-up
      // method), and must not reach a label even through the normaliser.
      if (status == 404 || status == 405 || status == 501 || path == null) {
        return unmatched;
      }
      return byLabel.get(normalizer.normalize(path));
    }
  }

  /** The series of one endpoint value, per method. */
  static final class Endpoint {
    private final Catalog catalog;
    private final String agent;
    private final String label;
    private final AtomicReferenceArray<MethodSeries> methods =
        new AtomicReferenceArray<>(METHODS.length);

    Endpoint(Catalog catalog, String agent, String label) {
      this.catalog = catalog;
      this.agent = agent;
      this.label = label;
    }

    boolean folded() {
      return label.equals(Labels.OVERFLOW);
    }

    MethodSeries method(int index) {
      MethodSeries series = methods.get(index);
      if (series == null) {
        // Data points are keyed by label values in the metric, so a racing thread gets the same.
        series = new MethodSeries(catalog, METHODS[index], label, agent);
        if (!methods.compareAndSet(index, null, series)) {
          series = methods.get(index);
        }
      }
      return series;
    }
  }

  /** The histogram data point of one method and endpoint, and its counters by status. */
  static final class MethodSeries {
    private static final StatusCounter[] NONE = new StatusCounter[0];

    final DistributionDataPoint duration;
    private final Catalog catalog;
    private final String method;
    private final String endpoint;
    private final String agent;
    private volatile StatusCounter[] statuses = NONE;

    MethodSeries(Catalog catalog, String method, String endpoint, String agent) {
      this.catalog = catalog;
      this.method = method;
      this.endpoint = endpoint;
      this.agent = agent;
      this.duration = catalog.httpDuration.labelValues(method, endpoint, agent);
    }

    CounterDataPoint counter(int status) {
      // An endpoint sees a handful of statuses: a linear scan of a small array beats a map and
      // needs no boxing.
      for (StatusCounter known : statuses) {
        if (known.status == status) {
          return known.counter;
        }
      }
      return add(status);
    }

    private synchronized CounterDataPoint add(int status) {
      StatusCounter[] current = statuses;
      for (StatusCounter known : current) {
        if (known.status == status) {
          return known.counter;
        }
      }
      StatusCounter[] grown = java.util.Arrays.copyOf(current, current.length + 1);
      String statusLabel = Labels.status(status);
      grown[current.length] =
          new StatusCounter(
              status,
              catalog.httpRequests.labelValues(
                  method, endpoint, statusLabel == null ? "000" : statusLabel, agent));
      statuses = grown;
      return grown[current.length].counter;
    }
  }

  private record StatusCounter(int status, CounterDataPoint counter) {}

  /** Configures an {@link HttpRecorder}. */
  public static final class Builder {
    private final KosmosMetrics metrics;
    private @Nullable String agent;
    private int maxEndpoints = 200;
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
     * Most distinct {@code endpoint} values kept for this agent; later values are recorded as
     * {@code overflow}. Default 200, at least 1. Recorders of the same agent on one registry share
     * the cap and must agree on it.
     */
    public Builder maxEndpoints(int maxEndpoints) {
      this.maxEndpoints = KosmosMetrics.Checks.atLeast("maxEndpoints", 1, maxEndpoints);
      return this;
    }

    /** The clock that times requests. Default {@link NanoClock#system()}. */
    public Builder clock(NanoClock clock) {
      this.clock = KosmosMetrics.Checks.notNull("clock", clock);
      return this;
    }

    /**
     * How raw paths become endpoint values when no route template is known. Default {@link
     * PathNormalizer#defaults()}.
     */
    public Builder pathNormalizer(PathNormalizer normalizer) {
      this.normalizer = KosmosMetrics.Checks.notNull("pathNormalizer", normalizer);
      return this;
    }

    /**
     * A recorder over the shared families.
     *
     * @throws IllegalArgumentException when the agent is missing or invalid, or when another
     *     recorder of this agent on the registry has another {@code maxEndpoints}
     */
    public HttpRecorder build() {
      return new HttpRecorder(this, KosmosMetrics.Checks.agent(agent));
    }
  }
}
