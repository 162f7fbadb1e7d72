package io.kosmos.metrics.core;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Everything logged through {@code java.util.logging} (where {@code System.Logger} goes without
 * another provider) at any level while open, formatted with thrown stack traces; except the records
 * of the JDK's HTTP client, which tests use to send requests. Shared with the adapter modules'
 * tests through the test-jar.
 */
public final class CapturedLogs implements AutoCloseable {

  private final Logger root = Logger.getLogger("");
  private final Level previousLevel = root.getLevel();
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          String logger = String.valueOf(record.getLoggerName());
          // The test's own HTTP client logs its exchanges at FINE: not what the server logs.
          if (!logger.startsWith("jdk.internal.net.http") && !logger.startsWith("jdk.httpclient")) {
            records.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private CapturedLogs() {
    handler.setLevel(Level.ALL);
    root.addHandler(handler);
    root.setLevel(Level.ALL);
  }

  /** Starts capturing, at every level; {@link #close()} restores the root logger. */
  public static CapturedLogs capture() {
    return new CapturedLogs();
  }

  /** All records so far, one formatted record after the other. */
  public String text() {
    return text(Level.ALL);
  }

  /** The records at {@code level} or above, formatted. */
  public String text(Level level) {
    StringBuilder text = new StringBuilder();
    for (LogRecord record : records) {
      if (record.getLevel().intValue() >= level.intValue()) {
        text.append(formatter.format(record));
      }
    }
    return text.toString();
  }

  /** How many records were captured, at any level. */
  public int count() {
    return records.size();
  }

  @Override
  public void close() {
    root.removeHandler(handler);
    root.setLevel(previousLevel);
  }
}
