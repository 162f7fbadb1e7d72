package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromtoolTest {

  private static String promtool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Binaries.find("promtool").toString());
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .directory(Binaries.bundle().toFile())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("promtool %s:%n%s", command, output).isZero();
    return output;
  }

  private static String[] ruleFiles() throws Exception {
    try (Stream<Path> files = Files.list(Binaries.bundle().resolve("rules"))) {
      return files
          .map(p -> "rules" + File.separator + p.getFileName())
          .sorted()
          .toArray(String[]::new);
    }
  }

  @Test
  void theShippedConfigIsValidAndLoadsEveryRuleFile() throws Exception {
    assertThat(promtool("check", "config", "prometheus.yml"))
        .contains("SUCCESS: 4 rule files found");
  }

  @Test
  void everyRuleFileIsValid() throws Exception {
    String[] files = ruleFiles();
    List<String> args = new ArrayList<>(List.of("check", "rules"));
    args.addAll(List.of(files));
    String output = promtool(args.toArray(String[]::new));
    assertThat(output)
        .contains("rules/kosmos-agents.yml\n  SUCCESS: 4 rules found")
        .contains("rules/kosmos-llm.yml\n  SUCCESS: 5 rules found")
        .contains("rules/kosmos-alerts.yml\n  SUCCESS: 5 rules found")
        .contains("rules/kosmos-infrastructure.yml\n  SUCCESS: 6 rules found");
  }

  /** Every recording rule of the guide is shipped, under the guide's name, plus one NATS rule. */
  @Test
  void everyRecordingRuleOfTheGuideIsShipped() throws Exception {
    assertThat(PrometheusProcess.recordingRules())
        .containsExactlyInAnyOrder(
            "kosmos:agent:request_rate_5m",
            "kosmos:agent:error_rate_5m",
            "kosmos:agent:latency_p99_5m",
            "kosmos:agent:task_success_rate_5m",
            "kosmos:llm:request_rate_5m",
            "kosmos:llm:latency_p50_5m",
            "kosmos:llm:latency_p99_5m",
            "kosmos:llm:tokens_per_minute",
            "kosmos:llm:cost_per_hour",
            "kosmos:postgres:connection_utilization",
            "kosmos:postgres:replication_lag_bytes",
            "kosmos:postgres:cache_hit_ratio",
            "kosmos:dragonfly:memory_usage_ratio",
            "kosmos:nats:message_rate_5m",
            "kosmos:nats:server_in_message_rate_5m");
  }

  @Test
  void ruleUnitTestsPass() throws Exception {
    assertThat(promtool("test", "rules", "tests/kosmos-rules-test.yml")).contains("SUCCESS");
  }

  /**
   * The guide's memory tip puts {@code query.max-samples: 50000000} into prometheus.yml; it is a
   * command-line flag ({@code --query.max-samples}), and promtool rejects the field.
   */
  @Test
  void queryMaxSamplesIsAFlagNotAConfigField(@TempDir Path workDir) throws Exception {
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(
        config,
        Files.readString(Binaries.bundle().resolve("prometheus.yml"))
            .replace("rule_files:\n  - rules/*.yml\n", "query.max-samples: 50000000\n"));
    Process check =
        new ProcessBuilder(
                Binaries.find("promtool").toString(), "check", "config", config.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(check.exitValue()).as(output).isNotZero();
    assertThat(output).contains("field query.max-samples not found");

    Process help =
        new ProcessBuilder(Binaries.find("prometheus").toString(), "--help")
            .redirectErrorStream(true)
            .start();
    String flags = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(help.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(flags).contains("--query.max-samples=");
  }

  @Test
  void dragonflyAndNatsRulesPassTheirUnitTests() throws Exception {
    assertThat(promtool("test", "rules", "tests/kosmos-infrastructure-test.yml"))
        .contains("SUCCESS");
  }
}
