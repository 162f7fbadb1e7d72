package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.core.AgentTask;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsAccess;
import io.kosmos.metrics.core.MetricsServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrape configuration the README gives for a protected {@code /metrics}: a real Prometheus
 * reads the bearer token and the Basic password from files and scrapes; a job without credentials
 * is refused.
 */
class ProtectedScrapeTest {

  @Test
  void prometheusScrapesWithCredentialsFromFilesAndIsRefusedWithout(@TempDir Path workDir)
      throws Exception {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
    try (AgentTask task = metrics.tasks("hermes").start("poll")) {
      task.success();
    }
    Path token = Files.writeString(workDir.resolve("kosmos-metrics-token"), "prom-token-42\n");
    Path password = Files.writeString(workDir.resolve("kosmos-metrics-password"), "hunter2\n");
    try (MetricsServer bearer =
            MetricsServer.builder(metrics)
                .port(0)
                .bindAddress("127.0.0.1")
                .access(MetricsAccess.bearerToken("prom-token-42"))
                .start();
        MetricsServer basic =
            MetricsServer.builder(metrics)
                .port(0)
                .bindAddress("127.0.0.1")
                .access(MetricsAccess.basic("prometheus", "hunter2"))
                .start()) {
      String config =
          String.join(
              "\n",
              "global:",
              "  scrape_interval: 1s",
              "scrape_configs:",
              "  - job_name: kosmos-agents",
              "    authorization:",
              "      type: Bearer",
              "      credentials_file: " + token,
              "    static_configs:",
              "      - targets: ['127.0.0.1:" + bearer.port() + "']",
              "  - job_name: kosmos-agents-basic",
              "    basic_auth:",
              "      username: prometheus",
              "      password_file: " + password,
              "    static_configs:",
              "      - targets: ['127.0.0.1:" + basic.port() + "']",
              "  - job_name: no-credentials",
              "    static_configs:",
              "      - targets: ['127.0.0.1:" + bearer.port() + "']",
              "");
      try (PrometheusProcess prometheus = PrometheusProcess.start(workDir, config)) {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  assertThat(prometheus.query("up")).hasSize(3);
                  assertThat(
                          prometheus.query("up{job=~\"kosmos-agents|kosmos-agents-basic\"} == 1"))
                      .hasSize(2);
                  assertThat(prometheus.query("up{job=\"no-credentials\"} == 0")).hasSize(1);
                  assertThat(
                          prometheus.query(
                              "agent_tasks_total{agent=\"hermes\",status=\"success\"} == 1"))
                      .hasSize(2);
                });
      }
    }
  }
}
