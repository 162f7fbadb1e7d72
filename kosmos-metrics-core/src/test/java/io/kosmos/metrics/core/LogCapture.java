package io.kosmos.metrics.core;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what a logger and its children log through java.util.logging (where {@code
 * System.getLogger(...)} goes by default, and SLF4J through {@code slf4j-jdk14} in tests), and
 * keeps those records off the console while open: a test that provokes a log record asserts it
 * instead of printing it. Shared with the other modules' tests through core's test-jar.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.start()) {
 *   http.end(start, null, "/a", "/a", 200);
 *   assertThat(log.messages()).singleElement().asString().contains("null_label");
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final boolean usedParentHandlers;
  private final CollectingHandler handler = new CollectingHandler();

  private LogCapture(String name) {
    logger = Logger.getLogger(name);
    usedParentHandlers = logger.getUseParentHandlers();
    logger.addHandler(handler);
    logger.setUseParentHandlers(false);
  }

  /** Captures the library's own records ({@code io.kosmos.metrics}); close to stop. */
  public static LogCapture start() {
    return new LogCapture("io.kosmos.metrics");
  }

  /**
   * Captures the records of logger {@code name} and its children, at the levels the logging
   * configuration lets through; close to stop and to restore the logger.
   */
  public static LogCapture start(String name) {
    return new LogCapture(name);
  }

  /** The captured records, in order. */
  public List<LogRecord> records() {
    return handler.records();
  }

  /** The captured messages, formatted with their parameters. */
  public List<String> messages() {
    List<String> out = new ArrayList<>();
    for (LogRecord record : records()) {
      out.add(message(record));
    }
    return out;
  }

  /** The captured messages at {@code level} or above, formatted with their parameters. */
  public List<String> messages(Level level) {
    List<String> out = new ArrayList<>();
    for (LogRecord record : records()) {
      if (record.getLevel().intValue() >= level.intValue()) {
        out.add(message(record));
      }
    }
    return out;
  }

  private static String message(LogRecord record) {
    Object[] params = record.getParameters();
    String message = record.getMessage();
    return params == null || params.length == 0 ? message : MessageFormat.format(message, params);
  }

  /** How many captured messages mention {@code text}. */
  public long count(String text) {
    return messages().stream().filter(m -> m.contains(text)).count();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setUseParentHandlers(usedParentHandlers);
  }
}
