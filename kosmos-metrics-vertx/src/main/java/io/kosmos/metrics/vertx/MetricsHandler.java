package io.kosmos.metrics.vertx;

import io.kosmos.metrics.core.MetricsAccess;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;

/**
 * Serves a {@link PrometheusRegistry} on a Vert.x Web route with the Prometheus client's {@link
 * PrometheusScrapeHandler}, off the event loop.
 *
 * <pre>{@code
 * router.route("/metrics").handler(MetricsHandler.create(metrics.registry()));
 * // or, for scrapers that send Authorization: Bearer <token>
 * router.route("/metrics")
 *     .handler(MetricsHandler.create(metrics.registry(), MetricsAccess.bearerToken(token)));
 * }</pre>
 *
 * <p>First the {@link MetricsAccess} rule: a request without the right credentials gets 401 with
 * {@code WWW-Authenticate}. Then the method rule: only {@code GET} and {@code HEAD} are answered (a
 * {@code HEAD} gets the headers of the {@code GET} answer without its body); anything else gets 405
 * with {@code Allow: GET, HEAD}. Mount it with {@code router.route(path)}, so that it sees every
 * method; {@code router.get(path)} would leave other methods to Vert.x's own 405 without the rule's
 * headers.
 *
 * <p>Everything a scrape answers comes from the client: Prometheus text, OpenMetrics or protobuf by
 * the {@code Accept} header, gzip when the scraper accepts it, {@code name[]} filtering and {@code
 * debug}. The registry is collected and encoded in {@code vertx.executeBlocking} (unordered, on the
 * worker pool), into a buffer that is then sent from the route's event loop, so a large or slow
 * collection never stalls other requests.
 *
 * <p>The client marks the body it compressed with {@code Content-Encoding: gzip}; Vert.x's own
 * compression ({@code HttpServerOptions.setCompressionSupported(true)}) leaves a response that
 * already has a {@code Content-Encoding} alone, so the body is compressed once. A scrape that fails
 * is answered with a 500 and logged; the exception's details are not sent to the client.
 */
public final class MetricsHandler implements Handler<RoutingContext> {

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");

  private final PrometheusScrapeHandler scrapeHandler;
  private final MetricsAccess access;

  private MetricsHandler(PrometheusScrapeHandler scrapeHandler, MetricsAccess access) {
    this.scrapeHandler = scrapeHandler;
    this.access = access;
  }

  /**
   * A handler serving {@code registry} with the client's configuration ({@link
   * PrometheusProperties#get()}: system properties and {@code prometheus.properties}), loaded here,
   * once, rather than during a scrape.
   *
   * @throws IllegalArgumentException when {@code registry} is null
   */
  public static MetricsHandler create(PrometheusRegistry registry) {
    return create(registry, PrometheusProperties.get(), MetricsAccess.open());
  }

  /**
   * As {@link #create(PrometheusRegistry)}, answering only requests that {@code access} allows.
   *
   * @throws IllegalArgumentException when an argument is null
   */
  public static MetricsHandler create(PrometheusRegistry registry, MetricsAccess access) {
    Checks.notNull("registry", registry);
    Checks.notNull("access", access);
    return create(registry, PrometheusProperties.get(), access);
  }

  /**
   * A handler serving {@code registry} with the given client configuration (exposition formats,
   * name filters, {@code preferUncompressedResponse}).
   *
   * @throws IllegalArgumentException when an argument is null
   */
  public static MetricsHandler create(PrometheusRegistry registry, PrometheusProperties config) {
    return create(registry, config, MetricsAccess.open());
  }

  /**
   * A handler serving {@code registry} with the given client configuration to requests that {@code
   * access} allows.
   *
   * @throws IllegalArgumentException when an argument is null
   */
  public static MetricsHandler create(
      PrometheusRegistry registry, PrometheusProperties config, MetricsAccess access) {
    Checks.notNull("registry", registry);
    Checks.notNull("config", config);
    Checks.notNull("access", access);
    return new MetricsHandler(new PrometheusScrapeHandler(config, registry), access);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (!access.allows(ctx.request().getHeader("Authorization"))) {
      ctx.response().putHeader("WWW-Authenticate", access.challenge());
      plain(ctx, 401, "Unauthorized\n");
      return;
    }
    HttpMethod method = ctx.request().method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      ctx.response().putHeader("Allow", "GET, HEAD");
      plain(ctx, 405, "Method Not Allowed\n");
      return;
    }
    ScrapeExchange exchange = new ScrapeExchange(ctx.request());
    ctx.vertx()
        .executeBlocking(
            () -> {
              scrapeHandler.handleRequest(exchange.scrape());
              return exchange;
            },
            false)
        .onComplete(
            result -> {
              if (result.succeeded()) {
                send(ctx, result.result());
              } else {
                LOG.log(Level.WARNING, "kosmos-metrics: scrape failed", result.cause());
                ctx.fail(500, result.cause());
              }
            });
  }

  private static void plain(RoutingContext ctx, int status, String body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "text/plain; charset=utf-8")
        .end(Buffer.buffer(body, "UTF-8"));
  }

  private static void send(RoutingContext ctx, ScrapeExchange exchange) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    Exception failure = exchange.failure();
    if (failure != null) {
      LOG.log(Level.WARNING, "kosmos-metrics: scrape failed", failure);
    }
    exchange.writeTo(ctx.response());
  }
}
