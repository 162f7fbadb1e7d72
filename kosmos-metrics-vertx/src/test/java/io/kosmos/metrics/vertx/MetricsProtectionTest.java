package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsAccess;
import io.kosmos.metrics.core.MetricsEndpointContract;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The Vert.x {@code /metrics} route: the shared endpoint rules, through a real Vert.x server. */
class MetricsProtectionTest extends MetricsEndpointContract {

  @Override
  protected Served serve(KosmosMetrics metrics, MetricsAccess access) throws Exception {
    return served(router -> KosmosVertxMetrics.install(router, metrics, "athena", access));
  }

  @Override
  protected Served serveWithDefaults(KosmosMetrics metrics) throws Exception {
    return served(router -> KosmosVertxMetrics.install(router, metrics, "athena"));
  }

  private static Served served(Consumer<Router> install) throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Router router = Router.router(vertx);
    install.accept(router);
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setPort(0).setHost("127.0.0.1"))
            .requestHandler(router)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    return new Served() {
      @Override
      public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.actualPort());
      }

      @Override
      public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    };
  }

  @Test
  void aNullAccessIsRefused() {
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      KosmosMetrics metrics = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
      assertThatThrownBy(() -> KosmosVertxMetrics.install(router, metrics, "athena", null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("access must not be null");
      assertThatThrownBy(() -> MetricsHandler.create(metrics.registry(), (MetricsAccess) null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("access must not be null");
      assertThat(router.getRoutes()).isEmpty();
    } finally {
      vertx.close();
    }
  }
}
