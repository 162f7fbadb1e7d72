package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.Lifecycle;
import io.kosmos.metrics.core.MetricsAccess;
import io.kosmos.metrics.core.MetricsEndpointContract;
import io.kosmos.metrics.testsupport.HttpAdapterContract.App;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletRegistration;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * The servlet {@code /metrics} endpoint in every container: the shared endpoint rules through
 * {@link KosmosMetricsFilter.Builder#install}, plus a container-made servlet's init-params and what
 * stopping the container leaves behind.
 */
abstract class ServletMetricsEndpointContract extends MetricsEndpointContract {

  /** Starts the container on 127.0.0.1, port 0, with its root context set up by {@code setup}. */
  abstract App container(ServletContainerInitializer setup) throws Exception;

  private final KosmosMetrics metrics =
      KosmosMetrics.builder().registry(new PrometheusRegistry()).build();

  @Override
  protected Served serve(KosmosMetrics metrics, MetricsAccess access) throws Exception {
    return served(
        container(
            (classes, context) -> {
              KosmosMetricsFilter.builder(metrics)
                  .agent("zeus")
                  .metricsAccess(access)
                  .install(context);
              FixtureServlets.register(context);
            }));
  }

  @Override
  protected Served serveWithDefaults(KosmosMetrics metrics) throws Exception {
    return served(
        container(
            (classes, context) -> {
              KosmosMetricsFilter.builder(metrics).agent("zeus").install(context);
              FixtureServlets.register(context);
            }));
  }

  /**
   * At trace level (JUL {@code FINER}) Tomcat dumps every raw request, Authorization included: the
   * container's own trace, off unless asked for. Up to debug nothing may show a credential.
   */
  @Override
  protected Level secretFreeLogLevel() {
    return Level.FINE;
  }

  private static Served served(App app) {
    return new Served() {
      @Override
      public URI baseUri() {
        return app.baseUri();
      }

      @Override
      public void close() throws Exception {
        app.close();
      }
    };
  }

  /** What {@code web.xml} does: the container makes the servlet and passes the init-params. */
  @Test
  void aContainerMadeServletTakesItsTokenFromInitParams() throws Exception {
    serving(
        served(
            container(
                (classes, context) -> {
                  ServletRegistration.Dynamic servlet =
                      context.addServlet("metrics", KosmosMetricsServlet.class);
                  servlet.setInitParameters(Map.of("metrics-token", TOKEN));
                  servlet.addMapping("/metrics");
                })));
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
    serving(
        served(
            container(
                (classes, context) -> {
                  ServletRegistration.Dynamic servlet =
                      context.addServlet("metrics", KosmosMetricsServlet.class);
                  servlet.setInitParameters(Map.of("metrics-token-env", "HOME"));
                  servlet.addMapping("/metrics");
                })));
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
    Set<Thread> started = Lifecycle.startedSince(before);
    assertThat(started).as("the container's threads").isNotEmpty();
    Lifecycle.assertListening(port);
    stopping.close(); // stops the container, which destroys the filter and the servlet

    Lifecycle.assertPortClosed(loopback, port);
    Lifecycle.awaitDead(started, Duration.ofSeconds(20));
  }

  private App serveInstalled() throws Exception {
    return container(
        (classes, context) -> {
          KosmosMetricsFilter.builder(metrics)
              .agent("zeus")
              .metricsAccess(MetricsAccess.open())
              .install(context);
          FixtureServlets.register(context);
        });
  }
}
