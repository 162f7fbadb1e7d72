/**
 * Prometheus metrics for KOSMOS agents: the shared metric catalog ({@link
 * io.kosmos.metrics.core.KosmosMetrics}), the framework-neutral HTTP recorder that the servlet and
 * Vert.x adapters build on ({@link io.kosmos.metrics.core.HttpRecorder}), agent task tracking
 * ({@link io.kosmos.metrics.core.AgentTasks}), a standalone {@code /metrics} server ({@link
 * io.kosmos.metrics.core.MetricsServer}) and the access rule that every {@code /metrics} endpoint
 * applies ({@link io.kosmos.metrics.core.MetricsAccess}).
 *
 * <p>Recording never throws into the application: invalid values are dropped, counted in {@code
 * kosmos_metrics_dropped_total} and logged once. Misconfiguration fails at {@code build()}.
 */
@NullMarked
package io.kosmos.metrics.core;

import org.jspecify.annotations.NullMarked;
