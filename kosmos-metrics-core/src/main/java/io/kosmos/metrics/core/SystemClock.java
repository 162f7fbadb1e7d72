package io.kosmos.metrics.core;

/** The one {@link NanoClock#system()}. */
final class SystemClock implements NanoClock {
  static final SystemClock INSTANCE = new SystemClock();

  private SystemClock() {}

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
