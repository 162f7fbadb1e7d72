package io.kosmos.metrics.llm;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.internal.Catalog;
import io.kosmos.metrics.core.internal.DropReason;
import io.kosmos.metrics.core.internal.SelfMetrics;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A LiteLLM price file that can be reloaded while the service runs, on change or on a schedule.
 *
 * <pre>{@code
 * try (LlmPriceFile prices = LlmPriceFile.builder(metrics, Path.of("/etc/kosmos/model_prices.json"))
 *         .overrides(LlmPricing.builder()                 // prices set in code win over the file
 *             .price("openai", "ft:gpt-4o-mini:acme", ModelPrice.perMillion(0.3, 1.2))
 *             .build())
 *         .reloadOnChange(Duration.ofSeconds(30))         // or .reloadEvery(Duration.ofHours(1))
 *         .build()) {
 *   LlmMetrics llm = LlmMetrics.builder(metrics).pricing(prices).build();
 *   ...
 * }
 * }</pre>
 *
 * <p>Each load builds one immutable {@link LlmPricing} catalogue (the file as {@link
 * LlmPricing.Builder#liteLlm(Path)} reads it, then the overrides) and publishes it with a single
 * volatile write; a call reads the reference once when it is closed, so every call is priced by the
 * old catalogue or by the new one, never by a mix. A new file that cannot be read, is not a JSON
 * object, or has no usable price at all keeps the current prices: the failure is counted in {@code
 * kosmos_metrics_dropped_total{reason="price_reload_failed"}} and logged (the first failure after a
 * success at WARNING). Entries skipped by each successful load are counted in {@code
 * reason="price_entry_skipped"}.
 *
 * <p>"On change" compares the file's modification time, size and file key (inode) each period, so
 * an atomic replacement ({@code mv}, a Kubernetes ConfigMap update) or an edit in place is seen.
 * The checks run on one daemon thread, stopped by {@link #close()}; {@link #reload()} reloads now
 * from any thread. Thread-safe.
 */
public final class LlmPriceFile implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");

  private final Path file;
  private final LlmPricing overrides;
  private final SelfMetrics self;
  private final boolean onlyOnChange;
  private final @Nullable ScheduledExecutorService scheduler;
  private volatile LlmPricing current;
  // Guarded by this: the file's stamp when last loaded or tried, and whether the last try failed.
  private @Nullable Object stamp;
  private boolean failing;

  private LlmPriceFile(Builder builder) {
    this.file = builder.file;
    this.overrides = builder.overrides;
    this.self = Catalog.of(builder.metrics.registry()).self;
    this.onlyOnChange = builder.onlyOnChange;
    this.stamp = stamp(file);
    LlmPricing first = load();
    first.countSkipped(self);
    this.current = first;
    Duration period = builder.period;
    if (period == null) {
      this.scheduler = null;
    } else {
      this.scheduler =
          Executors.newSingleThreadScheduledExecutor(
              task -> {
                Thread thread = new Thread(task, "kosmos-metrics-price-file");
                thread.setDaemon(true);
                return thread;
              });
      long nanos = period.toNanos();
      scheduler.scheduleWithFixedDelay(this::check, nanos, nanos, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * A builder for the price file {@code file}, counting its failures on {@code metrics}' registry.
   *
   * @throws IllegalArgumentException when an argument is null
   */
  public static Builder builder(KosmosMetrics metrics, Path file) {
    if (metrics == null) {
      throw new IllegalArgumentException("metrics must not be null");
    }
    if (file == null) {
      throw new IllegalArgumentException("file must not be null");
    }
    return new Builder(metrics, file);
  }

  /** The prices now. Never null; reads one volatile reference. */
  public LlmPricing current() {
    return current;
  }

  /**
   * Loads the file now and, when it loads, makes it the current prices. Never throws.
   *
   * @return whether the new prices are now current; false when the file could not be loaded and the
   *     current prices stay (counted and logged)
   */
  public synchronized boolean reload() {
    stamp = stamp(file);
    LlmPricing next;
    try {
      next = load();
    } catch (RuntimeException e) {
      self.count(DropReason.PRICE_RELOAD_FAILED, 1);
      LOG.log(
          failing ? Level.DEBUG : Level.WARNING,
          "kosmos-metrics: cannot reload the price file "
              + file
              + ", the current prices stay and the failure is counted in"
              + " kosmos_metrics_dropped_total{reason=\"price_reload_failed\"}: "
              + e.getMessage());
      failing = true;
      return false;
    }
    next.countSkipped(self);
    current = next;
    failing = false;
    return true;
  }

  private void check() {
    try {
      boolean changed;
      synchronized (this) {
        changed = !Objects.equals(stamp, stamp(file));
      }
      if (changed || !onlyOnChange) {
        reload();
      }
    } catch (RuntimeException e) {
      self.internalError("LlmPriceFile", e);
    }
  }

  private LlmPricing load() {
    LlmPricing loaded = LlmPricing.builder().liteLlm(file).build();
    if (loaded.size() == 0) {
      throw new IllegalArgumentException(
          "price file must hold at least one usable price, but " + file + " has none");
    }
    return LlmPricing.builder().prices(loaded).prices(overrides).build();
  }

  /** What tells one version of the file from another, or null when it cannot be read. */
  private static @Nullable Object stamp(Path file) {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return java.util.List.of(
          a.lastModifiedTime(), a.size(), a.fileKey() == null ? "" : a.fileKey());
    } catch (IOException e) {
      return null;
    }
  }

  /** Stops the reload thread, if any, and waits for it to end. The current prices stay. */
  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Configures an {@link LlmPriceFile}. Not thread-safe. */
  public static final class Builder {
    private final KosmosMetrics metrics;
    private final Path file;
    private LlmPricing overrides = LlmPricing.none();
    private @Nullable Duration period;
    private boolean onlyOnChange;

    private Builder(KosmosMetrics metrics, Path file) {
      this.metrics = metrics;
      this.file = file;
    }

    /**
     * Prices that win over the file's at every load, e.g. those set in code. Default none.
     *
     * @throws IllegalArgumentException when null
     */
    public Builder overrides(LlmPricing overrides) {
      if (overrides == null) {
        throw new IllegalArgumentException("overrides must not be null");
      }
      this.overrides = overrides;
      return this;
    }

    /**
     * Checks the file every {@code period} and reloads it when it changed. Default: no automatic
     * reload (only {@link LlmPriceFile#reload()}). Replaces {@link #reloadEvery}.
     *
     * @throws IllegalArgumentException when {@code period} is null or not positive
     */
    public Builder reloadOnChange(Duration period) {
      this.period = positive("period", period);
      this.onlyOnChange = true;
      return this;
    }

    /**
     * Reloads the file every {@code period}, changed or not. Default: no automatic reload. Replaces
     * {@link #reloadOnChange}.
     *
     * @throws IllegalArgumentException when {@code period} is null or not positive
     */
    public Builder reloadEvery(Duration period) {
      this.period = positive("period", period);
      this.onlyOnChange = false;
      return this;
    }

    private static Duration positive(String parameter, @Nullable Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            parameter + " must be a positive duration, but was " + value);
      }
      return value;
    }

    /**
     * Loads the file and, when a period is set, starts the reload thread.
     *
     * @throws java.io.UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a JSON object or has no usable price
     */
    public LlmPriceFile build() {
      return new LlmPriceFile(this);
    }
  }
}
