package io.kosmos.metrics.test;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A family and the labels its data points must have; what each family assertion works on. */
final class Selection {

  private final Family family;
  private final Map<String, String> labels;
  private final boolean delta;

  Selection(Family family, Map<String, String> labels, boolean delta) {
    this.family = family;
    this.labels = new TreeMap<>(labels);
    this.delta = delta;
  }

  Selection withLabels(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException(
          "withLabels needs name-value pairs, but got "
              + namesAndValues.length
              + " strings: "
              + String.join(", ", namesAndValues));
    }
    Map<String, String> merged = new TreeMap<>(labels);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      merged.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return new Selection(family, merged, delta);
  }

  boolean delta() {
    return delta;
  }

  List<Point> points() {
    return family.matching(labels);
  }

  /** {@code http_requests_total{agent="zeus"}}, or the bare name without labels. */
  String selector() {
    return labels.isEmpty() ? family.name() : family.name() + Point.render(labels);
  }

  /** " (the sum of 3 data points)" when more than one point matched, else "". */
  static String sumOf(List<Point> points) {
    return points.size() > 1 ? " (the sum of " + points.size() + " data points)" : "";
  }

  /** The message's last part: the whole family. */
  String family() {
    return "\n\n" + family.render(delta);
  }

  String noDataPoint() {
    return "Expecting a data point of " + selector() + " but there is none" + family();
  }
}
