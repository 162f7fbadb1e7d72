package io.kosmos.metrics.test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a histogram family's classic buckets, count and sum, over the data points that have
 * given labels (added up, as PromQL's {@code sum by (le)} would). After {@link
 * RegistryAssert#since(MetricsSnapshot)} the count, sum and buckets are increases since that
 * snapshot.
 *
 * <pre>{@code
 * KosmosAssertions.assertThat(registry)
 *     .histogram("http_request_duration_seconds")
 *     .withLabels("agent", "zeus", "endpoint", "/tasks/{id}")
 *     .hasCount(3)
 *     .hasBucket(0.1, 3); // cumulative, like the scraped le="0.1" bucket
 * }</pre>
 */
public final class HistogramAssert extends AbstractAssert<HistogramAssert, MetricsSnapshot> {

  private final Selection selection;

  HistogramAssert(MetricsSnapshot actual, Selection selection) {
    super(actual, HistogramAssert.class);
    this.selection = selection;
  }

  /**
   * Only the data points whose labels include these name-value pairs.
   *
   * @throws IllegalArgumentException if a name has no value
   */
  public HistogramAssert withLabels(String... namesAndValues) {
    HistogramAssert narrowed = new HistogramAssert(actual, selection.withLabels(namesAndValues));
    return info.description() == null ? narrowed : narrowed.as(info.description());
  }

  /** The selected data points observed {@code expected} values in all (their {@code _count}). */
  public HistogramAssert hasCount(long expected) {
    List<Point> points = points();
    long count = points.stream().mapToLong(Point::count).sum();
    if (count != expected) {
      fail("the count of", Long.toString(expected), Long.toString(count), points);
    }
    return this;
  }

  /** The selected data points' observations add up to exactly {@code expected} ({@code _sum}). */
  public HistogramAssert hasSum(double expected) {
    List<Point> points = points();
    double sum = points.stream().mapToDouble(Point::sum).sum();
    if (Double.compare(sum, expected) != 0 && sum != expected) {
      fail("the sum of", Double.toString(expected), Double.toString(sum), points);
    }
    return this;
  }

  /** Like {@link #hasSum(double)}, within {@code tolerance} either side, for measured times. */
  public HistogramAssert hasSumCloseTo(double expected, double tolerance) {
    List<Point> points = points();
    double sum = points.stream().mapToDouble(Point::sum).sum();
    if (!(Math.abs(sum - expected) <= tolerance)) {
      fail("the sum of", expected + " ± " + tolerance, Double.toString(sum), points);
    }
    return this;
  }

  /**
   * The bucket with upper bound {@code le} holds {@code cumulativeCount} observations: the scraped
   * {@code _bucket{le="..."}} value, which counts every observation up to {@code le}. {@code
   * Double.POSITIVE_INFINITY} is the {@code +Inf} bucket.
   */
  public HistogramAssert hasBucket(double le, long cumulativeCount) {
    List<Point> points = points();
    if (points.isEmpty()) { // after since(before): a label combination never recorded
      if (cumulativeCount != 0) {
        fail("bucket le=\"" + Point.le(le) + "\" of", Long.toString(cumulativeCount), "0", points);
      }
      return this;
    }
    int index = indexOf(points.get(0).upperBounds(), le);
    if (index < 0) {
      failWithMessage(
          "%s",
          "Expecting "
              + selection.selector()
              + " to have a bucket le=\""
              + Point.le(le)
              + "\" but its buckets are "
              + bounds(points.get(0).upperBounds())
              + selection.family());
    }
    long count = points.stream().mapToLong(point -> point.cumulativeCounts()[index]).sum();
    if (count != cumulativeCount) {
      fail(
          "bucket le=\"" + Point.le(le) + "\" of",
          Long.toString(cumulativeCount),
          Long.toString(count),
          points);
    }
    return this;
  }

  /**
   * The selected data points' finite bucket bounds are exactly {@code upperBounds}, in order
   * ({@code +Inf} is always there and not listed).
   */
  public HistogramAssert hasBucketBounds(double... upperBounds) {
    List<Point> points = points();
    for (Point point : points) {
      double[] finite =
          Arrays.stream(point.upperBounds()).filter(b -> b != Double.POSITIVE_INFINITY).toArray();
      if (!Arrays.equals(finite, upperBounds)) {
        failWithMessage(
            "%s",
            "Expecting the buckets of "
                + selection.selector()
                + " to be "
                + bounds(upperBounds)
                + " but "
                + Point.render(point.labels())
                + " has "
                + bounds(finite)
                + selection.family());
      }
    }
    return this;
  }

  private List<Point> points() {
    isNotNull();
    List<Point> points = selection.points();
    if (points.isEmpty() && !selection.delta()) {
      failWithMessage("%s", selection.noDataPoint());
    }
    return points;
  }

  private void fail(String what, String expected, String actualValue, List<Point> points) {
    failWithMessage(
        "%s",
        selection.delta()
            ? "Expecting "
                + what
                + " "
                + selection.selector()
                + " to have increased by "
                + expected
                + " but it increased by "
                + actualValue
                + Selection.sumOf(points)
                + selection.family()
            : "Expecting "
                + what
                + " "
                + selection.selector()
                + " to be "
                + expected
                + " but was "
                + actualValue
                + Selection.sumOf(points)
                + selection.family());
  }

  private static int indexOf(double[] upperBounds, double le) {
    for (int i = 0; i < upperBounds.length; i++) {
      if (upperBounds[i] == le) {
        return i;
      }
    }
    return -1;
  }

  private static String bounds(double[] upperBounds) {
    return Arrays.stream(upperBounds).mapToObj(Point::le).collect(Collectors.joining(", "));
  }
}
