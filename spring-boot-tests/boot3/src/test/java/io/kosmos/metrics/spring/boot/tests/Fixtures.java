package io.kosmos.metrics.spring.boot.tests;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsAccess;
import io.kosmos.metrics.servlet.KosmosMetricsFilter;
import io.kosmos.metrics.servlet.KosmosMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/** The test applications: one configured by the starter, one by hand as the README shows. */
public final class Fixtures {

  /** The agent label of both apps. */
  public static final String AGENT = "spring";

  /** The bearer token that protects /metrics in both apps. */
  public static final String TOKEN = "s3cret";

  private Fixtures() {}

  /** Lets a test hold {@code /gate} requests and release them. */
  public static final class Gate {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    public CountDownLatch entered() {
      return entered;
    }

    public void open() {
      release.countDown();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @Import(Routes.class)
  static class Common {
    @Bean(destroyMethod = "shutdownNow")
    ScheduledExecutorService timer() {
      return Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "fixture-timer");
            thread.setDaemon(true);
            return thread;
          });
    }

    @Bean
    Gate gate() {
      return new Gate();
    }
  }

  /**
   * Only the starter and {@code kosmos.metrics.*} properties, behind Spring Security: {@code
   * /secure/**} needs a user (401), {@code /admin/**} the ADMIN role (403 for {@code user}), the
   * public routes are open, and every other path needs a user, so anonymous probes are turned away
   * before Spring MVC runs. A filter answers 400 to requests with {@code X-Reject}.
   */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Common.class)
  public static class StarterApp {

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      PathPatternRequestMatcher.Builder path = PathPatternRequestMatcher.withDefaults();
      http.authorizeHttpRequests(
              requests ->
                  requests
                      .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                      .permitAll()
                      .requestMatchers(path.matcher("/secure/**"))
                      .authenticated()
                      .requestMatchers(path.matcher("/admin/**"))
                      .hasRole("ADMIN")
                      .requestMatchers(
                          path.matcher("/tasks/**"),
                          path.matcher("/fresh/**"),
                          path.matcher("/boom"),
                          path.matcher("/teapot/**"),
                          path.matcher("/invalid/**"),
                          path.matcher("/deferred/**"),
                          path.matcher("/deferred-fail/**"),
                          path.matcher("/callable/**"),
                          path.matcher("/callable-fail/**"),
                          path.matcher("/slow/**"),
                          path.matcher("/events"),
                          path.matcher("/gate"),
                          path.matcher("/metrics"),
                          path.matcher("/actuator/**"))
                      .permitAll()
                      .anyRequest()
                      .authenticated())
          .httpBasic(Customizer.withDefaults())
          .csrf(csrf -> csrf.disable());
      return http.build();
    }

    @Bean
    UserDetailsService users() {
      return new InMemoryUserDetailsManager(
          User.withUsername("user").password("{noop}password").roles("USER").build());
    }

    @Bean
    FilterRegistrationBean<Filter> rejectingFilter() {
      FilterRegistrationBean<Filter> registration =
          new FilterRegistrationBean<>(
              (request, response, chain) -> {
                if (((jakarta.servlet.http.HttpServletRequest) request).getHeader("X-Reject")
                    != null) {
                  ((HttpServletResponse) response).sendError(400);
                  return;
                }
                chain.doFilter(request, response);
              });
      registration.setOrder(0);
      return registration;
    }
  }

  /** Configured by hand as the README's Spring section shows, starter switched off. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(Common.class)
  public static class HandConfiguredApp {

    @Bean
    KosmosMetrics kosmosMetrics() {
      return KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
    }

    @Bean
    FilterRegistrationBean<KosmosMetricsFilter> kosmosMetricsFilter(KosmosMetrics metrics) {
      FilterRegistrationBean<KosmosMetricsFilter> registration =
          new FilterRegistrationBean<>(KosmosMetricsFilter.builder(metrics).agent(AGENT).build());
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
      return registration;
    }

    @Bean
    ServletRegistrationBean<KosmosMetricsServlet> kosmosMetricsEndpoint(KosmosMetrics metrics) {
      return new ServletRegistrationBean<>(
          KosmosMetricsServlet.create(metrics.registry(), MetricsAccess.bearerToken(TOKEN)),
          "/metrics");
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
      return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
          .csrf(csrf -> csrf.disable())
          .build();
    }
  }
}
