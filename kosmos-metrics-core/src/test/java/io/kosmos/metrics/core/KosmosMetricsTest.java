package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.internal.Catalog;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class KosmosMetricsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();

  /** Records one value in every family, so that every family shows in a scrape. */
  private Exposition scrapeWithEveryFamily() {
    HttpRecorder http = metrics.http("zeus");
    http.end(http.start(), "GET", "/tasks/{id}", "/tasks/1", 200);
    try (AgentTask task = metrics.tasks("zeus").start("plan")) {
      task.success();
    }
    Catalog catalog = metrics.catalog();
    catalog.llmDuration.labelValues("openai", "gpt-4o-mini").observe(1.5);
    catalog.llmRequests.labelValues("openai", "gpt-4o-mini", "success").inc();
    catalog.llmTokens.labelValues("openai", "gpt-4o-mini", "input").inc(10);
    catalog.llmCost.account("openai", "gpt-4o-mini").add(3_000_000);
    catalog.llmTimeToFirstToken.labelValues("openai", "gpt-4o-mini").observe(0.2);
    catalog.llmErrors.labelValues("openai", "gpt-4o-mini", "timeout").inc();
    catalog.llmCostUnpriced.labelValues("openai", "unknown-model").inc();
    return Exposition.scrape(registry);
  }

  @Test
  void scrapeShowsEveryFamilyWithTheGuidesNamesTypesHelpLabelsAndBuckets() {
    Exposition scrape = scrapeWithEveryFamily();

    assertFamily(
        scrape,
        "http_requests_total",
        "counter",
        "Total HTTP requests",
        "method",
        "endpoint",
        "status",
        "agent");
    assertFamily(
        scrape,
        "http_request_duration_seconds",
        "histogram",
        "HTTP request latency",
        "method",
        "endpoint",
        "agent");
    assertFamily(scrape, "active_connections", "gauge", "Number of active connections", "agent");
    assertFamily(
        scrape,
        "llm_request_duration_seconds",
        "histogram",
        "LLM request latency",
        "provider",
        "model");
    assertFamily(
        scrape,
        "llm_requests_total",
        "counter",
        "LLM requests by outcome",
        "provider",
        "model",
        "status");
    assertFamily(
        scrape, "llm_tokens_total", "counter", "LLM tokens consumed", "provider", "model", "type");
    assertFamily(
        scrape,
        "llm_cost_dollars_total",
        "counter",
        "Estimated LLM cost in dollars",
        "provider",
        "model");
    assertFamily(
        scrape,
        "agent_tasks_total",
        "counter",
        "Agent tasks processed",
        "agent",
        "task_type",
        "status");
    assertFamily(
        scrape,
        "agent_task_duration_seconds",
        "histogram",
        "Agent task duration",
        "agent",
        "task_type");
    assertFamily(
        scrape,
        "llm_time_to_first_token_seconds",
        "histogram",
        "Time from sending an LLM request to its first streamed token",
        "provider",
        "model");
    assertFamily(
        scrape,
        "llm_errors_total",
        "counter",
        "Failed LLM requests by error type",
        "provider",
        "model",
        "error_type");
    assertFamily(
        scrape,
        "llm_cost_unpriced_total",
        "counter",
        "LLM requests whose cost is unknown because the model has no price",
        "provider",
        "model");

    assertThat(buckets(scrape, "http_request_duration_seconds"))
        .containsExactly(
            "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "+Inf");
    assertThat(buckets(scrape, "llm_request_duration_seconds"))
        .containsExactly("0.1", "0.5", "1.0", "2.0", "5.0", "10.0", "30.0", "60.0", "+Inf");
    assertThat(buckets(scrape, "llm_time_to_first_token_seconds"))
        .containsExactly("0.05", "0.1", "0.25", "0.5", "1.0", "2.0", "5.0", "10.0", "30.0", "+Inf");
    assertThat(buckets(scrape, "agent_task_duration_seconds"))
        .containsExactly(
            "0.1", "0.5", "1.0", "2.5", "5.0", "10.0", "30.0", "60.0", "120.0", "300.0", "600.0",
            "+Inf");

    assertThat(scrape.value("llm_cost_dollars_total", "model", "gpt-4o-mini")).isEqualTo(3e-6);
    assertThat(scrape.value("http_requests_total", "endpoint", "/tasks/{id}", "status", "200"))
        .isEqualTo(1);
  }

  private static void assertFamily(
      Exposition scrape, String name, String type, String help, String... labels) {
    Exposition.Family family = scrape.family(name);
    assertThat(family.type()).as("type of %s", name).isEqualTo(type);
    assertThat(family.help()).as("help of %s", name).isEqualTo(help);
    assertThat(family.labelNames()).as("labels of %s", name).isEqualTo(Set.of(labels));
    assertThat(family.samples()).as("samples of %s", name).isNotEmpty();
  }

  private static List<String> buckets(Exposition scrape, String histogram) {
    return scrape.samples(histogram + "_bucket").stream()
        .map(s -> s.labels().get("le"))
        .distinct()
        .collect(Collectors.toList());
  }

  @Test
  void promtoolCheckMetricsFindsNothingToComplainAbout() throws Exception {
    Path promtool = Promtool.find();
    Exposition scrape = scrapeWithEveryFamily();
    Path file = Files.createTempFile("kosmos-scrape", ".prom");
    Files.writeString(file, scrape.text());
    try {
      Process process =
          new ProcessBuilder(promtool.toString(), "check", "metrics")
              .redirectInput(file.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(output).isEmpty();
      assertThat(process.exitValue()).isZero();
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void aSecondCatalogOnTheSameRegistrySharesTheFamilies() {
    KosmosMetrics second = KosmosMetrics.builder().registry(registry).build();
    metrics.http("zeus").end(metrics.http("zeus").start(), "GET", "/a", null, 200);
    second.http("athena").end(second.http("athena").start(), "GET", "/a", null, 200);

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "agent"))
        .containsExactly("athena", "zeus");
    assertThat(second.catalog()).isSameAs(metrics.catalog());
  }

  @Test
  void aSecondCatalogWithOtherBucketsFailsNamingTheParameter() {
    assertThatThrownBy(
            () -> KosmosMetrics.builder().registry(registry).httpDurationBuckets(0.1, 1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "httpDurationBuckets must match the catalog already registered on this registry"
                + " ([0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0]), but was [0.1, 1.0]");
    assertThatThrownBy(
            () -> KosmosMetrics.builder().registry(registry).nativeHistograms(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "nativeHistograms must match the catalog already registered on this registry"
                + " (false), but was true");
  }

  @Test
  void aRegistryHoldingAForeignMetricOfTheSameNameFailsAndKeepsNothingHalfRegistered() {
    PrometheusRegistry taken = new PrometheusRegistry();
    Counter.builder().name("agent_tasks_total").help("mine").register(taken);

    assertThatThrownBy(() -> KosmosMetrics.builder().registry(taken).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Cannot register the kosmos-metrics catalog: the registry already holds a metric that"
                + " kosmos-metrics did not register (");
    assertThat(taken.scrape().stream().map(s -> s.getMetadata().getPrometheusName()))
        .containsExactly("agent_tasks");
  }

  @Test
  void histogramsAreClassicOnlyUnlessNativeHistogramsAreAskedFor() {
    PrometheusRegistry nativeRegistry = new PrometheusRegistry();
    KosmosMetrics withNative =
        KosmosMetrics.builder().registry(nativeRegistry).nativeHistograms(true).build();
    withNative.http("zeus").end(withNative.http("zeus").start(), "GET", "/a", null, 200);
    metrics.http("zeus").end(metrics.http("zeus").start(), "GET", "/a", null, 200);

    assertThat(durationPoint(registry).hasNativeHistogramData()).isFalse();
    assertThat(durationPoint(registry).hasClassicHistogramData()).isTrue();
    assertThat(durationPoint(nativeRegistry).hasNativeHistogramData()).isTrue();
    assertThat(durationPoint(nativeRegistry).hasClassicHistogramData()).isTrue();
  }

  private static HistogramSnapshot.HistogramDataPointSnapshot durationPoint(
      PrometheusRegistry registry) {
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot.getMetadata().getPrometheusName().equals("http_request_duration_seconds")) {
        return ((HistogramSnapshot) snapshot).getDataPoints().get(0);
      }
    }
    throw new AssertionError("no http_request_duration_seconds in the scrape");
  }

  @Test
  void bucketsThatAreNotFinitePositiveAndIncreasingFailAtBuildTime() {
    KosmosMetrics.Builder builder = KosmosMetrics.builder();
    assertThatThrownBy(() -> builder.httpDurationBuckets(0.5, 0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "httpDurationBuckets must be a non-empty list of finite, positive, strictly increasing"
                + " bounds, but was [0.5, 0.1]");
    assertThatThrownBy(() -> builder.llmDurationBuckets(1, Double.NaN))
        .hasMessage(
            "llmDurationBuckets must be a non-empty list of finite, positive, strictly increasing"
                + " bounds, but was [1.0, NaN]");
    assertThatThrownBy(() -> builder.taskDurationBuckets())
        .hasMessage(
            "taskDurationBuckets must be a non-empty list of finite, positive, strictly increasing"
                + " bounds, but was []");
    assertThatThrownBy(() -> builder.llmTimeToFirstTokenBuckets(0, 1))
        .hasMessage(
            "llmTimeToFirstTokenBuckets must be a non-empty list of finite, positive, strictly"
                + " increasing bounds, but was [0.0, 1.0]");
  }

  @Test
  void costAccumulatesExactlyWhereADoubleWouldDrift() {
    double drifting = 0;
    for (int i = 0; i < 1_000_000; i++) {
      drifting += 0.000002;
      metrics.catalog().llmCost.account("openai", "gpt-4o-mini").add(2_000_000);
    }
    assertThat(drifting).isNotEqualTo(2.0);
    assertThat(Exposition.scrape(registry).value("llm_cost_dollars_total")).isEqualTo(2.0);
  }

  @Test
  void costSaturatesInsteadOfWrappingNegative() {
    var account = metrics.catalog().llmCost.account("openai", "gpt-4o");
    assertThat(account.add(Long.MAX_VALUE - 10)).isTrue();
    assertThat(account.add(11)).isFalse();
    assertThat(account.picodollars()).isEqualTo(Long.MAX_VALUE);
    assertThat(Exposition.scrape(registry).value("llm_cost_dollars_total", "model", "gpt-4o"))
        .isEqualTo(9_223_372.036854775807);
  }

  /** Finds promtool; skips the test where it is missing unless the run requires it. */
  static final class Promtool {
    static Path find() throws IOException {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        Path candidate = Path.of(dir, "promtool");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
      String message =
          "promtool is not installed (Debian: apt-get install prometheus); .ci/run installs it"
              + " and sets KOSMOS_REQUIRE_PROMETHEUS=true";
      if (Boolean.parseBoolean(System.getenv("KOSMOS_REQUIRE_PROMETHEUS"))) {
        throw new IOException(message);
      }
      Assumptions.abort(message);
      throw new AssertionError("unreachable");
    }
  }
}
