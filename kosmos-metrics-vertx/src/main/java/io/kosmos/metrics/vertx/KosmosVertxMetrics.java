package io.kosmos.metrics.vertx;

import io.kosmos.metrics.core.KosmosMetrics;
import io.vertx.ext.web.Router;

/**
 * Sets up kosmos-metrics on a Vert.x Web router in one call: request recording by route template
 * and a {@code GET /metrics} route.
 *
 * <pre>{@code
 * KosmosMetrics metrics = KosmosMetrics.builder().build();
 * Router router = Router.router(vertx);
 * KosmosVertxMetrics.install(router, metrics, "athena");
 * router.get("/tasks/:id").handler(ctx -> ctx.end("task " + ctx.pathParam("id")));
 * vertx.createHttpServer().requestHandler(router).listen(8080);
 * }</pre>
 *
 * <p>The same as:
 *
 * <pre>{@code
 * KosmosMetricsHandler.builder(metrics.http("athena")).ignorePath("/metrics").installOn(router);
 * router.get("/metrics").handler(MetricsHandler.create(metrics.registry()));
 * }</pre>
 *
 * <p>Call it before adding your own routes: the recording handler is always the router's first
 * route, but {@code /metrics} takes its place among the routes in the order they are added, so a
 * catch-all route added earlier would answer it instead.
 */
public final class KosmosVertxMetrics {

  /** Where {@link #install} serves the registry. */
  public static final String METRICS_PATH = "/metrics";

  private KosmosVertxMetrics() {}

  /**
   * Records every request of {@code router} for {@code agent} and serves {@code metrics}' registry
   * on {@code GET /metrics}, which is itself not recorded. Call once per router.
   *
   * @throws IllegalArgumentException when an argument is null or {@code agent} is not a valid agent
   *     name (core's rule)
   */
  public static void install(Router router, KosmosMetrics metrics, String agent) {
    Checks.notNull("router", router);
    Checks.notNull("metrics", metrics);
    MetricsHandler scrape = MetricsHandler.create(metrics.registry());
    KosmosMetricsHandler.builder(metrics.http(agent)).ignorePath(METRICS_PATH).installOn(router);
    router.get(METRICS_PATH).handler(scrape);
  }
}
