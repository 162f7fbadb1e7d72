package io.kosmos.metrics.test;

import java.util.List;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a gauge family, or on the sum of its data points that have given labels. A gauge
 * goes up and down, so after {@link RegistryAssert#since(MetricsSnapshot)} it still shows its
 * current value, not a difference.
 *
 * <pre>{@code
 * KosmosAssertions.assertThat(registry)
 *     .gauge("active_connections")
 *     .withLabels("agent", "zeus")
 *     .hasValue(0);
 * }</pre>
 */
public final class GaugeAssert extends AbstractAssert<GaugeAssert, MetricsSnapshot> {

  private final Selection selection;

  GaugeAssert(MetricsSnapshot actual, Selection selection) {
    super(actual, GaugeAssert.class);
    this.selection = selection;
  }

  /**
   * Only the data points whose labels include these name-value pairs.
   *
   * @throws IllegalArgumentException if a name has no value
   */
  public GaugeAssert withLabels(String... namesAndValues) {
    GaugeAssert narrowed = new GaugeAssert(actual, selection.withLabels(namesAndValues));
    return info.description() == null ? narrowed : narrowed.as(info.description());
  }

  /** The selected data points add up to {@code expected}; fails if none has the labels. */
  public GaugeAssert hasValue(double expected) {
    isNotNull();
    List<Point> points = selection.points();
    if (points.isEmpty()) {
      failWithMessage("%s", selection.noDataPoint());
    }
    double value = points.stream().mapToDouble(Point::value).sum();
    if (Double.compare(value, expected) != 0 && value != expected) {
      failWithMessage(
          "%s",
          "Expecting "
              + selection.selector()
              + " to be "
              + expected
              + " but was "
              + value
              + Selection.sumOf(points)
              + selection.family());
    }
    return this;
  }
}
