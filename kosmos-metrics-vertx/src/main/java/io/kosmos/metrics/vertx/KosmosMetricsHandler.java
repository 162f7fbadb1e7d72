package io.kosmos.metrics.vertx;

import io.kosmos.metrics.core.HttpRecorder;
import io.netty.util.concurrent.FastThreadLocal;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jspecify.annotations.Nullable;

/**
 * Records every request of a Vert.x Web {@link Router} through core's {@link HttpRecorder}: {@code
 * active_connections}, {@code http_requests_total} and {@code http_request_duration_seconds}.
 *
 * <pre>{@code
 * Router router = Router.router(vertx);
 * KosmosMetricsHandler.builder(metrics.http("athena"))
 *     .ignorePath("/metrics")
 *     .installOn(router);                 // the router's first route, whenever it is called
 * router.get("/tasks/:id").handler(ctx -> ctx.end("task " + ctx.pathParam("id")));
 * }</pre>
 *
 * <p>{@link KosmosVertxMetrics#install} does this and adds {@code /metrics} in one call.
 *
 * <p>What is recorded, once per request (a request sent through the router again with {@link
 * RoutingContext#reroute} included: it is recorded once, under the route that answers it):
 *
 * <ul>
 *   <li>{@code endpoint}: the template of the route that answered, rendered by core, so that {@code
 *       /tasks/:id} becomes {@code /tasks/{id}}, the value the servlet adapter records for {@code
 *       /tasks/{id}}. Sub-router mount points are joined into one path: a route {@code /items/:id}
 *       in a sub-router mounted at {@code /api/v1/*} is {@code /api/v1/items/{id}}. A regex route
 *       is recorded under its name ({@link Route#setName}) or, without one, its regex; one longer
 *       than a label value may be has no template. A request without a template (no route with a
 *       path answered it, or a path-less route such as an authentication handler answered it first)
 *       is {@code unmatched} by core's rule, unless the recorder opts in to path values ({@link
 *       HttpRecorder.Builder#maxPathEndpoints}).
 *   <li>{@code status}: the status sent, including a failure's ({@code ctx.fail(503)} gives 503, a
 *       throwing handler or {@code ctx.fail(exception)} 500) and whatever a failure handler
 *       answers. A connection closed or reset before the response headers went out is {@code 499}
 *       (nginx's "client closed request"), not the 200 that Vert.x reports for a response never
 *       sent; a disconnect after the headers keeps the status sent.
 *   <li>the duration, from Vert.x's start of the event that carried the request (its own clock
 *       reading, a few microseconds before the router; this handler's call where there is none) to
 *       the end of the response, or to the connection's close when the client goes away first. A
 *       response that has ended (or a connection that has closed) by the time the router's handlers
 *       return is recorded then. Otherwise the end is observed with {@link
 *       RoutingContext#addEndHandler}, which Vert.x Web calls exactly once for a response end, a
 *       connection close or a reset; do not replace the response's own end, close and exception
 *       handlers in your code, use the routing context's.
 * </ul>
 *
 * <p>Runs on the event loop and never blocks it: no I/O, no locks beyond core's lock-free
 * recording. Never throws into the router: a failure of the instrumentation is logged once and the
 * request goes on.
 */
public final class KosmosMetricsHandler implements Handler<RoutingContext> {

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");
  private static final AtomicBoolean ERROR_LOGGED = new AtomicBoolean();
  private static final AtomicIntegerFieldUpdater<Exchange> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(Exchange.class, "ended");

  /**
   * The request whose handlers run on this thread, if any: tells a synchronous reroute. Netty's
   * thread-local, since Vert.x's event-loop and worker threads are Netty's {@code
   * FastThreadLocalThread}s, on which it is an array slot: a {@code java.lang.ThreadLocal}'s two
   * sets per request (hash probe of the thread's map) were 0.8% of the Java samples of a hello
   * server under wrk (JFR). Other threads get a {@code java.lang.ThreadLocal} behind it.
   */
  private static final FastThreadLocal<@Nullable RoutingContext> ROUTING = new FastThreadLocal<>();

  /** Marks a context whose request waits for its end, so that a later reroute is told apart. */
  private static final String EXCHANGE_KEY = "io.kosmos.metrics.vertx.exchange";

  /** nginx's status for a request whose client closed the connection before any response. */
  static final int CLIENT_CLOSED_REQUEST = 499;

  private final HttpRecorder recorder;
  private final Router router;
  private final String[] ignoredPaths;
  private final @Nullable String servedPath;
  private final @Nullable Handler<RoutingContext> served;

  private KosmosMetricsHandler(HttpRecorder recorder, Router router, Builder builder) {
    this.recorder = recorder;
    this.router = router;
    this.ignoredPaths = builder.ignoredPaths.toArray(new String[0]);
    this.servedPath = builder.servedPath;
    this.served = builder.served;
  }

