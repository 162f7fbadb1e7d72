package io.kosmos.metrics.core.internal;

import org.jspecify.annotations.Nullable;

/** Label value rules shared by every recording path. */
public final class Labels {

  /**
   * Longest label value accepted at run time. Longer values are dropped rather than truncated, so
   * that two different long values never merge silently into one series.
   */
  public static final int MAX_LENGTH = 256;

  /** The value that a capped label takes once its cap of distinct values is reached. */
  public static final String OVERFLOW = "overflow";

  private static final String[] STATUS = new String[600];

  static {
    for (int i = 100; i < STATUS.length; i++) {
      STATUS[i] = Integer.toString(i);
    }
  }

  private Labels() {}

  /**
   * Returns why {@code value} cannot be a label value, or {@code null} when it can.
   *
   * <p>Called once per distinct value (callers cache admitted values), so the scan is off the
   * steady-state hot path.
   */
  public static @Nullable DropReason problem(@Nullable String value) {
    if (value == null) {
      return DropReason.NULL_LABEL;
    }
    if (value.isEmpty()) {
      return DropReason.EMPTY_LABEL;
    }
    if (value.length() > MAX_LENGTH) {
      return DropReason.LABEL_TOO_LONG;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
          return DropReason.INVALID_LABEL;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return DropReason.INVALID_LABEL;
      }
    }
    return null;
  }

  /** The three-digit label value of an HTTP status, or {@code null} outside 100..599. */
  public static @Nullable String status(int status) {
    return status >= 100 && status < STATUS.length ? STATUS[status] : null;
  }
}
