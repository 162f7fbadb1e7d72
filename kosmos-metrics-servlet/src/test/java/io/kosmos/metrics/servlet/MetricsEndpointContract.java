package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.kosmos.metrics.core.CapturedLogs;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.Lifecycle;
import io.kosmos.metrics.core.MetricsAccess;
import io.kosmos.metrics.testsupport.HttpAdapterContract.App;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletRegistration;
import java.net.InetAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The servlet {@code /metrics} endpoint's rules, in every container: authentication, GET and HEAD
 * only, init-params, and what stopping the container leaves behind.
 */
abstract class MetricsEndpointContract {

  static final String TOKEN = "kosmos-servlet-token-0815";

  /** Starts the container on 127.0.0.1, port 0, with its root context set up by {@code setup}. */
  abstract App serve(ServletContainerInitializer setup) throws Exception;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private App app;

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
  }

  private App install(MetricsAccess access) throws Exception {
    app =
        serve(
            (classes, context) -> {
              KosmosMetricsFilter.builder(metrics)
                  .agent("zeus")
                  .metricsAccess(access)
                  .install(context);
              FixtureServlets.register(context);
            });
    return app;
  }

  private HttpResponse<String> send(String method, String path, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(app.baseUri().resolve(path))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String basic(String userAndPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  private void assertScrapeWithTasks(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(
            Exposition.parse(response.body())
                .sum("http_requests_total", "agent", "zeus", "endpoint", "/tasks/{id}"))
        .isEqualTo(1);
  }

  @Test
  void aBearerTokenIsRequiredAndTheRightOneServesTheScrape() throws Exception {
    install(MetricsAccess.bearerToken(TOKEN));
    assertThat(send("GET", "/tasks/1").statusCode()).isEqualTo(200);

    HttpResponse<String> missing = send("GET", "/metrics");
    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(missing.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"metrics\"");
    assertThat(missing.body()).doesNotContain("http_requests_total");

    HttpResponse<String> wrong = send("GET", "/metrics", "Authorization", "Bearer wrong");
    assertThat(wrong.statusCode()).isEqualTo(401);
    assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"metrics\"");

    assertScrapeWithTasks(send("GET", "/metrics", "Authorization", "Bearer " + TOKEN));
  }

  @Test
  void basicAuthenticationAcceptsTheRightUserAndPasswordOnly() throws Exception {
    install(MetricsAccess.basic("prometheus", "hunter2"));
    assertThat(send("GET", "/tasks/1").statusCode()).isEqualTo(200);

    HttpResponse<String> refused =
        send("GET", "/metrics", "Authorization", basic("prometheus:hunter3"));
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.headers().firstValue("WWW-Authenticate"))
        .hasValue("Basic realm=\"metrics\", charset=\"UTF-8\"");
    assertScrapeWithTasks(send("GET", "/metrics", "Authorization", basic("prometheus:hunter2")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
  void onlyGetAndHeadAreAllowed(String method) throws Exception {
    install(MetricsAccess.bearerToken(TOKEN));
    HttpResponse<String> response = send(method, "/metrics", "Authorization", "Bearer " + TOKEN);
    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @ParameterizedTest
  @ValueSource(strings = {"identity", "gzip"})
  void headAnswersTheHeadersOfGetWithoutABody(String encoding) throws Exception {
    install(MetricsAccess.bearerToken(TOKEN));
    HttpResponse<String> head =
        send("HEAD", "/metrics", "Authorization", "Bearer " + TOKEN, "Accept-Encoding", encoding);
    HttpResponse<byte[]> get =
        client.send(
            HttpRequest.newBuilder(app.baseUri().resolve("/metrics"))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Accept-Encoding", encoding)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(get.body()).isNotEmpty();
    assertThat(head.headers().firstValue("Content-Type"))
        .isEqualTo(get.headers().firstValue("Content-Type"))
        .isPresent();
    assertThat(head.headers().firstValue("Content-Encoding"))
        .isEqualTo(get.headers().firstValue("Content-Encoding"));
    if (encoding.equals("identity")) {
      assertThat(head.headers().firstValue("Content-Length"))
          .hasValue(Integer.toString(get.body().length));
    }
    assertThat(send("HEAD", "/metrics").statusCode()).isEqualTo(401);
  }

  @Test
  void openByDefaultButStillGetAndHeadOnly() throws Exception {
    app =
        serve(
            (classes, context) -> {
              KosmosMetricsFilter.builder(metrics).agent("zeus").install(context);
              FixtureServlets.register(context);
            });
    assertThat(send("GET", "/tasks/1").statusCode()).isEqualTo(200);
    assertScrapeWithTasks(send("GET", "/metrics"));
    assertThat(send("HEAD", "/metrics").statusCode()).isEqualTo(200);
    assertThat(send("POST", "/metrics").statusCode()).isEqualTo(405);
  }

  @Test
  void theCredentialNeverAppearsInLogs() throws Exception {
    install(MetricsAccess.bearerToken(TOKEN));
    assertThat(send("GET", "/tasks/1").statusCode()).isEqualTo(200);
    try (CapturedLogs logs = CapturedLogs.capture()) {
      assertThat(send("GET", "/metrics", "Authorization", "Bearer " + TOKEN + "x").statusCode())
          .isEqualTo(401);
      assertScrapeWithTasks(send("GET", "/metrics", "Authorization", "Bearer " + TOKEN));
      // At trace level (JUL FINER) Tomcat dumps every raw request, Authorization included: that
      // is the container's own trace, off unless asked for. Up to debug nothing may show it.
      assertThat(logs.text(Level.FINE)).doesNotContain(TOKEN);
      assertThat(logs.count())
          .as("records captured, so the check has something to look at")
          .isPositive();
    }
  }

  /** What {@code web.xml} does: the container makes the servlet and passes the init-params. */
  @Test
  void aContainerMadeServletTakesItsTokenFromInitParams() throws Exception {
    app =
        serve(
            (classes, context) -> {
              ServletRegistration.Dynamic servlet =
                  context.addServlet("metrics", KosmosMetricsServlet.class);
              servlet.setInitParameters(Map.of("metrics-token", TOKEN));
              servlet.addMapping("/metrics");
            });
    assertThat(send("GET", "/metrics").statusCode()).isEqualTo(401);
    HttpResponse<String> allowed = send("GET", "/metrics", "Authorization", "Bearer " + TOKEN);
    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(send("DELETE", "/metrics", "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(405);
  }

  @Test
  void aContainerMadeServletCanReadItsTokenFromTheEnvironment() throws Exception {
    // HOME ("/root", "/home/ci") is a valid token on every machine that runs the build.
    String home = System.getenv("HOME");
    assumeThat(home).as("HOME").isNotBlank().matches("[A-Za-z0-9._~+/-]+");
    app =
        serve(
            (classes, context) -> {
              ServletRegistration.Dynamic servlet =
                  context.addServlet("metrics", KosmosMetricsServlet.class);
              servlet.setInitParameters(Map.of("metrics-token-env", "HOME"));
              servlet.addMapping("/metrics");
            });
    assertThat(send("GET", "/metrics").statusCode()).isEqualTo(401);
    assertThat(send("GET", "/metrics", "Authorization", "Bearer " + home).statusCode())
        .isEqualTo(200);
  }

  @Test
  void stoppingTheContainerLeavesNoThreadAndNoOpenPort() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    // A first run starts what the JVM starts once and keeps (class loading, cleaners).
    try (App warmUp = serveInstalled()) {
      Lifecycle.status(loopback, warmUp.baseUri().getPort(), "GET", "/metrics");
    }
    Set<Thread> before = Lifecycle.liveThreads();

    App stopping = serveInstalled();
    int port = stopping.baseUri().getPort();
    assertThat(Lifecycle.status(loopback, port, "GET", "/tasks/1")).isEqualTo(200);
    assertThat(Lifecycle.status(loopback, port, "GET", "/metrics")).isEqualTo(200);
    assertThat(Lifecycle.status(loopback, port, "GET", "/async")).isEqualTo(200);
    stopping.close(); // stops the container, which destroys the filter and the servlet

    Lifecycle.assertPortClosed(loopback, port);
    Lifecycle.awaitThreadsGone(before, Duration.ofSeconds(20));
  }

  private App serveInstalled() throws Exception {
    return serve(
        (classes, context) -> {
          KosmosMetricsFilter.builder(metrics)
              .agent("zeus")
              .metricsAccess(MetricsAccess.open())
              .install(context);
          FixtureServlets.register(context);
        });
  }
}