  /**
   * A builder for a handler recording through {@code recorder} (which carries the agent, the
   * endpoint cap, the clock and the path normaliser).
   *
   * @throws IllegalArgumentException when {@code recorder} is null
   */
  public static Builder builder(HttpRecorder recorder) {
    return new Builder(Checks.notNull("recorder", recorder));
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (served != null && isServedPath(ctx)) {
      // Answered here rather than by a route of its own: no route of the application can shadow
      // it, and every other request is spared matching one more route.
      served.handle(ctx);
      return;
    }
    RoutingContext outer = ROUTING.get();
    if (rerouted(ctx, outer)) {
      // The request came through the router again (ctx.reroute): it is being recorded already.
      ctx.next();
      return;
    }
    // Taken before the handlers run: a reroute may change the request's method and path.
    HttpMethod method = null;
    String path = null;
    long start = 0L;
    try {
      HttpServerRequest request = ctx.request();
      // The raw path, which the request already holds: normalising it for every request cost more
      // than the rest of the recording (JFR under wrk). A path that only its normal form makes an
      // ignored one (say //metrics, given to ignorePath) is recorded, under its route's template.
      path = request.path();
      if (!isIgnored(path)) {
        method = request.method();
        start = DispatchStart.start(recorder);
      }
    } catch (RuntimeException e) {
      method = null;
      internalError(e);
    }
    ROUTING.set(ctx);
    try {
      ctx.next();
    } finally {
      ROUTING.set(outer);
      if (method != null) {
        afterHandlers(ctx, method, path, start);
      }
    }
  }

  /**
   * Whether this routing context is already being recorded: rerouted while its handlers ran on this
   * thread, or later, from a request that registered its end handler and marked the context.
   */
  private static boolean rerouted(RoutingContext ctx, @Nullable RoutingContext outer) {
    try {
      if (outer == ctx) {
        return true;
      }
      // Reads only: a context that holds no data yet answers without allocating its map.
      return ctx.get(EXCHANGE_KEY) instanceof Exchange open && open.ended == 0;
    } catch (RuntimeException e) {
      internalError(e);
      return false;
    }
  }

