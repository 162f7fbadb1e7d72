package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.LogCapture;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input matrix through the Vert.x handler: made-up methods, percent-encoded garbage, {@code
 * ..} segments and 10 KB URLs. Each request, sent three times to a fresh catalog, gets exactly the
 * response an uninstrumented twin router gives, drops nothing and leaks nothing of the raw path.
 */
class BadInputTest {

  record Case(String name, String method, String path) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("unknown method on a route for any method", "XFROB", "/tasks/1"),
        new Case("unknown method on a GET route", "XFROB", "/files/zzsecretzz"),
        new Case("10 KB method", "X".repeat(10 * 1024), "/tasks/1"),
        new Case("percent-encoded garbage", "GET", "/tasks/%C0%AE%FF%00zz"),
        new Case("percent-encoded garbage, no route", "GET", "/zzsecretzz/%C0%AE%FF"),
        new Case("dot-dot segments", "GET", "/a/../tasks/../tasks/7"),
        new Case("dot-dot above the root", "GET", "/../../etc/zzsecretzz"),
        new Case("10 KB URL", "GET", "/tasks/" + "y".repeat(10 * 1024)));
  }

  private static Vertx twinVertx;
  private static HttpServer twin;

  @BeforeAll
  static void startTwin() throws Exception {
    twinVertx = Vertx.vertx();
    Router router = Router.router(twinVertx);
    VertxApp.contractRoutes(router, twinVertx);
    VertxApp.vertxRoutes(router, twinVertx);
    twin =
        twinVertx
            .createHttpServer()
            .requestHandler(router)
            .listen(0, "127.0.0.1")
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopTwin() throws Exception {
    twinVertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static HttpResponse<String> send(URI base, Case bad) throws Exception {
    // A fresh client per request: Vert.x closes the connection after rejecting some of these
    // requests, and a pooled connection could be reused in the moment before the close arrives.
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    return client.send(
        HttpRequest.newBuilder(URI.create(base + bad.path()))
            .method(bad.method(), HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputLeavesTheResponseAloneAndLeaksNothing(Case bad) throws Exception {
    HttpResponse<String> expected = send(URI.create("http://127.0.0.1:" + twin.actualPort()), bad);
    PrometheusRegistry registry = new PrometheusRegistry();
    try (LogCapture log = LogCapture.start();
        VertxApp app = VertxApp.start(KosmosMetrics.builder().registry(registry).build())) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response = send(app.baseUri(), bad);
        assertThat(response.statusCode()).isEqualTo(expected.statusCode());
        assertThat(response.body()).isEqualTo(expected.body());
      }
      Exposition scrape = Exposition.scrape(registry);
      assertThat(scrape.sum("kosmos_metrics_dropped_total")).isZero();
      assertThat(log.messages()).isEmpty();
      assertThat(scrape.value("active_connections", "agent", "contract")).isZero();
      assertThat(scrape.text()).doesNotContain("zzsecretzz", "yyyyyyyyyy", "XXXXXXXXXX", "%C0");
      assertThat(scrape.labelValues("http_requests_total", "endpoint"))
          .allMatch(e -> e.length() <= 256);
    }
  }
}
