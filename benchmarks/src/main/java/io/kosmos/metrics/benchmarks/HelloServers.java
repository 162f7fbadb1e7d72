package io.kosmos.metrics.benchmarks;

import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.servlet.KosmosJettyHandler;
import io.kosmos.metrics.servlet.KosmosMetricsFilter;
import io.kosmos.metrics.vertx.KosmosMetricsHandler;
import io.kosmos.metrics.vertx.KosmosVertxMetrics;
import io.kosmos.metrics.vertx.MetricsHandler;
import io.micrometer.core.instrument.Tags;
import io.micrometer.jetty12.server.TimedHandler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.micrometer.VertxPrometheusOptions;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.jspecify.annotations.Nullable;

/**
 * A hello-world endpoint, {@code GET /hello/{name}}, in embedded Jetty 12 (ee11) or Vert.x 5:
 * plain, instrumented the way the README tells users to, or instrumented by the Micrometer peer a
 * user would install instead; {@code http-overhead.sh} drives it with {@code wrk}. Prints {@code
 * port=<port>} once listening on loopback, then serves until killed.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.kosmos.metrics.benchmarks.HelloServers vertx instrumented
 * java -cp benchmarks/target/benchmarks.jar io.kosmos.metrics.benchmarks.HelloServers jetty micrometer
 * }</pre>
 *
 * <p>Instrumented Jetty has {@link KosmosJettyHandler#install} (the handler and the kosmos metrics
 * servlet on {@code /metrics}); the {@code filter} variant has the {@link KosmosMetricsFilter} on
 * {@code /*} and the client's metrics servlet on {@code /metrics}, as any other servlet container
 * would. Instrumented Vert.x has {@link KosmosVertxMetrics#install}. All record into a fresh
 * registry with agent {@code bench}. The {@code micrometer} variant: Jetty wrapped in
 * micrometer-jetty12's {@link TimedHandler} (default tags: method, status, outcome) recording into
 * a {@link PrometheusMeterRegistry} served on {@code /metrics}; Vert.x with
 * vertx-micrometer-metrics' {@link MicrometerMetricsFactory}, its Prometheus backend, the default
 * labels plus {@link Label#HTTP_ROUTE}, and {@link PrometheusScrapingHandler} on {@code /metrics}.
 * The {@code passthrough} variant measures an extension point itself: Jetty with a filter on {@code
 * /*} that only calls the chain, Vert.x with a first route whose handler only calls {@code
 * ctx.next()}, where kosmos installs its own. The {@code metrics-spi} variant (Vert.x) records
 * through Vert.x's metrics SPI instead of a route; {@code route-scrape} (Vert.x) has kosmos'
 * handler with {@code /metrics} on a route of its own. Seven Jetty variants take {@link
 * KosmosJettyHandler} apart: {@code hook-empty}, an empty handler where it goes; {@code hook-wrap},
 * the same handing Jetty a callback of its own that only delegates; {@code probe-inner}, that
 * handler recording every request through {@link HttpRecorder} as {@code GET /hello/*} (no route
 * read from the request); {@code probe-outer}, the same around the context instead of inside it;
 * {@code probe-atomics}, {@code probe-clocks} and {@code probe-begin}, a recording's raw atomic
 * adds and clock reads alone ({@link CostProbe}). An optional third argument sets the port (default
 * 0, any free port).
 *
 * <p>Several variants, comma-separated ({@code plain,instrumented,micrometer}), are served by one
 * JVM, each by a server of its own (its own Jetty {@code Server} and thread pool, or its own {@code
 * Vertx} with one event loop) with a registry of its own on a free port; their {@code port=} lines
 * come in the order given. The ways then share the JIT's code, the heap and the collector, so a
 * comparison between them is free of the differences between JVMs.
 */
public final class HelloServers {

