package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole bundle, end to end: the three samples' shaded jars and the Spring Boot gateway in front
 * of them run with {@code java -jar}, Debian's Prometheus runs the shipped {@code prometheus.yml}
 * (only its targets' ports and its intervals changed, to free ports and 1 s) with the shipped
 * rules, traffic goes to zeus and athena (directly and through the gateway) while hermes works on
 * its own, and Prometheus's HTTP API must show every target up, the gateway with {@code
 * component="gateway"}, and every recording rule returning a series with the labels it promises.
 */
class SamplesEndToEndTest {

  private static final Map<String, Set<String>> EXPECTED_LABELS =
      RulesAgainstLibraryScrapeTest.EXPECTED_LABELS;

  @Test
  void everyTargetIsUpAndEveryRecordingRuleReturnsItsLabels(@TempDir Path workDir)
      throws Exception {
    Binaries.find("prometheus");
    List<SampleProcess> samples = new ArrayList<>();
    ScheduledExecutorService traffic = Executors.newScheduledThreadPool(2);
    PrometheusProcess prometheus = null;
    try {
      SampleProcess zeus = start("zeus-servlet", workDir, samples);
      SampleProcess athena = start("athena-vertx", workDir, samples);
      SampleProcess hermes = start("hermes-worker", workDir, samples);
      SampleProcess gateway =
          start(
              "gateway-spring",
              workDir,
              samples,
              Map.of(
                  "ZEUS_URL", zeus.base().toString(),
                  "ATHENA_URL", athena.base().toString(),
                  "HERMES_URL", hermes.base().toString()));
      traffic.scheduleWithFixedDelay(trafficTo(zeus), 0, 20, TimeUnit.MILLISECONDS);
      traffic.scheduleWithFixedDelay(trafficTo(athena), 0, 20, TimeUnit.MILLISECONDS);
      traffic.scheduleWithFixedDelay(throughGateway(gateway), 0, 50, TimeUnit.MILLISECONDS);

      String config =
          PrometheusProcess.shippedConfig(
              Map.of(
                  // Prometheus's own target stays 9090 here; start() puts in the port it binds.
                  9090, 9090,
                  8000, zeus.port(),
                  8001, athena.port(),
                  8002, hermes.port(),
                  8080, gateway.port()),
              "1s");
      assertThat(config)
          .contains("job_name: kosmos-agents", "job_name: kosmos-gateway")
          .doesNotContain("15s");
      PrometheusProcess.copyRules(workDir, "1s");
      // Prometheus scrapes itself too: its target is the port it binds.
      prometheus =
          PrometheusProcess.start(
              workDir, port -> config.replace("localhost:9090", "localhost:" + port));

      PrometheusProcess server = prometheus;
      await()
          .atMost(Duration.ofSeconds(45))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                assertThat(server.targetHealth("kosmos-agents").values())
                    .as("targets %s", server.targetHealth())
                    .hasSize(3)
                    .containsOnly("up");
                assertThat(server.targetHealth("kosmos-gateway").values()).containsExactly("up");
                assertThat(server.targetHealth("prometheus").values()).containsExactly("up");
                for (Map.Entry<String, Set<String>> rule : EXPECTED_LABELS.entrySet()) {
                  List<PrometheusProcess.Series> series = server.query(rule.getKey());
                  assertThat(series).as("series of %s", rule.getKey()).isNotEmpty();
                  for (PrometheusProcess.Series s : series) {
                    assertThat(s.labels())
                        .as(rule.getKey())
                        .containsKeys(rule.getValue().toArray(String[]::new));
                  }
                }
                assertThat(labelValues(server, "kosmos:agent:request_rate_5m", "agent"))
                    .contains("zeus", "athena");
                assertThat(labelValues(server, "kosmos:agent:error_rate_5m", "agent"))
                    .contains("zeus", "athena");
                assertThat(labelValues(server, "kosmos:agent:task_success_rate_5m", "agent"))
                    .containsExactly("hermes");
                assertThat(labelValues(server, "kosmos:llm:tokens_per_minute", "type"))
                    .contains("input", "output", "cache_read");
                assertThat(labelValues(server, "kosmos:llm:cost_per_hour", "model"))
                    .containsExactly("gpt-4o-mini");
                assertThat(
                        server.query(
                            "sum by (endpoint) (http_requests_total{component=\"gateway\","
                                + " agent=\"gateway\"})"))
                    .extracting(s -> s.labels().get("endpoint"))
                    .contains("/{agent}/tasks/{id}");
              });

      assertThat(server.query("up{job=\"kosmos-agents\"}"))
          .extracting(s -> s.labels().get("service"))
          .containsExactlyInAnyOrder("zeus", "athena", "hermes");
      assertThat(server.query("up{component=\"gateway\"}"))
          .singleElement()
          .satisfies(
              up -> {
                assertThat(up.value()).isEqualTo(1);
                assertThat(up.labels()).containsEntry("job", "kosmos-gateway");
              });
    } catch (AssertionError | RuntimeException e) {
      StringBuilder logs = new StringBuilder();
      samples.forEach(s -> logs.append(s.log()).append('\n'));
      if (prometheus != null) {
        logs.append("--- prometheus ---\n").append(prometheus.log());
      }
      throw new AssertionError(e.getMessage() + "\n" + logs, e);
    } finally {
      traffic.shutdownNow();
      traffic.awaitTermination(10, TimeUnit.SECONDS);
      if (prometheus != null) {
        prometheus.close();
      }
      for (SampleProcess sample : samples) {
        sample.close();
      }
    }
  }

  private static SampleProcess start(String name, Path workDir, List<SampleProcess> started)
      throws Exception {
    return start(name, workDir, started, Map.of());
  }

  private static SampleProcess start(
      String name, Path workDir, List<SampleProcess> started, Map<String, String> environment)
      throws Exception {
    SampleProcess sample = SampleProcess.start(name, workDir, environment);
    started.add(sample);
    return sample;
  }

  private static Set<String> labelValues(PrometheusProcess prometheus, String query, String label)
      throws Exception {
    return Set.copyOf(
        prometheus.query(query).stream().map(s -> s.labels().getOrDefault(label, "")).toList());
  }

  /** Tasks and health checks of zeus and athena, through the gateway. */
  private static Runnable throughGateway(SampleProcess gateway) {
    AtomicInteger tick = new AtomicInteger();
    return () -> {
      int i = tick.incrementAndGet();
      try {
        gateway.get((i % 2 == 0 ? "/zeus" : "/athena") + (i % 3 == 0 ? "/health" : "/tasks/" + i));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // The assertions report what is missing; a failed request must not stop the traffic.
      }
    };
  }

  /**
   * Health checks, tasks, chats and a failing route, in a fixed mix: one request in five is 500.
   */
  private static Runnable trafficTo(SampleProcess sample) {
    AtomicInteger tick = new AtomicInteger();
    return () -> {
      int i = tick.incrementAndGet();
      try {
        switch (i % 5) {
          case 0 -> sample.get("/boom");
          case 1 -> sample.get("/health");
          case 2 ->
              sample.send(
                  "POST", "/chat", "{\"message\":\"Summarise incident " + i + " for the team\"}");
          default -> sample.get("/tasks/" + i);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        // The assertions report what is missing; a failed request must not stop the traffic.
      }
    };
  }
}
