package io.kosmos.metrics.llm;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A value made on first use, for data points that most models never need (cache and reasoning
 * tokens, time to first token, ...). Two threads may both make it; that is harmless because the
 * factories return the same data point for the same labels.
 */
final class Lazy<T> {

  private final Supplier<T> factory;
  private volatile @Nullable T value;

  Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  T get() {
    T current = value;
    if (current == null) {
      current = factory.get();
      value = current;
    }
    return current;
  }
}
