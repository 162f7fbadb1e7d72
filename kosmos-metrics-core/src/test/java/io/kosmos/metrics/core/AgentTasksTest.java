package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.internal.DropReason;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AgentTasksTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private final AtomicLong now = new AtomicLong();
  private final AgentTasks tasks =
      AgentTasks.builder(metrics).agent("hermes").clock(now::get).build();

  private double count(String type, String status) {
    return Exposition.scrape(registry)
        .value("agent_tasks_total", "agent", "hermes", "task_type", type, "status", status);
  }

  @Test
  void aTaskMarkedSuccessfulCountsAsSuccessWithItsDuration() {
    try (AgentTask task = tasks.start("summarize")) {
      now.addAndGet(2_000_000_000L);
      task.success();
    }
    Exposition scrape = Exposition.scrape(registry);
    assertThat(count("summarize", "success")).isEqualTo(1);
    assertThat(count("summarize", "failure")).isZero();
    assertThat(count("summarize", "error")).isZero();
    assertThat(scrape.value("agent_task_duration_seconds_sum", "task_type", "summarize"))
        .isEqualTo(2.0);
    assertThat(
            scrape.value(
                "agent_task_duration_seconds_bucket", "task_type", "summarize", "le", "2.5"))
        .isEqualTo(1);
  }

  @Test
  void aTaskMarkedFailedCountsAsFailure() {
    try (AgentTask task = tasks.start("plan")) {
      task.failure();
      task.success();
    }
    assertThat(count("plan", "failure")).isEqualTo(1);
    assertThat(count("plan", "success")).isZero();
  }

  @Test
  void anExceptionLeavingTheTryBlockCountsAsErrorAndPropagatesUnchanged() {
    IllegalStateException thrown = new IllegalStateException("model refused");
    assertThatThrownBy(
            () -> {
              try (AgentTask task = tasks.start("search")) {
                throw thrown;
              }
            })
        .isSameAs(thrown);
    assertThat(count("search", "error")).isEqualTo(1);
    assertThat(count("search", "success")).isZero();
  }

  @Test
  void closingTwiceRecordsOnce() {
    AgentTask task = tasks.start("plan");
    task.success();
    task.close();
    task.close();
    task.failure();
    assertThat(count("plan", "success")).isEqualTo(1);
    assertThat(Exposition.scrape(registry).value("agent_task_duration_seconds_count")).isEqualTo(1);
  }

  @Test
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "dropped a recording in task_type: a label value was null")
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "dropped a recording in task_type: a label value was empty")
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "dropped a recording in task_type: a label value was longer than 256 chars")
  void invalidTaskTypesRecordNothingAndAreCounted() {
    assertThatCode(
            () -> {
              try (AgentTask task = tasks.start(null)) {
                task.success();
              }
              try (AgentTask task = tasks.start("")) {
                task.success();
              }
              try (AgentTask task = tasks.start("t".repeat(10_000))) {
                task.success();
              }
            })
        .doesNotThrowAnyException();
    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.samples("agent_tasks_total")).isEmpty();
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "null_label")).isEqualTo(1);
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "empty_label")).isEqualTo(1);
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "label_too_long"))
        .isEqualTo(1);
  }

  @Test
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "kosmos-metrics failed to record in AgentTasks.start")
  void aBrokenClockNeverReachesTheCaller() {
    AgentTasks broken =
        AgentTasks.builder(metrics)
            .agent("broken")
            .clock(
                () -> {
                  throw new IllegalStateException("no clock");
                })
            .build();
    assertThatCode(
            () -> {
              try (AgentTask task = broken.start("plan")) {
                task.success();
              }
            })
        .doesNotThrowAnyException();
    assertThat(
            Exposition.scrape(registry)
                .value("kosmos_metrics_dropped_total", "reason", DropReason.INTERNAL_ERROR.label()))
        .isEqualTo(1);
  }

  @Test
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "label 'task_type' reached its cap of 2")
  void taskTypesBeyondTheCapFoldIntoOverflow() {
    AgentTasks capped = AgentTasks.builder(metrics).agent("capped").maxTaskTypes(2).build();
    for (String type : new String[] {"a", "b", "c", "d"}) {
      try (AgentTask task = capped.start(type)) {
        task.success();
      }
    }
    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("agent_tasks_total", "task_type"))
        .containsExactly("a", "b", "overflow");
    assertThat(scrape.value("agent_tasks_total", "task_type", "overflow", "status", "success"))
        .isEqualTo(2);
    assertThat(scrape.value("kosmos_metrics_label_overflow_total", "label", "task_type"))
        .isEqualTo(2);
  }

  @Test
  void misconfigurationFailsAtBuildTime() {
    assertThatThrownBy(() -> AgentTasks.builder(metrics).maxTaskTypes(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTaskTypes must be at least 1, but was 0");
    assertThatThrownBy(() -> AgentTasks.builder(metrics).agent("").build())
        .hasMessage(
            "agent must be 1 to 64 characters of letters, digits, '_', '.' or '-', starting with a"
                + " letter or digit, but was ''");
  }
}
