package io.kosmos.metrics.servlet;

import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** The init-param rules that the filter and the metrics servlet share. */
final class InitParams {

  private InitParams() {}

  /**
   * Checks the init-param names of a component that the container made from {@code web.xml} (only
   * {@code allowed} names) or that code made with {@code factory} (none at all).
   *
   * @param fromFactory whether code made the component, so that web.xml must not configure it
   * @param madeBy how the message names a component made by code, e.g. "a filter made by
   *     KosmosMetricsFilter.builder"
   * @throws ServletException naming the rule and the offending names
   */
  static void check(
      Enumeration<String> names, List<String> allowed, boolean fromFactory, String madeBy)
      throws ServletException {
    List<String> given = Collections.list(names);
    if (fromFactory) {
      if (!given.isEmpty()) {
        throw new ServletException(
            "init-params must be empty for " + madeBy + ", but were " + given);
      }
      return;
    }
    for (String name : given) {
      if (!allowed.contains(name)) {
        throw new ServletException(
            "init-param names must be one of " + allowed + ", but was '" + name + "'");
      }
    }
  }
}
