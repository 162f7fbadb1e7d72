package io.kosmos.metrics.core;

/**
 * A monotonic clock in nanoseconds, as {@link System#nanoTime()}. Durations are measured with it
 * rather than with wall-clock time, which jumps when NTP or an operator adjusts it.
 *
 * <pre>{@code
 * AtomicLong now = new AtomicLong();
 * HttpRecorder http = HttpRecorder.builder(metrics).agent("zeus").clock(now::get).build();
 * }</pre>
 *
 * <p>Configurable so that tests can drive time; production code keeps {@link #system()}.
 */
@FunctionalInterface
public interface NanoClock {

  /** The current reading; only differences between readings are meaningful. */
  long nanoTime();

  /**
   * {@link System#nanoTime()}: always the same instance, by which {@link HttpRecorder#startedAt}
   * knows that a server's own reading of that clock can stand for its own.
   */
  static NanoClock system() {
    return SystemClock.INSTANCE;
  }
}
