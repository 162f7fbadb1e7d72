package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.http.HttpServerOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The same route in a Vert.x app ({@code /tasks/:id}) and in a servlet-style app ({@code
 * /tasks/{id}}, as JAX-RS and Spring write it, recorded through core's {@link HttpRecorder} by a
 * JDK HTTP server) gives one {@code endpoint} value, so one dashboard serves both. The real servlet
 * adapter can take the JDK server's place once both adapters are merged.
 */
class SameEndpointAsServletTest {

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  @Test
  void theSameRouteInVertxAndInAServletStyleAppGivesTheSameEndpointValue() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();

    HttpRecorder servletStyle = metrics.http("servlet-app");
    HttpServer jdk = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    jdk.createContext(
        "/tasks/",
        exchange -> {
          long start = servletStyle.start();
          String path = exchange.getRequestURI().getPath();
          byte[] body =
              ("task " + path.substring("/tasks/".length())).getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
          servletStyle.end(start, exchange.getRequestMethod(), "/tasks/{id}", path, 200);
        });
    jdk.start();
    try (VertxApp vertx = VertxApp.start(metrics, "vertx-app", new HttpServerOptions())) {
      URI jdkUri = URI.create("http://127.0.0.1:" + jdk.getAddress().getPort());
      assertThat(get(jdkUri.resolve("/tasks/17"))).isEqualTo("task 17");
      assertThat(get(vertx.baseUri().resolve("/tasks/17"))).isEqualTo("task 17");
    } finally {
      jdk.stop(0);
    }

    Exposition scrape = Exposition.scrape(registry);
    Set<String> fromVertx = endpoints(scrape, "vertx-app");
    assertThat(fromVertx).containsExactly("/tasks/{id}");
    assertThat(endpoints(scrape, "servlet-app")).isEqualTo(fromVertx);
  }

  private String get(URI uri) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static Set<String> endpoints(Exposition scrape, String agent) {
    return scrape.matching("http_requests_total", "agent", agent).stream()
        .map(sample -> sample.labels().get("endpoint"))
        .collect(Collectors.toSet());
  }
}
