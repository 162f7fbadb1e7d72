package io.kosmos.metrics.llm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The prices of one model, per token: input, output, cached input read, cache write (five-minute
 * and one-hour), optionally higher above an input size and different per {@link ServiceTier}.
 * Immutable.
 *
 * <pre>{@code
 * ModelPrice gpt4oMini = ModelPrice.perMillion(0.15, 0.60).withCacheReadPerMillion(0.075);
 * ModelPrice exact = ModelPrice.perToken(new BigDecimal("0.00000015"), new BigDecimal("0.0000006"));
 * // Claude Sonnet 4.5: long-context rates for the whole request above 200k input tokens.
 * ModelPrice sonnet = ModelPrice.perMillion(3, 15)
 *     .withCacheReadPerMillion(0.30).withCacheWritePerMillion(3.75).withCacheWrite1hPerMillion(6)
 *     .aboveInputTokens(200_000, ModelPrice.perMillion(6, 22.5)
 *         .withCacheReadPerMillion(0.60).withCacheWritePerMillion(7.5)
 *         .withCacheWrite1hPerMillion(12));
 * // GPT-4o with priority processing and batch prices.
 * ModelPrice gpt4o = ModelPrice.perMillion(2.5, 10).withCacheReadPerMillion(1.25)
 *     .forServiceTier(ServiceTier.PRIORITY,
 *         ModelPrice.perMillion(4.25, 17).withCacheReadPerMillion(2.125))
 *     .forServiceTier(ServiceTier.BATCH, ModelPrice.perMillion(1.25, 5));
 * }</pre>
 *
 * <p>Prices are held as whole picodollars (10<sup>-12</sup> $) per token so that costs add up
 * exactly: one million calls of one token at $0.000002 cost exactly $2.00. Any price of up to six
 * decimals per million tokens qualifies. A price set in code that is negative, not finite, or not a
 * whole number of picodollars per token is rejected when the price is made, with an {@link
 * IllegalArgumentException} naming the price and its value. (Prices loaded from a LiteLLM file are
 * rounded instead, see {@link LlmPricing}.)
 *
 * <p>How a call is priced:
 *
 * <ol>
 *   <li>The service tier's prices apply when the model has them, otherwise the standard ones.
 *   <li>When the call's input tokens (all of them: uncached, cache reads and cache writes) exceed a
 *       threshold set with {@link #aboveInputTokens}, the <b>whole request</b>, every token type
 *       including output, moves to that threshold's prices (the highest threshold exceeded wins).
 *       This is how Anthropic (200k), OpenAI (GPT-5.4, 272k) and Google (Gemini, 200k) bill.
 *   <li>A rate missing at that tier and threshold is taken, in order, from the service tier's
 *       prices below the thresholds, the standard prices at the same threshold, the standard prices
 *       below the thresholds.
 *   <li>A rate missing everywhere defaults: cache read and cache write cost the input price, a
 *       one-hour cache write costs the (five-minute) cache write price, input and output cost 0.
 * </ol>
 *
 * <p>Reasoning tokens are billed as output tokens.
 */
public final class ModelPrice {

  static final int INPUT = 0;
  static final int OUTPUT = 1;
  static final int CACHE_READ = 2;
  static final int CACHE_WRITE = 3;
  static final int CACHE_WRITE_1H = 4;
  static final int TYPES = 5;
  static final long UNSET = -1;

  private static final int SERVICES = ServiceTier.values().length;
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  private static final BigDecimal MAX_PICO = BigDecimal.valueOf(Long.MAX_VALUE);
  private static final long[] NO_THRESHOLDS = {};

  // What was set: per service tier (null when it has none of its own), the rates below the
  // thresholds and above each one, UNSET where a rate was not set.
  private final @Nullable Spec[] specs;
  // What applies, resolved once so that pricing a call is a scan and five multiplications: per
  // service tier the ascending thresholds and TYPES rates per level (level 0 below them all).
  private final long[][] thresholds;
  private final long[][] rates;

  /** The rates one service tier sets, below and above its thresholds. */
  static final class Spec {
    final long[] base;
    final TreeMap<Long, long[]> above;

    Spec(long[] base, TreeMap<Long, long[]> above) {
      this.base = base;
      this.above = above;
    }

    static Spec empty() {
      long[] base = new long[TYPES];
      Arrays.fill(base, UNSET);
      return new Spec(base, new TreeMap<>());
    }

    Spec with(int type, long picodollars) {
      long[] copy = base.clone();
      copy[type] = picodollars;
      return new Spec(copy, above);
    }

    Spec above(long threshold, long[] tierRates) {
      TreeMap<Long, long[]> copy = new TreeMap<>(above);
      copy.put(threshold, tierRates.clone());
      return new Spec(base, copy);
    }
  }

  private ModelPrice(@Nullable Spec[] specs) {
    this.specs = specs;
    this.thresholds = new long[SERVICES][];
    this.rates = new long[SERVICES][];
    Spec standard = specs[0];
    if (standard == null) {
      throw new IllegalStateException("the standard tier must have prices");
    }
    for (int s = 0; s < SERVICES; s++) {
      Spec own = specs[s];
      TreeSet<Long> all = new TreeSet<>(standard.above.keySet());
      if (own != null) {
        all.addAll(own.above.keySet());
      }
      long[] th = all.isEmpty() ? NO_THRESHOLDS : all.stream().mapToLong(Long::longValue).toArray();
      long[] r = new long[(th.length + 1) * TYPES];
      for (int level = 0; level <= th.length; level++) {
        Long key = level == 0 ? null : th[level - 1];
        int o = level * TYPES;
        for (int t = 0; t < TYPES; t++) {
          long v = rate(own, key, t);
          if (v == UNSET && own != standard) {
            v = rate(standard, key, t);
          }
          r[o + t] = v;
        }
        if (r[o + INPUT] == UNSET) {
          r[o + INPUT] = 0;
        }
        if (r[o + OUTPUT] == UNSET) {
          r[o + OUTPUT] = 0;
        }
        if (r[o + CACHE_READ] == UNSET) {
          r[o + CACHE_READ] = r[o + INPUT];
        }
        if (r[o + CACHE_WRITE] == UNSET) {
          r[o + CACHE_WRITE] = r[o + INPUT];
        }
        if (r[o + CACHE_WRITE_1H] == UNSET) {
          r[o + CACHE_WRITE_1H] = r[o + CACHE_WRITE];
        }
      }
      thresholds[s] = th;
      rates[s] = r;
    }
  }

  /** The rate of {@code type} that {@code spec} sets above {@code threshold}, or below them all. */
  private static long rate(@Nullable Spec spec, @Nullable Long threshold, int type) {
    if (spec == null) {
      return UNSET;
    }
    if (threshold != null) {
      Map.Entry<Long, long[]> tier = spec.above.floorEntry(threshold);
      if (tier != null && tier.getValue()[type] != UNSET) {
        return tier.getValue()[type];
      }
    }
    return spec.base[type];
  }

  /**
   * Prices in dollars per million tokens, the unit of providers' price pages. Cache tokens cost the
   * input price until set.
   *
   * @throws IllegalArgumentException when a price is negative, not finite or not a whole number of
   *     picodollars per token
   */
  public static ModelPrice perMillion(double inputDollars, double outputDollars) {
    return of(
        Spec.empty()
            .with(INPUT, perMillionToPico("input price", inputDollars))
            .with(OUTPUT, perMillionToPico("output price", outputDollars)));
  }

  /**
   * Prices in dollars per token, as in LiteLLM's price file. Cache tokens cost the input price
   * until set.
   *
   * @throws IllegalArgumentException when a price is null, negative or not a whole number of
   *     picodollars per token
   */
  public static ModelPrice perToken(BigDecimal inputDollars, BigDecimal outputDollars) {
    return of(
        Spec.empty()
            .with(INPUT, toPico("input price", inputDollars))
            .with(OUTPUT, toPico("output price", outputDollars)));
  }

  static ModelPrice ofPicodollars(long input, long output, long cacheRead, long cacheWrite) {
    return of(
        Spec.empty()
            .with(INPUT, input)
            .with(OUTPUT, output)
            .with(CACHE_READ, cacheRead)
            .with(CACHE_WRITE, cacheWrite));
  }

  private static ModelPrice of(Spec standard) {
    Spec[] specs = new Spec[SERVICES];
    specs[0] = standard;
    return new ModelPrice(specs);
  }

  /** A price of the rates set per service tier (index = ordinal; [0] must be set). */
  static ModelPrice ofSpecs(@Nullable Spec[] specs) {
    return new ModelPrice(specs.clone());
  }

  private ModelPrice withStandard(int type, long picodollars) {
    Spec[] copy = specs.clone();
    copy[0] = specs[0].with(type, picodollars);
    return new ModelPrice(copy);
  }

  /**
   * This price with cached input reads at {@code dollars} per million tokens.
   *
   * @throws IllegalArgumentException as {@link #perMillion}
   */
  public ModelPrice withCacheReadPerMillion(double dollars) {
    return withStandard(CACHE_READ, perMillionToPico("cacheRead price", dollars));
  }

  /**
   * This price with cache writes at {@code dollars} per million tokens.
   *
   * @throws IllegalArgumentException as {@link #perMillion}
   */
  public ModelPrice withCacheWritePerMillion(double dollars) {
    return withStandard(CACHE_WRITE, perMillionToPico("cacheWrite price", dollars));
  }

  /**
   * This price with one-hour cache writes (Anthropic's {@code ttl: "1h"}) at {@code dollars} per
   * million tokens. Until set they cost the cache write price.
   *
   * @throws IllegalArgumentException as {@link #perMillion}
   */
  public ModelPrice withCacheWrite1hPerMillion(double dollars) {
    return withStandard(CACHE_WRITE_1H, perMillionToPico("cacheWrite1h price", dollars));
  }

  /**
   * This price with cached input reads at {@code dollars} per token.
   *
   * @throws IllegalArgumentException as {@link #perToken}
   */
  public ModelPrice withCacheReadPerToken(BigDecimal dollars) {
    return withStandard(CACHE_READ, toPico("cacheRead price", dollars));
  }

  /**
   * This price with cache writes at {@code dollars} per token.
   *
   * @throws IllegalArgumentException as {@link #perToken}
   */
  public ModelPrice withCacheWritePerToken(BigDecimal dollars) {
    return withStandard(CACHE_WRITE, toPico("cacheWrite price", dollars));
  }

  /**
   * This price with one-hour cache writes at {@code dollars} per token.
   *
   * @throws IllegalArgumentException as {@link #perToken}
   */
  public ModelPrice withCacheWrite1hPerToken(BigDecimal dollars) {
    return withStandard(CACHE_WRITE_1H, toPico("cacheWrite1h price", dollars));
  }

  /**
   * This price with {@code tier}'s rates applying to the whole request (every token type, output
   * included) when its input tokens, cached ones included, exceed {@code inputTokens}. Only the
   * rates set on {@code tier} count (its own thresholds and service tiers are ignored); a rate it
   * does not set stays this price's rate. Replaces a tier set before at the same threshold.
   *
   * @throws IllegalArgumentException when {@code inputTokens} is below 1 or {@code tier} is null
   */
  public ModelPrice aboveInputTokens(long inputTokens, ModelPrice tier) {
    if (inputTokens < 1) {
      throw new IllegalArgumentException("inputTokens must be at least 1, but was " + inputTokens);
    }
    if (tier == null) {
      throw new IllegalArgumentException("tier must not be null");
    }
    Spec[] copy = specs.clone();
    copy[0] = specs[0].above(inputTokens, tier.specs[0].base);
    return new ModelPrice(copy);
  }

  /**
   * This price with {@code prices} (and their {@link #aboveInputTokens thresholds}) for calls that
   * {@code tier} served. A rate {@code prices} does not set is taken from the standard prices.
   * Replaces the prices set before for the tier.
   *
   * @throws IllegalArgumentException when an argument is null or {@code tier} is {@link
   *     ServiceTier#STANDARD} (the standard prices are this price's own)
   */
  public ModelPrice forServiceTier(ServiceTier tier, ModelPrice prices) {
    if (tier == null || tier == ServiceTier.STANDARD) {
      throw new IllegalArgumentException("tier must be PRIORITY, FLEX or BATCH, but was " + tier);
    }
    if (prices == null) {
      throw new IllegalArgumentException("prices must not be null");
    }
    Spec[] copy = specs.clone();
    copy[tier.ordinal()] = prices.specs[0];
    return new ModelPrice(copy);
  }

  /** Dollars per input token (standard tier, below every threshold). */
  public BigDecimal inputPerToken() {
    return dollars(rates[0][INPUT]);
  }

  /** Dollars per output token (reasoning included; standard tier, below every threshold). */
  public BigDecimal outputPerToken() {
    return dollars(rates[0][OUTPUT]);
  }

  /** Dollars per input token read from the cache (standard tier, below every threshold). */
  public BigDecimal cacheReadPerToken() {
    return dollars(rates[0][CACHE_READ]);
  }

  /** Dollars per input token written to the cache (standard tier, below every threshold). */
  public BigDecimal cacheWritePerToken() {
    return dollars(rates[0][CACHE_WRITE]);
  }

  /** Dollars per input token written to the one-hour cache (standard, below every threshold). */
  public BigDecimal cacheWrite1hPerToken() {
    return dollars(rates[0][CACHE_WRITE_1H]);
  }

  /**
   * The cost of a usage in dollars, exactly as a tracked call with that usage records it. For
   * checks and estimates; never throws.
   *
   * @return the cost, or null when the usage breaks its inclusion rules or the cost overflows
   */
  public @Nullable BigDecimal cost(Usage usage) {
    if (usage == null
        || !Usage.valid(
            usage.input(), usage.output(), usage.cacheRead(), usage.cacheWrite(), usage.reasoning())
        || usage.cacheWrite1h() < 0
        || usage.cacheWrite1h() > usage.cacheWrite()) {
      return null;
    }
    ServiceTier tier = usage.serviceTier();
    try {
      return BigDecimal.valueOf(
          picodollars(
              tier == null ? ServiceTier.STANDARD : tier,
              usage.input(),
              usage.cacheRead(),
              usage.cacheWrite(),
              usage.cacheWrite1h(),
              usage.output()),
          12);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /**
   * The cost in picodollars of a call of {@code input} input tokens of which {@code cacheRead} were
   * read from and {@code cacheWrite} written to the cache ({@code cacheWrite1h} of those for an
   * hour), and {@code output} output tokens, served by {@code tier}.
   *
   * @throws ArithmeticException when the cost does not fit in a long
   */
  long picodollars(
      ServiceTier tier,
      long input,
      long cacheRead,
      long cacheWrite,
      long cacheWrite1h,
      long output) {
    int s = tier.ordinal();
    long[] th = thresholds[s];
    int level = 0;
    while (level < th.length && input > th[level]) {
      level++;
    }
    long[] r = rates[s];
    int o = level * TYPES;
    long total = Math.multiplyExact(input - cacheRead - cacheWrite, r[o + INPUT]);
    total = Math.addExact(total, Math.multiplyExact(cacheRead, r[o + CACHE_READ]));
    total = Math.addExact(total, Math.multiplyExact(cacheWrite - cacheWrite1h, r[o + CACHE_WRITE]));
    total = Math.addExact(total, Math.multiplyExact(cacheWrite1h, r[o + CACHE_WRITE_1H]));
    return Math.addExact(total, Math.multiplyExact(output, r[o + OUTPUT]));
  }

  /**
   * The standard cost in picodollars: uncached input at the input price, cache reads and writes at
   * theirs, all output (reasoning included) at the output price.
   *
   * @throws ArithmeticException when the cost does not fit in a long
   */
  long picodollars(long uncachedInput, long cacheReadTokens, long cacheWriteTokens, long outputs) {
    return picodollars(
        ServiceTier.STANDARD,
        uncachedInput + cacheReadTokens + cacheWriteTokens,
        cacheReadTokens,
        cacheWriteTokens,
        0,
        outputs);
  }

  private static BigDecimal dollars(long picodollars) {
    return BigDecimal.valueOf(picodollars, 12).stripTrailingZeros();
  }

  private static long perMillionToPico(String name, double dollarsPerMillion) {
    if (!Double.isFinite(dollarsPerMillion)) {
      throw new IllegalArgumentException(
          name + " must be finite, but was " + dollarsPerMillion + " $ per million tokens");
    }
    // BigDecimal.valueOf uses the shortest decimal that round-trips, so 0.15 is exactly 0.15.
    BigDecimal perToken = BigDecimal.valueOf(dollarsPerMillion).divide(MILLION);
    return toPico(name, perToken);
  }

  static long toPico(String name, @Nullable BigDecimal dollarsPerToken) {
    if (dollarsPerToken == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    BigDecimal pico = dollarsPerToken.movePointRight(12);
    if (dollarsPerToken.signum() < 0
        || pico.compareTo(pico.setScale(0, RoundingMode.DOWN)) != 0
        || pico.compareTo(MAX_PICO) > 0) {
      throw new IllegalArgumentException(
          name
              + " must be a non-negative whole number of picodollars (1e-12 $) per token,"
              + " but was "
              + dollarsPerToken.toPlainString()
              + " $ per token");
    }
    return pico.longValueExact();
  }

  /**
   * {@code dollarsPerToken} rounded half-even to whole picodollars, or -1 when it is negative or
   * beyond {@code Long.MAX_VALUE} picodollars. The rounding moves a price by at most half a
   * picodollar per token, $0.0000005 per million tokens.
   */
  static long roundToPico(BigDecimal dollarsPerToken) {
    if (dollarsPerToken.signum() < 0) {
      return -1;
    }
    BigDecimal pico = dollarsPerToken.movePointRight(12).setScale(0, RoundingMode.HALF_EVEN);
    return pico.compareTo(MAX_PICO) > 0 ? -1 : pico.longValueExact();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ModelPrice
        && Arrays.deepEquals(((ModelPrice) other).thresholds, thresholds)
        && Arrays.deepEquals(((ModelPrice) other).rates, rates);
  }

  @Override
  public int hashCode() {
    return Arrays.deepHashCode(thresholds) * 31 + Arrays.deepHashCode(rates);
  }

  @Override
  public String toString() {
    StringBuilder s =
        new StringBuilder("ModelPrice{$/token input=")
            .append(inputPerToken().toPlainString())
            .append(", output=")
            .append(outputPerToken().toPlainString())
            .append(", cacheRead=")
            .append(cacheReadPerToken().toPlainString())
            .append(", cacheWrite=")
            .append(cacheWritePerToken().toPlainString())
            .append(", cacheWrite1h=")
            .append(cacheWrite1hPerToken().toPlainString());
    if (thresholds[0].length > 0) {
      s.append(", above input tokens ").append(Arrays.toString(thresholds[0]));
    }
    for (ServiceTier tier : ServiceTier.values()) {
      if (tier != ServiceTier.STANDARD && specs[tier.ordinal()] != null) {
        s.append(", ").append(tier);
      }
    }
    return s.append('}').toString();
  }
}
