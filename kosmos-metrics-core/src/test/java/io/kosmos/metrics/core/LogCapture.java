package io.kosmos.metrics.core;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what the library logs: {@code System.getLogger("io.kosmos.metrics")} goes to
 * java.util.logging by default, so a JUL handler on that logger sees every record. Shared with the
 * other modules' tests through core's test-jar.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.start()) {
 *   http.end(start, null, "/a", "/a", 200);
 *   assertThat(log.messages()).singleElement().asString().contains("null_label");
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger = Logger.getLogger("io.kosmos.metrics");
  private final List<LogRecord> records = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          synchronized (records) {
            records.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogCapture() {
    logger.addHandler(handler);
  }

  /** Starts capturing; close to stop. */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** The captured messages, formatted with their parameters. */
  public List<String> messages() {
    List<String> out = new ArrayList<>();
    synchronized (records) {
      for (LogRecord record : records) {
        Object[] params = record.getParameters();
        String message = record.getMessage();
        out.add(params == null ? message : java.text.MessageFormat.format(message, params));
      }
    }
    return out;
  }

  /** How many captured messages mention {@code text}. */
  public long count(String text) {
    return messages().stream().filter(m -> m.contains(text)).count();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
  }
}
