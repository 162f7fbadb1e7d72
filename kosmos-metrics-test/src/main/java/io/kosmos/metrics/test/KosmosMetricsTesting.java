package io.kosmos.metrics.test;

import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Snapshots of a registry for tests: take one before the code under test runs, then assert on the
 * increase with {@code KosmosAssertions.assertThat(registry).since(before)}.
 *
 * <pre>{@code
 * PrometheusRegistry registry = new PrometheusRegistry();
 * KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
 * MetricsSnapshot before = KosmosMetricsTesting.snapshot(registry);
 * // ... exercise the code under test ...
 * KosmosAssertions.assertThat(registry).since(before).counter("http_requests_total").hasIncreasedBy(2);
 * }</pre>
 */
public final class KosmosMetricsTesting {

  private KosmosMetricsTesting() {}

  /** Every family of {@code registry} now (the registry's collectors are called once). */
  public static MetricsSnapshot snapshot(PrometheusRegistry registry) {
    return MetricsSnapshot.of(registry.scrape());
  }

  /** Every family of the registry that {@code metrics} records into, now. */
  public static MetricsSnapshot snapshot(KosmosMetrics metrics) {
    return snapshot(metrics.registry());
  }
}
