package io.kosmos.samples.support;

import static io.kosmos.metrics.test.KosmosAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.LogCapture;
import io.kosmos.metrics.test.KosmosMetricsTesting;
import io.kosmos.metrics.test.MetricsSnapshot;
import io.kosmos.metrics.test.RegistryAssert;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What both web samples (zeus on Jetty, athena on Vert.x) must do: the same routes, and a scrape
 * with the catalog's exact names, labels and buckets. Each runs its sample in-process on port 0
 * against the embedded fake LLM provider.
 */
public abstract class WebSampleContract {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A started sample: its port, and how to stop it. */
  public interface Running extends AutoCloseable {
    int port();
  }

  private Running sample;
  private URI base;
  private PrometheusRegistry registry;

  /** The agent label the sample records. */
  protected abstract String agent();

  /** Starts the sample with {@code settings} on {@code metrics}'s registry. */
  protected abstract Running start(SampleSettings settings, KosmosMetrics metrics) throws Exception;

  @BeforeEach
  void startSample() throws Exception {
    registry = new PrometheusRegistry();
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    sample = start(SampleSettings.fromEnvironment(Map.of("PORT", "0"), 1), metrics);
    base = URI.create("http://127.0.0.1:" + sample.port());
  }

  @AfterEach
  void stopSample() throws Exception {
    sample.close();
  }

