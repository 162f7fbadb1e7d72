package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.CapturedLogs;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsAccess;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Vert.x {@code /metrics} route: authentication and GET/HEAD only. */
class MetricsProtectionTest {

  private static final String TOKEN = "kosmos-vertx-token-1234";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private URI base;

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private void start(MetricsAccess access) throws Exception {
    Router router = Router.router(vertx);
    if (access == null) {
      KosmosVertxMetrics.install(router, metrics, "athena");
    } else {
      KosmosVertxMetrics.install(router, metrics, "athena", access);
    }
    VertxApp.contractRoutes(router, vertx);
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setPort(0).setHost("127.0.0.1"))
            .requestHandler(router)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    base = URI.create("http://127.0.0.1:" + server.actualPort());
    assertThat(send("GET", "/tasks/1").statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertScrape(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(
            Exposition.parse(response.body())
                .value("http_requests_total", "endpoint", "/tasks/{id}", "status", "200"))
        .isEqualTo(1);
  }

  @Test
  void aBearerTokenIsRequiredAndTheRightOneServesTheScrape() throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));

    HttpResponse<String> missing = send("GET", "/metrics");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"metrics\"");
    assertThat(missing.body()).doesNotContain("http_requests_total");

    HttpResponse<String> wrong = send("GET", "/metrics", "Authorization", "Bearer wrong");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"metrics\"");

    assertScrape(send("GET", "/metrics", "Authorization", "Bearer " + TOKEN));
  }

  @Test
  void basicAuthenticationAcceptsTheRightUserAndPasswordOnly() throws Exception {
    start(MetricsAccess.basic("prometheus", "hunter2"));
    String right =
        Base64.getEncoder().encodeToString("prometheus:hunter2".getBytes(StandardCharsets.UTF_8));
    String wrong =
        Base64.getEncoder().encodeToString("prometheus:hunter3".getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> refused = send("GET", "/metrics", "Authorization", "Basic " + wrong);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"metrics\", charset=\"UTF-8\"");
    assertScrape(send("GET", "/metrics", "Authorization", "Basic " + right));
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
  void onlyGetAndHeadAreAllowed(String method) throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));
    HttpResponse<String> response = send(method, "/metrics", "Authorization", "Bearer " + TOKEN);
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @ParameterizedTest
  @ValueSource(strings = {"identity", "gzip"})
  void headAnswersTheHeadersOfGetWithoutABody(String encoding) throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));
    HttpResponse<String> head =
        send("HEAD", "/metrics", "Authorization", "Bearer " + TOKEN, "Accept-Encoding", encoding);
    HttpResponse<byte[]> get =
        client.send(
            HttpRequest.newBuilder(base.resolve("/metrics"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Accept-Encoding", encoding)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(get.body()).isNotEmpty();
    assertThat(head.headers().firstValue("Content-Type"))
        .isEqualTo(get.headers().firstValue("Content-Type"))
        .isPresent();
    assertThat(head.headers().firstValue("Content-Encoding"))
        .isEqualTo(get.headers().firstValue("Content-Encoding"));
    assertThat(head.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(get.body().length));
    assertThat(send("HEAD", "/metrics").statusCode()).isEqualTo(401);
  }

  @Test
  void openByDefaultButStillGetAndHeadOnly() throws Exception {
    start(null);
    assertScrape(send("GET", "/metrics"));
    assertThat(send("HEAD", "/metrics").statusCode()).isEqualTo(200);
    HttpResponse<String> post = send("POST", "/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void theCredentialNeverAppearsInLogs() throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));
    try (CapturedLogs logs = CapturedLogs.capture()) {
      assertThat(send("GET", "/metrics", "Authorization", "Bearer " + TOKEN + "x").statusCode())
          .isEqualTo(401);
      assertScrape(send("GET", "/metrics", "Authorization", "Bearer " + TOKEN));
      assertThat(logs.text(Level.ALL)).doesNotContain(TOKEN);
    }
  }

  @Test
  void aNullAccessIsRefused() {
    Router router = Router.router(vertx);
    assertThatThrownBy(() -> KosmosVertxMetrics.install(router, metrics, "athena", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("access must not be null");
    assertThatThrownBy(() -> MetricsHandler.create(registry, (MetricsAccess) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("access must not be null");
    assertThat(router.getRoutes()).isEmpty();
  }
}
