package io.kosmos.metrics.llm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * The prices of one model, per token: input, output, cached input read and cache write. Immutable.
 *
 * <pre>{@code
 * ModelPrice gpt4oMini = ModelPrice.perMillion(0.15, 0.60).withCacheReadPerMillion(0.075);
 * ModelPrice exact = ModelPrice.perToken(new BigDecimal("0.00000015"), new BigDecimal("0.0000006"));
 * }</pre>
 *
 * <p>Prices are held as whole picodollars (10<sup>-12</sup> $) per token so that costs add up
 * exactly: one million calls of one token at $0.000002 cost exactly $2.00. Any price of up to six
 * decimals per million tokens qualifies. A price that is negative, not finite, or not a whole
 * number of picodollars per token is rejected when the price is made, with an {@link
 * IllegalArgumentException} naming the price and its value.
 *
 * <p>A missing cache read or cache write price means those tokens cost the input price. Reasoning
 * tokens are billed as output tokens.
 */
public final class ModelPrice {

  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private final long input;
  private final long output;
  private final long cacheRead;
  private final long cacheWrite;

  private ModelPrice(long input, long output, long cacheRead, long cacheWrite) {
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheWrite = cacheWrite;
  }

  /**
   * Prices in dollars per million tokens, the unit of providers' price pages. Cache tokens cost the
   * input price until set.
   *
   * @throws IllegalArgumentException when a price is negative, not finite or not a whole number of
   *     picodollars per token
   */
  public static ModelPrice perMillion(double inputDollars, double outputDollars) {
    long in = perMillionToPico("input price", inputDollars);
    return new ModelPrice(in, perMillionToPico("output price", outputDollars), in, in);
  }

  /**
   * Prices in dollars per token, as in LiteLLM's price file. Cache tokens cost the input price
   * until set.
   *
   * @throws IllegalArgumentException when a price is null, negative or not a whole number of
   *     picodollars per token
   */
  public static ModelPrice perToken(BigDecimal inputDollars, BigDecimal outputDollars) {
    long in = toPico("input price", inputDollars);
    return new ModelPrice(in, toPico("output price", outputDollars), in, in);
  }

  static ModelPrice ofPicodollars(long input, long output, long cacheRead, long cacheWrite) {
    return new ModelPrice(input, output, cacheRead, cacheWrite);
  }

  /**
   * This price with cached input reads at {@code dollars} per million tokens.
   *
   * @throws IllegalArgumentException as {@link #perMillion}
   */
  public ModelPrice withCacheReadPerMillion(double dollars) {
    return new ModelPrice(input, output, perMillionToPico("cacheRead price", dollars), cacheWrite);
  }

  /**
   * This price with cache writes at {@code dollars} per million tokens.
   *
   * @throws IllegalArgumentException as {@link #perMillion}
   */
  public ModelPrice withCacheWritePerMillion(double dollars) {
    return new ModelPrice(input, output, cacheRead, perMillionToPico("cacheWrite price", dollars));
  }

  /**
   * This price with cached input reads at {@code dollars} per token.
   *
   * @throws IllegalArgumentException as {@link #perToken}
   */
  public ModelPrice withCacheReadPerToken(BigDecimal dollars) {
    return new ModelPrice(input, output, toPico("cacheRead price", dollars), cacheWrite);
  }

  /**
   * This price with cache writes at {@code dollars} per token.
   *
   * @throws IllegalArgumentException as {@link #perToken}
   */
  public ModelPrice withCacheWritePerToken(BigDecimal dollars) {
    return new ModelPrice(input, output, cacheRead, toPico("cacheWrite price", dollars));
  }

  /** Dollars per input token. */
  public BigDecimal inputPerToken() {
    return dollars(input);
  }

  /** Dollars per output token (reasoning included). */
  public BigDecimal outputPerToken() {
    return dollars(output);
  }

  /** Dollars per input token read from the cache. */
  public BigDecimal cacheReadPerToken() {
    return dollars(cacheRead);
  }

  /** Dollars per input token written to the cache. */
  public BigDecimal cacheWritePerToken() {
    return dollars(cacheWrite);
  }

  /**
   * The cost of a usage in picodollars: uncached input at the input price, cache reads and writes
   * at theirs, all output (reasoning included) at the output price.
   *
   * @throws ArithmeticException when the cost does not fit in a long
   */
  long picodollars(long uncachedInput, long cacheReadTokens, long cacheWriteTokens, long outputs) {
    long total = Math.multiplyExact(uncachedInput, input);
    total = Math.addExact(total, Math.multiplyExact(cacheReadTokens, cacheRead));
    total = Math.addExact(total, Math.multiplyExact(cacheWriteTokens, cacheWrite));
    return Math.addExact(total, Math.multiplyExact(outputs, output));
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
        || pico.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException(
          name
              + " must be a non-negative whole number of picodollars (1e-12 $) per token,"
              + " but was "
              + dollarsPerToken.toPlainString()
              + " $ per token");
    }
    return pico.longValueExact();
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof ModelPrice
        && ((ModelPrice) other).input == input
        && ((ModelPrice) other).output == output
        && ((ModelPrice) other).cacheRead == cacheRead
        && ((ModelPrice) other).cacheWrite == cacheWrite;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(input) * 31 * 31 * 31
        + Long.hashCode(output) * 31 * 31
        + Long.hashCode(cacheRead) * 31
        + Long.hashCode(cacheWrite);
  }

  @Override
  public String toString() {
    return "ModelPrice{$/token input="
        + inputPerToken().toPlainString()
        + ", output="
        + outputPerToken().toPlainString()
        + ", cacheRead="
        + cacheReadPerToken().toPlainString()
        + ", cacheWrite="
        + cacheWritePerToken().toPlainString()
        + "}";
  }
}
