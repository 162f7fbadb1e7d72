package io.kosmos.metrics.openai;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.completions.CompletionUsage;
import io.kosmos.metrics.llm.ProviderUsage;
import io.kosmos.metrics.llm.Usage;
import org.jspecify.annotations.Nullable;

/** Reads the SDK's usage; the conventions themselves live in {@link ProviderUsage}. */
final class OpenAiUsage {

  private OpenAiUsage() {}

  /** The usage of a completion, with the tier that served it; null when it has none. */
  static @Nullable Usage of(ChatCompletion completion) {
    CompletionUsage usage = completion.usage().orElse(null);
    return usage == null ? null : of(usage).withServiceTier(serviceTier(completion));
  }

  /** The usage a streamed chunk carries (the last one, with {@code include_usage}), or null. */
  static @Nullable Usage of(ChatCompletionChunk chunk) {
    CompletionUsage usage = chunk.usage().orElse(null);
    return usage == null ? null : of(usage).withServiceTier(serviceTier(chunk));
  }

  private static Usage of(CompletionUsage usage) {
    CompletionUsage.PromptTokensDetails prompt = usage.promptTokensDetails().orElse(null);
    CompletionUsage.CompletionTokensDetails completion =
        usage.completionTokensDetails().orElse(null);
    long cached = prompt == null ? 0 : prompt.cachedTokens().orElse(0L);
    long reasoning = completion == null ? 0 : completion.reasoningTokens().orElse(0L);
    return ProviderUsage.openAi(usage.promptTokens(), usage.completionTokens(), cached, reasoning);
  }

  /**
   * The {@code service_tier} the response was served with ({@code default}, {@code flex}, {@code
   * priority}, ...), which selects the model's prices for that tier.
   */
  static @Nullable String serviceTier(ChatCompletion completion) {
    return completion.serviceTier().map(tier -> tier.asString()).orElse(null);
  }

  /** As {@link #serviceTier(ChatCompletion)}, from a streamed chunk. */
  static @Nullable String serviceTier(ChatCompletionChunk chunk) {
    return chunk.serviceTier().map(tier -> tier.asString()).orElse(null);
  }
}
