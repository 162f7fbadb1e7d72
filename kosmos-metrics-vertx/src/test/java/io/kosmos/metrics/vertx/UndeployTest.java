package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.Lifecycle;
import io.kosmos.metrics.core.MetricsAccess;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.web.Router;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Undeploying a verticle that installed the metrics leaves no open port and no thread behind. */
class UndeployTest {

  private final KosmosMetrics metrics =
      KosmosMetrics.builder().registry(new PrometheusRegistry()).build();

  /** An agent service as users write it: its server and router live in a verticle. */
  private final class AgentVerticle extends VerticleBase {
    volatile int port;

    @Override
    public Future<?> start() {
      Router router = Router.router(vertx);
      KosmosVertxMetrics.install(router, metrics, "athena", MetricsAccess.open());
      router.get("/tasks/:id").handler(ctx -> ctx.end("task " + ctx.pathParam("id")));
      return vertx
          .createHttpServer()
          .requestHandler(router)
          .listen(0, "127.0.0.1")
          .onSuccess(server -> port = server.actualPort());
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void undeployingClosesThePortAndClosingVertxLeavesNoThread() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    Set<Thread> before = Lifecycle.liveThreads();
    Set<Thread> started = Set.of();
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(2));
    try {
      AgentVerticle verticle = new AgentVerticle();
      String id = await(vertx.deployVerticle(verticle));
      int port = verticle.port;
      assertThat(Lifecycle.status(loopback, port, "GET", "/tasks/1")).isEqualTo(200);
      // Scrapes run on Vert.x's worker pool: several, so that more than one worker is used.
      for (int i = 0; i < 5; i++) {
        assertThat(Lifecycle.status(loopback, port, "GET", "/metrics")).isEqualTo(200);
      }
      assertThat(Lifecycle.status(loopback, port, "POST", "/metrics")).isEqualTo(405);
      started = Lifecycle.startedSince(before);
      assertThat(started)
          .as("every thread started meanwhile belongs to Vert.x")
          .extracting(Thread::getName)
          .isNotEmpty()
          .allMatch(
              name -> name.startsWith("vert.x-") || name.equals("vertx-blocked-thread-checker"));
      Lifecycle.assertListening(port);

      await(vertx.undeploy(id));
      Lifecycle.assertPortClosed(loopback, port);
    } finally {
      await(vertx.close());
    }
    Lifecycle.awaitDead(started, Duration.ofSeconds(20));
  }
}
