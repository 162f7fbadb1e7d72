package io.kosmos.metrics.core.internal;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The library's own health: recordings dropped by the failure policy and label values folded into
 * {@link Labels#OVERFLOW}. Both are counted per registry and logged once per reason or label.
 */
public final class SelfMetrics {

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");

  private final CounterDataPoint[] dropped;
  private final AtomicBoolean[] droppedLogged;
  private final Counter overflow;
  private final ConcurrentHashMap<String, CounterDataPoint> overflowByLabel =
      new ConcurrentHashMap<>();

  SelfMetrics(Counter dropped, Counter overflow) {
    DropReason[] reasons = DropReason.values();
    this.dropped = new CounterDataPoint[reasons.length];
    this.droppedLogged = new AtomicBoolean[reasons.length];
    for (DropReason reason : reasons) {
      this.dropped[reason.ordinal()] = dropped.labelValues(reason.label());
      this.droppedLogged[reason.ordinal()] = new AtomicBoolean();
    }
    this.overflow = overflow;
  }

  /** Counts one dropped recording; the first drop of each reason is logged. Never throws. */
  public void drop(DropReason reason, String where) {
    dropped[reason.ordinal()].inc();
    if (!droppedLogged[reason.ordinal()].get()
        && droppedLogged[reason.ordinal()].compareAndSet(false, true)) {
      LOG.log(
          Level.WARNING,
          "kosmos-metrics dropped a recording in {0}: {1}. Later drops for this reason are counted"
              + " in kosmos_metrics_dropped_total'{'reason=\"{2}\"'}' without logging.",
          where,
          reason.description(),
          reason.label());
    }
  }

  /**
   * Counts {@code count} drops for {@code reason} without logging, for callers that log once with
   * the count themselves. Never throws.
   */
  public void count(DropReason reason, long count) {
    if (count > 0) {
      dropped[reason.ordinal()].inc(count);
    }
  }

  /** Counts {@code throwable} as an internal error; it is logged the first time only. */
  public void internalError(String where, RuntimeException throwable) {
    dropped[DropReason.INTERNAL_ERROR.ordinal()].inc();
    if (droppedLogged[DropReason.INTERNAL_ERROR.ordinal()].compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "kosmos-metrics failed to record in " + where, throwable);
    }
  }

  /** A handle that counts values of {@code label} folded into {@link Labels#OVERFLOW}. */
  public CounterDataPoint overflow(String label) {
    return overflowByLabel.computeIfAbsent(label, overflow::labelValues);
  }

  /** How many recordings were dropped for {@code reason}; for tests and diagnostics. */
  public long dropped(DropReason reason) {
    return dropped[reason.ordinal()].getLongValue();
  }
}
