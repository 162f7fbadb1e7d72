package io.kosmos.metrics.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.ee11.servlet.ServletMapping;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * What {@link KosmosMetricsFilter} records, for embedded Jetty 12.1 (ee11, Servlet 6.1), as a Jetty
 * {@link Handler} inside the servlet context instead of a filter: the same series, labels, endpoint
 * sources and skip paths, without a filter chain on every request.
 *
 * <pre>{@code
 * ServletContextHandler context = new ServletContextHandler("/");
 * context.addServlet(new ServletHolder(new TasksServlet()), "/tasks/*");
 * KosmosJettyHandler.install(context, KosmosMetricsFilter.builder(metrics).agent("zeus"));
 * server.setHandler(context);
 * }</pre>
 *
 * <p>Why a handler: a filter costs Jetty its filter chain on every request (an empty filter on
 * {@code /*} alone took about 1.6% of a hello world's throughput), and it must find the end of an
 * async request through an {@code AsyncListener}. The handler sits between the context and its
 * servlet handler, where Jetty has already matched the servlet; it hears the end of every request,
 * sync or async, from the completion of Jetty's own callback, and reads the endpoint from the
 * request exactly as the filter does: the {@link KosmosMetricsFilter#ENDPOINT_ATTRIBUTE}, else
 * Spring MVC's best matching pattern, else the servlet mapping's pattern.
 *
 * <p>What differs from the filter: the duration runs from the request's arrival at the connector
 * ({@code Request.getBeginNanoTime()}, what Jetty's own {@code StatisticsHandler} times from, so it
 * includes parsing and the wait for a thread) to the completion of the response (the last byte
 * handed to the connection), not from the filter's call to the return of its chain; with a clock
 * other than {@link io.kosmos.metrics.core.NanoClock#system()} it runs from the handler's call. A
 * request that Jetty's {@code SecurityHandler} turns away is recorded too, under the servlet it was
 * meant for. Install it instead of the filter, not with it: the two would record every request
 * twice.
 *
 * <p>Never throws into Jetty and never changes a response: a failure of the instrumentation is
 * counted in {@code kosmos_metrics_dropped_total{reason="internal_error"}}, logged once, and the
 * request goes on.
 */
public final class KosmosJettyHandler extends Handler.Wrapper {

  private final Recording recording;

  private KosmosJettyHandler(Recording recording) {
    this.recording = recording;
  }

  /**
   * Builds the recording {@code builder} configures and installs it on {@code context}: this
   * handler inserted next to the context (before its session, security and servlet handlers), and a
   * {@link KosmosMetricsServlet} (client_java's exporter behind the builder's {@link
   * KosmosMetricsFilter.Builder#metricsAccess} rule) named {@code kosmos-metrics-endpoint} on the
   * builder's metrics path. Call it before the context starts.
   *
   * @return the installed handler
   * @throws IllegalArgumentException when {@code context} or {@code builder} is null, or as {@link
   *     KosmosMetricsFilter.Builder#build()}
   * @throws IllegalStateException when the context has started, already has a servlet named {@code
   *     kosmos-metrics-endpoint}, or maps the metrics path to another servlet
   */
  public static KosmosJettyHandler install(
      ServletContextHandler context, KosmosMetricsFilter.Builder builder) {
    if (context == null) {
      throw new IllegalArgumentException("context must not be null");
    }
    if (builder == null) {
      throw new IllegalArgumentException("builder must not be null");
    }
    if (context.isStarted()) {
      throw new IllegalStateException(
          "install needs a context that has not started, but it is " + context.getState());
    }
    Recording recording = builder.recording("metricsPath", "skipPaths");
    String path = builder.configuredMetricsPath();
    if (context.getServletHandler().getServlet("kosmos-metrics-endpoint") != null) {
      throw new IllegalStateException(
          "install needs a context without a servlet named 'kosmos-metrics-endpoint', but one is"
              + " registered");
    }
    ServletMapping[] mappings = context.getServletHandler().getServletMappings();
    for (ServletMapping mapping : mappings == null ? new ServletMapping[0] : mappings) {
      for (String spec : mapping.getPathSpecs()) {
        if (spec.equals(path)) {
          throw new IllegalStateException(
              "metricsPath must not be mapped to another servlet, but '"
                  + path
                  + "' is mapped to '"
                  + mapping.getServletName()
                  + "'");
        }
      }
    }
    ServletHolder endpoint =
        new ServletHolder(
            "kosmos-metrics-endpoint",
            KosmosMetricsServlet.create(builder.registry(), builder.configuredMetricsAccess()));
    context.addServlet(endpoint, path);
    KosmosJettyHandler handler = new KosmosJettyHandler(recording);
    context.insertHandler(handler);
    return handler;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Exchange exchange = null;
    try {
      exchange = begin(request, callback);
    } catch (RuntimeException e) {
      recording.internalError("KosmosJettyHandler.handle", e);
    }
    if (exchange == null) {
      return super.handle(request, response, callback);
    }
    boolean handled;
    try {
      handled = super.handle(request, response, exchange);
    } catch (Throwable t) {
      // Jetty fails its own callback, not ours, when a handler throws: its 500 is recorded here.
      exchange.end(500);
      throw t;
    }
    if (!handled) {
      // The context answers an unhandled request with a 404 through its own callback.
      exchange.end(404);
      return false;
    }
    exchange.afterDispatch();
    return true;
  }

  private @Nullable Exchange begin(Request request, Callback callback) {
    ServletContextRequest contextRequest = Request.as(request, ServletContextRequest.class);
    if (contextRequest == null) {
      return null;
    }
    HttpServletRequest servletRequest = contextRequest.getServletApiRequest();
    String path = Recording.path(servletRequest);
    if (recording.skips(path)) {
      return null;
    }
    // Timed from the request's arrival, as Jetty's own StatisticsHandler times it: that includes
    // parsing and the wait for a thread, and saves a clock read per request.
    long start = recording.startedAt(request.getBeginNanoTime());
    return new Exchange(
        servletRequest, contextRequest.getServletApiResponse(), path, callback, start);
  }

  /** One request in flight: Jetty's callback, wrapped to hear the request's completion. */
  private final class Exchange implements Callback {
    private static final AtomicIntegerFieldUpdater<Exchange> ENDED =
        AtomicIntegerFieldUpdater.newUpdater(Exchange.class, "ended");

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final String path;
    private final Callback callback;
    private final long start;
    private volatile int ended;
    private volatile Recording.@Nullable FirstDispatch first;

    Exchange(
        HttpServletRequest request,
        HttpServletResponse response,
        String path,
        Callback callback,
        long start) {
      this.request = request;
      this.response = response;
      this.path = path;
      this.callback = callback;
      this.start = start;
    }

    /**
     * After the first dispatch: an async request may be dispatched again before it completes, to an
     * error page that overwrites what this one matched, so that is kept now, as the filter does.
     */
    void afterDispatch() {
      if (ended != 0) {
        return; // completed during the dispatch, as sync requests usually are
      }
      try {
        if (request.isAsyncStarted()) {
          first = Recording.FirstDispatch.of(request);
        }
      } catch (RuntimeException e) {
        recording.internalError("KosmosJettyHandler.afterDispatch", e);
      }
    }

    @Override
    public void succeeded() {
      end(Recording.finalStatus(response, false));
      callback.succeeded();
    }

    @Override
    public void failed(Throwable failure) {
      // The client left or the write failed: the filter's rule for a dispatch that threw.
      end(Recording.finalStatus(response, true));
      callback.failed(failure);
    }

    @Override
    public InvocationType getInvocationType() {
      return callback.getInvocationType();
    }

    /** Records the request, the first time only. Never throws. */
    void end(int status) {
      if (ENDED.compareAndSet(this, 0, 1)) {
        recording.end(start, request, path, status, first);
      }
    }
  }
}
