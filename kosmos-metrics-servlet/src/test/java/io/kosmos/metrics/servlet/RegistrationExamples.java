package io.kosmos.metrics.servlet;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsAccess;
import jakarta.servlet.ServletContext;
import org.apache.catalina.Context;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The registration snippets of the README, compiled and run by {@link ReadmeSnippetsTest}: the text
 * between each pair of {@code readme:} markers must appear verbatim in README.md.
 */
final class RegistrationExamples {

  private RegistrationExamples() {}

  static ServletContextHandler embeddedJetty(KosmosMetrics metrics) {
    // readme:jetty:begin
    ServletContextHandler context = new ServletContextHandler("/");
    // One call: the handler inside the context, and the registry on /metrics.
    KosmosJettyHandler.install(context, KosmosMetricsFilter.builder(metrics).agent("zeus"));
    // readme:jetty:end
    return context;
  }

  static Context embeddedTomcat(Tomcat tomcat, String docBase, KosmosMetrics metrics) {
    // readme:tomcat:begin
    Context context = tomcat.addContext("", docBase);
    // Tomcat runs no filter for a request that no servlet is mapped to: keep a default servlet.
    Tomcat.addServlet(context, "default", new DefaultServlet());
    context.addServletMapping("/", "default");
    // One call: the filter on /*, and the registry on /metrics.
    context.addServletContainerInitializer(
        (classes, servletContext) ->
            KosmosMetricsFilter.builder(metrics).agent("zeus").install(servletContext),
        null);
    // readme:tomcat:end
    return context;
  }

  static void protectedInstall(ServletContext servletContext, KosmosMetrics metrics, String token) {
    // readme:protected-servlet:begin
    KosmosMetricsFilter.builder(metrics)
        .agent("zeus")
        .metricsAccess(MetricsAccess.bearerToken(token)) // or MetricsAccess.basic(user, password)
        .install(servletContext);
    // readme:protected-servlet:end
  }

  static ServletContextHandler protectedJetty(KosmosMetrics metrics, String token) {
    ServletContextHandler context = new ServletContextHandler("/");
    // readme:protected-jetty:begin
    context.addServlet(
        new ServletHolder(
            KosmosMetricsServlet.create(metrics.registry(), MetricsAccess.bearerToken(token))),
        "/metrics");
    // readme:protected-jetty:end
    return context;
  }

  /** The beans of a Spring Boot {@code @Configuration} class. */
  static final class SpringBootConfiguration {
    // readme:spring-boot:begin
    @Bean
    KosmosMetrics kosmosMetrics() {
      return KosmosMetrics.builder().build(); // the default registry
    }

    @Bean
    FilterRegistrationBean<KosmosMetricsFilter> kosmosMetricsFilter(KosmosMetrics metrics) {
      FilterRegistrationBean<KosmosMetricsFilter> registration =
          new FilterRegistrationBean<>(KosmosMetricsFilter.builder(metrics).agent("zeus").build());
      // Spring Boot's defaults fit: /*, REQUEST dispatches, async supported. Run it first, so
      // that it times the whole request and sees the status other filters set.
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return registration;
    }

    @Bean
    ServletRegistrationBean<KosmosMetricsServlet> metricsServlet(KosmosMetrics metrics) {
      // GET/HEAD only (405 with Allow otherwise), and MetricsAccess.bearerToken(...) to protect it.
      return new ServletRegistrationBean<>(
          KosmosMetricsServlet.create(metrics.registry(), MetricsAccess.open()), "/metrics");
    }
    // readme:spring-boot:end
  }
}
