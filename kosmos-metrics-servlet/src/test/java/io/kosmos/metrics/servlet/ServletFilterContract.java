package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What is specific to the filter, on top of {@link ServletRecordingContract}, run in every
 * container: registration for every dispatcher type or twice, exceptions through the chain,
 * init-params.
 */
@ExpectedLog(logger = "io.kosmos.metrics", contains = "label 'endpoint' reached its cap of 2")
abstract class ServletFilterContract extends ServletRecordingContract {

  /** Starts the container on port 0 with its root context set up by {@code setup}. */
  abstract App serve(ServletContainerInitializer setup) throws Exception;

  /** A short name of the container, unique among the subclasses. */
  abstract String container();

  @Override
  protected App start(KosmosMetrics metrics, int maxPathEndpoints) throws Exception {
    return serve(
        (classes, context) -> {
          KosmosMetricsFilter.builder(metrics)
              .agent(AGENT)
              .skipPaths("/healthz", "/static/*")
              .maxPathEndpoints(maxPathEndpoints)
              .install(context);
          FixtureServlets.register(context);
        });
  }

  @Test
  void recordsOnceWhenRegisteredForEveryDispatcherType() throws Exception {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    try (App all =
        serve(
            (classes, context) -> {
              FilterRegistration.Dynamic filter =
                  context.addFilter(
                      "kosmos-metrics", KosmosMetricsFilter.builder(metrics).agent(AGENT).build());
              filter.setAsyncSupported(true);
              filter.addMappingForUrlPatterns(EnumSet.allOf(DispatcherType.class), false, "/*");
              context
                  .addServlet("metrics", new PrometheusMetricsServlet(registry))
                  .addMapping("/metrics");
              FixtureServlets.register(context);
            })) {
      app.close();
      app = all;
      send("GET", "/forward");
      send("GET", "/async-dispatch");
      send("GET", "/async-error");
      send("GET", "/async-timeout");
      send("GET", "/tasks/1");

      Exposition scrape = scrape();
      assertThat(scrape.sum("http_requests_total")).isEqualTo(5);
      assertThat(scrape.labelValues("http_requests_total", "endpoint"))
          .containsExactlyInAnyOrder(
              "/forward", "/async-dispatch", "/async-error", "/async-timeout", "/tasks/{id}");
    }
  }

  @Test
  void aSecondRegistrationInTheSameChainRecordsNothing() throws Exception {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    try (App twice =
        serve(
            (classes, context) -> {
              for (String name : List.of("kosmos-metrics", "kosmos-metrics-again")) {
                FilterRegistration.Dynamic filter =
                    context.addFilter(
                        name, KosmosMetricsFilter.builder(metrics).agent(AGENT).build());
                filter.setAsyncSupported(true);
                filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
              }
              context
                  .addServlet("metrics", new PrometheusMetricsServlet(registry))
                  .addMapping("/metrics");
              FixtureServlets.register(context);
            })) {
      app.close();
      app = twice;
      send("GET", "/tasks/1");
      send("GET", "/tasks/2");
      send("GET", "/async-dispatch");

      Exposition scrape = scrape();
      assertThat(scrape.sum("http_requests_total")).isEqualTo(3);
      assertThat(scrape.labelValues("http_requests_total", "endpoint"))
          .containsExactlyInAnyOrder("/tasks/{id}", "/async-dispatch");
      assertThat(scrape.value("active_connections", "agent", AGENT)).isZero();
    }
  }

  /** What the filter in front of ours caught. */
  private static final AtomicReference<Throwable> CAUGHT = new AtomicReference<>();

  private static final IllegalStateException THROWN = new IllegalStateException("thrown");

  @Test
  void anExceptionFromTheChainIsRethrownUnchanged() throws Exception {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    Filter catcher =
        (request, response, chain) -> {
          try {
            chain.doFilter(request, response);
          } catch (RuntimeException e) {
            CAUGHT.set(e);
            throw e;
          }
        };
    try (App throwing =
        serve(
            (classes, context) -> {
              context.addFilter("catcher", catcher).addMappingForUrlPatterns(null, false, "/*");
              KosmosMetricsFilter.builder(metrics).agent(AGENT).install(context);
              context
                  .addServlet(
                      "throws",
                      new HttpServlet() {
                        @Override
                        protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                          throw THROWN;
                        }
                      })
                  .addMapping("/throws");
            })) {
      app.close();
      app = throwing;
      CAUGHT.set(null);
      assertThat(send("GET", "/throws").statusCode()).isEqualTo(500);
      assertThat(CAUGHT.get()).isSameAs(THROWN);
      assertThat(scrape().value("http_requests_total", "endpoint", "/throws", "status", "500"))
          .isEqualTo(1);
    }
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "paths without a route (maxPathEndpoints)")
  @Test
  void aContainerMadeFilterIsConfiguredByInitParams() throws Exception {
    // The no-arg filter records into the default registry: an agent of its own keeps it apart.
    String agent = "init-params-" + container();
    try (App configured =
        serve(
            (classes, context) -> {
              FilterRegistration.Dynamic filter =
                  context.addFilter("kosmos-metrics", KosmosMetricsFilter.class);
              filter.setAsyncSupported(true);
              filter.setInitParameters(
                  Map.of(
                      "agent",
                      agent,
                      "max-endpoints",
                      "2",
                      "skip-paths",
                      "/healthz, /static/*",
                      "max-path-endpoints",
                      "1"));
              filter.addMappingForUrlPatterns(null, false, "/*");
              context.addServlet("metrics", PrometheusMetricsServlet.class).addMapping("/metrics");
              FixtureServlets.register(context);
            })) {
      for (String path : List.of("/tasks/1", "/exact", "/files/x", "/healthz", "/static/a")) {
        send(configured.baseUri(), path);
      }
      // Routeless 200s: the first path takes the one path value, the second is unmatched.
      for (String path : List.of("/first/page", "/second/page")) {
        assertThat(
                client
                    .send(
                        HttpRequest.newBuilder(configured.baseUri().resolve(path))
                            .header(ANSWER_HEADER, "200")
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body())
            .isEqualTo(ANSWERED_BEFORE_ROUTING);
      }
      send(configured.baseUri(), "/metrics");

      Exposition scrape = Exposition.parse(send(configured.baseUri(), "/metrics").body());
      Map<String, Double> byEndpoint =
          scrape.matching("http_requests_total", "agent", agent).stream()
              .collect(Collectors.toMap(s -> s.labels().get("endpoint"), Exposition.Sample::value));
      assertThat(byEndpoint)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(
                  "/tasks/{id}",
                  1.0,
                  "/exact",
                  1.0,
                  "overflow",
                  1.0,
                  "/first/page",
                  1.0,
                  "unmatched",
                  1.0));
    }
  }

  @Test
  void anInvalidInitParamStopsTheContextFromStarting() {
    assertThatThrownBy(
            () ->
                serve(
                        (classes, context) -> {
                          FilterRegistration.Dynamic filter =
                              context.addFilter("kosmos-metrics", KosmosMetricsFilter.class);
                          filter.setInitParameters(Map.of("agent", "zeus", "max-endpoints", "0"));
                          filter.addMappingForUrlPatterns(null, false, "/*");
                        })
                    .close())
        .satisfies(this::initFailure);
  }

  /** Checks how the container reports a filter whose {@code init} failed. */
  abstract void initFailure(Throwable startFailure);

  static final String MAX_ENDPOINTS_ZERO =
      "init-param max-endpoints must be an integer of at least 1, but was '0'";

  private HttpResponse<String> send(URI base, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
