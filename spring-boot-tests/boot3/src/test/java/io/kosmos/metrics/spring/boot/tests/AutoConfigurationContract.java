package io.kosmos.metrics.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kosmos.metrics.core.AgentTasks;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPriceFile;
import io.kosmos.metrics.spring.boot.KosmosMetricsAutoConfiguration;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/** The auto-configuration's beans, conditions and startup failures, without a server. */
public abstract class AutoConfigurationContract {

  private static final String AGENT_RULE =
      "kosmos.metrics.agent must be 1 to 64 characters of letters, digits, '_', '.' or '-',"
          + " starting with a letter or digit, but was ";

  private final WebApplicationContextRunner runner =
      new WebApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(KosmosMetricsAutoConfiguration.class));

  /** The message of the first exception in the startup failure's chain about kosmos.metrics. */
  private static String failure(AssertableWebApplicationContext context) {
    assertThat(context).hasFailed();
    for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException
          && t.getMessage() != null
          && t.getMessage().startsWith("kosmos.metrics.")) {
        return t.getMessage();
      }
    }
    throw new AssertionError("no kosmos.metrics failure in", context.getStartupFailure());
  }

  /** The client_java version that this Spring Boot version manages. */
  protected abstract String clientJavaVersion();

  @Test
  void runsOnTheClientJavaVersionSpringBootManages() {
    for (Class<?> type :
        List.of(
            PrometheusRegistry.class,
            Counter.class,
            ExpositionFormats.class,
            PrometheusMetricsServlet.class)) {
      assertThat(type.getProtectionDomain().getCodeSource().getLocation().getPath())
          .as(type.getName())
          .endsWith("-" + clientJavaVersion() + ".jar");
    }
  }

  @Test
  void failsStartupWithoutAnAgent() {
    runner.run(context -> assertThat(failure(context)).isEqualTo(AGENT_RULE + "null"));
  }

  @Test
  void failsStartupWithAnInvalidAgent() {
    runner
        .withPropertyValues("kosmos.metrics.agent=zeus agent!")
        .run(context -> assertThat(failure(context)).isEqualTo(AGENT_RULE + "'zeus agent!'"));
  }

  @Test
  void failsStartupWithInvalidSettings() {
    WebApplicationContextRunner withAgent = runner.withPropertyValues("kosmos.metrics.agent=zeus");
    withAgent
        .withPropertyValues("kosmos.metrics.max-endpoints=0")
        .run(
            context ->
                assertThat(failure(context))
                    .isEqualTo("kosmos.metrics.max-endpoints must be at least 1, but was 0"));
    withAgent
        .withPropertyValues("kosmos.metrics.path=metrics")
        .run(
            context ->
                assertThat(failure(context))
                    .isEqualTo(
                        "kosmos.metrics.path must start with '/' and contain no '*', but was"
                            + " 'metrics'"));
    withAgent
        .withPropertyValues("kosmos.metrics.token=t", "kosmos.metrics.username=u")
        .run(
            context ->
                assertThat(failure(context))
                    .isEqualTo(
                        "kosmos.metrics.token and kosmos.metrics.username/password must not both"
                            + " be set, but both were"));
    withAgent
        .withPropertyValues("kosmos.metrics.username=u")
        .run(
            context ->
                assertThat(failure(context))
                    .isEqualTo(
                        "kosmos.metrics.username and password must both be set, but only username"
                            + " was"));
    withAgent
        .withPropertyValues("kosmos.metrics.llm.price-file=classpath:missing-prices.json")
        .run(
            context ->
                assertThat(failure(context))
                    .isEqualTo(
                        "kosmos.metrics.llm.price-file must be a readable resource, but was 'class"
                            + " path resource [missing-prices.json]'"));
  }

  @Test
  void providesEveryBean() {
    runner
        .withPropertyValues("kosmos.metrics.agent=zeus")
        .run(
            context -> {
              assertThat(context)
                  .hasNotFailed()
                  .hasSingleBean(KosmosMetrics.class)
                  .hasSingleBean(AgentTasks.class)
                  .hasSingleBean(LlmMetrics.class)
                  .doesNotHaveBean(LlmPriceFile.class)
                  .hasBean("kosmosMetricsFilter")
                  .hasBean("kosmosMetricsRouteFilter")
                  .hasBean("kosmosMetricsEndpoint");
              // A registry of its own, not the JVM-wide default.
              assertThat(context.getBean(KosmosMetrics.class).registry())
                  .isNotSameAs(PrometheusRegistry.defaultRegistry);
            });
  }

  @Test
  void backsOffForTheApplicationsOwnBeans() {
    KosmosMetrics own = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
    AgentTasks tasks = own.tasks("own");
    LlmMetrics llm = LlmMetrics.builder(own).build();
    runner
        .withPropertyValues("kosmos.metrics.agent=zeus")
        .withBean(KosmosMetrics.class, () -> own)
        .withBean(AgentTasks.class, () -> tasks)
        .withBean(LlmMetrics.class, () -> llm)
        .run(
            context -> {
              assertThat(context.getBean(KosmosMetrics.class)).isSameAs(own);
              assertThat(context.getBean(AgentTasks.class)).isSameAs(tasks);
              assertThat(context.getBean(LlmMetrics.class)).isSameAs(llm);
            });
  }

  @Test
  void recordsIntoActuatorsRegistryOnlyWhenTold() {
    PrometheusRegistry actuator = new PrometheusRegistry();
    WebApplicationContextRunner withRegistry =
        runner
            .withPropertyValues("kosmos.metrics.agent=zeus")
            .withBean(PrometheusRegistry.class, () -> actuator);
    withRegistry.run(
        context ->
            assertThat(context.getBean(KosmosMetrics.class).registry()).isNotSameAs(actuator));
    withRegistry
        .withPropertyValues("kosmos.metrics.use-actuator-registry=true")
        .run(
            context ->
                assertThat(context.getBean(KosmosMetrics.class).registry()).isSameAs(actuator));
  }

  @Test
  void pricesLlmCallsFromThePriceFileResource() {
    runner
        .withPropertyValues(
            "kosmos.metrics.agent=zeus", "kosmos.metrics.llm.price-file=classpath:test-prices.json")
        .run(
            context -> {
              try (LlmCall call =
                  context.getBean(LlmMetrics.class).start("openai", "gpt-4o-mini")) {
                call.usage(1_000_000, 1_000_000);
              }
              // 0.15 + 0.60 dollars per million input and output tokens.
              assertThat(cost(context.getBean(KosmosMetrics.class).registry())).isEqualTo(0.75);
            });
  }

  @Test
  void reloadsThePriceFileWhenItChangesGivenAReloadInterval(@TempDir Path dir) throws Exception {
    Path prices = dir.resolve("prices.json");
    Files.writeString(prices, gpt4oMini("1.5e-7", "6e-7"));
    runner
        .withPropertyValues(
            "kosmos.metrics.agent=zeus",
            "kosmos.metrics.llm.price-file=file:" + prices,
            "kosmos.metrics.llm.reload-interval=20ms")
        .run(
            context -> {
              LlmMetrics llm = context.getBean(LlmMetrics.class);
              LlmPriceFile file = context.getBean(LlmPriceFile.class);
              PrometheusRegistry registry = context.getBean(KosmosMetrics.class).registry();
              try (LlmCall call = llm.start("openai", "gpt-4o-mini")) {
                call.usage(1_000_000, 1_000_000);
              }
              assertThat(cost(registry)).isEqualTo(0.75);

              // Replaced as operators do (and a ConfigMap update does): written aside, moved over.
              Path next = dir.resolve("prices.json.next");
              Files.writeString(next, gpt4oMini("3e-7", "1.2e-6"));
              Files.move(
                  next,
                  prices,
                  StandardCopyOption.ATOMIC_MOVE,
                  StandardCopyOption.REPLACE_EXISTING);
              await()
                  .atMost(Duration.ofSeconds(30))
                  .until(
                      () ->
                          file.current()
                                  .find("openai", "gpt-4o-mini")
                                  .inputPerToken()
                                  .compareTo(new BigDecimal("3e-7"))
                              == 0);

              try (LlmCall call = llm.start("openai", "gpt-4o-mini")) {
                call.usage(1_000_000, 1_000_000);
              }
              // 0.75 at the old prices, then 0.30 + 1.20 at the new ones.
              assertThat(cost(registry)).isEqualTo(2.25);
            });
    // The context closed the price file, which stopped its reload thread.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(t -> t.getName().equals("kosmos-metrics-price-file")));
  }

  @Test
  void failsStartupWhenAReloadIntervalHasNoFileToReload() {
    WebApplicationContextRunner withAgent = runner.withPropertyValues("kosmos.metrics.agent=zeus");
    withAgent
        .withPropertyValues("kosmos.metrics.llm.reload-interval=30s")
        .run(
            context ->
                assertThat(failure(context))
                    .isEqualTo(
                        "kosmos.metrics.llm.reload-interval needs kosmos.metrics.llm.price-file to"
                            + " be a file, but it was not set"));
    withAgent
        .withPropertyValues(
            "kosmos.metrics.llm.reload-interval=30s",
            "kosmos.metrics.llm.price-file=http://localhost:1/prices.json")
        .run(
            context ->
                assertThat(failure(context))
                    .isEqualTo(
                        "kosmos.metrics.llm.reload-interval needs kosmos.metrics.llm.price-file to"
                            + " be a file, but it was 'URL [http://localhost:1/prices.json]'"));
    withAgent
        .withPropertyValues(
            "kosmos.metrics.llm.reload-interval=0s",
            "kosmos.metrics.llm.price-file=classpath:test-prices.json")
        .run(
            context ->
                assertThat(failure(context))
                    .isEqualTo(
                        "kosmos.metrics.llm.reload-interval must be a positive duration, but was"
                            + " PT0S"));
  }

  @Test
  void documentsTheReloadIntervalInTheConfigurationMetadata() throws Exception {
    JsonNode reload = null;
    for (java.net.URL url :
        java.util.Collections.list(
            getClass()
                .getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
      for (JsonNode property : new ObjectMapper().readTree(url).path("properties")) {
        if (property.path("name").asText().equals("kosmos.metrics.llm.reload-interval")) {
          reload = property;
        }
      }
    }
    assertThat(reload).as("kosmos.metrics.llm.reload-interval in the metadata").isNotNull();
    assertThat(reload.path("type").asText()).isEqualTo("java.time.Duration");
    assertThat(reload.path("description").asText()).startsWith("How often to check the price file");
  }

  private static String gpt4oMini(String input, String output) {
    return "{\"gpt-4o-mini\": {\"litellm_provider\": \"openai\", \"input_cost_per_token\": "
        + input
        + ", \"output_cost_per_token\": "
        + output
        + "}}";
  }

  @Test
  void isOffWhenDisabled() {
    runner
        .withPropertyValues("kosmos.metrics.enabled=false")
        .run(
            context ->
                assertThat(context)
                    .hasNotFailed()
                    .doesNotHaveBean(KosmosMetrics.class)
                    .doesNotHaveBean("kosmosMetricsFilter"));
  }

  private static double cost(PrometheusRegistry registry) {
    double total = 0;
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot instanceof CounterSnapshot counter
          && counter.getMetadata().getName().equals("llm_cost_dollars")) {
        for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
          total += point.getValue();
        }
      }
    }
    return total;
  }
}
