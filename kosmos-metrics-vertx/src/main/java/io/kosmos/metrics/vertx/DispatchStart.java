package io.kosmos.metrics.vertx;

import io.kosmos.metrics.core.HttpRecorder;
import io.vertx.core.impl.VertxThread;

/**
 * Starts a request at Vert.x's own reading of the clock, taken when it began to dispatch the event
 * that carries the request, rather than reading the clock again.
 *
 * <p>Vert.x reads {@code System.nanoTime()} as an event loop or worker thread begins each event
 * (the start its blocked-thread checker measures from, {@code VertxThread.startTime()}), so a
 * request's handlers run a few microseconds after a reading of the same clock. Starting there
 * counts what Vert.x did for the request before the router, as the client's clock does, and spares
 * one of the two clock reads of a request, which cost more in a busy server than in isolation.
 *
 * <p>The reading is zero outside an event (a handler called from a thread of the application's own)
 * and when Vert.x was told not to take it ({@code -Dvertx.disableContextTimings=true}); the
 * recorder then reads its own clock, as it does when Vert.x's thread class is not there at all (a
 * later Vert.x that moved it: it lives in an {@code impl} package).
 */
final class DispatchStart {

  private static final boolean READABLE = readable();

  private DispatchStart() {}

  /** Marks a request's start on {@code recorder}, from Vert.x's reading when there is one. */
  static long start(HttpRecorder recorder) {
    long began = READABLE ? Reading.current() : 0L;
    return began != 0L ? recorder.startedAt(began) : recorder.start();
  }

  /**
   * Whether Vert.x's thread class and its {@code long startTime()} are there, looked up once, so
   * that a Vert.x without them never meets a linkage error on a request.
   */
  private static boolean readable() {
    try {
      return VertxThread.class.getMethod("startTime").getReturnType() == long.class;
    } catch (ReflectiveOperationException | LinkageError | SecurityException e) {
      return false;
    }
  }

  /** Loaded only once Vert.x's thread class and method are known to be there. */
  private static final class Reading {
    static long current() {
      return Thread.currentThread() instanceof VertxThread thread ? thread.startTime() : 0L;
    }
  }
}
