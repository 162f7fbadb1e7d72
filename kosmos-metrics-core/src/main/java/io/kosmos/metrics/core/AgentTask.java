package io.kosmos.metrics.core;

import io.kosmos.metrics.core.internal.DropReason;
import io.kosmos.metrics.core.internal.SelfMetrics;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One running agent task, recorded when closed. Obtain it from {@link AgentTasks#start}.
 *
 * <pre>{@code
 * try (AgentTask task = tasks.start("plan")) {
 *   if (plan()) {
 *     task.success();
 *   } else {
 *     task.failure();
 *   }
 * }
 * }</pre>
 *
 * <p>The outcome is set at most once; the first of {@link #success()} and {@link #failure()} wins.
 * {@link #close()} records once, however often it is called. Safe to use from several threads. No
 * method throws.
 */
public final class AgentTask implements AutoCloseable {

  /** Status of a task marked successful. */
  public static final String SUCCESS = "success";

  /** Status of a task marked failed. */
  public static final String FAILURE = "failure";

  /** Status of a task closed without an outcome, as when an exception left the try block. */
  public static final String ERROR = "error";

  private static final int RUNNING = 0;
  private static final int SUCCEEDED = 1;
  private static final int FAILED = 2;
  private static final int CLOSED = 3;

  private final AgentTasks.@Nullable TaskSeries series;
  private final NanoClock clock;
  private final SelfMetrics self;
  private final long start;
  private final AtomicInteger state = new AtomicInteger(RUNNING);

  AgentTask(AgentTasks.@Nullable TaskSeries series, NanoClock clock, SelfMetrics self) {
    this.series = series;
    this.clock = clock;
    this.self = self;
    this.start = clock.nanoTime();
  }

  /** Marks the task successful. Ignored once an outcome is set or the task is closed. */
  public void success() {
    state.compareAndSet(RUNNING, SUCCEEDED);
  }

  /** Marks the task failed. Ignored once an outcome is set or the task is closed. */
  public void failure() {
    state.compareAndSet(RUNNING, FAILED);
  }

  /** Records the task with its outcome and duration, the first time only. */
  @Override
  public void close() {
    int outcome = state.getAndSet(CLOSED);
    if (outcome == CLOSED || series == null) {
      return;
    }
    try {
      long elapsed = clock.nanoTime() - start;
      switch (outcome) {
        case SUCCEEDED:
          series.success.inc();
          break;
        case FAILED:
          series.failure.inc();
          break;
        default:
          series.error.inc();
          break;
      }
      if (elapsed >= 0) {
        series.duration.observe(Unit.nanosToSeconds(elapsed));
      } else {
        self.drop(DropReason.NEGATIVE_AMOUNT, "task duration");
      }
    } catch (RuntimeException e) {
      self.internalError("AgentTask.close", e);
    }
  }
}
