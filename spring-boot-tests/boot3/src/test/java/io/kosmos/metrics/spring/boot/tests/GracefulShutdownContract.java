package io.kosmos.metrics.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Graceful shutdown of the starter app with a request in flight: the request completes and is
 * recorded, and no thread of the server, the fixture or the library is left behind.
 */
public abstract class GracefulShutdownContract {

  private static final List<String> OWNED_THREADS =
      List.of("http-nio", "Catalina", "container-", "fixture-timer", "kosmos", "tomcat");

  @Test
  void completesARequestInFlightAndLeavesNoThread() throws Exception {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    // Other tests' cached contexts run in this JVM too: only threads started from here on count.
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(Fixtures.StarterApp.class)
            .properties(
                "server.port=0",
                "server.address=127.0.0.1",
                "server.shutdown=graceful",
                "kosmos.metrics.agent=" + Fixtures.AGENT,
                "spring.main.banner-mode=off")
            .run();
    KosmosMetrics metrics = context.getBean(KosmosMetrics.class);
    Fixtures.Gate gate = context.getBean(Fixtures.Gate.class);
    String base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    CompletableFuture<HttpResponse<String>> inFlight =
        client.sendAsync(
            HttpRequest.newBuilder(URI.create(base + "/gate")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(gate.entered().await(10, TimeUnit.SECONDS)).as("request entered").isTrue();

    CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
    // Graceful shutdown has begun once the server takes no new request.
    await().atMost(Duration.ofSeconds(10)).until(() -> !answers(client, base + "/tasks/1"));
    assertThat(closed).isNotDone();
    gate.open();
    HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("released");
    closed.get(30, TimeUnit.SECONDS);

    assertThat(gateRequests(metrics)).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(thread -> thread.isAlive() && !before.contains(thread))
                    .extracting(Thread::getName)
                    .noneMatch(name -> OWNED_THREADS.stream().anyMatch(name::startsWith)));
  }

  private static boolean answers(HttpClient client, String uri) {
    try {
      client.send(
          HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofMillis(500)).build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private static double gateRequests(KosmosMetrics metrics) {
    double total = 0;
    for (MetricSnapshot snapshot : metrics.registry().scrape()) {
      if (snapshot instanceof CounterSnapshot counter
          && counter.getMetadata().getName().equals("http_requests")) {
        for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
          if ("/gate".equals(point.getLabels().get("endpoint"))
              && "200".equals(point.getLabels().get("status"))) {
            total += point.getValue();
          }
        }
      }
    }
    return total;
  }
}
