package io.kosmos.metrics.core.internal;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A label whose distinct values are capped: the first {@code cap} valid values each get their own
 * entry (typically cached data points), every later new value shares the {@link Labels#OVERFLOW}
 * entry and is counted in {@code kosmos_metrics_label_overflow_total}.
 *
 * <p>Lookups of admitted values are one lock-free map read with no allocation. Admitting a new
 * value takes a lock, which happens at most {@code cap} times.
 *
 * @param <T> what each value maps to
 */
public final class BoundedLabel<T> {

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");

  private final String label;
  private final int cap;
  private final Function<String, T> factory;
  private final SelfMetrics self;
  private final CounterDataPoint overflowCount;
  private final ConcurrentHashMap<String, T> entries = new ConcurrentHashMap<>();
  private final AtomicBoolean overflowLogged = new AtomicBoolean();
  private volatile int size;
  private volatile @Nullable T overflowEntry;

  /**
   * @param label the label's name, used in the self-metric and the log
   * @param cap how many distinct values get their own entry; at least 1
   * @param factory makes the entry of a newly admitted value (and of {@link Labels#OVERFLOW})
   */
  public BoundedLabel(String label, int cap, Function<String, T> factory, SelfMetrics self) {
    if (cap < 1) {
      throw new IllegalArgumentException("cap must be at least 1, but was " + cap);
    }
    this.label = label;
    this.cap = cap;
    this.factory = factory;
    this.self = self;
    this.overflowCount = self.overflow(label);
  }

  /**
   * The entry for {@code value}; {@code null} when the value is invalid (the drop is counted).
   * Never throws for any input.
   */
  public @Nullable T get(@Nullable String value) {
    if (value != null) {
      T entry = entries.get(value);
      if (entry != null) {
        return entry;
      }
    }
    DropReason problem = Labels.problem(value);
    if (problem != null) {
      self.drop(problem, label);
      return null;
    }
    return admit(value);
  }

  /** How many distinct values have their own entry. */
  public int size() {
    return size;
  }

  private T admit(String value) {
    if (size < cap) {
      synchronized (this) {
        T entry = entries.get(value);
        if (entry != null) {
          return entry;
        }
        if (size < cap) {
          entry = factory.apply(value);
          entries.put(value, entry);
          size = size + 1;
          return entry;
        }
      }
    }
    overflowCount.inc();
    if (overflowLogged.compareAndSet(false, true)) {
      LOG.log(
          Level.WARNING,
          "kosmos-metrics: label ''{0}'' reached its cap of {1} distinct values; new values are"
              + " recorded as ''{2}'' and counted in kosmos_metrics_label_overflow_total. Raise the"
              + " cap only if these values are bounded.",
          label,
          cap,
          Labels.OVERFLOW);
    }
    T entry = overflowEntry;
    if (entry == null) {
      synchronized (this) {
        entry = overflowEntry;
        if (entry == null) {
          entry = factory.apply(Labels.OVERFLOW);
          overflowEntry = entry;
        }
      }
    }
    return entry;
  }
}
