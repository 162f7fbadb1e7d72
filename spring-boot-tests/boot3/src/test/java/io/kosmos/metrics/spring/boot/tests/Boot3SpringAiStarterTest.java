package io.kosmos.metrics.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The starter alone tracks a Spring AI application's chat models: a real Spring Boot application
 * with only the starter, Spring AI and {@code kosmos.metrics.agent}, whose {@link ChatModel} bean
 * is called as application code would call it.
 */
class Boot3SpringAiStarterTest {

  @Test
  void theStarterTracksEveryChatModelBeanWhenSpringAiIsPresent() {
    try (ConfigurableApplicationContext context =
        new SpringApplicationBuilder(AiApplication.class)
            .web(WebApplicationType.SERVLET)
            .properties("kosmos.metrics.agent=ai-agent", "server.port=0")
            .run()) {
      ChatModel model = context.getBean(ChatModel.class);
      ChatResponse response =
          model.call(new Prompt("hello", ChatOptions.builder().model("local-1").build()));

      // The application's own answer, unchanged by the instrumentation.
      assertThat(response.getResult().getOutput().getText()).isEqualTo("hi there");
      PrometheusRegistry registry = context.getBean(KosmosMetrics.class).registry();
      assertThat(counter(registry, "llm_requests"))
          .containsOnly(
              Map.entry("local/local-1/success", 1.0), Map.entry("local/local-1/error", 0.0));
      assertThat(counter(registry, "llm_tokens"))
          .containsOnly(
              Map.entry("local/local-1/input", 12.0), Map.entry("local/local-1/output", 5.0));
    }
  }

  /** provider/model/(status or type) → value of every data point of a counter family. */
  private static Map<String, Double> counter(PrometheusRegistry registry, String name) {
    Map<String, Double> values = new TreeMap<>();
    for (MetricSnapshot snapshot : registry.scrape()) {
      if (snapshot instanceof CounterSnapshot counter
          && counter.getMetadata().getName().equals(name)) {
        for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
          String last =
              point.getLabels().contains("status")
                  ? point.getLabels().get("status")
                  : point.getLabels().get("type");
          values.put(
              point.getLabels().get("provider") + "/" + point.getLabels().get("model") + "/" + last,
              point.getValue());
        }
      }
    }
    return values;
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  static class AiApplication {

    @Bean
    LocalChatModel localChatModel() {
      return new LocalChatModel();
    }
  }

  /** A chat model of the application's own, answering in process with a reported usage. */
  static class LocalChatModel implements ChatModel {

    @Override
    public ChatResponse call(Prompt prompt) {
      return new ChatResponse(
          List.of(new Generation(new AssistantMessage("hi there"))),
          ChatResponseMetadata.builder().model("local-1").usage(new DefaultUsage(12, 5)).build());
    }
  }
}
