package io.kosmos.metrics.spring.boot.tests;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Keeps off the console the one error Tomcat logs for the exceptions that {@link Routes} throws on
 * purpose ({@code boom}, {@code async boom N}, {@code callable boom N}); the tests assert what the
 * application and the metrics make of them. Every other record passes, so an unexpected failure of
 * the same servlet is still printed. Registered in {@code logback-test.xml}.
 */
public final class DeliberateFailures extends TurboFilter {

  @Override
  public FilterReply decide(
      Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (t == null
        || level != Level.ERROR
        || !logger.getName().startsWith("org.apache.catalina.core.ContainerBase.")
        || !logger.getName().endsWith(".[dispatcherServlet]")) {
      return FilterReply.NEUTRAL;
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage());
    boolean deliberate =
        root instanceof IllegalStateException
            && (message.equals("boom")
                || message.startsWith("async boom ")
                || message.startsWith("callable boom "));
    return deliberate ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
