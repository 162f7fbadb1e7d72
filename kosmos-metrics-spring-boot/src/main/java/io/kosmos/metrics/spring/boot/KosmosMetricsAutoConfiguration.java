package io.kosmos.metrics.spring.boot;

import io.kosmos.metrics.core.AgentTasks;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPriceFile;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.servlet.KosmosMetricsFilter;
import io.kosmos.metrics.servlet.KosmosMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.io.Resource;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

/**
 * Configures kosmos-metrics from the {@code kosmos.metrics.*} properties ({@link
 * KosmosMetricsProperties}); the same jar works on Spring Boot 3.5 and 4.0. Every bean backs off
 * when the application defines its own (by type, or by the bean name given below):
 *
 * <pre>{@code
 * // pom.xml: io.kosmos:kosmos-metrics-spring-boot-starter; application.properties:
 * //   kosmos.metrics.agent=zeus
 * @RestController
 * class Tasks {
 *   private final AgentTasks tasks; // injected by this auto-configuration
 *   Tasks(AgentTasks tasks) { this.tasks = tasks; }
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link KosmosMetrics} over a registry of its own, or over Actuator's {@link
 *       PrometheusRegistry} bean with {@code kosmos.metrics.use-actuator-registry=true};
 *   <li>{@code kosmosMetricsFilter}: the {@link KosmosMetricsFilter} on {@code /*}, first in the
 *       chain, {@code REQUEST} dispatches, async supported;
 *   <li>{@code kosmosMetricsRouteFilter}: right after it, names the route template of requests that
 *       a filter (Spring Security, say) answered before Spring MVC ran, as Spring MVC's handler
 *       mappings would have matched them, or {@code unmatched}: never the raw path;
 *   <li>{@code kosmosMetricsEndpoint}: a {@link KosmosMetricsServlet} on {@code
 *       kosmos.metrics.path} ({@code GET}/{@code HEAD} only, bearer or basic protection);
 *   <li>{@link AgentTasks} for the agent, and {@link LlmMetrics} when {@code kosmos-metrics-llm} is
 *       on the classpath;
 *   <li>{@code kosmosLlmPriceFile}: with {@code kosmos.metrics.llm.reload-interval}, the {@link
 *       LlmPriceFile} of {@code kosmos.metrics.llm.price-file} that prices {@link LlmMetrics},
 *       checked for changes at that interval and reloaded without a restart.
 * </ul>
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(KosmosMetricsFilter.class)
@ConditionalOnProperty(
    prefix = KosmosMetricsProperties.PREFIX,
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(KosmosMetricsProperties.class)
public class KosmosMetricsAutoConfiguration {

  /** The filter builder's parameter names, as properties. */
  private static final Map<String, String> PROPERTY_NAMES =
      Map.of(
          "agent", "agent",
          "maxEndpoints", "max-endpoints",
          "metricsPath", "path",
          "skipPaths", "skip-paths");

  @Bean
  @ConditionalOnMissingBean
  KosmosMetrics kosmosMetrics(
      KosmosMetricsProperties properties, ObjectProvider<PrometheusRegistry> registries) {
    PrometheusRegistry registry =
        properties.isUseActuatorRegistry() ? registries.getIfUnique() : null;
    // A registry per application context, not the JVM-wide default: two contexts in one JVM
    // (tests, a parent and a child) must not share one endpoint budget.
    return KosmosMetrics.builder()
        .registry(registry == null ? new PrometheusRegistry() : registry)
        .build();
  }

  @Bean
  @ConditionalOnMissingBean(name = "kosmosMetricsFilter")
  FilterRegistrationBean<KosmosMetricsFilter> kosmosMetricsFilter(
      KosmosMetrics metrics, KosmosMetricsProperties properties) {
    KosmosMetricsFilter filter =
        named(
            () ->
                KosmosMetricsFilter.builder(metrics)
                    .agent(properties.agent())
                    .maxEndpoints(properties.getMaxEndpoints())
                    .metricsPath(properties.getPath())
                    .skipPaths(properties.getSkipPaths().toArray(String[]::new))
                    .build());
    FilterRegistrationBean<KosmosMetricsFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setName("kosmos-metrics");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.setAsyncSupported(true);
    registration.setDispatcherTypes(DispatcherType.REQUEST);
    registration.addUrlPatterns("/*");
    return registration;
  }

  @Bean
  @ConditionalOnMissingBean(name = "kosmosMetricsEndpoint")
  ServletRegistrationBean<KosmosMetricsServlet> kosmosMetricsEndpoint(
      KosmosMetrics metrics, KosmosMetricsProperties properties) {
    ServletRegistrationBean<KosmosMetricsServlet> registration =
        new ServletRegistrationBean<>(
            KosmosMetricsServlet.create(metrics.registry(), properties.metricsAccess()),
            properties.getPath());
    registration.setName("kosmos-metrics-endpoint");
    return registration;
  }

  @Bean
  @ConditionalOnMissingBean
  AgentTasks agentTasks(KosmosMetrics metrics, KosmosMetricsProperties properties) {
    return named(() -> metrics.tasks(properties.agent()));
  }

  /** Rewrites a builder's "agent must ..." as "kosmos.metrics.agent must ...". */
  private static <T> T named(Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      for (Map.Entry<String, String> name : PROPERTY_NAMES.entrySet()) {
        if (message.startsWith(name.getKey() + " ")) {
          throw new IllegalArgumentException(
              KosmosMetricsProperties.PREFIX
                  + "."
                  + name.getValue()
                  + message.substring(name.getKey().length()),
              e);
        }
      }
      throw e;
    }
  }

  /** Route templates for requests that never reached Spring MVC. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(DispatcherServlet.class)
  static class SpringMvcRoutes {

    @Bean
    @ConditionalOnMissingBean(name = "kosmosMetricsRouteFilter")
    FilterRegistrationBean<SpringRouteFilter> kosmosMetricsRouteFilter(
        ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
      FilterRegistrationBean<SpringRouteFilter> registration =
          new FilterRegistrationBean<>(new SpringRouteFilter(mappings));
      registration.setName("kosmos-metrics-routes");
      // Inside the recording filter and outside every other, so that it sees what they did.
      registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
      registration.setAsyncSupported(true);
      registration.setDispatcherTypes(DispatcherType.REQUEST);
      registration.addUrlPatterns("/*");
      return registration;
    }
  }

  /** LLM call metrics, when kosmos-metrics-llm is on the classpath. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(LlmMetrics.class)
  static class Llm {

    private static final String PRICE_FILE = KosmosMetricsProperties.PREFIX + ".llm.price-file";
    private static final String RELOAD_INTERVAL =
        KosmosMetricsProperties.PREFIX + ".llm.reload-interval";

    @Bean
    @ConditionalOnMissingBean
    LlmMetrics llmMetrics(
        KosmosMetrics metrics,
        KosmosMetricsProperties properties,
        ObjectProvider<LlmPriceFile> priceFile) {
      LlmPriceFile reloading = priceFile.getIfAvailable();
      if (reloading != null) {
        return LlmMetrics.builder(metrics).pricing(reloading).build();
      }
      Resource file = properties.getLlm().getPriceFile();
      LlmPricing pricing = file == null ? LlmPricing.none() : pricing(file);
      return LlmMetrics.builder(metrics).pricing(pricing).build();
    }

    /**
     * The price file, reloaded when it changes, when a reload interval is set; closed (its thread
     * stopped) with the context.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = KosmosMetricsProperties.PREFIX, name = "llm.reload-interval")
    LlmPriceFile kosmosLlmPriceFile(KosmosMetrics metrics, KosmosMetricsProperties properties) {
      Duration interval = properties.getLlm().getReloadInterval();
      if (interval == null || interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException(
            RELOAD_INTERVAL + " must be a positive duration, but was " + interval);
      }
      Resource file = properties.getLlm().getPriceFile();
      if (file == null || !file.isFile()) {
        throw new IllegalArgumentException(
            RELOAD_INTERVAL
                + " needs "
                + PRICE_FILE
                + " to be a file, but it was "
                + (file == null ? "not set" : "'" + file.getDescription() + "'"));
      }
      try {
        return LlmPriceFile.builder(metrics, file.getFile().toPath())
            .reloadOnChange(interval)
            .build();
      } catch (IOException | UncheckedIOException e) {
        throw unreadable(file, e);
      } catch (IllegalArgumentException e) {
        throw invalid(file, e);
      }
    }

    private static LlmPricing pricing(Resource file) {
      try (InputStream in = file.getInputStream()) {
        return LlmPricing.builder().liteLlm(in).build();
      } catch (IOException | UncheckedIOException e) {
        throw unreadable(file, e);
      } catch (IllegalArgumentException e) {
        throw invalid(file, e);
      }
    }

    private static IllegalArgumentException unreadable(Resource file, Exception e) {
      return new IllegalArgumentException(
          PRICE_FILE + " must be a readable resource, but was '" + file.getDescription() + "'", e);
    }

    private static IllegalArgumentException invalid(Resource file, IllegalArgumentException e) {
      return new IllegalArgumentException(
          PRICE_FILE + " (" + file.getDescription() + "): " + e.getMessage(), e);
    }
  }
}