  /** Sends {@code method} {@code path} with an optional JSON body. */
  public static HttpResponse<String> send(URI base, String method, String path, String body)
      throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(base, "GET", path, "");
  }

  private Exposition scrape() {
    // A request is recorded once its exchange completes, possibly just after the client has read
    // the answer: wait until no request is in flight but the scrape itself.
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> Exposition.parse(get("/metrics").body()),
            e -> e.value("active_connections", "agent", agent()) <= 1);
  }

  @Test
  void protectsMetricsWithTheTokenFromTheEnvironment() throws Exception {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
    try (Running locked =
        start(
            SampleSettings.fromEnvironment(
                Map.of("PORT", "0", "KOSMOS_METRICS_TOKEN", "s3cret-token"), 1),
            metrics)) {
      URI lockedBase = URI.create("http://127.0.0.1:" + locked.port());
      HttpResponse<String> anonymous = send(lockedBase, "GET", "/metrics", "");
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"metrics\"");
      assertThat(anonymous.body()).doesNotContain("http_requests_total");
      assertThat(send(lockedBase, "GET", "/health", "").statusCode()).isEqualTo(200);
      HttpRequest authorized =
          HttpRequest.newBuilder(lockedBase.resolve("/metrics"))
              .header("Authorization", "Bearer s3cret-token")
              .build();
      // The /health request is recorded when its exchange completes, maybe just after the answer.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                HttpResponse<String> response =
                    CLIENT.send(authorized, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(
                        Exposition.parse(response.body())
                            .value("http_requests_total", "endpoint", "/health"))
                    .isEqualTo(1);
              });
    }
  }

  /**
   * {@code GET /boom}: a 500, and one log line that says what failed, without a stack trace (a demo
   * drives this route on purpose); captured here rather than printed.
   */
  private void boom() throws Exception {
    try (LogCapture log = LogCapture.start("io.kosmos.samples")) {
      assertThat(get("/boom").statusCode()).isEqualTo(500);
      assertThat(log.records())
          .singleElement()
          .satisfies(
              record -> {
                assertThat(record.getLevel()).isEqualTo(Level.WARNING);
                assertThat(record.getThrown()).as("a stack trace").isNull();
              });
      assertThat(log.messages())
          .containsExactly(
              "GET /boom failed: java.lang.IllegalStateException: boom: a handler that fails");
    }
  }

  @Test
  void answersEveryRoute() throws Exception {
    assertThat(get("/health").statusCode()).isEqualTo(200);
    HttpResponse<String> task = get("/tasks/42");
    assertThat(task.statusCode()).isEqualTo(200);
    assertThat(task.body()).isEqualTo("{\"id\":\"42\",\"status\":\"done\"}");
    HttpResponse<String> chat = send(base, "POST", "/chat", "{\"message\":\"hello there\"}");
    assertThat(chat.statusCode()).isEqualTo(200);
    assertThat(chat.body()).startsWith("{\"answer\":").contains("hello there");
    boom();
    assertThat(send(base, "POST", "/chat", "not json").statusCode()).isEqualTo(400);
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
  }

  @Test
  void recordsRouteTemplatesStatusesAndLlmUsage() throws Exception {
    MetricsSnapshot before = KosmosMetricsTesting.snapshot(registry);
    for (int id = 1; id <= 5; id++) {
      assertThat(get("/tasks/" + id).statusCode()).isEqualTo(200);
    }
    boom();
    assertThat(get("/health").statusCode()).isEqualTo(200);
    assertThat(
            send(
                    base,
                    "POST",
                    "/chat",
                    "{\"message\":\"What is KOSMOS, and which agents does it run today?\"}")
                .statusCode())
        .isEqualTo(200);

    // A request is recorded once its exchange completes, possibly just after the client read it.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(registry).httpRequests(agent()).hasValue(8));
    RegistryAssert since = assertThat(registry).since(before);
    since.httpRequests(agent()).withLabels("endpoint", "/tasks/{id}").hasIncreasedBy(5);
    since
        .httpRequests(agent())
        .withLabels("endpoint", "/boom", "method", "GET", "status", "500")
        .hasIncreasedBy(1);
    since
        .httpRequests(agent())
        .withLabels("endpoint", "/chat", "method", "POST", "status", "200")
        .hasIncreasedBy(1);
    since
        .httpRequests(agent())
        .withLabels("endpoint", "/health", "status", "200")
        .hasIncreasedBy(1);
    since.httpRequestDuration(agent()).withLabels("endpoint", "/tasks/{id}").hasCount(5);
    since.gauge("active_connections").withLabels("agent", agent()).hasValue(0);

    String provider = "openai";
    String model = "gpt-4o-mini";
    since.llmRequests(provider, model).withLabels("status", "success").hasIncreasedBy(1);
    since.llmTokens(provider, model, "input").value().isPositive();
    since.llmTokens(provider, model, "output").value().isPositive();
    since.llmTokens(provider, model, "cache_read").value().isPositive();
    since.llmCost(provider, model).value().isPositive();
    since.counter("llm_cost_unpriced_total").hasIncreasedBy(0);

    // What Prometheus sees: the same values, and no other endpoint or agent.
    Exposition scrape = scrape();
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactlyInAnyOrder("/tasks/{id}", "/boom", "/health", "/chat");
    assertThat(scrape.labelValues("http_requests_total", "agent")).containsExactly(agent());
    assertThat(scrape.value("http_requests_total", "endpoint", "/tasks/{id}")).isEqualTo(5);
  }

  @Test
  void exposesTheCatalogsExactFamilies() throws Exception {
    get("/tasks/1");
    send(base, "POST", "/chat", "{\"message\":\"hi\"}");
    Exposition scrape = scrape();

    assertFamily(scrape, "http_requests_total", "counter", "agent", "endpoint", "method", "status");
    assertFamily(
        scrape, "http_request_duration_seconds", "histogram", "agent", "endpoint", "method");
    assertFamily(scrape, "active_connections", "gauge", "agent");
    assertFamily(scrape, "llm_requests_total", "counter", "model", "provider", "status");
    assertFamily(scrape, "llm_request_duration_seconds", "histogram", "model", "provider");
    assertFamily(scrape, "llm_tokens_total", "counter", "model", "provider", "type");
    assertFamily(scrape, "llm_cost_dollars_total", "counter", "model", "provider");

    assertThat(buckets(scrape, "http_request_duration_seconds"))
        .containsExactly(
            "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");
    assertThat(buckets(scrape, "llm_request_duration_seconds"))
        .containsExactly("0.1", "0.5", "1.0", "2.0", "5.0", "10.0", "30.0", "60.0", "+Inf");

    Promtool.checkMetrics(scrape.text());
  }

  private static void assertFamily(Exposition scrape, String name, String type, String... labels) {
    Exposition.Family family = scrape.family(name);
    assertThat(family.type()).as(name).isEqualTo(type);
    assertThat(family.labelNames()).as(name).isEqualTo(Set.of(labels));
  }

  /** The {@code le} values of the first series of histogram {@code name}, in scrape order. */
  private static List<String> buckets(Exposition scrape, String name) {
    List<Exposition.Sample> samples = scrape.samples(name + "_bucket");
    Map<String, String> first = withoutLe(samples.get(0).labels());
    return samples.stream()
        .filter(s -> withoutLe(s.labels()).equals(first))
        .map(s -> s.labels().get("le"))
        .toList();
  }

  private static Map<String, String> withoutLe(Map<String, String> labels) {
    Map<String, String> copy = new HashMap<>(labels);
    copy.remove("le");
    return copy;
  }
}
