package io.kosmos.metrics.vertx;

import org.jspecify.annotations.Nullable;

/** Argument checks of this package's factories, with core's message style. */
final class Checks {
  private Checks() {}

  static <T> T notNull(String parameter, @Nullable T value) {
    if (value == null) {
      throw new IllegalArgumentException(parameter + " must not be null");
    }
    return value;
  }
}
