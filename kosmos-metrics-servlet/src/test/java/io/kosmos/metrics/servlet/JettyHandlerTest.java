package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import jakarta.servlet.http.HttpServlet;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
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
