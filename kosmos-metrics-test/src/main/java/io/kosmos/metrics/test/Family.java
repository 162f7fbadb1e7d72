package io.kosmos.metrics.test;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** One metric family of a snapshot, named as scraped ({@code http_requests_total}). */
record Family(String name, Type type, List<Point> points) {

  enum Type {
    COUNTER("counter"),
    GAUGE("gauge"),
    HISTOGRAM("histogram"),
    SUMMARY("summary"),
    OTHER("other");

    private final String text;

    Type(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  Family {
    points = List.copyOf(points);
  }

  List<Point> matching(Map<String, String> labels) {
    Predicate<Point> matches = point -> point.labels().entrySet().containsAll(labels.entrySet());
    return points.stream().filter(matches).toList();
  }

  /** Every data point with its labels and values, one a line, for failure messages. */
  String render(boolean delta) {
    StringBuilder text = new StringBuilder();
    text.append(name).append(" (").append(type).append(')');
    if (delta) {
      text.append(", increase since the snapshot");
    }
    if (points.isEmpty()) {
      return text.append(", no data points").toString();
    }
    text.append(", ")
        .append(points.size())
        .append(points.size() == 1 ? " data point:" : " data points:");
    for (Point point : points) {
      text.append("\n  ")
          .append(Point.render(point.labels()))
          .append(' ')
          .append(point.render(type));
    }
    return text.toString();
  }
}
