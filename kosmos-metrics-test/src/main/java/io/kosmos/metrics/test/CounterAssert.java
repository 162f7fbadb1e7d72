package io.kosmos.metrics.test;

import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on a counter family, or on the data points of it that have given labels (their sum, as
 * PromQL's {@code sum} would give). After {@link RegistryAssert#since(MetricsSnapshot)} every value
 * is the increase since that snapshot.
 *
 * <pre>{@code
 * KosmosAssertions.assertThat(registry)
 *     .counter("http_requests_total")
 *     .withLabels("agent", "zeus", "endpoint", "/tasks/{id}", "status", "200")
 *     .hasValue(3);
 * }</pre>
 *
 * <p>A failure shows the whole family, every data point with its labels.
 */
public final class CounterAssert extends AbstractAssert<CounterAssert, MetricsSnapshot> {

  private final Selection selection;

  CounterAssert(MetricsSnapshot actual, Selection selection) {
    super(actual, CounterAssert.class);
    this.selection = selection;
  }

  /**
   * Only the data points whose labels include these, given as name-value pairs ({@code "agent",
   * "zeus", "status", "200"}); added to the labels already selected.
   *
   * @throws IllegalArgumentException if a name has no value
   */
  public CounterAssert withLabels(String... namesAndValues) {
    CounterAssert narrowed = new CounterAssert(actual, selection.withLabels(namesAndValues));
    return info.description() == null ? narrowed : narrowed.as(info.description());
  }

  /**
   * The selected data points add up to {@code expected} (after {@code since(before)}: increased
   * by). Fails if no data point has the selected labels, except after {@code since(before)}, where
   * a label combination never recorded has not increased.
   */
  public CounterAssert hasValue(double expected) {
    isNotNull();
    List<Point> points = selection.points();
    if (points.isEmpty() && !selection.delta()) {
      failWithMessage("%s", selection.noDataPoint());
    }
    double value = points.stream().mapToDouble(Point::value).sum();
    if (Double.compare(value, expected) != 0 && value != expected) {
      failWithMessage(
          "%s",
          selection.delta()
              ? "Expecting "
                  + selection.selector()
                  + " to have increased by "
                  + expected
                  + " but it increased by "
                  + value
                  + Selection.sumOf(points)
                  + selection.family()
              : "Expecting "
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

  /**
   * The selected data points increased by {@code expected} since the snapshot given to {@link
   * RegistryAssert#since(MetricsSnapshot)}.
   *
   * @throws IllegalStateException if {@code since(before)} was not called: there is no baseline
   */
  public CounterAssert hasIncreasedBy(double expected) {
    if (!selection.delta()) {
      throw new IllegalStateException(
          "hasIncreasedBy needs a baseline: use assertThat(registry).since(before), where before"
              + " = KosmosMetricsTesting.snapshot(registry) was taken earlier");
    }
    return hasValue(expected);
  }

  /**
   * The selected data points' sum, for any other AssertJ assertion ({@code value().isPositive()});
   * its description is the selector and the whole family.
   */
  public AbstractDoubleAssert<?> value() {
    isNotNull();
    List<Point> points = selection.points();
    if (points.isEmpty() && !selection.delta()) {
      failWithMessage("%s", selection.noDataPoint());
    }
    return Assertions.assertThat(points.stream().mapToDouble(Point::value).sum())
        .as("%s", selection.selector() + selection.family() + "\n");
  }
}
