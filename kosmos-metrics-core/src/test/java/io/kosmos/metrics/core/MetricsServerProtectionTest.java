package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code /metrics} of the standalone server: authentication, methods, bind address, lifecycle. */
class MetricsServerProtectionTest {

  private static final String TOKEN = "kosmos-standalone-token-4711";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private MetricsServer server;

  @AfterEach
  void closeServer() {
    if (server != null) {
      server.close();
    }
  }

  private MetricsServer start(MetricsAccess access) throws IOException {
    server = MetricsServer.builder(metrics).port(0).bindAddress("127.0.0.1").access(access).start();
    try (AgentTask task = metrics.tasks("hermes").start("poll")) {
      task.success();
    }
    return server;
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
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
                .value(
                    "agent_tasks_total",
                    "agent",
                    "hermes",
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

    HttpResponse<String> wrong = send("GET", "/metrics", "Authorization", "Bearer nope");
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

  @Test
  void healthStaysOpenForOrchestratorsThatSendNoCredentials() throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));
    assertThat(send("GET", "/-/healthy").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/-/healthy").body()).doesNotContain("agent_tasks_total");
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
  void onlyGetAndHeadAreAllowed(String method) throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));
    HttpResponse<String> response = send(method, "/metrics", "Authorization", "Bearer " + TOKEN);
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send(method, "/-/healthy").statusCode()).isEqualTo(405);
  }

  @Test
  void anOpenServerAlsoRefusesOtherMethods() throws Exception {
    start(MetricsAccess.open());
    assertScrape(send("GET", "/metrics"));
    HttpResponse<String> post = send("POST", "/metrics");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    assertThat(send("GET", "/elsewhere").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/metricsfoo").statusCode()).isEqualTo(404);
  }

  @ParameterizedTest
  @ValueSource(strings = {"identity", "gzip"})
  void headAnswersTheHeadersOfGetWithoutABody(String encoding) throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));
    try (CapturedLogs logs = CapturedLogs.capture()) {
      HttpResponse<String> head =
          send("HEAD", "/metrics", "Authorization", "Bearer " + TOKEN, "Accept-Encoding", encoding);
      HttpResponse<byte[]> get =
          client.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                  .header("Authorization", "Bearer " + TOKEN)
                  .header("Accept-Encoding", encoding)
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());

      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
      assertThat(head.headers().firstValue("Content-Type"))
          .isEqualTo(get.headers().firstValue("Content-Type"))
          .isPresent();
      assertThat(head.headers().firstValue("Content-Encoding"))
          .isEqualTo(get.headers().firstValue("Content-Encoding"));
      assertThat(head.headers().firstValue("Content-Length"))
          .hasValue(Integer.toString(get.body().length));
      assertThat(logs.text(Level.WARNING)).as("the JDK server warns about a HEAD body").isEmpty();
    }
    assertThat(send("HEAD", "/metrics").statusCode()).isEqualTo(401);
  }

  @Test
  void theCredentialNeverAppearsInLogsOrToString() throws Exception {
    MetricsAccess access = MetricsAccess.bearerToken(TOKEN);
    start(access);
    try (CapturedLogs logs = CapturedLogs.capture()) {
      assertThat(send("GET", "/metrics", "Authorization", "Bearer " + TOKEN + "x").statusCode())
          .isEqualTo(401);
      assertScrape(send("GET", "/metrics", "Authorization", "Bearer " + TOKEN));
      assertThat(logs.text()).doesNotContain(TOKEN);
    }
    assertThat(access.toString()).doesNotContain(TOKEN);
    assertThat(server.toString()).doesNotContain(TOKEN);
  }

  @Test
  void accessMustNotBeNull() {
    assertThatThrownBy(() -> MetricsServer.builder(metrics).access(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("access must not be null");
  }

  /** Any local address that is not loopback, such as the host's LAN or container address. */
  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(nic.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void aServerBoundToLoopbackIsNotReachableOnOtherAddresses() throws Exception {
    start(MetricsAccess.open());
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    assertThat(Lifecycle.status(loopback, server.port(), "GET", "/metrics")).isEqualTo(200);

    Optional<InetAddress> other = nonLoopbackAddress();
    assumeThat(other).as("a non-loopback local address").isPresent();
    Lifecycle.assertPortClosed(other.get(), server.port());
  }

  @Test
  void closingLeavesNoThreadAndNoOpenPort() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    Set<Thread> before = Lifecycle.liveThreads();
    MetricsServer closing =
        MetricsServer.builder(metrics).port(0).bindAddress("127.0.0.1").threads(3).start();
    int port = closing.port();
    for (int i = 0; i < 5; i++) {
      assertThat(Lifecycle.status(loopback, port, "GET", "/metrics")).isEqualTo(200);
    }
    assertThat(Lifecycle.newThreads(before))
        .as("the scrape threads and the JDK server's dispatcher")
        .anyMatch(name -> name.startsWith("kosmos-metrics-server-"))
        .isNotEmpty();

    closing.close();
    closing.close();

    Lifecycle.assertPortClosed(loopback, port);
    Lifecycle.awaitThreadsGone(before, Duration.ofSeconds(10));
    assertThat(Lifecycle.liveThreads())
        .noneMatch(thread -> thread.getName().startsWith("kosmos-metrics-server-"));
  }
}
