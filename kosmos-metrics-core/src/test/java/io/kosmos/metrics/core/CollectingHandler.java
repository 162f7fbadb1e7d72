package io.kosmos.metrics.core;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/** A JUL handler that keeps every record it is given, at every level, for a test to read. */
final class CollectingHandler extends Handler {

  private final List<LogRecord> records = new ArrayList<>();

  CollectingHandler() {
    setLevel(Level.ALL);
  }

  @Override
  public void publish(LogRecord record) {
    synchronized (records) {
      records.add(record);
    }
  }

  /** The records kept so far, in order. */
  List<LogRecord> records() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }

  /** The records kept so far, in order, forgetting them. */
  List<LogRecord> drain() {
    synchronized (records) {
      List<LogRecord> drained = List.copyOf(records);
      records.clear();
      return drained;
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
