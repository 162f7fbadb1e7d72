package io.kosmos.metrics.core;

import io.kosmos.metrics.core.internal.BoundedLabel;
import io.kosmos.metrics.core.internal.Catalog;
import io.kosmos.metrics.core.internal.SelfMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import org.jspecify.annotations.Nullable;

/**
 * Tracks the tasks an agent processes: {@code agent_tasks_total{agent,task_type,status}} and {@code
 * agent_task_duration_seconds{agent,task_type}}.
 *
 * <pre>{@code
 * AgentTasks tasks = metrics.tasks("hermes");
 *
 * try (AgentTask task = tasks.start("summarize")) {
 *   summarize(document);
 *   task.success();
 * } // no success() or failure() reached, e.g. an exception: recorded as "error"
 * }</pre>
 *
 * <p>A task counts as {@value AgentTask#SUCCESS} only when the code says so. Marked failed it is
 * {@value AgentTask#FAILURE}; closed without an outcome, as when an exception leaves the try block,
 * it is {@value AgentTask#ERROR}. So an exception can never be counted as a success, which the
 * guide's {@code kosmos:agent:task_success_rate_5m} depends on.
 *
 * <p>At most {@link Builder#maxTaskTypes} distinct task types are kept; later ones are recorded as
 * {@code overflow}. Thread-safe; no method throws.
 */
public final class AgentTasks {

  private final NanoClock clock;
  private final SelfMetrics self;
  private final BoundedLabel<TaskSeries> taskTypes;

  private AgentTasks(Builder builder, String agent) {
    Catalog catalog = builder.metrics.catalog();
    this.clock = builder.clock;
    this.self = catalog.self;
    this.taskTypes =
        new BoundedLabel<>(
            "task_type",
            builder.maxTaskTypes,
            type -> new TaskSeries(catalog, agent, type),
            catalog.self);
  }

  /** A builder for a tracker on {@code metrics}' registry. */
  public static Builder builder(KosmosMetrics metrics) {
    return new Builder(KosmosMetrics.Checks.notNull("metrics", metrics));
  }

  /**
   * Starts timing a task of {@code taskType}; close the result to record it. An invalid task type
   * (null, empty, over 256 characters) gives a task that records nothing; the drop is counted.
   */
  public AgentTask start(@Nullable String taskType) {
    try {
      return new AgentTask(taskTypes.get(taskType), clock, self);
    } catch (RuntimeException e) {
      self.internalError("AgentTasks.start", e);
      return new AgentTask(null, () -> 0L, self);
    }
  }

  /** The series of one task type. */
  static final class TaskSeries {
    final CounterDataPoint success;
    final CounterDataPoint failure;
    final CounterDataPoint error;
    final DistributionDataPoint duration;

    TaskSeries(Catalog catalog, String agent, String type) {
      success = catalog.agentTasks.labelValues(agent, type, AgentTask.SUCCESS);
      failure = catalog.agentTasks.labelValues(agent, type, AgentTask.FAILURE);
      error = catalog.agentTasks.labelValues(agent, type, AgentTask.ERROR);
      duration = catalog.agentTaskDuration.labelValues(agent, type);
    }
  }

  /** Configures {@link AgentTasks}. */
  public static final class Builder {
    private final KosmosMetrics metrics;
    private @Nullable String agent;
    private int maxTaskTypes = 50;
    private NanoClock clock = NanoClock.system();

    private Builder(KosmosMetrics metrics) {
      this.metrics = metrics;
    }

    /** The {@code agent} label. Required: 1 to 64 letters, digits, {@code _ . -}. */
    public Builder agent(String agent) {
      this.agent = agent;
      return this;
    }

    /** Most distinct task types kept; later ones are recorded as {@code overflow}. Default 50. */
    public Builder maxTaskTypes(int maxTaskTypes) {
      this.maxTaskTypes = KosmosMetrics.Checks.atLeast("maxTaskTypes", 1, maxTaskTypes);
      return this;
    }

    /** The clock that times tasks. Default {@link NanoClock#system()}. */
    public Builder clock(NanoClock clock) {
      this.clock = KosmosMetrics.Checks.notNull("clock", clock);
      return this;
    }

    /**
     * A tracker over the shared families.
     *
     * @throws IllegalArgumentException when the agent is missing or invalid
     */
    public AgentTasks build() {
      return new AgentTasks(this, KosmosMetrics.Checks.agent(agent));
    }
  }
}
