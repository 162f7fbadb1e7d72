package io.kosmos.metrics.llm;

import io.kosmos.metrics.core.internal.DropReason;
import io.prometheus.metrics.model.snapshots.Unit;
import java.math.BigDecimal;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * One LLM call in flight, recorded when closed. Obtain it from {@link LlmMetrics#start}.
 *
 * <pre>{@code
 * try (LlmCall call = llm.start("openai", "gpt-4o-mini")) {
 *   try (Stream<Chunk> chunks = client.stream(request)) {
 *     for (Chunk chunk : (Iterable<Chunk>) chunks::iterator) {
 *       call.firstToken();                       // only the first call counts
 *       if (chunk.usage() != null) {
 *         call.usage(chunk.usage().prompt(), chunk.usage().completion());
 *       }
 *       render(chunk);
 *     }
 *   } catch (IOException e) {
 *     call.failed(e);                            // error_type from the ErrorClassifier
 *     throw e;
 *   }
 * }
 * }</pre>
 *
 * <p>When closed, the call records its duration and exactly one outcome in {@code
 * llm_requests_total}:
 *
 * <ul>
 *   <li>{@value LlmMetrics#ERROR} once marked failed ({@link #failed(Throwable)}, {@link
 *       #failed(int)}, {@link #failed(ErrorType)}; the first failure's type is kept), even if usage
 *       was reported;
 *   <li>otherwise {@value LlmMetrics#SUCCESS} once {@link #success()} or a usage was reported;
 *   <li>otherwise {@value LlmMetrics#ERROR} with {@code error_type="other"}: the call was left
 *       without an outcome, typically by an exception, or a stream was abandoned.
 * </ul>
 *
 * <p>Tokens and cost are recorded whatever the outcome (a failed stream may still be billed). The
 * last usage reported wins, so a stream that reports cumulative usage several times is counted
 * once. {@link #close()} records once however often it is called; calls after it are ignored. Safe
 * to use from several threads. No method throws.
 */
public final class LlmCall implements AutoCloseable {

  /**
   * Largest token count of one call that is recorded. No model reads or writes a billion tokens in
   * one call, and a bogus count near {@code Long.MAX_VALUE} would overflow the counter and make
   * every later scrape fail, so larger counts are dropped as {@code amount_overflow}.
   */
  public static final long MAX_TOKENS = 1_000_000_000L;

  /**
   * Largest cost of one call that is recorded, in dollars; larger reported or computed costs are
   * dropped as {@code amount_overflow}, for the same reason as {@link #MAX_TOKENS}.
   */
  public static final long MAX_COST_DOLLARS = 10_000;

  private static final long MAX_PICODOLLARS = MAX_COST_DOLLARS * 1_000_000_000_000L;

  private final LlmMetrics owner;
  private final LlmMetrics.@Nullable ModelHandle handle;
  private final long start;
  private boolean closed;
  private boolean succeeded;
  private boolean firstToken;
  private @Nullable ErrorType failure;
  // The usage is kept as primitives so that reporting it allocates nothing.
  private boolean hasUsage;
  private long input;
  private long output;
  private long cacheRead;
  private long cacheWrite;
  private long reasoning;
  private long cacheWrite1h;
  private ServiceTier serviceTier = ServiceTier.STANDARD;
  private boolean hasUsageCost;
  private double usageCost;
  private boolean hasCost;
  private double cost;

  LlmCall(LlmMetrics owner, LlmMetrics.@Nullable ModelHandle handle) {
    this.owner = owner;
    this.handle = handle;
    long now = 0;
    try {
      now = owner.clock.nanoTime();
    } catch (RuntimeException e) {
      owner.self.internalError("LlmCall clock", e);
    }
    this.start = now;
  }

  /** Reports the tokens of the call: all input tokens and all output tokens. Implies success. */
  public synchronized void usage(long inputTokens, long outputTokens) {
    if (!closed) {
      this.cacheWrite1h = 0;
      setUsage(inputTokens, outputTokens, 0, 0, 0, false, 0);
    }
  }

  /**
   * Reports the usage of the call, replacing any usage reported before. Implies success unless the
   * call is marked failed. A null usage is ignored.
   */
  public synchronized void usage(@Nullable Usage usage) {
    if (!closed && usage != null) {
      this.cacheWrite1h = usage.cacheWrite1h();
      if (usage.serviceTier() != null) {
        this.serviceTier = usage.serviceTier();
      }
      setUsage(
          usage.input(),
          usage.output(),
          usage.cacheRead(),
          usage.cacheWrite(),
          usage.reasoning(),
          usage.hasCost(),
          usage.costDollars());
    }
  }

  private void setUsage(
      long input,
      long output,
      long cacheRead,
      long cacheWrite,
      long reasoning,
      boolean hasUsageCost,
      double usageCost) {
    this.hasUsage = true;
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheWrite = cacheWrite;
    this.reasoning = reasoning;
    this.hasUsageCost = hasUsageCost;
    this.usageCost = usageCost;
  }

  /**
   * Reports the cost of the call in dollars, as the provider billed it; it wins over the usage's
   * cost and over the pricing catalog. Recorded rounded to whole picodollars. A negative or
   * non-finite cost is dropped when the call is closed (counted), and the catalog price applies.
   */
  public synchronized void cost(double dollars) {
    if (!closed) {
      this.cost = dollars;
      this.hasCost = true;
    }
  }

  /**
   * Reports the service tier that served the call, as the provider named it (OpenAI's {@code
   * service_tier}, {@code "batch"} for a batch API call; see {@link ServiceTier#of}); the model's
   * prices for that tier apply. A tier in a later {@link #usage(Usage)} wins. Never throws.
   */
  public synchronized void serviceTier(@Nullable String tier) {
    if (!closed) {
      this.serviceTier = ServiceTier.of(tier);
    }
  }

  /** Marks the call successful even if it reported no usage. */
  public synchronized void success() {
    succeeded = true;
  }

  /**
   * Marks the call failed by {@code error}, classified by the {@link ErrorClassifier}. Does not
   * rethrow; the caller keeps its exception.
   */
  public void failed(@Nullable Throwable error) {
    failed(error == null ? ErrorType.OTHER : owner.classify(error));
  }

  /** Marks the call failed with the error type of an HTTP status ({@link ErrorType#ofStatus}). */
  public void failed(int httpStatus) {
    failed(ErrorType.ofStatus(httpStatus));
  }

  /** Marks the call failed with {@code type}. Only the first failure counts. */
  public synchronized void failed(@Nullable ErrorType type) {
    if (failure == null) {
      failure = type == null ? ErrorType.OTHER : type;
    }
  }

  /**
   * Marks the arrival of the first streamed token or chunk and records the time since the start in
   * {@code llm_time_to_first_token_seconds}. Later calls, and calls after {@link #close()}, are
   * ignored, so it can be called for every chunk.
   */
  public void firstToken() {
    synchronized (this) {
      if (firstToken || closed) {
        return;
      }
      firstToken = true;
    }
    if (handle == null) {
      return;
    }
    try {
      long elapsed = owner.clock.nanoTime() - start;
      if (elapsed >= 0) {
        handle.series.timeToFirstToken().observe(Unit.nanosToSeconds(elapsed));
      } else {
        owner.self.drop(DropReason.NEGATIVE_AMOUNT, "llm time to first token");
      }
    } catch (RuntimeException e) {
      owner.self.internalError("LlmCall.firstToken", e);
    }
  }

  /** Records the call: duration, outcome, error type, tokens and cost. The first call only. */
  @Override
  public synchronized void close() {
    // Recording under the call's own lock: only threads sharing this call can contend, and
    // nothing here calls back into user code.
    if (closed) {
      return;
    }
    closed = true;
    if (handle == null) {
      return;
    }
    try {
      ModelSeries series = handle.series;
      long elapsed = owner.clock.nanoTime() - start;
      if (elapsed >= 0) {
        series.duration.observe(Unit.nanosToSeconds(elapsed));
      } else {
        owner.self.drop(DropReason.NEGATIVE_AMOUNT, "llm duration");
      }
      if (failure == null && (succeeded || hasUsage)) {
        series.succeeded.inc();
      } else {
        series.failed.inc();
        series.error(failure == null ? ErrorType.OTHER : failure).inc();
      }
      boolean usageRecorded = hasUsage && recordTokens(series);
      long picodollars = hasCost ? picodollars(cost) : -1;
      if (picodollars < 0 && hasUsageCost) {
        picodollars = picodollars(usageCost);
      }
      if (picodollars < 0 && usageRecorded) {
        picodollars = priced(handle);
      }
      if (picodollars >= 0 && !series.cost().add(picodollars)) {
        owner.self.drop(DropReason.AMOUNT_OVERFLOW, "llm cost total");
      }
    } catch (RuntimeException e) {
      owner.self.internalError("LlmCall.close", e);
    }
  }

  private boolean recordTokens(ModelSeries series) {
    if (!Usage.valid(input, output, cacheRead, cacheWrite, reasoning)
        || cacheWrite1h < 0
        || cacheWrite1h > cacheWrite) {
      // Negative counts are bad data; non-negative counts that break the inclusion rules are
      // almost always a provider convention applied wrongly (see ProviderUsage), so they get their
      // own reason. Either way the outcome of the call stands.
      boolean negative =
          input < 0
              || output < 0
              || cacheRead < 0
              || cacheWrite < 0
              || cacheWrite1h < 0
              || reasoning < 0;
      owner.self.drop(
          negative ? DropReason.NEGATIVE_AMOUNT : DropReason.INCONSISTENT_USAGE, "llm usage");
      return false;
    }
    if (input > MAX_TOKENS || output > MAX_TOKENS) {
      owner.self.drop(DropReason.AMOUNT_OVERFLOW, "llm usage");
      return false;
    }
    series.input.inc(input);
    series.output.inc(output);
    if (cacheRead > 0) {
      series.cacheRead().inc(cacheRead);
    }
    if (cacheWrite > 0) {
      series.cacheWrite().inc(cacheWrite);
    }
    if (reasoning > 0) {
      series.reasoning().inc(reasoning);
    }
    return true;
  }

  /** The catalog cost of the recorded usage, or -1 when there is none (counted as unpriced). */
  private long priced(LlmMetrics.ModelHandle handle) {
    // The catalogue is read once, so the whole call is priced by one catalogue even while a
    // reload swaps it.
    ModelPrice price = handle.price(owner.pricing());
    if (price == null) {
      handle.series.unpriced().inc();
      owner.logUnpriced(handle);
      return -1;
    }
    long picodollars;
    try {
      picodollars =
          price.picodollars(serviceTier, input, cacheRead, cacheWrite, cacheWrite1h, output);
    } catch (ArithmeticException e) {
      picodollars = Long.MAX_VALUE;
    }
    if (picodollars > MAX_PICODOLLARS) {
      owner.self.drop(DropReason.AMOUNT_OVERFLOW, "llm cost");
      return -1;
    }
    return picodollars;
  }

  /** A reported cost in whole picodollars, or -1 when it is dropped. */
  private long picodollars(double dollars) {
    if (!Double.isFinite(dollars)) {
      owner.self.drop(DropReason.NON_FINITE_AMOUNT, "llm cost");
      return -1;
    }
    if (dollars < 0) {
      owner.self.drop(DropReason.NEGATIVE_AMOUNT, "llm cost");
      return -1;
    }
    BigDecimal pico =
        BigDecimal.valueOf(dollars).movePointRight(12).setScale(0, RoundingMode.HALF_EVEN);
    if (pico.compareTo(BigDecimal.valueOf(MAX_PICODOLLARS)) > 0) {
      owner.self.drop(DropReason.AMOUNT_OVERFLOW, "llm cost");
      return -1;
    }
    return pico.longValue();
  }
}
