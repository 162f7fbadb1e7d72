package io.kosmos.metrics.llm;

import org.jspecify.annotations.Nullable;

/**
 * The tokens (and optionally the cost) a provider reports for one LLM call. Immutable.
 *
 * <pre>{@code
 * // OpenAI chat completions: prompt_tokens already include the cached ones.
 * Usage usage = Usage.of(u.promptTokens(), u.completionTokens())
 *     .withCacheRead(u.promptTokensDetails().cachedTokens())
 *     .withReasoning(u.completionTokensDetails().reasoningTokens())
 *     .withServiceTier(response.serviceTier());          // "priority", "flex", "default"
 *
 * // Anthropic messages: input_tokens exclude the cache tokens, so add them.
 * Usage usage = Usage.of(u.inputTokens() + u.cacheReadInputTokens() + u.cacheCreationInputTokens(),
 *         u.outputTokens())
 *     .withCacheRead(u.cacheReadInputTokens())
 *     .withCacheWrite(u.cacheCreationInputTokens())
 *     .withCacheWrite1h(u.cacheCreation().ephemeral1hInputTokens());
 * }</pre>
 *
 * <p>Inclusion rules, as in the OpenTelemetry GenAI conventions:
 *
 * <ul>
 *   <li>{@code input} is <b>every</b> input token, including cache reads and cache writes;
 *   <li>{@code output} is every output token, including reasoning tokens;
 *   <li>{@code cacheRead} and {@code cacheWrite} are parts of {@code input}, {@code reasoning} is a
 *       part of {@code output}: they are never added to the totals again.
 * </ul>
 *
 * <p>Building a usage never throws. A usage that breaks the rules (a negative count, more cache
 * tokens than input tokens, more reasoning than output tokens, more one-hour cache writes than
 * cache writes) is dropped when recorded, logged once and counted in {@code
 * kosmos_metrics_dropped_total} with reason {@code negative_amount} or {@code inconsistent_usage},
 * while the call keeps its outcome; more than {@link LlmCall#MAX_TOKENS} input or output tokens as
 * {@code amount_overflow}. A negative, non-finite or over-large cost is dropped the same way.
 */
public final class Usage {

  private final long input;
  private final long output;
  private final long cacheRead;
  private final long cacheWrite;
  private final long reasoning;
  private final double costDollars;
  private final boolean hasCost;
  private final long cacheWrite1h;
  private final @Nullable ServiceTier serviceTier;

  private Usage(
      long input,
      long output,
      long cacheRead,
      long cacheWrite,
      long reasoning,
      double costDollars,
      boolean hasCost,
      long cacheWrite1h,
      @Nullable ServiceTier serviceTier) {
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheWrite = cacheWrite;
    this.reasoning = reasoning;
    this.costDollars = costDollars;
    this.hasCost = hasCost;
    this.cacheWrite1h = cacheWrite1h;
    this.serviceTier = serviceTier;
  }

  /**
   * A usage of {@code input} input tokens (all of them, cached or not) and {@code output} output
   * tokens (including reasoning), with no cache, reasoning or cost details.
   */
  public static Usage of(long input, long output) {
    return new Usage(input, output, 0, 0, 0, 0, false, 0, null);
  }

  /** This usage with {@code tokens} of its input read from the provider's prompt cache. */
  public Usage withCacheRead(long tokens) {
    return new Usage(
        input,
        output,
        tokens,
        cacheWrite,
        reasoning,
        costDollars,
        hasCost,
        cacheWrite1h,
        serviceTier);
  }

  /** This usage with {@code tokens} of its input written to the provider's prompt cache. */
  public Usage withCacheWrite(long tokens) {
    return new Usage(
        input,
        output,
        cacheRead,
        tokens,
        reasoning,
        costDollars,
        hasCost,
        cacheWrite1h,
        serviceTier);
  }

  /** This usage with {@code tokens} of its output spent on reasoning. */
  public Usage withReasoning(long tokens) {
    return new Usage(
        input,
        output,
        cacheRead,
        cacheWrite,
        tokens,
        costDollars,
        hasCost,
        cacheWrite1h,
        serviceTier);
  }

  /**
   * This usage with the cost the provider reported, in dollars. A reported cost wins over the
   * pricing catalog. It is rounded to whole picodollars (10<sup>-12</sup> $) when recorded.
   */
  public Usage withCost(double dollars) {
    return new Usage(
        input, output, cacheRead, cacheWrite, reasoning, dollars, true, cacheWrite1h, serviceTier);
  }

  /**
   * This usage with {@code tokens} of its cache writes written for one hour (Anthropic's {@code
   * cache_creation.ephemeral_1h_input_tokens}), priced at the one-hour cache write price; a part of
   * {@link #cacheWrite()}, the rest are five-minute writes.
   */
  public Usage withCacheWrite1h(long tokens) {
    return new Usage(
        input, output, cacheRead, cacheWrite, reasoning, costDollars, hasCost, tokens, serviceTier);
  }

  /**
   * This usage served by the service tier the provider reported, e.g. OpenAI's {@code service_tier}
   * ({@code "priority"}, {@code "flex"}, {@code "default"}) or {@code "batch"} for a call made
   * through a batch API; see {@link ServiceTier#of}. Null means not reported.
   */
  public Usage withServiceTier(@Nullable String tier) {
    return withServiceTier(tier == null ? null : ServiceTier.of(tier));
  }

  /** This usage served by {@code tier}; null means not reported (the standard prices apply). */
  public Usage withServiceTier(@Nullable ServiceTier tier) {
    return new Usage(
        input, output, cacheRead, cacheWrite, reasoning, costDollars, hasCost, cacheWrite1h, tier);
  }

  /** All input tokens, including cache reads and writes. */
  public long input() {
    return input;
  }

  /** All output tokens, including reasoning. */
  public long output() {
    return output;
  }

  /** Input tokens read from the prompt cache; a part of {@link #input()}. */
  public long cacheRead() {
    return cacheRead;
  }

  /** Input tokens written to the prompt cache; a part of {@link #input()}. */
  public long cacheWrite() {
    return cacheWrite;
  }

  /** Output tokens spent on reasoning; a part of {@link #output()}. */
  public long reasoning() {
    return reasoning;
  }

  /** Cache writes kept for one hour; a part of {@link #cacheWrite()}. */
  public long cacheWrite1h() {
    return cacheWrite1h;
  }

  /** The service tier that served the call, or null when not reported. */
  public @Nullable ServiceTier serviceTier() {
    return serviceTier;
  }

  /** Whether the provider reported a cost. */
  public boolean hasCost() {
    return hasCost;
  }

  /** The reported cost in dollars; 0 unless {@link #hasCost()}. */
  public double costDollars() {
    return costDollars;
  }

  /** Whether the counts obey the inclusion rules. */
  static boolean valid(long input, long output, long cacheRead, long cacheWrite, long reasoning) {
    return input >= 0
        && output >= 0
        && cacheRead >= 0
        && cacheWrite >= 0
        && reasoning >= 0
        && cacheRead <= input
        && cacheWrite <= input - cacheRead
        && reasoning <= output;
  }

  @Override
  public String toString() {
    return "Usage{input="
        + input
        + ", output="
        + output
        + ", cacheRead="
        + cacheRead
        + ", cacheWrite="
        + cacheWrite
        + ", reasoning="
        + reasoning
        + (cacheWrite1h != 0 ? ", cacheWrite1h=" + cacheWrite1h : "")
        + (serviceTier != null ? ", serviceTier=" + serviceTier : "")
        + (hasCost ? ", cost=" + costDollars : "")
        + "}";
  }
}
