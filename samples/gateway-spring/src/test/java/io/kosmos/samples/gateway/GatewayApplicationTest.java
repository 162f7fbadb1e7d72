package io.kosmos.samples.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.kosmos.metrics.core.Exposition;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The gateway forwards to an agent (a JDK HTTP server here) and records under route templates. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayApplicationTest {

  private static final HttpServer ZEUS = zeus();
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Autowired Environment environment;

  private static HttpServer zeus() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/tasks/",
          exchange -> {
            byte[] body =
                ("zeus " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
          });
      server.start();
      return server;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void agents(DynamicPropertyRegistry registry) {
    registry.add("gateway.zeus-url", () -> "http://127.0.0.1:" + ZEUS.getAddress().getPort());
    registry.add("server.port", () -> "0");
  }

  @AfterAll
  static void stopZeus() {
    ZEUS.stop(0);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:"
                        + environment.getRequiredProperty("local.server.port")
                        + path))
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void forwardsToTheAgentAndRecordsTheRouteTemplate() throws Exception {
    HttpResponse<String> task = get("/zeus/tasks/42");
    assertThat(task.statusCode()).isEqualTo(200);
    assertThat(task.body()).isEqualTo("zeus /tasks/42");
    assertThat(get("/apollo/tasks/1").statusCode()).isEqualTo(404);
    assertThat(get("/.env").statusCode()).isEqualTo(404);

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              Exposition scrape = Exposition.parse(get("/metrics").body());
              assertThat(
                      scrape.value(
                          "http_requests_total",
                          "agent",
                          "gateway",
                          "endpoint",
                          "/{agent}/tasks/{id}",
                          "status",
                          "200"))
                  .isEqualTo(1);
              assertThat(
                      scrape.value(
                          "http_requests_total",
                          "agent",
                          "gateway",
                          "endpoint",
                          "/{agent}/tasks/{id}",
                          "status",
                          "404"))
                  .isEqualTo(1);
              assertThat(scrape.labelValues("http_requests_total", "endpoint"))
                  .containsExactlyInAnyOrder("/{agent}/tasks/{id}", "unmatched");
            });
  }
}
