package io.kosmos.samples.hermes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.samples.support.Promtool;
import io.kosmos.samples.support.SampleSettings;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HermesWorkerTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static Exposition scrape(int port) throws Exception {
    HttpResponse<String> response =
        CLIENT.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return Exposition.parse(response.body());
  }

  @Test
  void runsTasksThatSucceedFailAndThrowWithLlmCallsInside() throws Exception {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
    try (HermesWorker hermes =
        HermesWorker.start(
            SampleSettings.fromEnvironment(Map.of("PORT", "0"), 1),
            metrics,
            Duration.ofMillis(5))) {
      // Every tenth LLM call gets the fake provider's 429, every eleventh task throws.
      Exposition scrape =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> scrape(hermes.port()),
                  e ->
                      e.sum("agent_tasks_total", "status", "failure") > 0
                          && e.sum("agent_tasks_total", "status", "error") > 0
                          && e.sum("agent_tasks_total", "status", "success") > 0);

      assertThat(scrape.labelValues("agent_tasks_total", "agent")).containsExactly("hermes");
      assertThat(scrape.labelValues("agent_tasks_total", "task_type"))
          .containsExactlyInAnyOrder("summarize", "plan");
      assertThat(scrape.family("agent_task_duration_seconds").labelNames())
          .isEqualTo(Set.of("agent", "task_type"));
      assertThat(scrape.sum("llm_errors_total", "error_type", "rate_limited")).isPositive();
      assertThat(scrape.sum("llm_tokens_total", "type", "cache_read")).isPositive();
      assertThat(scrape.sum("llm_cost_dollars_total")).isPositive();
      Promtool.checkMetrics(scrape.text());
    }
  }

  @Test
  void protectsMetricsWithTheTokenFromTheEnvironment() throws Exception {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
    try (HermesWorker hermes =
        HermesWorker.start(
            SampleSettings.fromEnvironment(
                Map.of("PORT", "0", "KOSMOS_METRICS_TOKEN", "s3cret-token"), 1),
            metrics,
            Duration.ofMillis(50))) {
      URI metricsUri = URI.create("http://127.0.0.1:" + hermes.port() + "/metrics");
      HttpResponse<String> anonymous =
          CLIENT.send(
              HttpRequest.newBuilder(metricsUri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"metrics\"");
      HttpResponse<String> authorized =
          CLIENT.send(
              HttpRequest.newBuilder(metricsUri)
                  .header("Authorization", "Bearer s3cret-token")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(authorized.statusCode()).isEqualTo(200);
      assertThat(authorized.body()).contains("# TYPE agent_tasks_total counter");
    }
  }
}
