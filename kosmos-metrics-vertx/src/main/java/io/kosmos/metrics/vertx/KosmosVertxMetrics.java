package io.kosmos.metrics.vertx;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsAccess;
import io.vertx.ext.web.Router;

/**
 * Sets up kosmos-metrics on a Vert.x Web router in one call: request recording by route template
 * and a {@code /metrics} route ({@code GET} and {@code HEAD}, optionally behind a {@link
 * MetricsAccess}).
 *
 * <pre>{@code
 * KosmosMetrics metrics = KosmosMetrics.builder().build();
 * Router router = Router.router(vertx);
 * KosmosVertxMetrics.install(router, metrics, "athena");
 * // or, with scrapers sending Authorization: Bearer <token>
 * // KosmosVertxMetrics.install(router, metrics, "athena", MetricsAccess.bearerToken(token));
 * router.get("/tasks/:id").handler(ctx -> ctx.end("task " + ctx.pathParam("id")));
 * vertx.createHttpServer().requestHandler(router).listen(8080);
 * }</pre>
 *
 * <p>Both are the router's first route ({@link KosmosMetricsHandler.Builder#installOn}): {@code
 * /metrics} is answered there, before any route of yours, unrecorded, so that no catch-all route
 * can shadow it, whenever {@code install} is called, and so that no other request has to match one
 * more route (on a hello-world server under load, a {@code /metrics} route of its own cost 0.11 µs
 * per request, more than recording the request). {@code /metrics} is matched as Vert.x matches a
 * route's path: on the normalised path, with or without a trailing slash, below the router's mount
 * point. Apart from that, the same as:
 *
 * <pre>{@code
 * KosmosMetricsHandler.builder(metrics.http("athena")).ignorePath("/metrics").installOn(router);
 * router.route("/metrics").handler(MetricsHandler.create(metrics.registry(), access));
 * }</pre>
 */
public final class KosmosVertxMetrics {

  /** Where {@link #install} serves the registry. */
  public static final String METRICS_PATH = "/metrics";

  private KosmosVertxMetrics() {}

  /**
   * Records every request of {@code router} for {@code agent} and serves {@code metrics}' registry
   * on {@code /metrics} to anyone ({@code GET} and {@code HEAD}), which is itself not recorded.
   * Call once per router.
   *
   * @throws IllegalArgumentException when an argument is null or {@code agent} is not a valid agent
   *     name (core's rule)
   */
  public static void install(Router router, KosmosMetrics metrics, String agent) {
    install(router, metrics, agent, MetricsAccess.open());
  }

  /**
   * As {@link #install(Router, KosmosMetrics, String)}, serving {@code /metrics} only to requests
   * that {@code access} allows (401 with {@code WWW-Authenticate} otherwise). Methods other than
   * {@code GET} and {@code HEAD} get 405 with {@code Allow: GET, HEAD} either way.
   *
   * @throws IllegalArgumentException when an argument is null or {@code agent} is not a valid agent
   *     name (core's rule)
   */
  public static void install(
      Router router, KosmosMetrics metrics, String agent, MetricsAccess access) {
    Checks.notNull("router", router);
    Checks.notNull("metrics", metrics);
    Checks.notNull("access", access);
    MetricsHandler scrape = MetricsHandler.create(metrics.registry(), access);
    KosmosMetricsHandler.builder(metrics.http(agent)).serve(METRICS_PATH, scrape).installOn(router);
  }
}
