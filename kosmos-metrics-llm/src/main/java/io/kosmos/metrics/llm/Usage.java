package io.kosmos.metrics.llm;

/**
 * The tokens (and optionally the cost) a provider reports for one LLM call. Immutable.
 *
 * <pre>{@code
 * // OpenAI chat completions: prompt_tokens already include the cached ones.
 * Usage usage = Usage.of(u.promptTokens(), u.completionTokens())
 *     .withCacheRead(u.promptTokensDetails().cachedTokens())
 *     .withReasoning(u.completionTokensDetails().reasoningTokens());
 *
 * // Anthropic messages: input_tokens exclude the cache tokens, so add them.
 * Usage usage = Usage.of(u.inputTokens() + u.cacheReadInputTokens() + u.cacheCreationInputTokens(),
 *         u.outputTokens())
 *     .withCacheRead(u.cacheReadInputTokens())
 *     .withCacheWrite(u.cacheCreationInputTokens());
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
 * tokens than input tokens, more reasoning than output tokens) is dropped when recorded, logged
 * once and counted in {@code kosmos_metrics_dropped_total} with reason {@code negative_amount} or
 * {@code inconsistent_usage}, while the call keeps its outcome; more than {@link
 * LlmCall#MAX_TOKENS} input or output tokens as {@code amount_overflow}. A negative, non-finite or
 * over-large cost is dropped the same way.
 */
public final class Usage {

  private final long input;
  private final long output;
  private final long cacheRead;
  private final long cacheWrite;
  private final long reasoning;
  private final double costDollars;
  private final boolean hasCost;

  private Usage(
      long input,
      long output,
      long cacheRead,
      long cacheWrite,
      long reasoning,
      double costDollars,
      boolean hasCost) {
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheWrite = cacheWrite;
    this.reasoning = reasoning;
    this.costDollars = costDollars;
    this.hasCost = hasCost;
  }

  /**
   * A usage of {@code input} input tokens (all of them, cached or not) and {@code output} output
   * tokens (including reasoning), with no cache, reasoning or cost details.
   */
  public static Usage of(long input, long output) {
    return new Usage(input, output, 0, 0, 0, 0, false);
  }

  /** This usage with {@code tokens} of its input read from the provider's prompt cache. */
  public Usage withCacheRead(long tokens) {
    return new Usage(input, output, tokens, cacheWrite, reasoning, costDollars, hasCost);
  }

  /** This usage with {@code tokens} of its input written to the provider's prompt cache. */
  public Usage withCacheWrite(long tokens) {
    return new Usage(input, output, cacheRead, tokens, reasoning, costDollars, hasCost);
  }

  /** This usage with {@code tokens} of its output spent on reasoning. */
  public Usage withReasoning(long tokens) {
    return new Usage(input, output, cacheRead, cacheWrite, tokens, costDollars, hasCost);
  }

  /**
   * This usage with the cost the provider reported, in dollars. A reported cost wins over the
   * pricing catalog. It is rounded to whole picodollars (10<sup>-12</sup> $) when recorded.
   */
  public Usage withCost(double dollars) {
    return new Usage(input, output, cacheRead, cacheWrite, reasoning, dollars, true);
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
        + (hasCost ? ", cost=" + costDollars : "")
        + "}";
  }
}
