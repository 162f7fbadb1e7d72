/**
 * Vert.x Web adapter of kosmos-metrics: {@link io.kosmos.metrics.vertx.KosmosMetricsHandler}
 * records every request of a {@code Router} by route template through core's {@link
 * io.kosmos.metrics.core.HttpRecorder}, {@link io.kosmos.metrics.vertx.MetricsHandler} serves
 * {@code /metrics} with the Prometheus client's scrape logic on a worker thread, and {@link
 * io.kosmos.metrics.vertx.KosmosVertxMetrics#install} sets up both in one call.
 *
 * <p>Nothing here blocks an event loop: recording is core's lock-free path and scrapes run in
 * {@code executeBlocking}. Vert.x itself is a provided dependency: the application brings its own.
 */
@NullMarked
package io.kosmos.metrics.vertx;

import org.jspecify.annotations.NullMarked;
