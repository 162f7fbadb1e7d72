package io.kosmos.metrics.test;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One data point: its labels, and the value of a counter or gauge, or the count, sum and cumulative
 * classic buckets of a histogram (count and sum of a summary).
 */
record Point(
    SortedMap<String, String> labels,
    double value,
    long count,
    double sum,
    double[] upperBounds,
    long[] cumulativeCounts) {

  Point {
    labels = new TreeMap<>(labels);
    upperBounds = upperBounds.clone();
    cumulativeCounts = cumulativeCounts.clone();
  }

  static Point ofValue(Map<String, String> labels, double value) {
    return new Point(new TreeMap<>(labels), value, 0, 0, new double[0], new long[0]);
  }

  static Point ofDistribution(
      Map<String, String> labels, long count, double sum, double[] upperBounds, long[] cumulative) {
    return new Point(new TreeMap<>(labels), Double.NaN, count, sum, upperBounds, cumulative);
  }

  /** This point's increase since {@code before}, a point with the same labels. */
  Point minus(Point before, Family.Type type) {
    if (type == Family.Type.GAUGE || type == Family.Type.OTHER) {
      return this; // a gauge goes up and down: its difference means nothing, its value does
    }
    long[] cumulative = cumulativeCounts.clone();
    if (java.util.Arrays.equals(upperBounds, before.upperBounds)) {
      for (int i = 0; i < cumulative.length; i++) {
        cumulative[i] -= before.cumulativeCounts[i];
      }
    }
    return new Point(
        labels,
        value - before.value,
        count - before.count,
        sum - before.sum,
        upperBounds,
        cumulative);
  }

  String render(Family.Type type) {
    if (type != Family.Type.HISTOGRAM && type != Family.Type.SUMMARY) {
      return Double.toString(value);
    }
    StringBuilder text = new StringBuilder();
    text.append("count=").append(count).append(" sum=").append(sum);
    if (upperBounds.length > 0) {
      text.append(" buckets=[");
      for (int i = 0; i < upperBounds.length; i++) {
        text.append(i == 0 ? "" : ", ")
            .append(le(upperBounds[i]))
            .append(':')
            .append(cumulativeCounts[i]);
      }
      text.append(']');
    }
    return text.toString();
  }

  static String le(double upperBound) {
    return upperBound == Double.POSITIVE_INFINITY ? "+Inf" : Double.toString(upperBound);
  }

  /** {@code {agent="zeus",endpoint="/tasks/{id}"}}, escaped as in the text exposition format. */
  static String render(Map<String, String> labels) {
    StringBuilder text = new StringBuilder("{");
    labels.forEach(
        (name, value) -> {
          if (text.length() > 1) {
            text.append(',');
          }
          text.append(name).append("=\"");
          value
              .codePoints()
              .forEach(
                  c -> {
                    switch (c) {
                      case '\\' -> text.append("\\\\");
                      case '"' -> text.append("\\\"");
                      case '\n' -> text.append("\\n");
                      default -> text.appendCodePoint(c);
                    }
                  });
          text.append('"');
        });
    return text.append('}').toString();
  }
}
