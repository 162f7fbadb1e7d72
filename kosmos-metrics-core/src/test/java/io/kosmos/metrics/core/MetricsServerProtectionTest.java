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
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} of the standalone server: the shared endpoint rules, plus its open health check,
 * bind address and lifecycle.
 */
class MetricsServerProtectionTest extends MetricsEndpointContract {

  private final KosmosMetrics metrics =
      KosmosMetrics.builder().registry(new PrometheusRegistry()).build();

  @Override
  protected Served serve(KosmosMetrics metrics, MetricsAccess access) throws IOException {
    return served(MetricsServer.builder(metrics).port(0).bindAddress("127.0.0.1").access(access));
  }

  @Override
  protected Served serveWithDefaults(KosmosMetrics metrics) throws IOException {
    return served(MetricsServer.builder(metrics).port(0).bindAddress("127.0.0.1"));
  }

  private static Served served(MetricsServer.Builder builder) throws IOException {
    MetricsServer server = builder.start();
    return new Served() {
      @Override
      public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.port());
      }

      @Override
      public void close() {
        server.close();
      }
    };
  }

  private int port() {
    return served().baseUri().getPort();
  }

  @Test
  void healthStaysOpenForOrchestratorsThatSendNoCredentials() throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));
    HttpResponse<String> health = send("GET", "/-/healthy");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).doesNotContain("agent_tasks_total");
    assertThat(send("POST", "/-/healthy").statusCode()).isEqualTo(405);
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    start(MetricsAccess.open());
    assertThat(send("GET", "/elsewhere").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/metricsfoo").statusCode()).isEqualTo(404);
  }

  @Test
  void aHeadAnswerGivesTheJdkServerNothingToWarnAbout() throws Exception {
    start(MetricsAccess.bearerToken(TOKEN));
    try (CapturedLogs logs = CapturedLogs.capture()) {
      HttpResponse<String> head =
          send("HEAD", "/metrics", "Authorization", "Bearer " + TOKEN, "Accept-Encoding", "gzip");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(logs.text(Level.WARNING)).as("the JDK server warns about a HEAD body").isEmpty();
    }
  }

  @Test
  void theCredentialNeverAppearsInToString() throws Exception {
    MetricsAccess access = MetricsAccess.bearerToken(TOKEN);
    MetricsServer server =
        MetricsServer.builder(metrics).port(0).bindAddress("127.0.0.1").access(access).start();
    try (server) {
      assertThat(access.toString()).doesNotContain(TOKEN);
      assertThat(server.toString()).doesNotContain(TOKEN);
    }
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
    assertThat(Lifecycle.status(loopback, port(), "GET", "/metrics")).isEqualTo(200);

    Optional<InetAddress> other = nonLoopbackAddress();
    assumeThat(other).as("a non-loopback local address").isPresent();
    Lifecycle.assertListensOnlyOn(loopback, other.get(), port());
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
    Set<Thread> started = Lifecycle.startedSince(before);
    assertThat(started)
        .as("the scrape threads and the JDK server's dispatcher")
        .extracting(Thread::getName)
        .anyMatch(name -> name.startsWith("kosmos-metrics-server-"));
    Lifecycle.assertListening(port);

    closing.close();
    closing.close();

    Lifecycle.assertPortClosed(loopback, port);
    Lifecycle.awaitDead(started, Duration.ofSeconds(10));
    assertThat(Lifecycle.liveThreads())
        .noneMatch(thread -> thread.getName().startsWith("kosmos-metrics-server-"));
  }
}
