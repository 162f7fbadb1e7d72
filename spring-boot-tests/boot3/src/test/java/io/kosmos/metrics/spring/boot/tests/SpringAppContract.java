package io.kosmos.metrics.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.Exposition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;

/**
 * What a Spring Boot app instrumented by kosmos-metrics records, through a real server on a random
 * port and the JDK's HTTP client. Extended by the starter-configured and the hand-configured app,
 * on Spring Boot 3 and on Spring Boot 4, so that none of them can drift from the others.
 */
public abstract class SpringAppContract {

  protected static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Autowired protected Environment environment;

  /** Whether Actuator's /actuator/prometheus serves the kosmos families too. */
  protected abstract boolean sharesActuatorRegistry();

  protected URI uri(String path) {
    return URI.create(
        "http://127.0.0.1:"
            + environment.getRequiredProperty("local.server.port")
            + environment.getProperty("server.servlet.context-path", "")
            + path);
  }

  protected HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  protected HttpResponse<String> get(String path, String... headers) throws Exception {
    return send("GET", path, headers);
  }

  /**
   * Scrapes /metrics over HTTP once no request is in flight, so that every response the client has
   * seen is counted (an async request is recorded when its cycle completes, which may be just after
   * the client read the last byte).
   */
  protected Exposition scrape() {
    return Exposition.settled(
        () -> {
          HttpResponse<String> response =
              get("/metrics", "Authorization", "Bearer " + Fixtures.TOKEN);
          assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
          return response.body();
        },
        Fixtures.AGENT);
  }

  /** {@code http_requests_total} of GET requests to {@code endpoint} with {@code status}. */
  protected static double requests(Exposition scrape, String endpoint, int status) {
    return scrape.value(
        "http_requests_total",
        "agent",
        Fixtures.AGENT,
        "method",
        "GET",
        "endpoint",
        endpoint,
        "status",
        String.valueOf(status));
  }

  /** All requests recorded under {@code endpoint}, any method and status. */
  protected static double requests(Exposition scrape, String endpoint) {
    return scrape.sum("http_requests_total", "agent", Fixtures.AGENT, "endpoint", endpoint);
  }

