package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.LogCapture;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where {@link KosmosVertxMetrics#install} answers {@code /metrics}: from its first route, before
 * any route of the application, matched as Vert.x matches a route's path.
 */
class MetricsPathTest {

  private static final String AGENT = "athena";

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private Vertx vertx;
  private int port;

  @AfterEach
  void stop() throws Exception {
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private void serve(Consumer<Router> routes) throws Exception {
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Router router = Router.router(vertx);
    routes.accept(router);
    port = listen(router);
  }

  /** Serves {@code router} on a port of its own on loopback, and returns that port. */
  private int listen(Router router) throws Exception {
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0))
            .requestHandler(router)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return server.actualPort();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** A request whose path the JDK client would not send as is; returns the status line. */
  private String rawGet(String path) throws Exception {
    return rawGet(port, path);
  }

  private static String rawGet(int port, String path) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket
          .getOutputStream()
          .write(
              ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return response.substring(0, response.indexOf("\r\n"))
          + (response.contains("# TYPE active_connections gauge") ? " exposition" : " other");
    }
  }

  /** {@code http_requests_total} of GET requests to {@code endpoint} answered {@code status}. */
  private static double getRequests(Exposition exposition, String endpoint, String status) {
    return exposition.value(
        "http_requests_total",
        "method",
        "GET",
        "endpoint",
        endpoint,
        "status",
        status,
        "agent",
        AGENT);
  }

  @Test
  void aCatchAllRouteAddedBeforeInstallDoesNotAnswerMetrics() throws Exception {
    serve(
        router -> {
          router.route().handler(ctx -> ctx.response().end("catch-all"));
          KosmosVertxMetrics.install(router, metrics, AGENT);
        });

    assertThat(get("/tasks/1").body()).isEqualTo("catch-all");
    HttpResponse<String> scrape = get("/metrics");

    assertThat(scrape.statusCode()).isEqualTo(200);
    Exposition exposition = Exposition.parse(scrape.body());
    // The catch-all has no path: its request is unmatched; the scrape itself is not recorded.
    assertThat(exposition.labelValues("http_requests_total", "endpoint"))
        .containsExactly("unmatched");
    assertThat(exposition.sum("http_requests_total")).isEqualTo(1);
    assertThat(exposition.value("active_connections", "agent", AGENT)).isZero();
  }

  @Test
  void metricsIsMatchedOnTheNormalisedPathAsARouteIs() throws Exception {
    serve(
        router -> {
          KosmosVertxMetrics.install(router, metrics, AGENT);
          router.route().handler(ctx -> ctx.response().setStatusCode(404).end("no route"));
        });

    assertThat(rawGet("/metrics")).isEqualTo("HTTP/1.1 200 OK exposition");
    assertThat(rawGet("/metrics/")).isEqualTo("HTTP/1.1 200 OK exposition");
    assertThat(rawGet("//metrics")).isEqualTo("HTTP/1.1 200 OK exposition");
    assertThat(rawGet("/tasks/../metrics")).isEqualTo("HTTP/1.1 200 OK exposition");
    assertThat(rawGet("/metricsx")).isEqualTo("HTTP/1.1 404 Not Found other");
    assertThat(rawGet("/metrics/x")).isEqualTo("HTTP/1.1 404 Not Found other");

    Exposition exposition = Exposition.parse(get("/metrics").body());
    assertThat(exposition.sum("http_requests_total")).isEqualTo(2);
    assertThat(exposition.value("active_connections", "agent", AGENT)).isZero();
  }

  @Test
  @ExpectedLog(
      logger = "io.vertx.ext.web",
      level = "SEVERE",
      contains = "Unhandled exception in router")
  void aMalformedEscapeIsAnsweredAsWithoutKosmosAndLogsNothing() throws Exception {
    Consumer<Router> tasks = router -> router.get("/tasks/:id").handler(ctx -> ctx.end("task"));
    try (LogCapture log = LogCapture.start()) {
      serve(
          router -> {
            KosmosVertxMetrics.install(router, metrics, AGENT);
            tasks.accept(router);
          });
      Router plain = Router.router(vertx);
      tasks.accept(plain);
      int twin = listen(plain);

      for (String path : new String[] {"/tasks/%zz", "/metrics%2", "/%"}) {
        assertThat(rawGet(path)).as(path).isEqualTo(rawGet(twin, path));
      }

      Exposition exposition = Exposition.parse(get("/metrics").body());
      assertThat(exposition.sum("http_requests_total")).isEqualTo(3);
      // Vert.x answers 400; as for any request that failed before a route answered, the raw path
      // is matched again against the templates: /tasks/%zz is /tasks/{id}, the others none.
      assertThat(getRequests(exposition, "/tasks/{id}", "400")).isEqualTo(1);
      assertThat(getRequests(exposition, "unmatched", "400")).isEqualTo(2);
      assertThat(exposition.value("active_connections", "agent", AGENT)).isZero();
      assertThat(log.messages()).isEmpty();
    }
  }

  @Test
  void onASubRouterMetricsIsBelowItsMountPoint() throws Exception {
    serve(
        root -> {
          Router api = Router.router(vertx);
          KosmosVertxMetrics.install(api, metrics, AGENT);
          api.get("/tasks/:id").handler(ctx -> ctx.response().end("task"));
          root.route("/api/*").subRouter(api);
        });

    assertThat(get("/api/tasks/1").body()).isEqualTo("task");
    assertThat(get("/metrics").statusCode()).isEqualTo(404);
    HttpResponse<String> scrape = get("/api/metrics");

    assertThat(scrape.statusCode()).isEqualTo(200);
    Exposition exposition = Exposition.parse(scrape.body());
    assertThat(exposition.sum("http_requests_total")).isEqualTo(1);
    assertThat(exposition.value("active_connections", "agent", AGENT)).isZero();
  }
}
