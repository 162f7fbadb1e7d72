package io.kosmos.samples.support;

import java.lang.System.Logger.Level;

/**
 * How the sample agents log: through {@code java.util.logging} (where {@link System.Logger} goes,
 * and where SLF4J goes through {@code slf4j-jdk14} for Jetty), one line per record, and one line
 * per failed request without its stack trace: a demo that drives a failing route on purpose must
 * not fill its log with the same trace.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   SampleLogging.oneLinePerRecord();
 *   ...
 *   SampleLogging.failed(LOG, "GET", "/boom", error);
 * }
 * }</pre>
 */
public final class SampleLogging {

  /** Time, level, logger, message, and the thrown exception if any, on one line. */
  static final String FORMAT = "%1$tF %1$tT %4$s %3$s: %5$s%6$s%n";

  private SampleLogging() {}

  /**
   * Makes java.util.logging's console output one line per record, unless the user chose a format
   * with {@code -Djava.util.logging.SimpleFormatter.format}. Call first thing in {@code main},
   * before anything logs.
   */
  public static void oneLinePerRecord() {
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty("java.util.logging.SimpleFormatter.format", FORMAT);
    }
  }

  /** Logs one line for a request that failed with {@code error}: what failed and why. */
  public static void failed(System.Logger log, String method, String path, Throwable error) {
    log.log(Level.WARNING, "{0} {1} failed: {2}", method, path, describe(error));
  }

  /** The exception's class and message, and its cause's, without a stack trace. */
  static String describe(Throwable error) {
    String text = error.toString();
    Throwable cause = error.getCause();
    return cause == null || cause == error ? text : text + " (caused by " + cause + ")";
  }
}