  protected static Map<String, Integer> typeDeclarations(String text) {
    Map<String, Integer> declared = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.startsWith("# TYPE ")) {
        declared.merge(line.split(" ")[2], 1, Integer::sum);
      }
    }
    return declared;
  }

  @Test
  void recordsRouteTemplateNotRawPath() throws Exception {
    Exposition before = scrape();
    assertThat(get("/tasks/report-2026").body()).isEqualTo("task report-2026");
    assertThat(get("/tasks/42").statusCode()).isEqualTo(200);
    Exposition after = scrape();
    assertThat(requests(after, "/tasks/{id}", 200) - requests(before, "/tasks/{id}", 200))
        .isEqualTo(2);
    assertThat(after.labelValues("http_requests_total", "endpoint"))
        .noneMatch(e -> e.contains("report-2026") || e.contains("42") || e.contains("{token}"));
  }

  @Test
  void recordsUnmatchedForAPathNoRouteTakes() throws Exception {
    Exposition before = scrape();
    assertThat(get("/tasks/no/such/route").statusCode()).isEqualTo(404);
    Exposition after = scrape();
    assertThat(requests(after, "unmatched", 404) - requests(before, "unmatched", 404)).isEqualTo(1);
    assertThat(after.text()).doesNotContain("no/such/route");
  }

  @Test
  void recordsAThrowingHandlerOnceAs500() throws Exception {
    Exposition before = scrape();
    assertThat(get("/boom").statusCode()).isEqualTo(500);
    Exposition after = scrape();
    assertThat(requests(after, "/boom", 500) - requests(before, "/boom", 500)).isEqualTo(1);
    assertThat(requests(after, "/boom") - requests(before, "/boom")).isEqualTo(1);
    assertThat(requests(after, "/error")).isZero();
  }

  @Test
  void recordsTheStatusesOfExceptionHandlers() throws Exception {
    Exposition before = scrape();
    assertThat(get("/teapot/1").statusCode()).isEqualTo(418);
    assertThat(get("/invalid/2").statusCode()).isEqualTo(422);
    Exposition after = scrape();
    assertThat(requests(after, "/teapot/{id}", 418) - requests(before, "/teapot/{id}", 418))
        .isEqualTo(1);
    assertThat(requests(after, "/invalid/{id}", 422) - requests(before, "/invalid/{id}", 422))
        .isEqualTo(1);
  }

  @Test
  void recordsDeferredResultAndCallableUnderTheirRoutes() throws Exception {
    Exposition before = scrape();
    assertThat(get("/deferred/7").body()).isEqualTo("deferred 7");
    assertThat(get("/callable/8").body()).isEqualTo("callable 8");
    Exposition after = scrape();
    assertThat(requests(after, "/deferred/{id}", 200) - requests(before, "/deferred/{id}", 200))
        .isEqualTo(1);
    assertThat(requests(after, "/callable/{id}", 200) - requests(before, "/callable/{id}", 200))
        .isEqualTo(1);
  }

  @Test
  void recordsAnAsyncTimeoutUnderItsRoute() throws Exception {
    Exposition before = scrape();
    assertThat(get("/slow/1").statusCode()).isEqualTo(503);
    Exposition after = scrape();
    assertThat(requests(after, "/slow/{id}", 503) - requests(before, "/slow/{id}", 503))
        .isEqualTo(1);
    assertThat(requests(after, "/slow/{id}") - requests(before, "/slow/{id}")).isEqualTo(1);
  }

  @Test
  void recordsFailedAsyncRequestsUnderTheirRouteNotTheErrorPage() throws Exception {
    Exposition before = scrape();
    assertThat(get("/deferred-fail/1").statusCode()).isEqualTo(500);
    assertThat(get("/callable-fail/2").statusCode()).isEqualTo(500);
    Exposition after = scrape();
    assertThat(
            requests(after, "/deferred-fail/{id}", 500)
                - requests(before, "/deferred-fail/{id}", 500))
        .isEqualTo(1);
    assertThat(
            requests(after, "/callable-fail/{id}", 500)
                - requests(before, "/callable-fail/{id}", 500))
        .isEqualTo(1);
    assertThat(requests(after, "/error")).isZero();
  }

  @Test
  void recordsServerSentEventsOnceWithTheirWholeDuration() throws Exception {
    Exposition before = scrape();
    HttpResponse<String> events = get("/events");
    assertThat(events.statusCode()).isEqualTo(200);
    List<String> data = new ArrayList<>();
    for (String line : events.body().split("\n")) {
      if (line.startsWith("data:")) {
        data.add(line.substring(5));
      }
    }
    assertThat(data).containsExactly("event 1", "event 2", "event 3");
    Exposition after = scrape();
    String[] labels = {"agent", Fixtures.AGENT, "method", "GET", "endpoint", "/events"};
    assertThat(requests(after, "/events", 200) - requests(before, "/events", 200)).isEqualTo(1);
    assertThat(
            after.value("http_request_duration_seconds_count", labels)
                - before.value("http_request_duration_seconds_count", labels))
        .isEqualTo(1);
    // The last event is sent EVENTS * EVENT_INTERVAL_MILLIS after the request arrived.
    assertThat(
            after.value("http_request_duration_seconds_sum", labels)
                - before.value("http_request_duration_seconds_sum", labels))
        .isGreaterThanOrEqualTo(Routes.EVENTS * Routes.EVENT_INTERVAL_MILLIS / 1000.0);
  }

  @Test
  void recordsEndpointsWithoutTheContextPath() throws Exception {
    get("/tasks/1");
    String contextPath = environment.getProperty("server.servlet.context-path", "");
    Exposition scrape = scrape();
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .contains("/tasks/{id}")
        .allMatch(e -> contextPath.isEmpty() || !e.startsWith(contextPath + "/"));
  }

  @Test
  void metricsEndpointAnswersOnlyGetAndHeadWithCredentials() throws Exception {
    String bearer = "Bearer " + Fixtures.TOKEN;
    HttpResponse<String> post = send("POST", "/metrics", "Authorization", bearer);
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send("HEAD", "/metrics", "Authorization", bearer).statusCode()).isEqualTo(200);
    HttpResponse<String> anonymous = get("/metrics");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(challenge -> assertThat(challenge).startsWith("Bearer"));
  }

  @Test
  void actuatorAndMetricsEndpointsBothAnswerWithEveryFamilyDeclaredOnce() throws Exception {
    get("/tasks/1");
    scrape();
    HttpResponse<String> actuator = get("/actuator/prometheus");
    assertThat(actuator.statusCode()).isEqualTo(200);
    HttpResponse<String> kosmos = get("/metrics", "Authorization", "Bearer " + Fixtures.TOKEN);
    assertThat(kosmos.statusCode()).isEqualTo(200);
    assertThat(typeDeclarations(actuator.body()))
        .isNotEmpty()
        .allSatisfy((name, n) -> assertThat(n).as(name).isEqualTo(1));
    assertThat(typeDeclarations(kosmos.body()))
        .allSatisfy((name, n) -> assertThat(n).as(name).isEqualTo(1));
    // Micrometer's own HTTP metric is there either way.
    assertThat(actuator.body()).contains("http_server_requests_seconds");
    if (sharesActuatorRegistry()) {
      assertThat(Exposition.parse(actuator.body()).labelValues("http_requests_total", "agent"))
          .containsExactly(Fixtures.AGENT);
    } else {
      assertThat(actuator.body()).doesNotContain("http_requests_total");
    }
  }
}
