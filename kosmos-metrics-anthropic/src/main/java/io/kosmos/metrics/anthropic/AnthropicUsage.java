package io.kosmos.metrics.anthropic;

import com.anthropic.models.messages.CacheCreation;
import com.anthropic.models.messages.OutputTokensDetails;
import io.kosmos.metrics.llm.ProviderUsage;
import io.kosmos.metrics.llm.Usage;
import org.jspecify.annotations.Nullable;

/** Reads the SDK's usage; the conventions themselves live in {@link ProviderUsage}. */
final class AnthropicUsage {

  private AnthropicUsage() {}

  /** The usage of a message, with its one-hour cache writes and the tier that served it. */
  static Usage of(com.anthropic.models.messages.Usage usage) {
    Usage result =
        ProviderUsage.anthropic(
                usage.inputTokens(),
                usage.outputTokens(),
                usage.cacheReadInputTokens().orElse(0L),
                usage.cacheCreationInputTokens().orElse(0L),
                cacheWrite1h(usage))
            .withServiceTier(serviceTier(usage));
    OutputTokensDetails details = usage.outputTokensDetails().orElse(null);
    return details == null ? result : result.withReasoning(details.thinkingTokens());
  }

  /**
   * The cache writes kept for one hour ({@code cache_creation.ephemeral_1h_input_tokens}), a part
   * of {@code cache_creation_input_tokens} priced above the 5-minute writes.
   */
  static long cacheWrite1h(com.anthropic.models.messages.Usage usage) {
    CacheCreation creation = usage.cacheCreation().orElse(null);
    return creation == null ? 0 : creation.ephemeral1hInputTokens();
  }

  /** The {@code service_tier} the message was served with ({@code standard}, {@code priority}). */
  static @Nullable String serviceTier(com.anthropic.models.messages.Usage usage) {
    return usage.serviceTier().map(tier -> tier.asString()).orElse(null);
  }
}
