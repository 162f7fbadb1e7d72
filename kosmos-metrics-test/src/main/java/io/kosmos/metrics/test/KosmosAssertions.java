package io.kosmos.metrics.test;

import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * Entry point of the test kit: AssertJ assertions over the families of a registry.
 *
 * <pre>{@code
 * import static io.kosmos.metrics.test.KosmosAssertions.assertThat;
 *
 * PrometheusRegistry registry = new PrometheusRegistry();
 * KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
 * // ... requests through the filter or handler that records into metrics ...
 * assertThat(registry)
 *     .counter("http_requests_total")
 *     .withLabels("agent", "zeus", "endpoint", "/tasks/{id}", "status", "200")
 *     .hasValue(3);
 * assertThat(registry)
 *     .histogram("http_request_duration_seconds")
 *     .withLabels("agent", "zeus")
 *     .hasCount(3)
 *     .hasBucket(Double.POSITIVE_INFINITY, 3);
 * }</pre>
 *
 * <p>It mixes with AssertJ's own {@code assertThat}: both can be imported statically.
 */
public final class KosmosAssertions {

  private KosmosAssertions() {}

  /** Assertions on {@code registry}'s families as they are now. */
  public static RegistryAssert assertThat(PrometheusRegistry registry) {
    return new RegistryAssert(KosmosMetricsTesting.snapshot(registry));
  }

  /**
   * Assertions on the families of the registry that {@code metrics} records into, as they are now.
   */
  public static RegistryAssert assertThat(KosmosMetrics metrics) {
    return assertThat(metrics.registry());
  }

  /** Assertions on a snapshot taken earlier. */
  public static RegistryAssert assertThat(MetricsSnapshot snapshot) {
    return new RegistryAssert(snapshot);
  }
}
