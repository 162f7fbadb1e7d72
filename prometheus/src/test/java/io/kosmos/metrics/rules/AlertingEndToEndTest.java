package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerting end to end, on real components: Debian's Prometheus with the shipped {@code
 * prometheus.yml} and rules (intervals and {@code for:} shortened to 1 s, targets moved to free
 * ports) sends the alerts of {@code rules/kosmos-alerts.yml} to Debian's Alertmanager running the
 * shipped {@code alertmanager.yml} (group timings shortened, webhook URLs moved), which delivers
 * them to a webhook receiver in this test: a JDK {@code HttpServer}.
 */
class AlertingEndToEndTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void amtoolAcceptsTheShippedConfig() throws Exception {
    Process process =
        new ProcessBuilder(
                Binaries.find("amtool", "prometheus-alertmanager").toString(),
                "check-config",
                "alertmanager.yml")
            .directory(Binaries.bundle().toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output)
        .contains("SUCCESS")
        .contains(" - route")
        .contains(" - 1 inhibit rules")
        .contains(" - 2 receivers");
  }

  @Test
  void aFiringAlertOfTheShippedRulesReachesTheWebhookWithItsLabels(@TempDir Path workDir)
      throws Exception {
    Binaries.find("prometheus");
    Path alertmanagerBinary = Binaries.find("prometheus-alertmanager", "prometheus-alertmanager");
    List<JsonNode> notifications = new CopyOnWriteArrayList<>();
    List<String> paths = new CopyOnWriteArrayList<>();
    HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    webhook.createContext(
        "/",
        exchange -> {
          try (exchange) {
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            notifications.add(JSON.readTree(exchange.getRequestBody()));
            exchange.sendResponseHeaders(200, -1);
          }
        });
    webhook.start();
    DaemonProcess alertmanager = null;
    PrometheusProcess prometheus = null;
    try {
      String amConfig =
          Files.readString(Binaries.bundle().resolve("alertmanager.yml"))
              .replace(
                  "http://127.0.0.1:5001/",
                  "http://127.0.0.1:" + webhook.getAddress().getPort() + "/")
              .replaceAll("(group_wait|group_interval): \\d+[smh]", "$1: 1s");
      assertThat(amConfig).doesNotContain("5001").contains("group_wait: 1s");
      Path amConfigFile = workDir.resolve("alertmanager.yml");
      Files.writeString(amConfigFile, amConfig);
      int amPort = PrometheusProcess.freePort();
      alertmanager =
          DaemonProcess.start(
              "alertmanager",
              List.of(
                  alertmanagerBinary.toString(),
                  "--config.file=" + amConfigFile,
                  "--storage.path=" + workDir.resolve("alertmanager-data"),
                  "--web.listen-address=127.0.0.1:" + amPort,
                  // A single instance: no gossip port (9094 by default).
                  "--cluster.listen-address="),
              Map.of(),
              amPort,
              "/-/ready",
              workDir);

      // The shipped config; the three agents' targets move to free ports where nothing listens,
      // so up{job="kosmos-agents"} is 0 and KosmosAgentTargetDown fires.
      String config = PrometheusProcess.shippedConfig(Map.of(9090, 9090, 9093, amPort), "1s");
      assertThat(config).contains("localhost:" + amPort);
      PrometheusProcess.copyRules(workDir, "1s", "1s");
      prometheus =
          PrometheusProcess.start(
              workDir, port -> config.replace("localhost:9090", "localhost:" + port));

      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> assertThat(firingInstances(notifications, "KosmosAgentTargetDown")).hasSize(3));

      JsonNode notification =
          notifications.stream()
              .filter(
                  n ->
                      "KosmosAgentTargetDown"
                          .equals(n.path("groupLabels").path("alertname").asText()))
              .findFirst()
              .orElseThrow();
      assertThat(notification.path("version").asText()).isEqualTo("4");
      assertThat(notification.path("status").asText()).isEqualTo("firing");
      assertThat(notification.path("receiver").asText()).isEqualTo("kosmos-oncall");
      assertThat(notification.path("groupLabels").path("job").asText()).isEqualTo("kosmos-agents");
      JsonNode alert = notification.path("alerts").get(0);
      String instance = alert.path("labels").path("instance").asText();
      assertThat(labels(alert))
          .containsEntry("alertname", "KosmosAgentTargetDown")
          .containsEntry("severity", "critical")
          .containsEntry("job", "kosmos-agents")
          .containsEntry("cluster", "kosmos-local")
          .containsKey("service");
      assertThat(instance).matches("localhost:\\d+");
      assertThat(alert.path("status").asText()).isEqualTo("firing");
      assertThat(alert.path("annotations").path("summary").asText())
          .isEqualTo("Prometheus cannot scrape " + instance);
      assertThat(alert.path("generatorURL").asText())
          .startsWith("http://")
          .contains("/graph?g0.expr=");
      assertThat(paths).contains("POST /alerts/oncall").doesNotContain("POST /alerts/owners");
      assertThat(firingServices(notifications))
          .containsExactlyInAnyOrder("zeus", "athena", "hermes");
    } catch (AssertionError | RuntimeException e) {
      StringBuilder logs = new StringBuilder("\nnotifications: " + notifications + "\n");
      if (alertmanager != null) {
        logs.append(alertmanager.log()).append('\n');
      }
      if (prometheus != null) {
        logs.append("--- prometheus ---\n").append(prometheus.log());
      }
      throw new AssertionError(e.getMessage() + logs, e);
    } finally {
      if (prometheus != null) {
        prometheus.close();
      }
      if (alertmanager != null) {
        alertmanager.close();
      }
      webhook.stop(0);
    }
  }

  private static Map<String, String> labels(JsonNode alert) {
    Map<String, String> labels = new java.util.LinkedHashMap<>();
    alert
        .path("labels")
        .fields()
        .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  private static Set<String> firingInstances(List<JsonNode> notifications, String alertname) {
    List<String> instances = new ArrayList<>();
    for (JsonNode notification : notifications) {
      for (JsonNode alert : notification.path("alerts")) {
        if (alertname.equals(alert.path("labels").path("alertname").asText())
            && "firing".equals(alert.path("status").asText())) {
          instances.add(alert.path("labels").path("instance").asText());
        }
      }
    }
    return Set.copyOf(instances);
  }

  private static Set<String> firingServices(List<JsonNode> notifications) {
    List<String> services = new ArrayList<>();
    for (JsonNode notification : notifications) {
      for (JsonNode alert : notification.path("alerts")) {
        if ("KosmosAgentTargetDown".equals(alert.path("labels").path("alertname").asText())) {
          services.add(alert.path("labels").path("service").asText());
        }
      }
    }
    return Set.copyOf(services);
  }
}
