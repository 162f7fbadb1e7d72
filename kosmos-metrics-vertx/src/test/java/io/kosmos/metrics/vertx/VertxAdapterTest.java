package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.http.HttpServerOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Vert.x-specific behaviour beyond the shared contract, on a real server on port 0. */
class VertxAdapterTest {

  private static final String AGENT = "athena";

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private PrometheusRegistry registry;
  private VertxApp app;

  @BeforeEach
  void startApp() throws Exception {
    registry = new PrometheusRegistry();
    app =
        VertxApp.start(
            KosmosMetrics.builder().registry(registry).build(), AGENT, new HttpServerOptions());
  }

  @AfterEach
  void stopApp() throws Exception {
    app.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(app.baseUri().resolve(URI.create(path)))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Exposition scrape() throws Exception {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return Exposition.parse(response.body());
  }

  private double requests(String endpoint, String status) throws Exception {
    return scrape()
        .value(
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
  @ExpectedLog(
      logger = "io.vertx.ext.web",
      level = "SEVERE",
      contains = "Unhandled exception in router")
  void failWithAStatusIsRecordedWithThatStatusAndTheRouteTemplate() throws Exception {
    assertThat(get("/fail/503").statusCode()).isEqualTo(503);
    assertThat(get("/fail/409").statusCode()).isEqualTo(409);

    assertThat(requests("/fail/{code}", "503")).isEqualTo(1);
    assertThat(requests("/fail/{code}", "409")).isEqualTo(1);
  }

  @Test
  @ExpectedLog(
      logger = "io.vertx.ext.web",
      level = "SEVERE",
      contains = "Unhandled exception in router")
  void failWithAnExceptionIsRecordedAs500() throws Exception {
    assertThat(get("/fail-exception").statusCode()).isEqualTo(500);

    assertThat(requests("/fail-exception", "500")).isEqualTo(1);
  }

  @Test
  void theApplicationsFailureHandlerGetsTheVeryExceptionItsHandlerThrew() throws Exception {
    VertxApp.SEEN_FAILURE.set(null);
    HttpResponse<String> response = get("/own-failure");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("own");
    assertThat(VertxApp.SEEN_FAILURE.get()).isSameAs(VertxApp.OWN_FAILURE);
    assertThat(requests("/own-failure", "500")).isEqualTo(1);
  }

  @Test
  @ExpectedLog(
      logger = "io.vertx.ext.web",
      level = "SEVERE",
      contains = "Unhandled exception in router")
  void aFailureAfterTheHandlerReturnedKeepsTheRouteTemplate() throws Exception {
    assertThat(get("/later/fail/42").statusCode()).isEqualTo(503);

    assertThat(requests("/later/fail/{id}", "503")).isEqualTo(1);
  }

  @Test
  void whatAFailureHandlerAnswersIsWhatIsRecorded() throws Exception {
    HttpResponse<String> response = get("/teapot");
    assertThat(response.statusCode()).isEqualTo(418);
    assertThat(response.body()).isEqualTo("teapot");

    assertThat(requests("/teapot", "418")).isEqualTo(1);
    assertThat(scrape().sum("http_requests_total", "endpoint", "/teapot")).isEqualTo(1);
  }

  @Test
  void aBlockingHandlerAnsweringFromAWorkerIsRecordedOnce() throws Exception {
    for (int i = 0; i < 20; i++) {
      assertThat(get("/blocking/" + i).body()).isEqualTo("blocking " + i);
    }

    assertThat(requests("/blocking/{id}", "200")).isEqualTo(20);
    assertThat(scrape().value("active_connections", "agent", AGENT)).isZero();
  }

  @Test
  void theRouteThatAnswersNamesTheRequestNotAnEarlierOneThatPassedItOn() throws Exception {
    assertThat(get("/docs/intro").body()).isEqualTo("page intro");

    assertThat(scrape().labelValues("http_requests_total", "endpoint"))
        .containsExactly("/docs/{page}");
  }

  @Test
  void aReroutedRequestIsOneRequestUnderTheRouteThatAnswered() throws Exception {
    assertThat(get("/moved").body()).isEqualTo("page moved");
    assertThat(get("/moved-later").body()).isEqualTo("page later");

    Exposition scrape = scrape();
    assertThat(requests("/docs/{page}", "200")).isEqualTo(2);
    assertThat(scrape.sum("http_requests_total", "agent", AGENT)).isEqualTo(2);
    assertThat(scrape.sum("http_request_duration_seconds_count", "agent", AGENT)).isEqualTo(2);
    assertThat(scrape.value("active_connections", "agent", AGENT)).isZero();
  }

  @Test
  void theRouteThatAnswersLaterNamesTheRequestNotTheOneThatPassedItOnLater() throws Exception {
    assertThat(get("/guide/start").body()).isEqualTo("guide start");

    assertThat(requests("/guide/{page}", "200")).isEqualTo(1);
    assertThat(scrape().labelValues("http_requests_total", "endpoint"))
        .doesNotContain("/guide/", "/guide/*");
  }

  @Test
  @ExpectedLog(
      logger = "io.vertx.ext.web",
      level = "SEVERE",
      contains = "Unhandled exception in router")
  void subRouterRoutesAreRecordedUnderTheirFullPath() throws Exception {
    assertThat(get("/api/v1/items/7").body()).isEqualTo("item 7");
    assertThat(get("/api/v1/items/8").body()).isEqualTo("item 8");
    assertThat(get("/api/v1/admin/users/bob").body()).isEqualTo("user bob");
    assertThat(get("/api/v1/broken/3").statusCode()).isEqualTo(500);
    assertThat(get("/api/v1/nothing/here").statusCode()).isEqualTo(404);

    Exposition scrape = scrape();
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactlyInAnyOrder(
            "/api/v1/items/{id}", "/api/v1/admin/users/{user}", "/api/v1/broken/{id}", "unmatched");
    assertThat(requests("/api/v1/items/{id}", "200")).isEqualTo(2);
    assertThat(requests("/api/v1/broken/{id}", "500")).isEqualTo(1);
    assertThat(requests("unmatched", "404")).isEqualTo(1);
  }

  @Test
  void aRegexRouteIsRecordedUnderItsNameOrElseItsRegex() throws Exception {
    assertThat(get("/regex/123").body()).isEqualTo("regex");
    assertThat(get("/regex/456").body()).isEqualTo("regex");
    assertThat(get("/reports/daily").body()).isEqualTo("report");
    assertThat(get("/long/b").body()).isEqualTo("long");

    Exposition scrape = scrape();
    assertThat(requests("/regex/[0-9]+", "200")).isEqualTo(2);
    assertThat(requests("/reports/{kind}", "200")).isEqualTo(1);
    // A regex longer than a label value may be and without a name has no template: like any
    // request without one, it is unmatched (unless path values are on).
    assertThat(requests("unmatched", "200")).isEqualTo(1);
    assertThat(scrape.sum("kosmos_metrics_dropped_total")).isZero();
  }

  @Test
  void theMetricsRouteIsNotRecordedWithOrWithoutATrailingSlash() throws Exception {
    assertThat(get("/metrics/").statusCode()).isEqualTo(200);
    assertThat(get("/metrics").statusCode()).isEqualTo(200);

    Exposition scrape = scrape();
    assertThat(scrape.samples("http_requests_total")).isEmpty();
    assertThat(scrape.value("active_connections", "agent", AGENT)).isZero();
  }

  @Test
  void metricsFiltersByNameWithTheClientsScrapeHandler() throws Exception {
    get("/tasks/1");
    HttpResponse<String> response = get("/metrics?name[]=active_connections");
    assertThat(response.statusCode()).isEqualTo(200);

    Exposition scrape = Exposition.parse(response.body());
    assertThat(scrape.has("active_connections")).isTrue();
    assertThat(scrape.has("http_requests_total")).isFalse();
  }
}
