/**
 * A test kit for users' own tests of their instrumentation: fluent AssertJ assertions over the
 * {@link io.prometheus.metrics.model.registry.PrometheusRegistry} that a {@link
 * io.kosmos.metrics.core.KosmosMetrics} records into, with deltas between two points in time.
 *
 * <pre>{@code
 * MetricsSnapshot before = KosmosMetricsTesting.snapshot(registry);
 * client.send(request("/tasks/7"));
 * KosmosAssertions.assertThat(registry)
 *     .since(before)
 *     .counter("http_requests_total")
 *     .withLabels("agent", "zeus", "endpoint", "/tasks/{id}")
 *     .hasIncreasedBy(1);
 * }</pre>
 *
 * <p>Start with {@link io.kosmos.metrics.test.KosmosAssertions}. A failed assertion shows the whole
 * family: every data point with its labels and values.
 */
@NullMarked
package io.kosmos.metrics.test;

import org.jspecify.annotations.NullMarked;
