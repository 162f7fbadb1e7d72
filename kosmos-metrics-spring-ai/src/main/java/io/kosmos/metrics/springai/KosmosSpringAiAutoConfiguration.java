package io.kosmos.metrics.springai;

import io.kosmos.metrics.llm.LlmMetrics;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Instruments every Spring AI {@link ChatModel} bean of the application once Spring AI is on the
 * class path; listed in {@code AutoConfiguration.imports}, so nothing needs configuring.
 *
 * <pre>{@code
 * @Bean
 * LlmMetrics llmMetrics(KosmosMetrics metrics) {     // or the kosmos-metrics-spring-boot starter's
 *   return LlmMetrics.builder(metrics).pricing(pricing).build();
 * }
 * // every ChatModel, and every ChatClient over it, is now tracked
 * }</pre>
 *
 * <p>Without an {@link LlmMetrics} bean the chat models are left untouched.
 */
@AutoConfiguration
@ConditionalOnClass(ChatModel.class)
public class KosmosSpringAiAutoConfiguration {

  /**
   * The post-processor that wraps the chat models. Static, and handed a provider rather than the
   * tracker, so that declaring it does not create beans before post-processors are registered.
   */
  @Bean
  @ConditionalOnMissingBean
  static ChatModelMetricsPostProcessor kosmosChatModelMetricsPostProcessor(
      ObjectProvider<LlmMetrics> llm) {
    return new ChatModelMetricsPostProcessor(llm);
  }
}
