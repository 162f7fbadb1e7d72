package io.kosmos.metrics.test;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The values of every family of a registry at one point in time, immutable. Take one before the
 * code under test runs and assert on the increase since then with {@link
 * RegistryAssert#since(MetricsSnapshot)}.
 *
 * <pre>{@code
 * MetricsSnapshot before = KosmosMetricsTesting.snapshot(registry);
 * tasks.start("summarize").close(); // no outcome: an error
 * KosmosAssertions.assertThat(registry)
 *     .since(before)
 *     .counter("agent_tasks_total")
 *     .withLabels("agent", "hermes", "status", "error")
 *     .hasIncreasedBy(1);
 * }</pre>
 *
 * <p>Families are keyed by their scraped names: a counter registered as {@code llm_cost_dollars} is
 * {@code llm_cost_dollars_total}, as in PromQL. {@link #toString()} shows every family.
 */
public final class MetricsSnapshot {

  private final Map<String, Family> families;
  private final boolean delta;

  private MetricsSnapshot(Map<String, Family> families, boolean delta) {
    this.families = Collections.unmodifiableMap(new TreeMap<>(families));
    this.delta = delta;
  }

  static MetricsSnapshot of(MetricSnapshots snapshots) {
    Map<String, Family> families = new LinkedHashMap<>();
    for (MetricSnapshot snapshot : snapshots) {
      Family family = family(snapshot);
      families.put(family.name(), family);
    }
    return new MetricsSnapshot(families, false);
  }

  /** The increase of every counter, histogram and summary since {@code before}. */
  MetricsSnapshot since(MetricsSnapshot before) {
    Map<String, Family> result = new HashMap<>();
    families.forEach(
        (name, family) -> {
          Family old = before.families.get(name);
          Map<Map<String, String>, Point> oldPoints = new HashMap<>();
          if (old != null && old.type() == family.type()) {
            old.points().forEach(point -> oldPoints.put(point.labels(), point));
          }
          List<Point> points = new ArrayList<>();
          for (Point point : family.points()) {
            Point previous = oldPoints.get(point.labels());
            points.add(previous == null ? point : point.minus(previous, family.type()));
          }
          result.put(name, new Family(name, family.type(), points));
        });
    return new MetricsSnapshot(result, true);
  }

  boolean isDelta() {
    return delta;
  }

  /** The family scraped as {@code name}; a counter also answers to its name without "_total". */
  @Nullable Family family(String name) {
    Family family = families.get(name);
    if (family == null) {
      family = families.get(name + "_total");
      if (family != null && family.type() != Family.Type.COUNTER) {
        family = null;
      }
    }
    return family;
  }

  String familyNames() {
    return String.join(", ", families.keySet());
  }

  /** Every family with every data point, one a line. */
  @Override
  public String toString() {
    return families.values().stream()
        .map(family -> family.render(delta))
        .collect(Collectors.joining("\n"));
  }

  private static Family family(MetricSnapshot snapshot) {
    String name = snapshot.getMetadata().getPrometheusName();
    List<Point> points = new ArrayList<>();
    Family.Type type;
    if (snapshot instanceof CounterSnapshot counter) {
      type = Family.Type.COUNTER;
      name = name.endsWith("_total") ? name : name + "_total";
      counter.getDataPoints().forEach(p -> points.add(Point.ofValue(labels(p), p.getValue())));
    } else if (snapshot instanceof GaugeSnapshot gauge) {
      type = Family.Type.GAUGE;
      gauge.getDataPoints().forEach(p -> points.add(Point.ofValue(labels(p), p.getValue())));
    } else if (snapshot instanceof HistogramSnapshot histogram) {
      type = Family.Type.HISTOGRAM;
      for (HistogramSnapshot.HistogramDataPointSnapshot p : histogram.getDataPoints()) {
        ClassicHistogramBuckets buckets = p.getClassicBuckets();
        double[] upperBounds = new double[buckets.size()];
        long[] cumulative = new long[buckets.size()];
        long total = 0;
        for (int i = 0; i < buckets.size(); i++) {
          // client_java holds each bucket's own count; the exposition's "le" buckets add up.
          total += buckets.getCount(i);
          upperBounds[i] = buckets.getUpperBound(i);
          cumulative[i] = total;
        }
        points.add(
            Point.ofDistribution(
                labels(p),
                p.getCount(),
                p.hasSum() ? p.getSum() : Double.NaN,
                upperBounds,
                cumulative));
      }
    } else if (snapshot instanceof SummarySnapshot summary) {
      type = Family.Type.SUMMARY;
      for (SummarySnapshot.SummaryDataPointSnapshot p : summary.getDataPoints()) {
        points.add(
            Point.ofDistribution(
                labels(p),
                p.getCount(),
                p.hasSum() ? p.getSum() : Double.NaN,
                new double[0],
                new long[0]));
      }
    } else if (snapshot instanceof UnknownSnapshot unknown) {
      type = Family.Type.OTHER;
      unknown.getDataPoints().forEach(p -> points.add(Point.ofValue(labels(p), p.getValue())));
    } else {
      type = Family.Type.OTHER;
      snapshot.getDataPoints().forEach(p -> points.add(Point.ofValue(labels(p), Double.NaN)));
    }
    return new Family(name, type, points);
  }

  private static Map<String, String> labels(DataPointSnapshot point) {
    Map<String, String> labels = new TreeMap<>();
    for (Label label : point.getLabels()) {
      labels.put(label.getName(), label.getValue());
    }
    return labels;
  }
}
