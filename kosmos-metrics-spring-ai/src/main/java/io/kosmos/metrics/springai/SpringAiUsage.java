package io.kosmos.metrics.springai;

import io.kosmos.metrics.llm.ProviderUsage;
import io.kosmos.metrics.llm.Usage;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.openai.api.OpenAiApi;

/**
 * Spring AI's usage as a {@link Usage}. Provider-native details are read, in their own holder
 * class, only when the native object's class says which provider module it comes from.
 */
final class SpringAiUsage {

  private static final String OPENAI = "org.springframework.ai.openai.api.OpenAiApi$Usage";

  private SpringAiUsage() {}

  /**
   * The usage, or null when the response carries none. Streamed chunks carry an empty usage (all
   * zero, with or without a native object); recording it would price the call at a silent $0.
   */
  static @Nullable Usage of(org.springframework.ai.chat.metadata.@Nullable Usage usage) {
    if (usage == null) {
      return null;
    }
    Usage mapped = null;
    Object nativeUsage = usage.getNativeUsage();
    if (nativeUsage != null && nativeUsage.getClass().getName().equals(OPENAI)) {
      try {
        mapped = OpenAi.of(nativeUsage);
      } catch (LinkageError e) {
        // Another shape of spring-ai-openai than compiled against: the portable counts below.
      }
    }
    if (mapped == null) {
      mapped = Usage.of(count(usage.getPromptTokens()), count(usage.getCompletionTokens()));
    }
    return mapped.input() == 0 && mapped.output() == 0 ? null : mapped;
  }

  private static long count(@Nullable Integer count) {
    return count == null ? 0 : count;
  }

  /** OpenAI: prompt tokens include the cached ones, completion tokens the reasoning ones. */
  private static final class OpenAi {
    static Usage of(Object nativeUsage) {
      OpenAiApi.Usage usage = (OpenAiApi.Usage) nativeUsage;
      OpenAiApi.Usage.PromptTokensDetails prompt = usage.promptTokensDetails();
      OpenAiApi.Usage.CompletionTokenDetails completion = usage.completionTokenDetails();
      return ProviderUsage.openAi(
          count(usage.promptTokens()),
          count(usage.completionTokens()),
          prompt == null ? 0 : count(prompt.cachedTokens()),
          completion == null ? 0 : count(completion.reasoningTokens()));
    }
  }
}
