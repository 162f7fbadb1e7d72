package io.kosmos.metrics.llm;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The processing tier that served a call, when the provider prices tiers differently.
 *
 * <pre>{@code
 * // OpenAI reports the tier that served the call in the response's service_tier.
 * call.usage(Usage.of(u.promptTokens(), u.completionTokens())
 *     .withServiceTier(response.serviceTier()));        // "priority" -> PRIORITY
 * // A call made through a batch API.
 * call.usage(Usage.of(in, out).withServiceTier("batch"));
 * }</pre>
 *
 * <p>A tier without its own price in the {@link ModelPrice} is billed at the standard price.
 */
public enum ServiceTier {
  /**
   * The default tier (OpenAI {@code "default"} or {@code "auto"}, Anthropic {@code "standard"}).
   */
  STANDARD,
  /** Priority processing at a premium (OpenAI and Gemini {@code "priority"}). */
  PRIORITY,
  /** Flex processing at a discount (OpenAI and Gemini {@code "flex"}). */
  FLEX,
  /** A call made through a batch API, usually at half price ({@code "batch"}). */
  BATCH;

  /**
   * The tier a provider reported by name: {@code "priority"}, {@code "flex"}, {@code "batch"} (or
   * {@code "batches"}), in any case; anything else, null included, is {@link #STANDARD}. Never
   * throws.
   */
  public static ServiceTier of(@Nullable String reported) {
    if (reported == null) {
      return STANDARD;
    }
    switch (reported.toLowerCase(Locale.ROOT)) {
      case "priority":
        return PRIORITY;
      case "flex":
        return FLEX;
      case "batch":
      case "batches":
        return BATCH;
      default:
        return STANDARD;
    }
  }
}
