package io.kosmos.metrics.vertx;

import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.testsupport.HttpAdapterContract;
import io.kosmos.metrics.testsupport.HttpAdapterHardeningContract;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A real Vert.x 5 HTTP server on port 0 with the contract's fixture routes, instrumented with
 * {@link KosmosVertxMetrics#install}; its request handler reports each request to {@link
 * HttpAdapterContract#arrived} before the router takes it. Public so that a test comparing the
 * servlet and Vert.x adapters can reuse the route setup ({@link #contractRoutes}).
 */
public final class VertxApp implements HttpAdapterContract.App {

  private final Vertx vertx;
  private final HttpServer server;

  private VertxApp(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /** The contract fixture on one event loop, recording with agent {@code contract}. */
  public static VertxApp start(KosmosMetrics metrics) throws Exception {
    return start(metrics, HttpAdapterContract.AGENT, new HttpServerOptions());
  }

  /**
   * The contract fixture on one event loop, recording with agent {@code contract} through a
   * recorder with {@code maxPathEndpoints} set: the two pieces that {@link
   * KosmosVertxMetrics#install} puts together, with a recorder of the application's own.
   */
  public static VertxApp start(KosmosMetrics metrics, int maxPathEndpoints) throws Exception {
    HttpRecorder recorder =
        HttpRecorder.builder(metrics)
            .agent(HttpAdapterContract.AGENT)
            .maxPathEndpoints(maxPathEndpoints)
            .build();
    return start(
        new VertxOptions().setEventLoopPoolSize(1),
        new HttpServerOptions(),
        router -> {
          KosmosMetricsHandler.builder(recorder)
              .ignorePath(KosmosVertxMetrics.METRICS_PATH)
              .installOn(router);
          router
              .route(KosmosVertxMetrics.METRICS_PATH)
              .handler(MetricsHandler.create(metrics.registry()));
        });
  }

  /** The contract fixture plus the Vert.x-specific routes, with the given server options. */
  public static VertxApp start(KosmosMetrics metrics, String agent, HttpServerOptions options)
      throws Exception {
    return start(metrics, agent, new VertxOptions().setEventLoopPoolSize(1), options);
  }

  /** As {@link #start(KosmosMetrics, String, HttpServerOptions)}, with the given Vert.x options. */
  public static VertxApp start(
      KosmosMetrics metrics, String agent, VertxOptions vertxOptions, HttpServerOptions options)
      throws Exception {
    return start(
        vertxOptions, options, router -> KosmosVertxMetrics.install(router, metrics, agent));
  }

  private static VertxApp start(
      VertxOptions vertxOptions, HttpServerOptions options, Consumer<Router> instrument)
      throws Exception {
    Vertx vertx = Vertx.vertx(vertxOptions);
    try {
      Router router = Router.router(vertx);
      instrument.accept(router);
      contractRoutes(router, vertx);
      vertxRoutes(router, vertx);
      HttpServer server =
          vertx
              .createHttpServer(options.setPort(0).setHost("127.0.0.1"))
              .requestHandler(
                  request -> {
                    HttpAdapterContract.arrived(request.method().name(), request.uri());
                    router.handle(request);
                  })
              .listen()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      return new VertxApp(vertx, server);
    } catch (Exception | Error e) {
      vertx.close();
      throw e;
    }
  }

  /** The routes of {@link HttpAdapterContract}'s fixture, as a Vert.x application writes them. */
  public static void contractRoutes(Router router, Vertx vertx) {
    // Before every route, as an authentication handler or a catch-all on router.route() does.
    router.route().handler(VertxApp::answerBeforeRouting);
    router.route("/tasks/:id").handler(ctx -> ctx.end("task " + ctx.pathParam("id")));
    router
        .get("/boom")
        .handler(
            ctx -> {
              throw new IllegalStateException("boom");
            });
    router.get("/async").handler(ctx -> vertx.setTimer(5, timer -> ctx.end("done")));
    router
        .get("/stream")
        .handler(
            ctx -> {
              ctx.response().setChunked(true);
              stream(ctx, HttpAdapterContract.STREAM_CHUNKS);
            });
    router
        .post("/upload")
        .handler(
            ctx ->
                ctx.request()
                    .body()
                    .onSuccess(body -> ctx.end("read " + body.length()))
                    .onFailure(ctx::fail));
    // A route without a template: what it records comes from its regex, never the raw path.
    router.routeWithRegex(HttpMethod.GET, "/files/.*").handler(ctx -> ctx.end("file"));
  }

  /**
   * Answers a request with {@link HttpAdapterHardeningContract#ANSWER_HEADER} itself, with that
   * status; passes any other on to the routes.
   */
  private static void answerBeforeRouting(RoutingContext ctx) {
    String answer = ctx.request().getHeader(HttpAdapterHardeningContract.ANSWER_HEADER);
    if (answer == null) {
      ctx.next();
      return;
    }
    int status = Integer.parseInt(answer);
    HttpServerResponse response = ctx.response().setStatusCode(status);
    if (status == 302) {
      response.putHeader("Location", "/login");
    } else if (status == 401) {
      response.putHeader("WWW-Authenticate", "Bearer");
    }
    response.end(HttpAdapterHardeningContract.ANSWERED_BEFORE_ROUTING);
  }

  /** Writes chunks while the connection takes them, waiting for a drain when its queue is full. */
  private static void stream(RoutingContext ctx, int remaining) {
    HttpServerResponse response = ctx.response();
    int left = remaining;
    while (left > 0 && !response.closed() && !response.writeQueueFull()) {
      response.write(Buffer.buffer(new byte[8 * 1024]));
      left--;
    }
    if (response.closed()) {
      return;
    }
    if (left == 0) {
      response.end();
    } else {
      int rest = left;
      response.drainHandler(drained -> stream(ctx, rest));
    }
  }

  /** What {@code /own-failure} throws: the application's own exception. */
  static final IllegalStateException OWN_FAILURE = new IllegalStateException("the app's own");

  /** What the failure handler of {@code /own-failure} was given. */
  static final AtomicReference<Throwable> SEEN_FAILURE = new AtomicReference<>();

  /** Routes for the Vert.x-specific cases: failures, sub-routers, regex routes. */
  static void vertxRoutes(Router router, Vertx vertx) {
    router
        .get("/own-failure")
        .handler(
            ctx -> {
              throw OWN_FAILURE;
            })
        .failureHandler(
            ctx -> {
              SEEN_FAILURE.set(ctx.failure());
              ctx.response().setStatusCode(500).end("own");
            });
    router.get("/fail/:code").handler(ctx -> ctx.fail(Integer.parseInt(ctx.pathParam("code"))));
    router.get("/fail-exception").handler(ctx -> ctx.fail(new RuntimeException("failed")));
    router.get("/later/fail/:id").handler(ctx -> vertx.setTimer(5, timer -> ctx.fail(503)));
    router
        .get("/teapot")
        .handler(ctx -> ctx.fail(new IllegalArgumentException("no coffee")))
        .failureHandler(ctx -> ctx.response().setStatusCode(418).end("teapot"));

    router.get("/blocking/:id").blockingHandler(ctx -> ctx.end("blocking " + ctx.pathParam("id")));
    // A route with a path that passes the request on: the route that answers names it.
    router.get("/docs/*").handler(ctx -> ctx.put("seen", true).next());
    router.get("/docs/:page").handler(ctx -> ctx.end("page " + ctx.pathParam("page")));
    // A route that sends the request through the router again, to another path.
    router.get("/moved").handler(ctx -> ctx.reroute("/docs/moved"));
    router
        .get("/moved-later")
        .handler(ctx -> vertx.setTimer(2, timer -> ctx.reroute("/docs/later")));
    // A templated route that passes the request on later, to one that answers later still.
    router.get("/guide/*").handler(ctx -> vertx.setTimer(2, timer -> ctx.next()));
    router
        .get("/guide/:page")
        .handler(ctx -> vertx.setTimer(2, timer -> ctx.end("guide " + ctx.pathParam("page"))));

    Router admin = Router.router(vertx);
    admin.get("/users/:user").handler(ctx -> ctx.end("user " + ctx.pathParam("user")));
    Router api = Router.router(vertx);
    api.get("/items/:id").handler(ctx -> ctx.end("item " + ctx.pathParam("id")));
    api.get("/broken/:id")
        .handler(
            ctx -> {
              throw new IllegalStateException("broken");
            });
    api.route("/admin/*").subRouter(admin);
    router.route("/api/v1/*").subRouter(api);

    router.routeWithRegex(HttpMethod.GET, "/regex/[0-9]+").handler(ctx -> ctx.end("regex"));
    router
        .routeWithRegex(HttpMethod.GET, "/reports/([a-z]+)")
        .setName("/reports/{kind}")
        .handler(ctx -> ctx.end("report"));
    router
        .routeWithRegex(HttpMethod.GET, "/long/(" + "a|".repeat(150) + "b)")
        .handler(ctx -> ctx.end("long"));
  }

  @Override
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  /** The Vert.x instance serving the app. */
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
