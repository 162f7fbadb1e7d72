package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.testsupport.HttpAdapterContract.App;
import jakarta.servlet.http.HttpServlet;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

/** {@link KosmosJettyHandler} in embedded Jetty 12.1 (ee11): everything the filter records. */
@ExpectedLog(logger = "org.eclipse.jetty.ee11.servlet.ServletChannel")
class JettyHandlerTest extends ServletRecordingContract {

  @Override
  protected App start(KosmosMetrics metrics, int maxPathEndpoints) throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServletContainerInitializer(
        (classes, servletContext) -> FixtureServlets.register(servletContext));
    KosmosJettyHandler.install(
        context,
        KosmosMetricsFilter.builder(metrics)
            .agent(AGENT)
            .skipPaths("/healthz", "/static/*")
            .maxPathEndpoints(maxPathEndpoints));
    return Containers.jetty(context);
  }

  @Override
  protected int statusOfARequestAbandonedByItsClient() {
    // The servlet reading the body throws Jetty's EofException, and Jetty answers a body cut short
    // with 400; the handler records the status Jetty set (the filter, seeing the exception, 500).
    return 400;
  }

  @Test
  void aRequestToNoServletIsRecordedAsUnmatched404() throws Exception {
    HttpResponse<String> response = send("GET", "/nobody/here");
    assertThat(response.statusCode()).isEqualTo(404);

    Exposition scrape = scrape();
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched", "status", "404"))
        .isEqualTo(1);
  }

  @Test
  void timesARequestFromItsArrivalIncludingWhatHeldItInFront() throws Exception {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new FixtureServlets.Text("ok")), "/tasks/*");
    KosmosJettyHandler.install(context, KosmosMetricsFilter.builder(metrics).agent(AGENT));
    long held = 50_000_000L;
    Handler.Wrapper inFront =
        new Handler.Wrapper(context) {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            // What a slow handler in front of the context (authentication, say) costs the client.
            while (System.nanoTime() - request.getBeginNanoTime() < held) {
              Thread.onSpinWait();
            }
            return super.handle(request, response, callback);
          }
        };
    try (App app = Containers.jetty(inFront)) {
      long sent = System.nanoTime();
      HttpResponse<String> response = get(app, "/tasks/1");
      assertThat(response.statusCode()).isEqualTo(200);

      double seconds = settled().value("http_request_duration_seconds_sum", "endpoint", "/tasks/*");
      long recorded = System.nanoTime();
      assertThat(seconds).isBetween(held / 1e9, (recorded - sent) / 1e9);
    }
  }

  @Test
  void timesWithTheConfiguredClockWhenItIsNotTheSystems() throws Exception {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    AtomicLong now = new AtomicLong(9_000_000_000L);
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(
        new ServletHolder(new FixtureServlets.Text("ok", () -> now.addAndGet(7_000_000L))),
        "/tasks/*");
    KosmosJettyHandler.install(
        context, KosmosMetricsFilter.builder(metrics).agent(AGENT).clock(now::get));
    try (App app = Containers.jetty(context)) {
      HttpResponse<String> response = get(app, "/tasks/1");
      assertThat(response.statusCode()).isEqualTo(200);

      assertThat(settled().value("http_request_duration_seconds_sum", "endpoint", "/tasks/*"))
          .isEqualTo(0.007);
    }
  }

  /** A GET to a server of the test's own, with the contract's client. */
  private HttpResponse<String> get(App app, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(app.baseUri().resolve(path)).build(), BodyHandlers.ofString());
  }

  /** The registry once no request is in flight: recorded when the response completes. */
  private Exposition settled() {
    return Exposition.settled(() -> Exposition.scrape(registry).text(), AGENT);
  }

  @Test
  void installRefusesAMetricsPathMappedToAnotherServlet() {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder("mine", new HttpServlet() {}), "/metrics");

    assertThatThrownBy(
            () ->
                KosmosJettyHandler.install(
                    context, KosmosMetricsFilter.builder(metrics).agent(AGENT)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "metricsPath must not be mapped to another servlet, but '/metrics' is mapped to 'mine'");
  }

  @Test
  void installRefusesAnInvalidConfigurationNamingTheParameter() {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    ServletContextHandler context = new ServletContextHandler("/");

    assertThatThrownBy(
            () ->
                KosmosJettyHandler.install(
                    context, KosmosMetricsFilter.builder(metrics).agent(AGENT).metricsPath("m")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metricsPath must start with '/' and contain no '*', but was 'm'");
    assertThatThrownBy(() -> KosmosJettyHandler.install(context, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("builder must not be null");
  }
}
