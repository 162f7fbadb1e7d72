package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesARealScrapeAndHealthOverHttpAndReleasesThePortOnClose() throws Exception {
    try (AgentTask task = metrics.tasks("hermes").start("poll")) {
      task.success();
    }
    int port;
    Set<Thread> before = Lifecycle.liveThreads();
    Set<Thread> started;
    try (MetricsServer server =
        MetricsServer.builder(metrics).port(0).bindAddress("127.0.0.1").start()) {
      port = server.port();
      HttpResponse<String> scrape = get(port, "/metrics");
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(
              Exposition.parse(scrape.body())
                  .value(
                      "agent_tasks_total",
                      "agent",
                      "hermes",
                      "task_type",
                      "poll",
                      "status",
                      "success"))
          .isEqualTo(1);

      HttpResponse<String> health = get(port, "/-/healthy");
      assertThat(health.statusCode()).isEqualTo(200);
      Lifecycle.assertListening(port);
      // The server's own pool; the test's HTTP client started threads too, which it keeps.
      started =
          Lifecycle.startedSince(before).stream()
              .filter(thread -> thread.getName().startsWith("kosmos-metrics-server-"))
              .collect(Collectors.toSet());
      assertThat(started).isNotEmpty();
    }

    Lifecycle.assertPortClosed(InetAddress.getByName("127.0.0.1"), port);
    // A terminated pool's threads may still be finishing their exit.
    Lifecycle.awaitDead(started, Duration.ofSeconds(10));
  }

  @Test
  void misconfigurationFailsBeforeBinding() {
    assertThatThrownBy(() -> MetricsServer.builder(metrics).port(70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port must be between 0 and 65535, but was 70000");
    assertThatThrownBy(
            () -> MetricsServer.builder(metrics).port(0).bindAddress("not an address!").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "bindAddress must be an IP address or resolvable host name, but was 'not an address!'");
  }

  @Test
  void aPortInUseIsReportedToTheCaller() throws IOException {
    try (MetricsServer first =
        MetricsServer.builder(metrics).port(0).bindAddress("127.0.0.1").start()) {
      assertThatThrownBy(
              () ->
                  MetricsServer.builder(metrics)
                      .port(first.port())
                      .bindAddress("127.0.0.1")
                      .start())
          .isInstanceOf(IOException.class);
    }
  }
}