  private boolean isIgnored(@Nullable String path) {
    for (String ignored : ignoredPaths) {
      if (isSamePath(ignored, path)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the request is for the path this handler answers itself, matched as Vert.x matches a
   * route's path: on the normalised path (which Vert.x computes once per request and the routes
   * with a path read anyway), with or without a trailing slash, below the router's mount point.
   */
  private boolean isServedPath(RoutingContext ctx) {
    try {
      String normalized = normalizedPath(ctx, null);
      String mount = ctx.mountPoint();
      if (mount == null || mount.equals("/")) {
        return isSamePath(servedPath, normalized);
      }
      int prefix = mount.endsWith("/") ? mount.length() - 1 : mount.length();
      return normalized != null
          && normalized.startsWith(mount.substring(0, prefix))
          && isSamePath(servedPath, normalized.substring(prefix));
    } catch (RuntimeException e) {
      internalError(e);
      return false;
    }
  }

  /**
   * Whether {@code path} is {@code ignored}, with or without a trailing slash, as Vert.x matches.
   */
  private static boolean isSamePath(@Nullable String ignored, @Nullable String path) {
    if (path == null || ignored == null) {
      return false;
    }
    int extra = path.length() - ignored.length();
    return (extra == 0 || (extra == 1 && path.charAt(ignored.length()) == '/'))
        && path.startsWith(ignored);
  }

  private static void internalError(RuntimeException e) {
    if (ERROR_LOGGED.compareAndSet(false, true)) {
      LOG.log(
          Level.WARNING,
          "kosmos-metrics: the Vert.x handler failed; the request goes on unrecorded. Logged once.",
          e);
    }
  }

  /**
   * After the synchronous part of the routing: records the request if it already ended, else
   * remembers the root router's current route and waits for the end. A failure resets the current
   * route, so nothing is taken once the request failed.
   */
  private void afterHandlers(
      RoutingContext ctx, HttpMethod method, @Nullable String path, long start) {
    Exchange exchange = null;
    try {
      HttpServerResponse response = ctx.response();
      // Answered (or gone) before the handlers returned, as fast handlers are: record it now,
      // without registering with Vert.x Web, which costs an end-handler list, three handlers set
      // on the response under the connection's lock and a future per request (the largest part
      // of this handler's own time in a JFR profile under wrk), nor any object of ours. No end
      // handler was added, so nothing else can record it.
      boolean finished = response.ended();
      if (finished || response.closed()) {
        record(ctx, method, path, start, null, finished);
        return;
      }
      exchange = new Exchange(ctx, method, path, start, current(ctx));
      try {
        ctx.put(EXCHANGE_KEY, exchange);
        ctx.addEndHandler(exchange);
      } catch (IllegalStateException e) {
        // Vert.x refuses an end handler once the response is written: another thread ended it
        // since the check above. Recorded below.
      }
      // Ended on another thread in between (a blocking handler or a client library's callback):
      // the end handler may have run before it was added. Recorded once either way.
      if (response.ended() || response.closed()) {
        exchange.handle(null);
      }
    } catch (RuntimeException e) {
      internalError(e);
      // Without an end handler the request would stay active forever: close it now.
      if (exchange == null || ENDED.compareAndSet(exchange, 0, 1)) {
        recorder.end(start, method.name(), null, path, 500);
      }
    }
  }

  /**
   * Records a request that has ended, or whose connection closed; {@code ended}: the response is
   * known to have ended; {@code answered}: the root router's route when the handlers returned.
   */
  private void record(
      RoutingContext ctx,
      HttpMethod method,
      @Nullable String path,
      long start,
      @Nullable Route answered,
      boolean ended) {
    int status = 500;
    String template = null;
    try {
      HttpServerResponse response = ctx.response();
      // Before any response went out the status code is only Vert.x's default 200: the client
      // gave up, which is not a success. Recorded as nginx's 499 "client closed request". An
      // ended response has sent its head.
      status = ended || response.headWritten() ? response.getStatusCode() : CLIENT_CLOSED_REQUEST;
      // The end comes inside response.end() (or the close), from the route serving the request
      // at that moment: the one that answered, unless the request failed.
      Route route = current(ctx);
      if (route == null) {
        route = answered;
      }
      // The normalised path is needed only to match again; a route known here names itself.
      String matched =
          route == null || route.getSubRouter() != null ? normalizedPath(ctx, path) : path;
      template = RouteTemplates.of(route, router, method, matched);
    } catch (RuntimeException e) {
      internalError(e);
    }
    recorder.end(start, method.name(), template, path, status);
  }

  /**
   * A request still in flight when its handlers returned: waits for its end. Touched on its event
   * loop, except when a blocking handler ends the response from a worker: hence the atomic end
   * flag.
   */
  private final class Exchange implements Handler<AsyncResult<Void>> {
    final RoutingContext ctx;
    final HttpMethod method;
    final @Nullable String path;
    final long start;
    final @Nullable Route answered;
    volatile int ended;

    Exchange(
        RoutingContext ctx,
        HttpMethod method,
        @Nullable String path,
        long start,
        @Nullable Route answered) {
      this.ctx = ctx;
      this.method = method;
      this.path = path;
      this.start = start;
      this.answered = answered;
    }

    /** Records the request, the first time only: on response end or connection close. */
    @Override
    public void handle(@Nullable AsyncResult<Void> result) {
      if (ENDED.compareAndSet(this, 0, 1)) {
        record(ctx, method, path, start, answered, false);
      }
    }
  }

  /** The current route if it has a template and the request has not failed, else null. */
  private static @Nullable Route current(RoutingContext ctx) {
    if (ctx.failed()) {
      return null;
    }
    Route route = ctx.currentRoute();
    return route != null && RouteTemplates.hasTemplate(route) ? route : null;
  }

  /**
   * The request's normalised path, which Vert.x computes once per request, or {@code fallback} when
   * there is none: Vert.x refuses a malformed escape ({@code %zz}) with an {@code
   * IllegalArgumentException}, which is the client's doing, not a failure to log.
   */
  private static @Nullable String normalizedPath(RoutingContext ctx, @Nullable String fallback) {
    try {
      String normalized = ctx.normalizedPath();
      return normalized != null ? normalized : fallback;
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }

  /** Configures a {@link KosmosMetricsHandler}. */
  public static final class Builder {
    private final HttpRecorder recorder;
    private final List<String> ignoredPaths = new ArrayList<>();
    private @Nullable String servedPath;
    private @Nullable Handler<RoutingContext> served;

    private Builder(HttpRecorder recorder) {
      this.recorder = recorder;
    }

    /**
     * Answers requests for {@code path} with {@code handler} in place of the router, unrecorded:
     * how {@link KosmosVertxMetrics#install} serves {@code /metrics}.
     */
    Builder serve(String path, Handler<RoutingContext> handler) {
      this.servedPath = path;
      this.served = handler;
      return this;
    }

    /**
     * A request path that is not recorded at all, such as the {@code /metrics} route, so that
     * scrapes do not count themselves. Compared with the request's normalised path, exactly but for
     * a trailing slash. Default: none; may be called repeatedly, at most 16 paths.
     *
     * @throws IllegalArgumentException when {@code path} is null, does not start with {@code /}, or
     *     is the 17th
     */
    public Builder ignorePath(String path) {
      Checks.notNull("ignorePath", path);
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException(
            "ignorePath must start with '/', but was '" + path + "'");
      }
      if (ignoredPaths.size() == 16) {
        throw new IllegalArgumentException(
            "ignorePath must be called at most 16 times, but was called for '" + path + "'");
      }
      ignoredPaths.add(path);
      return this;
    }

    /**
     * Installs the handler as the first route of {@code router} ({@code
     * router.route().order(Integer.MIN_VALUE)}), so that it sees every request whenever it is
     * installed. Install it once, on the root router: sub-routers are covered through their mount
     * routes.
     *
     * @return the installed handler
     * @throws IllegalArgumentException when {@code router} is null
     */
    public KosmosMetricsHandler installOn(Router router) {
      Checks.notNull("router", router);
      KosmosMetricsHandler handler = new KosmosMetricsHandler(recorder, router, this);
      router.route().order(Integer.MIN_VALUE).handler(handler);
      return handler;
    }
  }
}
