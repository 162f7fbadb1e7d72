package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.core.AgentTask;
import io.kosmos.metrics.core.AgentTasks;
import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsServer;
import io.kosmos.metrics.core.NanoClock;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.llm.ModelPrice;
import io.kosmos.metrics.llm.Usage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Holds every shipped agent and LLM recording rule to what the library really exposes: a real
 * Prometheus scrapes a kosmos-metrics {@code /metrics} endpoint under steady traffic, evaluates the
 * shipped rules, and each rule must return a series with the labels it promises.
 */
class RulesAgainstLibraryScrapeTest {

  /** The labels each recording rule's series must carry, apart from any others. */
  static final Map<String, Set<String>> EXPECTED_LABELS =
      Map.of(
          "kosmos:agent:request_rate_5m", Set.of("agent"),
          "kosmos:agent:error_rate_5m", Set.of("agent"),
          "kosmos:agent:latency_p99_5m", Set.of("agent"),
          "kosmos:agent:task_success_rate_5m", Set.of("agent"),
          "kosmos:llm:request_rate_5m", Set.of("provider", "model"),
          "kosmos:llm:latency_p50_5m", Set.of("provider", "model"),
          "kosmos:llm:latency_p99_5m", Set.of("provider", "model"),
          "kosmos:llm:tokens_per_minute", Set.of("provider", "model", "type"),
          "kosmos:llm:cost_per_hour", Set.of("provider", "model"));

  @Test
  void everyRecordingRuleReturnsSeriesWithItsLabels(@TempDir Path workDir) throws Exception {
    // The rules over the library's own families; the infrastructure rules are proven by
    // PostgresRulesTest and tests/kosmos-infrastructure-test.yml.
    assertThat(
            PrometheusProcess.recordingRules().stream()
                .filter(r -> r.startsWith("kosmos:agent:") || r.startsWith("kosmos:llm:")))
        .containsExactlyInAnyOrderElementsOf(EXPECTED_LABELS.keySet());

    PrometheusRegistry registry = new PrometheusRegistry();
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    ScheduledExecutorService traffic = Executors.newSingleThreadScheduledExecutor();
    try (MetricsServer server =
        MetricsServer.builder(metrics).port(0).bindAddress("127.0.0.1").start()) {
      traffic.scheduleAtFixedRate(trafficOf(metrics), 0, 20, TimeUnit.MILLISECONDS);

      PrometheusProcess.copyRules(workDir, "1s");
      String config =
          String.join(
              "\n",
              "global:",
              "  scrape_interval: 1s",
              "  evaluation_interval: 1s",
              "rule_files:",
              "  - rules/*.yml",
              "scrape_configs:",
              "  - job_name: kosmos-agents",
              "    static_configs:",
              "      - targets: ['127.0.0.1:" + server.port() + "']",
              "");
      try (PrometheusProcess prometheus = PrometheusProcess.start(workDir, config)) {
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .untilAsserted(
                () -> {
                  assertThat(prometheus.targetHealth())
                      .containsValue("up")
                      .doesNotContainValue("down");
                  for (Map.Entry<String, Set<String>> rule : EXPECTED_LABELS.entrySet()) {
                    List<PrometheusProcess.Series> series = prometheus.query(rule.getKey());
                    assertThat(series).as("series of %s", rule.getKey()).isNotEmpty();
                    for (PrometheusProcess.Series s : series) {
                      assertThat(s.labels())
                          .as(rule.getKey())
                          .containsKeys(rule.getValue().toArray(String[]::new));
                      assertThat(s.value())
                          .as("value of %s %s", rule.getKey(), s.labels())
                          .isFinite();
                    }
                  }
                });

        assertThat(prometheus.query("kosmos:agent:request_rate_5m"))
            .extracting(s -> s.labels().get("agent"))
            .containsExactly("zeus");
        assertThat(prometheus.query("kosmos:agent:error_rate_5m").get(0).value())
            .isBetween(0.1, 0.4);
        assertThat(prometheus.query("kosmos:agent:task_success_rate_5m").get(0).labels())
            .containsEntry("agent", "hermes");
        assertThat(prometheus.query("kosmos:llm:tokens_per_minute"))
            .extracting(s -> s.labels().get("type"))
            .contains("input", "output");
      }
    } finally {
      traffic.shutdownNow();
    }
  }

  /**
   * Steady traffic through the library's public API: a quarter of requests fail, a third of tasks
   * fail, and LLM calls go through {@link LlmMetrics} with usage, cache reads and a catalog price,
   * one in eight rate limited. LLM durations come from a fake clock so that they spread over the
   * buckets without waiting.
   */
  private static Runnable trafficOf(KosmosMetrics metrics) {
    HttpRecorder http = metrics.http("zeus");
    AgentTasks tasks = metrics.tasks("hermes");
    AtomicLong nanos = new AtomicLong();
    NanoClock clock = nanos::get;
    LlmMetrics llm =
        LlmMetrics.builder(metrics)
            .clock(clock)
            .pricing(
                LlmPricing.builder()
                    .price(
                        "openai",
                        "gpt-4o-mini",
                        ModelPrice.perMillion(0.15, 0.60).withCacheReadPerMillion(0.075))
                    .build())
            .build();
    AtomicInteger tick = new AtomicInteger();
    return () -> {
      int i = tick.incrementAndGet();
      long start = http.start();
      http.end(start, "GET", i % 4 == 0 ? "/boom" : "/tasks/{id}", null, i % 4 == 0 ? 500 : 200);
      try (AgentTask task = tasks.start("summarize")) {
        if (i % 3 != 0) {
          task.success();
        }
      }
      try (LlmCall call = llm.start("openai", "gpt-4o-mini")) {
        nanos.addAndGet(50_000_000L * (i % 40));
        if (i % 8 == 0) {
          call.failed(429);
        } else {
          call.usage(Usage.of(120, 40).withCacheRead(32));
        }
      }
    };
  }
}
