package io.kosmos.metrics.test;

import static io.kosmos.metrics.test.KosmosAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.AgentTask;
import io.kosmos.metrics.core.AgentTasks;
import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KosmosAssertionsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicLong now = new AtomicLong();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private final HttpRecorder http =
      HttpRecorder.builder(metrics).agent("zeus").clock(now::get).build();

  /** One request to {@code route} that took {@code millis} and was answered with {@code status}. */
  private void request(String method, String route, int status, long millis) {
    long start = http.start();
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    http.end(start, method, route, route, status);
  }

  @Test
  void aCounterHasTheValueOfItsDataPointWithTheGivenLabels() {
    request("GET", "/tasks/{id}", 200, 5);
    request("GET", "/tasks/{id}", 200, 5);
    request("GET", "/tasks/{id}", 200, 5);
    request("GET", "/boom", 500, 5);

    assertThat(registry)
        .counter("http_requests_total")
        .withLabels("agent", "zeus", "endpoint", "/tasks/{id}", "method", "GET", "status", "200")
        .hasValue(3);
    // Fewer labels: the sum of every data point that has them, as PromQL's sum() would give.
    assertThat(registry).counter("http_requests_total").withLabels("agent", "zeus").hasValue(4);
    assertThat(metrics).httpRequests("zeus").withLabels("status", "500").hasValue(1);
    assertThat(registry).counter("http_requests_total").value().isEqualTo(4.0);
    assertThat(registry).gauge("active_connections").withLabels("agent", "zeus").hasValue(0);
  }

  @Test
  void aHistogramHasItsCountSumAndCumulativeBuckets() {
    request("GET", "/tasks/{id}", 200, 20); // le 0.025
    request("GET", "/tasks/{id}", 200, 200); // le 0.25
    request("GET", "/tasks/{id}", 200, 3000); // le 5
    request("POST", "/chat", 200, 40); // another endpoint

    assertThat(registry)
        .histogram("http_request_duration_seconds")
        .withLabels("agent", "zeus", "endpoint", "/tasks/{id}")
        .hasCount(3)
        .hasSumCloseTo(3.22, 1e-9)
        .hasBucket(0.01, 0)
        .hasBucket(0.025, 1)
        .hasBucket(0.1, 1)
        .hasBucket(0.25, 2)
        .hasBucket(5, 3)
        .hasBucket(Double.POSITIVE_INFINITY, 3)
        .hasBucketBounds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10);
    assertThat(registry).httpRequestDuration("zeus").hasCount(4).hasBucket(0.05, 2);
  }

  @Test
  void bucketsAreTheCumulativeOnesOfTheScrape() throws Exception {
    Histogram histogram =
        Histogram.builder().name("job_seconds").classicUpperBounds(0.1, 1).register(registry);
    histogram.observe(0.05);
    histogram.observe(0.5);
    histogram.observe(0.7);
    histogram.observe(9);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("job_seconds_bucket{le=\"0.1\"} 1\n")
        .contains("job_seconds_bucket{le=\"1.0\"} 3\n")
        .contains("job_seconds_bucket{le=\"+Inf\"} 4\n");
    assertThat(registry)
        .histogram("job_seconds")
        .hasBucket(0.1, 1)
        .hasBucket(1, 3)
        .hasBucket(Double.POSITIVE_INFINITY, 4)
        .hasCount(4)
        .hasSum(0.05 + 0.5 + 0.7 + 9);
  }

  @Test
  void sinceAssertsOnTheIncreaseSinceASnapshot() {
    request("GET", "/tasks/{id}", 200, 20);
    request("GET", "/tasks/{id}", 200, 20);
    MetricsSnapshot before = KosmosMetricsTesting.snapshot(registry);
    request("GET", "/tasks/{id}", 200, 300);
    request("GET", "/health", 200, 1);

    RegistryAssert since = assertThat(registry).since(before);
    since.httpRequests("zeus").withLabels("endpoint", "/tasks/{id}").hasIncreasedBy(1);
    // A data point created after the snapshot counts from zero.
    since.httpRequests("zeus").withLabels("endpoint", "/health").hasIncreasedBy(1);
    // A label combination never recorded has not increased.
    since.httpRequests("zeus").withLabels("endpoint", "/never").hasIncreasedBy(0);
    since
        .httpRequestDuration("zeus")
        .withLabels("endpoint", "/tasks/{id}")
        .hasCount(1)
        .hasSumCloseTo(0.3, 1e-9)
        .hasBucket(0.25, 0)
        .hasBucket(0.5, 1);
    // Gauges keep their value: a difference of a gauge means nothing.
    since.gauge("active_connections").withLabels("agent", "zeus").hasValue(0);
    // The snapshot itself did not change.
    assertThat(before).httpRequests("zeus").hasValue(2);
  }

  @Test
  void catalogShortcutsSelectTheirFamilies() {
    AgentTasks tasks = metrics.tasks("hermes");
    MetricsSnapshot before = KosmosMetricsTesting.snapshot(metrics);
    try (AgentTask task = tasks.start("summarize")) {
      task.success();
    }
    tasks.start("plan").close(); // no outcome: an error

    RegistryAssert since = assertThat(metrics).since(before);
    since.agentTasks("hermes").hasIncreasedBy(2);
    since
        .agentTasks("hermes")
        .withLabels("task_type", "summarize", "status", "success")
        .hasIncreasedBy(1);
    since.agentTasks("hermes").withLabels("task_type", "plan", "status", "error").hasIncreasedBy(1);
  }

  @Test
  void aFreshCatalogHasItsFamiliesButNoSeriesUntilFirstUse() throws Exception {
    PrometheusRegistry fresh = new PrometheusRegistry();
    KosmosMetrics catalog = KosmosMetrics.builder().registry(fresh).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, fresh.scrape());
    assertThat(out.toString(StandardCharsets.UTF_8))
        .doesNotContain("http_requests_total")
        .doesNotContain("llm_")
        .doesNotContain("agent_")
        .doesNotContain("kosmos_metrics_label_overflow_total")
        // The failure policy's counter starts at 0 for every reason.
        .contains("kosmos_metrics_dropped_total{reason=\"null_label\"} 0.0\n");
    assertThat(fresh).counter("kosmos_metrics_dropped_total").hasValue(0);
    assertThatThrownBy(() -> assertThat(fresh).counter("http_requests_total").hasValue(0))
        .hasMessageEndingWith("http_requests_total (counter), no data points");

    HttpRecorder zeus = catalog.http("zeus");
    // The in-flight gauge of an agent exists from its recorder on; request series from a request.
    assertThat(fresh).gauge("active_connections").withLabels("agent", "zeus").hasValue(0);
    assertThatThrownBy(() -> assertThat(fresh).httpRequests("zeus").hasValue(0))
        .hasMessageStartingWith("Expecting a data point of http_requests_total{agent=\"zeus\"}");
    zeus.end(zeus.start(), "GET", "/health", "/health", 200);
    assertThat(fresh).httpRequests("zeus").hasValue(1);
  }

  @Test
  void aFailedValueShowsTheWholeFamily() {
    request("GET", "/tasks/{id}", 200, 5);
    request("GET", "/tasks/{id}", 200, 5);
    request("GET", "/boom", 500, 5);

    assertThatThrownBy(
            () ->
                assertThat(registry)
                    .counter("http_requests_total")
                    .withLabels("agent", "zeus", "endpoint", "/tasks/{id}")
                    .hasValue(3))
        .isInstanceOf(AssertionError.class)
        .hasMessage(
            """
            Expecting http_requests_total{agent="zeus",endpoint="/tasks/{id}"} to be 3.0 but was 2.0

            http_requests_total (counter), 2 data points:
              {agent="zeus",endpoint="/boom",method="GET",status="500"} 1.0
              {agent="zeus",endpoint="/tasks/{id}",method="GET",status="200"} 2.0""");
  }

  @Test
  void aFailedIncreaseShowsTheWholeFamilysIncreases() {
    Counter jobs = Counter.builder().name("jobs_total").labelNames("queue").register(registry);
    jobs.labelValues("a").inc(5);
    MetricsSnapshot before = KosmosMetricsTesting.snapshot(registry);
    jobs.labelValues("a").inc();
    jobs.labelValues("b").inc(2);

    assertThatThrownBy(
            () -> assertThat(registry).since(before).counter("jobs_total").hasIncreasedBy(2))
        .hasMessage(
            """
            Expecting jobs_total to have increased by 2.0 but it increased by 3.0 (the sum of 2 data points)

            jobs_total (counter), increase since the snapshot, 2 data points:
              {queue="a"} 1.0
              {queue="b"} 2.0""");
  }

  @Test
  void aMissingDataPointShowsTheWholeFamily() {
    Counter jobs = Counter.builder().name("jobs").labelNames("queue").register(registry);
    jobs.labelValues("a\"quoted\"").inc();

    assertThatThrownBy(
            () -> assertThat(registry).counter("jobs_total").withLabels("queue", "b").hasValue(1))
        .hasMessage(
            """
            Expecting a data point of jobs_total{queue="b"} but there is none

            jobs_total (counter), 1 data point:
              {queue="a\\"quoted\\""} 1.0""");
  }

  @Test
  void aFailedHistogramAssertionShowsEveryBucket() {
    Histogram histogram =
        Histogram.builder()
            .name("job_seconds")
            .labelNames("queue")
            .classicUpperBounds(0.5, 1)
            .register(registry);
    histogram.labelValues("a").observe(0.25);
    histogram.labelValues("a").observe(0.75);

    assertThatThrownBy(() -> assertThat(registry).histogram("job_seconds").hasBucket(0.5, 2))
        .hasMessage(
            """
            Expecting bucket le="0.5" of job_seconds to be 2 but was 1

            job_seconds (histogram), 1 data point:
              {queue="a"} count=2 sum=1.0 buckets=[0.5:1, 1.0:2, +Inf:2]""");
    assertThatThrownBy(() -> assertThat(registry).histogram("job_seconds").hasBucket(0.3, 1))
        .hasMessageStartingWith(
            "Expecting job_seconds to have a bucket le=\"0.3\" but its buckets are 0.5, 1.0, +Inf");
    assertThatThrownBy(() -> assertThat(registry).histogram("job_seconds").hasCount(3))
        .hasMessageStartingWith("Expecting the count of job_seconds to be 3 but was 2\n");
    assertThatThrownBy(() -> assertThat(registry).histogram("job_seconds").hasSum(2))
        .hasMessageStartingWith("Expecting the sum of job_seconds to be 2.0 but was 1.0\n");
  }

  @Test
  void anUnknownFamilyOrTypeFailsAndSaysWhatThereIs() {
    PrometheusRegistry registry = new PrometheusRegistry(); // without the catalog
    Gauge.builder().name("queue_depth").register(registry).set(4);
    Counter.builder().name("jobs").labelNames("queue").register(registry);

    assertThatThrownBy(() -> assertThat(registry).counter("job_total"))
        .hasMessage(
            "Expecting a counter named job_total but the registry has no such family; it has:"
                + " jobs_total, queue_depth");
    assertThatThrownBy(() -> assertThat(registry).counter("queue_depth"))
        .hasMessage(
            """
            Expecting queue_depth to be a counter but it is a gauge

            queue_depth (gauge), 1 data point:
              {} 4.0""");
    // A labelled family has its first data point once a label combination is used.
    assertThatThrownBy(() -> assertThat(registry).counter("jobs_total").hasValue(0))
        .hasMessage(
            """
            Expecting a data point of jobs_total but there is none

            jobs_total (counter), no data points""");
  }

  @Test
  void misuseFailsWithAMessageThatSaysWhatToDo() {
    assertThatThrownBy(() -> assertThat(registry).httpRequests("zeus").hasIncreasedBy(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "hasIncreasedBy needs a baseline: use assertThat(registry).since(before), where before"
                + " = KosmosMetricsTesting.snapshot(registry) was taken earlier");
    assertThatThrownBy(
            () ->
                assertThat(registry)
                    .counter("http_requests_total")
                    .withLabels("agent", "zeus", "endpoint"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("withLabels needs name-value pairs, but got 3 strings: agent, zeus, endpoint");
    MetricsSnapshot before = KosmosMetricsTesting.snapshot(registry);
    assertThatThrownBy(() -> assertThat(registry).since(before).since(before))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("since(before) was already called on this assertion");
  }

  @Test
  void aDescriptionIsKeptByTheFamilyAssertions() {
    request("GET", "/boom", 500, 5);
    assertThatThrownBy(
            () -> assertThat(registry).as("after /boom").httpRequests("zeus").hasValue(2))
        .hasMessageStartingWith(
            "[after /boom] Expecting http_requests_total{agent=\"zeus\"} to be 2.0 but was 1.0\n");
  }
}
