package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rules every {@code /metrics} endpoint follows, whatever serves it (the standalone server, the
 * servlet, the Vert.x route): optional bearer or Basic authentication with a 401 and its challenge,
 * {@code GET} and {@code HEAD} only, {@code HEAD} as {@code GET} without the body, and credentials
 * kept out of the logs. Each endpoint's test extends it with a real server on port 0; shared
 * through core's test-jar.
 */
public abstract class MetricsEndpointContract {

  protected static final String TOKEN = "kosmos-endpoint-token-4711";

  /** A running endpoint. */
  public interface Served extends AutoCloseable {
    /** Where it listens, e.g. {@code http://127.0.0.1:41234}; {@code /metrics} is below it. */
    URI baseUri();

    @Override
    void close() throws Exception;
  }

  /** Serves {@code metrics}' registry on {@code /metrics} of a fresh server, for {@code access}. */
  protected abstract Served serve(KosmosMetrics metrics, MetricsAccess access) throws Exception;

  /** Serves it with the endpoint's default access, which must be open. */
  protected abstract Served serveWithDefaults(KosmosMetrics metrics) throws Exception;

  /**
   * The finest log level at which no record may show a credential. All levels, unless the server
   * traces raw requests itself at some level (Tomcat at JUL {@code FINER}).
   */
  protected Level secretFreeLogLevel() {
    return Level.ALL;
  }

  private final KosmosMetrics metrics =
      KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private Served served;

  @AfterEach
  void stopServing() throws Exception {
    if (served != null) {
      served.close();
    }
  }

  private void recordOneTask() {
    try (AgentTask task = metrics.tasks("probe").start("poll")) {
      task.success();
    }
  }

  /** Makes {@code served} the endpoint under test (closed after the test), for extra tests. */
  protected void serving(Served served) {
    this.served = served;
  }

  /** The endpoint under test, once a test has started it. */
  protected Served served() {
    return served;
  }

  /** Starts the endpoint with {@code access} and records one task, so that a scrape has data. */
  protected void start(MetricsAccess access) throws Exception {
    served = serve(metrics, access);
    recordOneTask();
  }

  protected HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(served.baseUri().resolve(path))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String userAndPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  /** Asserts a 200 whose exposition holds the task that {@link #start} recorded. */
  protected static void assertScrape(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(
            Exposition.parse(response.body())
                .value(
                    "agent_tasks_total",
                    "agent",
                    "probe",
                    "task_type",
                    "poll",
                    "status",
                    "success"))
        .isEqualTo(1);
  }

  @Test
  void aBearerTokenIsRequiredAndTheRightOneServesTheScrape() throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));

    HttpResponse<String> missing = send("GET", "/metrics");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"metrics\"");
    assertThat(missing.body()).doesNotContain("agent_tasks_total");

    HttpResponse<String> wrong = send("GET", "/metrics", "Authorization", "Bearer wrong");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"metrics\"");
    assertThat(wrong.body()).doesNotContain("agent_tasks_total");

    assertScrape(send("GET", "/metrics", "Authorization", "Bearer " + TOKEN));
  }

  @Test
  void basicAuthenticationAcceptsTheRightUserAndPasswordOnly() throws Exception {
    start(MetricsAccess.basic("prometheus", "hunter2"));

    HttpResponse<String> refused =
        send("GET", "/metrics", "Authorization", basic("prometheus:hunter3"));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"metrics\", charset=\"UTF-8\"");
    assertThat(send("GET", "/metrics", "Authorization", basic("grafana:hunter2")).statusCode())
        .isEqualTo(401);
    assertScrape(send("GET", "/metrics", "Authorization", basic("prometheus:hunter2")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
  void onlyGetAndHeadAreAllowed(String method) throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));
    HttpResponse<String> response = send(method, "/metrics", "Authorization", "Bearer " + TOKEN);
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(response.body()).doesNotContain("agent_tasks_total");
  }

  @ParameterizedTest
  @ValueSource(strings = {"identity", "gzip"})
  void headAnswersTheHeadersOfGetWithoutABody(String encoding) throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));
    HttpResponse<String> head =
        send("HEAD", "/metrics", "Authorization", "Bearer " + TOKEN, "Accept-Encoding", encoding);
    HttpResponse<byte[]> get =
        client.send(
            HttpRequest.newBuilder(served.baseUri().resolve("/metrics"))
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
    if (encoding.equals("identity")) {
      assertThat(head.headers().firstValue("Content-Length"))
          .hasValue(Integer.toString(get.body().length));
    }
    assertThat(send("HEAD", "/metrics").statusCode()).isEqualTo(401);
  }

  @Test
  void openByDefaultButStillGetAndHeadOnly() throws Exception {
    served = serveWithDefaults(metrics);
    recordOneTask();
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
      assertThat(logs.text(secretFreeLogLevel())).doesNotContain(TOKEN);
    }
  }
}
