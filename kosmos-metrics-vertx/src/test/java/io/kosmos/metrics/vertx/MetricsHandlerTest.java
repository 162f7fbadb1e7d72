package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServerOptions;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** The {@code /metrics} route: off the event loop, and compressed exactly once. */
class MetricsHandlerTest {

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();

  private HttpRequest.Builder request(VertxApp app, String path) {
    return HttpRequest.newBuilder(app.baseUri().resolve(path)).timeout(Duration.ofSeconds(10));
  }

  /**
   * A collector that holds the scrape until released. Were the scrape on the event loop, the
   * server's only event loop would be stuck in it and could not answer another request meanwhile.
   */
  @Test
  void aScrapeInProgressDoesNotHoldUpTheEventLoop() throws Exception {
    CountDownLatch collecting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    registry.register(
        (Collector)
            () -> {
              collecting.countDown();
              try {
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return GaugeSnapshot.builder()
                  .name("slow_collector")
                  .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build())
                  .build();
            });
    List<LogRecord> blockedWarnings = new CopyOnWriteArrayList<>();
    Logger checker = Logger.getLogger("io.vertx.core.impl.BlockedThreadChecker");
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            blockedWarnings.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    checker.addHandler(capture);
    VertxOptions options =
        new VertxOptions()
            .setEventLoopPoolSize(1)
            .setBlockedThreadCheckInterval(50)
            .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
            .setMaxEventLoopExecuteTime(1)
            .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS);
    try (VertxApp app = VertxApp.start(metrics, "athena", options, new HttpServerOptions())) {
      assertAnswersWhileScraping(app, collecting, release);
      assertThat(blockedWarnings)
          .as("Vert.x blocked-thread warnings")
          .noneMatch(record -> String.valueOf(record.getMessage()).contains("eventloop"));
    } finally {
      release.countDown();
      checker.removeHandler(capture);
    }
  }

  private void assertAnswersWhileScraping(
      VertxApp app, CountDownLatch collecting, CountDownLatch release) throws Exception {
    try {
      CompletableFuture<HttpResponse<String>> scrape =
          client.sendAsync(request(app, "/metrics").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(collecting.await(10, TimeUnit.SECONDS)).as("scrape started").isTrue();

      HttpResponse<String> task =
          client.send(request(app, "/tasks/1").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(task.body()).as("answered while the scrape is collecting").isEqualTo("task 1");
      assertThat(scrape).isNotDone();

      release.countDown();
      HttpResponse<String> scraped = scrape.get(10, TimeUnit.SECONDS);
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(Exposition.parse(scraped.body()).value("slow_collector")).isEqualTo(1);
    } finally {
      // Before the server closes, so that a failing run does not wait on the collector.
      release.countDown();
    }
  }

  @Test
  void withVertxCompressionOnTheBodyIsGzippedExactlyOnce() throws Exception {
    HttpServerOptions compressing = new HttpServerOptions().setCompressionSupported(true);
    try (VertxApp app = VertxApp.start(metrics, "athena", compressing)) {
      HttpResponse<byte[]> task =
          client.send(
              request(app, "/tasks/1").header("Accept-Encoding", "gzip").build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertThat(task.headers().allValues("Content-Encoding"))
          .as("Vert.x compresses ordinary responses")
          .containsExactly("gzip");

      HttpResponse<byte[]> response =
          client.send(
              request(app, "/metrics").header("Accept-Encoding", "gzip").build(),
              HttpResponse.BodyHandlers.ofByteArray());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().allValues("Content-Encoding")).containsExactly("gzip");
      String body = gunzip(response.body());
      assertThat(body).startsWith("# HELP");
      assertThat(
              Exposition.parse(body)
                  .value("http_requests_total", "endpoint", "/tasks/{id}", "status", "200"))
          .isEqualTo(1);
    }
  }

  @Test
  void withVertxCompressionOnAnUncompressedScrapeIsCompressedByVertxOnly() throws Exception {
    HttpServerOptions compressing = new HttpServerOptions().setCompressionSupported(true);
    try (VertxApp app = VertxApp.start(metrics, "athena", compressing)) {
      HttpResponse<byte[]> response =
          client.send(
              request(app, "/metrics").header("Accept-Encoding", "deflate").build(),
              HttpResponse.BodyHandlers.ofByteArray());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().allValues("Content-Encoding")).containsExactly("deflate");
    }
  }

  private static String gunzip(byte[] body) throws Exception {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
