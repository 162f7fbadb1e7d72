package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.VertxThread;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a request's duration starts: Vert.x's own reading of the event's start, when it has one.
 */
class DispatchStartTest {

  private static final String AGENT = "athena";

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
  private final HttpClient client = HttpClient.newHttpClient();

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void timesARequestFromTheStartOfItsEventIncludingWhatHeldItBeforeTheRouter() throws Exception {
    long held = 50_000_000L;
    URI base =
        serve(
            KosmosMetricsHandler.builder(metrics.http(AGENT)),
            router ->
                request -> {
                  // What a slow request handler in front of the router costs the client.
                  long entered = System.nanoTime();
                  while (System.nanoTime() - entered < held) {
                    Thread.onSpinWait();
                  }
                  router.handle(request);
                },
            () -> {});

    long sent = System.nanoTime();
    assertThat(get(base, "/tasks/1").statusCode()).isEqualTo(200);

    double seconds =
        settled().value("http_request_duration_seconds_sum", "endpoint", "/tasks/{id}");
    long recorded = System.nanoTime();
    assertThat(seconds).isBetween(held / 1e9, (recorded - sent) / 1e9);
  }

  @Test
  void timesWithTheConfiguredClockWhenItIsNotTheSystems() throws Exception {
    AtomicLong now = new AtomicLong(9_000_000_000L);
    URI base =
        serve(
            KosmosMetricsHandler.builder(
                HttpRecorder.builder(metrics).agent(AGENT).clock(now::get).build()),
            router ->
                request -> {
                  now.addAndGet(1_000_000L); // before the router, so not counted
                  router.handle(request);
                },
            () -> now.addAndGet(7_000_000L));

    assertThat(get(base, "/tasks/1").statusCode()).isEqualTo(200);

    assertThat(settled().value("http_request_duration_seconds_sum", "endpoint", "/tasks/{id}"))
        .isEqualTo(0.007);
  }

  @Test
  void startsFromVertxsReadingOnItsThreadsAndFromTheRecordersOwnElsewhere() throws Exception {
    HttpRecorder recorder = metrics.http(AGENT);

    long before = System.nanoTime();
    long own = DispatchStart.start(recorder);
    long after = System.nanoTime();
    assertThat(own).as("outside Vert.x").isBetween(before, after);

    Promise<long[]> onContext = Promise.promise();
    vertx.runOnContext(
        ignored -> {
          long began = ((VertxThread) Thread.currentThread()).startTime();
          onContext.complete(new long[] {began, DispatchStart.start(recorder), System.nanoTime()});
        });
    long[] seen = await(onContext.future());
    assertThat(seen[0]).as("Vert.x's reading of the event's start").isNotZero();
    assertThat(seen[1]).as("on an event loop").isEqualTo(seen[0]);
    assertThat(seen[1]).isBetween(after, seen[2]);

    recorder.end(own, "GET", "/tasks/{id}", "/tasks/1", 200);
    recorder.end(seen[1], "GET", "/tasks/{id}", "/tasks/2", 200);
    assertThat(settled().value("http_requests_total", "endpoint", "/tasks/{id}")).isEqualTo(2);
  }

  /**
   * A server whose router has {@code handler} and one route, {@code /tasks/:id}, which runs {@code
   * work} and answers {@code ok}, behind the request handler that {@code front} makes of the
   * router.
   */
  private URI serve(
      KosmosMetricsHandler.Builder handler,
      Function<Router, Handler<HttpServerRequest>> front,
      Runnable work)
      throws Exception {
    Router router = Router.router(vertx);
    handler.installOn(router);
    router
        .get("/tasks/:id")
        .handler(
            ctx -> {
              work.run();
              ctx.end("ok");
            });
    HttpServer server =
        await(vertx.createHttpServer().requestHandler(front.apply(router)).listen(0, "127.0.0.1"));
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The registry once no request is in flight: recorded when the response completes. */
  private Exposition settled() {
    return Exposition.settled(() -> Exposition.scrape(registry).text(), AGENT);
  }
}
