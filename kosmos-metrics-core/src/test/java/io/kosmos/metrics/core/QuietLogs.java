package io.kosmos.metrics.core;

import java.lang.reflect.AnnotatedElement;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps every test class's java.util.logging output (the library's {@code System.Logger}, Tomcat,
 * Vert.x, and Jetty through {@code slf4j-jdk14}) off the console, and checks it instead: records a
 * test declares with {@link ExpectedLog} are asserted (on a method: at least one must occur) and
 * dropped; any other record at {@code WARNING} or above is printed after the test, so that a real
 * problem still shows; records below {@code WARNING} (servers starting and stopping) are dropped.
 *
 * <p>Registered for every module's tests by JUnit's extension auto-detection (the root pom's
 * surefire configuration and this test-jar's {@code META-INF/services}).
 */
public final class QuietLogs
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final Logger ROOT = Logger.getLogger("");

  private final CollectingHandler capture = new CollectingHandler();
  private Handler[] console = new Handler[0];
  private int depth;

  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    // Nested classes share the outer class's capture.
    if (depth++ == 0) {
      console = ROOT.getHandlers();
      for (Handler handler : console) {
        ROOT.removeHandler(handler);
      }
      ROOT.addHandler(capture);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    check(capture.drain(), context, Optional.empty());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    check(capture.drain(), context, context.getTestMethod());
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    check(capture.drain(), context, Optional.empty());
    if (--depth == 0) {
      ROOT.removeHandler(capture);
      for (Handler handler : console) {
        ROOT.addHandler(handler);
      }
    }
  }

  /** Drops the expected records, prints the unexpected warnings, fails on a required miss. */
  private void check(
      List<LogRecord> logged,
      ExtensionContext context,
      Optional<? extends AnnotatedElement> method) {
    List<ExpectedLog> allowed = new ArrayList<>();
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getSuperclass()) {
      allowed.addAll(List.of(c.getAnnotationsByType(ExpectedLog.class)));
    }
    List<ExpectedLog> required =
        method.map(m -> List.of(m.getAnnotationsByType(ExpectedLog.class))).orElse(List.of());
    List<ExpectedLog> missing = new ArrayList<>(required);
    boolean named = false;
    for (LogRecord record : logged) {
      boolean expected = false;
      for (ExpectedLog log : required) {
        if (matches(log, record)) {
          expected = true;
          missing.remove(log);
        }
      }
      for (ExpectedLog log : allowed) {
        expected |= matches(log, record);
      }
      if (!expected && record.getLevel().intValue() >= Level.WARNING.intValue()) {
        if (!named) {
          named = true;
          System.err.println("[QuietLogs] not declared by " + context.getDisplayName() + ":");
        }
        for (Handler handler : console) {
          handler.publish(record);
          handler.flush();
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new AssertionError("expected log records that were not logged: " + missing);
    }
  }

  private static boolean matches(ExpectedLog log, LogRecord record) {
    String logger = String.valueOf(record.getLoggerName());
    return logger.startsWith(log.logger())
        && record.getLevel().getName().equals(log.level())
        && message(record).contains(log.contains());
  }

  private static String message(LogRecord record) {
    String message = String.valueOf(record.getMessage());
    Object[] params = record.getParameters();
    try {
      return params == null || params.length == 0 ? message : MessageFormat.format(message, params);
    } catch (IllegalArgumentException notAPattern) {
      return message;
    }
  }
}