  private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);

  private HelloServers() {}

  public static void main(String[] args) throws Exception {
    String usage =
        "usage: HelloServers jetty plain|instrumented|filter|micrometer|passthrough|hook-empty"
            + "|hook-wrap|probe-inner|probe-outer|probe-atomics|probe-clocks|probe-begin [port]\n"
            + "       HelloServers vertx plain|instrumented|micrometer|passthrough|metrics-spi|route-scrape [port]\n"
            + "       HelloServers jetty|vertx <variant>,<variant>[,...] (one JVM, any free ports)";
    if (args.length < 2
        || !(args[0].equals("jetty") || args[0].equals("vertx"))
        || args.length > 2 && args[1].contains(",")) {
      System.err.println(usage);
      System.exit(2);
    }
    boolean jetty = args[0].equals("jetty");
    String[] variants = args[1].split(",", -1);
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    List<AutoCloseable> servers = new ArrayList<>();
    for (String variant : variants) {
      AutoCloseable server = serve(jetty, variant, port);
      if (server == null) {
        System.err.println(usage);
        System.exit(2);
      }
      servers.add(server);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (AutoCloseable server : servers) {
                    try {
                      server.close();
                    } catch (Exception e) {
                      e.printStackTrace();
                    }
                  }
                  stopped.countDown();
                }));
    stopped.await();
  }

  /**
   * One way of a server, with a registry of its own; null for a variant this server does not have.
   */
  private static @Nullable AutoCloseable serve(boolean jetty, String variant, int port)
      throws Exception {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
    return switch (variant) {
      case "plain" -> jetty ? serveJetty(helloContext(), port) : vertx(metrics, false, port);
      case "instrumented" -> jetty ? jettyHandler(metrics, port) : vertx(metrics, true, port);
      case "filter" -> jetty ? jettyFilter(metrics, port) : null;
      case "micrometer" -> jetty ? jettyMicrometer(port) : vertxMicrometer(port);
      case "passthrough" -> jetty ? jettyPassthrough(port) : vertxPassthrough(port);
      case "probe-outer" -> jetty ? jettyProbe(metrics, false, port) : null;
      case "probe-inner" -> jetty ? jettyProbe(metrics, true, port) : null;
      case "hook-empty" -> jetty ? jettyHook(false, port) : null;
      case "hook-wrap" -> jetty ? jettyHook(true, port) : null;
      case "probe-atomics" -> jetty ? jettyCost(CostProbe.Clock.NONE, port) : null;
      case "probe-clocks" -> jetty ? jettyCost(CostProbe.Clock.TWICE, port) : null;
      case "probe-begin" -> jetty ? jettyCost(CostProbe.Clock.BEGIN, port) : null;
      case "metrics-spi" -> jetty ? null : vertxMetricsSpi(metrics, port);
      case "route-scrape" -> jetty ? null : vertxRouteScrape(metrics, port);
      default -> null;
    };
  }

  /** Jetty as the README tells embedded Jetty users: {@link KosmosJettyHandler#install}. */
  private static AutoCloseable jettyHandler(KosmosMetrics metrics, int port) throws Exception {
    ServletContextHandler context = helloContext();
    KosmosJettyHandler.install(context, KosmosMetricsFilter.builder(metrics).agent("bench"));
    return serveJetty(context, port);
  }

  /** Jetty as other servlet containers are instrumented: {@link KosmosMetricsFilter} on /*. */
  private static AutoCloseable jettyFilter(KosmosMetrics metrics, int port) throws Exception {
    ServletContextHandler context = helloContext();
    filterAll(context, KosmosMetricsFilter.builder(metrics).agent("bench").build());
    context.addServlet(
        new ServletHolder(new PrometheusMetricsServlet(metrics.registry())), "/metrics");
    return serveJetty(context, port);
  }

  /**
   * Vert.x with a probe of its metrics SPI ({@link VertxMetricsSpiProbe}) instead of a first route:
   * what observing requests from the server itself would cost.
   */
  private static AutoCloseable vertxMetricsSpi(KosmosMetrics metrics, int port) throws Exception {
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventLoopPoolSize(1))
            .withMetrics(
                VertxMetricsSpiProbe.factory(HttpRecorder.builder(metrics).agent("bench").build()))
            .build();
    Router router = Router.router(vertx);
    router.route("/metrics").handler(MetricsHandler.create(metrics.registry()));
    return serveHello(vertx, router, port);
  }

  private static AutoCloseable vertx(KosmosMetrics metrics, boolean instrumented, int port)
      throws Exception {
    // One event loop: the script pins the server to one core.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Router router = Router.router(vertx);
    if (instrumented) {
      KosmosVertxMetrics.install(router, metrics, "bench");
    }
    return serveHello(vertx, router, port);
  }

  /**
   * Vert.x with kosmos' handler and {@code /metrics} on a route of its own, which every other
   * request then matches too: how {@link KosmosVertxMetrics#install} served it before it answered
   * {@code /metrics} from its first route.
   */
  private static AutoCloseable vertxRouteScrape(KosmosMetrics metrics, int port) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Router router = Router.router(vertx);
    KosmosMetricsHandler.builder(metrics.http("bench")).ignorePath("/metrics").installOn(router);
    router.route("/metrics").handler(MetricsHandler.create(metrics.registry()));
    return serveHello(vertx, router, port);
  }

  /**
   * Jetty with {@link FixedTemplateProbe}: recording through {@link HttpRecorder} with a fixed
   * template, around the context ({@code inner} false) or where {@link KosmosJettyHandler} goes.
   */
  private static AutoCloseable jettyProbe(KosmosMetrics metrics, boolean inner, int port)
      throws Exception {
    ServletContextHandler context = helloContext();
    FixedTemplateProbe probe = new FixedTemplateProbe(metrics.http("bench"));
    if (inner) {
      context.insertHandler(probe);
      return serveJetty(context, port);
    }
    probe.setHandler(context);
    return serveJetty(probe, port);
  }

  /**
   * Jetty with an empty {@link Handler.Wrapper} where {@link KosmosJettyHandler} goes, handing on
   * Jetty's callback ({@code wrap} false) or a callback of its own that only delegates.
   */
  private static AutoCloseable jettyHook(boolean wrap, int port) throws Exception {
    ServletContextHandler context = helloContext();
    context.insertHandler(
        new Handler.Wrapper() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            if (!wrap) {
              return super.handle(request, response, callback);
            }
            return super.handle(request, response, new Delegating(callback));
          }
        });
    return serveJetty(context, port);
  }

  /** Jetty with a {@link CostProbe} where {@link KosmosJettyHandler} goes. */
  private static AutoCloseable jettyCost(CostProbe.Clock clock, int port) throws Exception {
    ServletContextHandler context = helloContext();
    context.insertHandler(new CostProbe(clock));
    return serveJetty(context, port);
  }

  /**
   * The raw operations of one recording and nothing else: the six atomic adds {@link
   * KosmosJettyHandler} makes (in flight +1 at the start; at the end a count, a bucket, a sum, in
   * flight -1 and the exchange's end flag), on one static array, with the clock read as {@link
   * Clock} says. What a recording costs in a live server before any of kosmos' own work.
   */
  static final class CostProbe extends Handler.Wrapper {
    /** How the probe reads the clock. */
    enum Clock {
      /** Never: the atomic adds alone. */
      NONE,
      /** At the start and at the end, as {@link HttpRecorder#start()} and {@code end} do. */
      TWICE,
      /** At the end only, from Jetty's {@code Request.getBeginNanoTime()}. */
      BEGIN
    }

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long[] CELLS = new long[64];
    private final Clock clock;

    CostProbe(Clock clock) {
      this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      long start =
          switch (clock) {
            case NONE -> 0L;
            case TWICE -> System.nanoTime();
            case BEGIN -> request.getBeginNanoTime();
          };
      LONGS.getAndAdd(CELLS, 32, 1L);
      return super.handle(
          request,
          response,
          new Delegating(callback) {
            @Override
            public void succeeded() {
              long nanos = clock == Clock.NONE ? 1000L : System.nanoTime() - start;
              LONGS.getAndAdd(CELLS, 40, 1L);
              LONGS.getAndAdd(CELLS, 8, 1L);
              LONGS.getAndAdd(CELLS, 9, 1L);
              LONGS.getAndAdd(CELLS, 10, nanos);
              LONGS.getAndAdd(CELLS, 32, -1L);
              super.succeeded();
            }
          });
    }
  }

  /** Records every request as {@code GET /hello/*}: the handler's cost without reading a route. */
  static final class FixedTemplateProbe extends Handler.Wrapper {
    private final HttpRecorder recorder;

    FixedTemplateProbe(HttpRecorder recorder) {
      this.recorder = recorder;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      long start = recorder.start();
      String method = request.getMethod();
      return super.handle(
          request,
          response,
          new Delegating(callback) {
            @Override
            public void succeeded() {
              recorder.end(start, method, "/hello/*", null, response.getStatus());
              super.succeeded();
            }

            @Override
            public void failed(Throwable x) {
              recorder.end(start, method, "/hello/*", null, 500);
              super.failed(x);
            }
          });
    }
  }

  /** A callback that only hands each call on to Jetty's. */
  static class Delegating implements Callback {
    private final Callback callback;

    Delegating(Callback callback) {
      this.callback = callback;
    }

    @Override
    public void succeeded() {
      callback.succeeded();
    }

    @Override
    public void failed(Throwable x) {
      callback.failed(x);
    }

    @Override
    public InvocationType getInvocationType() {
      return callback.getInvocationType();
    }
  }

  /** Jetty with a filter that does nothing but call the chain, mapped as kosmos' filter is. */
  private static AutoCloseable jettyPassthrough(int port) throws Exception {
    ServletContextHandler context = helloContext();
    filterAll(context, (req, res, chain) -> chain.doFilter(req, res));
    return serveJetty(context, port);
  }

  /** Vert.x with a first route that does nothing but pass the request on, where kosmos' goes. */
  private static AutoCloseable vertxPassthrough(int port) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Router router = Router.router(vertx);
    router.route().order(Integer.MIN_VALUE).handler(RoutingContext::next);
    return serveHello(vertx, router, port);
  }

  /** Jetty wrapped in Micrometer's Jetty 12 server instrumentation, as its docs set it up. */
  private static AutoCloseable jettyMicrometer(int port) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServletContextHandler context = helloContext();
    context.addServlet(new ServletHolder(new MicrometerScrape(registry)), "/metrics");
    TimedHandler timed = new TimedHandler(registry, Tags.empty());
    timed.setHandler(context);
    return serveJetty(timed, port);
  }

  /** A context with the hello servlet on {@code /hello/*}, the same in every Jetty way. */
  private static ServletContextHandler helloContext() {
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Hello()), "/hello/*");
    return context;
  }

  /** Maps {@code filter} on {@code /*} for REQUEST dispatches, async supported, as users do. */
  private static void filterAll(ServletContextHandler context, Filter filter) {
    FilterHolder holder = new FilterHolder(filter);
    holder.setAsyncSupported(true);
    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
  }

  /** Serves {@code handler} on loopback with one connector and prints the port. */
  private static AutoCloseable serveJetty(Handler handler, int port) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    listening(connector.getLocalPort());
    return server::stop;
  }

  /** Vert.x with vertx-micrometer-metrics, Prometheus backend, route labels on. */
  private static AutoCloseable vertxMicrometer(int port) throws Exception {
    MicrometerMetricsOptions metricsOptions =
        new MicrometerMetricsOptions()
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
            .addLabels(Label.HTTP_ROUTE)
            .setEnabled(true);
    Vertx vertx =
        Vertx.builder()
            .with(new VertxOptions().setEventLoopPoolSize(1).setMetricsOptions(metricsOptions))
            .withMetrics(new MicrometerMetricsFactory())
            .build();
    Router router = Router.router(vertx);
    router.route("/metrics").handler(PrometheusScrapingHandler.create());
    return serveHello(vertx, router, port);
  }

  /** Adds the hello route to {@code router}, serves it on loopback and prints the port. */
  private static AutoCloseable serveHello(Vertx vertx, Router router, int port) throws Exception {
    router
        .get("/hello/:name")
        .handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("hello\n"));
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
            .requestHandler(router)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    listening(server.actualPort());
    return () -> vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void listening(int port) {
    System.out.println("port=" + port);
    System.out.flush();
  }

  /** Micrometer's Prometheus scrape (text 0.0.4) on {@code /metrics}. */
  static final class MicrometerScrape extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient PrometheusMeterRegistry registry;

    MicrometerScrape(PrometheusMeterRegistry registry) {
      this.registry = registry;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain; version=0.0.4; charset=utf-8");
      registry.scrape(resp.getOutputStream());
    }
  }

  /** The hello-world servlet. */
  static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.setContentLength(HELLO.length);
      resp.getOutputStream().write(HELLO);
    }
  }
}
