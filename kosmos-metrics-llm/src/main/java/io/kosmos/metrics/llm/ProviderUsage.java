package io.kosmos.metrics.llm;

/**
 * The providers' own token conventions turned into a {@link Usage}, so that nobody re-derives which
 * count includes which.
 *
 * <pre>{@code
 * // OpenAI chat completions or responses: usage.prompt_tokens, completion_tokens, ...
 * call.usage(ProviderUsage.openAi(u.promptTokens(), u.completionTokens(),
 *     cachedTokens, reasoningTokens));
 *
 * // Anthropic messages: usage.input_tokens, output_tokens, cache_read_input_tokens,
 * // cache_creation_input_tokens
 * call.usage(ProviderUsage.anthropic(u.inputTokens(), u.outputTokens(),
 *     u.cacheReadInputTokens().orElse(0L), u.cacheCreationInputTokens().orElse(0L),
 *     u.cacheCreation().map(c -> c.ephemeral1hInputTokens()).orElse(0L)));
 *
 * // Gemini / Vertex AI: usageMetadata
 * call.usage(ProviderUsage.gemini(m.promptTokenCount(), m.candidatesTokenCount(),
 *     m.cachedContentTokenCount(), m.thoughtsTokenCount(), m.toolUsePromptTokenCount()));
 * }</pre>
 *
 * <p>Pass 0 for a detail the provider left out. The factories never throw: counts that cannot be
 * true (cached tokens above the prompt tokens, a negative count) give a usage that is dropped when
 * recorded, logged once and counted in {@code kosmos_metrics_dropped_total}, while the call keeps
 * its outcome. A sum too large for a {@code long} becomes {@link Long#MAX_VALUE}, which is dropped
 * as {@code amount_overflow}.
 */
public final class ProviderUsage {

  private ProviderUsage() {}

  /**
   * OpenAI (chat completions and responses API, and providers speaking its protocol): {@code
   * prompt_tokens} / {@code input_tokens} already include {@code cached_tokens}, and {@code
   * completion_tokens} / {@code output_tokens} already include {@code reasoning_tokens}.
   */
  public static Usage openAi(
      long promptTokens, long completionTokens, long cachedTokens, long reasoningTokens) {
    return Usage.of(promptTokens, completionTokens)
        .withCacheRead(cachedTokens)
        .withReasoning(reasoningTokens);
  }

  /**
   * Anthropic messages: {@code input_tokens} excludes both {@code cache_read_input_tokens} and
   * {@code cache_creation_input_tokens}, which are added to make the input total; {@code
   * output_tokens} includes extended thinking, which Anthropic does not report separately.
   */
  public static Usage anthropic(
      long inputTokens, long outputTokens, long cacheReadInputTokens, long cacheCreationTokens) {
    return anthropic(inputTokens, outputTokens, cacheReadInputTokens, cacheCreationTokens, 0);
  }

  /**
   * As {@link #anthropic(long, long, long, long)}, with {@code cache_creation.
   * ephemeral_1h_input_tokens}: the cache writes kept for one hour, a part of {@code
   * cache_creation_input_tokens} (the rest are five-minute writes), priced at the one-hour cache
   * write price. More one-hour writes than cache writes make a usage that is dropped when recorded.
   */
  public static Usage anthropic(
      long inputTokens,
      long outputTokens,
      long cacheReadInputTokens,
      long cacheCreationTokens,
      long cacheCreation1hTokens) {
    return Usage.of(sum(inputTokens, cacheReadInputTokens, cacheCreationTokens), outputTokens)
        .withCacheRead(cacheReadInputTokens)
        .withCacheWrite(cacheCreationTokens)
        .withCacheWrite1h(cacheCreation1hTokens);
  }

  /**
   * Gemini API and Vertex AI {@code usageMetadata}: {@code promptTokenCount} includes {@code
   * cachedContentTokenCount}; {@code toolUsePromptTokenCount} is further input; {@code
   * thoughtsTokenCount} is billed as output but not part of {@code candidatesTokenCount}, so it is
   * added to the output and recorded as reasoning.
   */
  public static Usage gemini(
      long promptTokenCount,
      long candidatesTokenCount,
      long cachedContentTokenCount,
      long thoughtsTokenCount,
      long toolUsePromptTokenCount) {
    return Usage.of(
            sum(promptTokenCount, toolUsePromptTokenCount, 0),
            sum(candidatesTokenCount, thoughtsTokenCount, 0))
        .withCacheRead(cachedContentTokenCount)
        .withReasoning(thoughtsTokenCount);
  }

  /**
   * A sum of counts; a negative part makes the sum negative so that the usage is dropped as bad
   * data rather than hidden in a plausible total.
   */
  private static long sum(long a, long b, long c) {
    if (a < 0 || b < 0 || c < 0) {
      return -1;
    }
    long ab = a + b;
    long abc = ab + c;
    return ab < 0 || abc < 0 ? Long.MAX_VALUE : abc;
  }
}
