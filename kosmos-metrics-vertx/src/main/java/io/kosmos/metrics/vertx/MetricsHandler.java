package io.kosmos.metrics.vertx;

import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger.Level;

/**
 * Serves a {@link PrometheusRegistry} on a Vert.x Web route with the Prometheus client's {@link
 * PrometheusScrapeHandler}, off the event loop.
 *
 * <pre>{@code
 * router.get("/metrics").handler(MetricsHandler.create(metrics.registry()));
 * }</pre>
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

  private MetricsHandler(PrometheusScrapeHandler scrapeHandler) {
    this.scrapeHandler = scrapeHandler;
  }

  /**
   * A handler serving {@code registry} with the client's configuration ({@link
   * PrometheusProperties#get()}: system properties and {@code prometheus.properties}), loaded here,
   * once, rather than during a scrape.
   *
   * @throws IllegalArgumentException when {@code registry} is null
   */
  public static MetricsHandler create(PrometheusRegistry registry) {
    return create(registry, PrometheusProperties.get());
  }

  /**
   * A handler serving {@code registry} with the given client configuration (exposition formats,
   * name filters, {@code preferUncompressedResponse}).
   *
   * @throws IllegalArgumentException when an argument is null
   */
  public static MetricsHandler create(PrometheusRegistry registry, PrometheusProperties config) {
    Checks.notNull("registry", registry);
    Checks.notNull("config", config);
    return new MetricsHandler(new PrometheusScrapeHandler(config, registry));
  }

  @Override
  public void handle(RoutingContext ctx) {
    ScrapeExchange exchange = new ScrapeExchange(ctx.request());
    ctx.vertx()
        .executeBlocking(
            () -> {
              scrapeHandler.handleRequest(exchange);
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
