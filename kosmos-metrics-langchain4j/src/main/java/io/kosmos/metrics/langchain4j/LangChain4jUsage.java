package io.kosmos.metrics.langchain4j;

import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import io.kosmos.metrics.llm.ProviderUsage;
import io.kosmos.metrics.llm.Usage;
import org.jspecify.annotations.Nullable;

/**
 * LangChain4j's token usage as a {@link Usage}. The provider-specific subclasses live in the
 * provider modules, which the application may not have: they are only touched, in their own holder
 * classes, when the object's class name says it is one of them.
 */
final class LangChain4jUsage {

  private static final String OPENAI = "dev.langchain4j.model.openai.OpenAiTokenUsage";
  private static final String ANTHROPIC = "dev.langchain4j.model.anthropic.AnthropicTokenUsage";

  private LangChain4jUsage() {}

  static @Nullable Usage of(@Nullable TokenUsage usage) {
    if (usage == null) {
      return null;
    }
    String type = usage.getClass().getName();
    try {
      if (type.equals(OPENAI)) {
        return OpenAi.of(usage);
      }
      if (type.equals(ANTHROPIC)) {
        return Anthropic.of(usage);
      }
    } catch (LinkageError e) {
      // A provider module of another shape than the one compiled against: plain counts below.
    }
    return Usage.of(count(usage.inputTokenCount()), count(usage.outputTokenCount()));
  }

  private static long count(@Nullable Integer count) {
    return count == null ? 0 : count;
  }

  /** Prompt tokens include the cached ones, completion tokens the reasoning ones. */
  private static final class OpenAi {
    static Usage of(TokenUsage usage) {
      OpenAiTokenUsage openAi = (OpenAiTokenUsage) usage;
      OpenAiTokenUsage.InputTokensDetails input = openAi.inputTokensDetails();
      OpenAiTokenUsage.OutputTokensDetails output = openAi.outputTokensDetails();
      return ProviderUsage.openAi(
          count(usage.inputTokenCount()),
          count(usage.outputTokenCount()),
          input == null ? 0 : count(input.cachedTokens()),
          output == null ? 0 : count(output.reasoningTokens()));
    }
  }

  /** LangChain4j passes Anthropic's input_tokens through: cache reads and writes excluded. */
  private static final class Anthropic {
    static Usage of(TokenUsage usage) {
      AnthropicTokenUsage anthropic = (AnthropicTokenUsage) usage;
      return ProviderUsage.anthropic(
          count(usage.inputTokenCount()),
          count(usage.outputTokenCount()),
          count(anthropic.cacheReadInputTokens()),
          count(anthropic.cacheCreationInputTokens()));
    }
  }
}
