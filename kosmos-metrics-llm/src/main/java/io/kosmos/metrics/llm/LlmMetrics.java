package io.kosmos.metrics.llm;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.NanoClock;
import io.kosmos.metrics.core.internal.Catalog;
import io.kosmos.metrics.core.internal.SelfMetrics;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Tracks the LLM calls of an agent: {@code llm_request_duration_seconds}, {@code
 * llm_requests_total{status}}, {@code llm_tokens_total{type}}, {@code llm_cost_dollars}, {@code
 * llm_time_to_first_token_seconds}, {@code llm_errors_total{error_type}} and {@code
 * llm_cost_unpriced_total}, all labelled by provider and model.
 *
 * <pre>{@code
 * LlmMetrics llm = LlmMetrics.builder(metrics).pricing(pricing).build();
 *
 * // try-with-resources: success only once usage (or success()) is reported
 * try (LlmCall call = llm.start("openai", "gpt-4o-mini")) {
 *   ChatResponse r = client.chat(request);
 *   call.usage(r.inputTokens(), r.outputTokens());
 *   return r;
 * }
 *
 * // functional: the outcome and error type are recorded for you, exceptions pass unchanged
 * ChatResponse r = llm.call("openai", "gpt-4o-mini", () -> client.chat(request),
 *     resp -> Usage.of(resp.inputTokens(), resp.outputTokens()));
 *
 * // asynchronous clients
 * CompletionStage<ChatResponse> f = llm.callAsync("openai", "gpt-4o-mini",
 *     () -> client.chatAsync(request), resp -> Usage.of(resp.inputTokens(), resp.outputTokens()));
 * }</pre>
 *
 * <p>Each call is counted in {@code llm_requests_total} as {@value #SUCCESS} or {@value #ERROR},
 * and every {@value #ERROR} also once in {@code llm_errors_total} with its {@link ErrorType}. Its
 * cost is, in order: a cost the caller reported ({@link LlmCall#cost}, {@link Usage#withCost}), or
 * the usage at the {@link LlmPricing} price of the model, or none, which is counted in {@code
 * llm_cost_unpriced_total} and logged once per model.
 *
 * <p>Provider and model values are capped ({@link Builder#maxProviders}, {@link
 * Builder#maxModels}); later values are recorded as {@code overflow}. Prices are still looked up
 * with the real names. Thread-safe; no method throws into the caller except the caller's own
 * exceptions, which the functional forms pass on unchanged.
 */
public final class LlmMetrics {

  /** {@code llm_requests_total} status of a call that reported usage or success. */
  public static final String SUCCESS = ModelSeries.SUCCESS;

  /** {@code llm_requests_total} status of a call marked failed or closed without an outcome. */
  public static final String ERROR = ModelSeries.ERROR;

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");
  private static final int MAX_UNPRICED_LOGS = 1000;

  final NanoClock clock;
  final SelfMetrics self;
  private final ErrorClassifier classifier;
  private final LlmPricing pricing;
  private final @Nullable LlmPriceFile priceFile;
  private final SeriesTable table;
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, ModelHandle>> handles =
      new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Boolean> unpricedLogged = new ConcurrentHashMap<>();

  private LlmMetrics(Builder builder) {
    Catalog catalog = Catalog.of(builder.metrics.registry());
    this.clock = builder.clock;
    this.self = catalog.self;
    this.classifier = builder.classifier;
    this.pricing = builder.pricing;
    this.priceFile = builder.priceFile;
    int maxProviders = builder.maxProviders;
    int maxModels = builder.maxModels;
    this.table =
        catalog.shared(
            "llm.series",
            SeriesTable.class,
            () -> new SeriesTable(catalog, maxProviders, maxModels));
    same("maxProviders", table.maxProviders, maxProviders);
    same("maxModels", table.maxModels, maxModels);
    if (priceFile == null) {
      pricing.countSkipped(self);
    }
  }

  /** The prices now: the price file's current catalogue, or the fixed pricing. */
  LlmPricing pricing() {
    LlmPriceFile file = priceFile;
    return file == null ? pricing : file.current();
  }

  private static void same(String parameter, int registered, int requested) {
    if (registered != requested) {
      throw new IllegalArgumentException(
          parameter
              + " must match the other LlmMetrics on this registry ("
              + registered
              + "), but was "
              + requested);
    }
  }

  /**
   * A builder for a tracker on {@code metrics}' registry.
   *
   * @throws IllegalArgumentException when {@code metrics} is null
   */
  public static Builder builder(KosmosMetrics metrics) {
    if (metrics == null) {
      throw new IllegalArgumentException("metrics must not be null");
    }
    return new Builder(metrics);
  }

  /**
   * Starts timing a call of {@code model} of {@code provider}; close the result to record it. An
   * invalid provider or model (null, empty, over 256 characters) gives a call that records nothing;
   * the drop is counted. Never throws.
   */
  public LlmCall start(@Nullable String provider, @Nullable String model) {
    try {
      return new LlmCall(this, handle(provider, model));
    } catch (RuntimeException e) {
      self.internalError("LlmMetrics.start", e);
      return new LlmCall(this, null);
    }
  }

  /**
   * Runs {@code request} as one tracked call: success with the usage {@code usage} extracts from
   * the result, or error with the type the {@link ErrorClassifier} gives the exception, which is
   * then rethrown unchanged. A {@code usage} function that returns null or throws records no usage
   * (a throw is counted as an internal error) and never affects the result.
   *
   * @throws E whatever {@code request} throws, unchanged
   */
  public <T, E extends Exception> T call(
      @Nullable String provider,
      @Nullable String model,
      Request<T, E> request,
      Function<? super T, ? extends @Nullable Usage> usage)
      throws E {
    LlmCall call = start(provider, model);
    T result;
    try {
      result = request.execute();
    } catch (Throwable t) {
      call.failed(t);
      call.close();
      throw t;
    }
    report(call, usage, result);
    call.close();
    return result;
  }

  /**
   * Tracks an asynchronous call: {@code request} starts it, and the call is recorded when the stage
   * completes, before the returned stage completes with the same value or the same exception (the
   * very object the client's stage completed with). An exception thrown by {@code request} itself
   * is recorded and rethrown unchanged. Cancelling the returned stage does not cancel the client's;
   * the call is still recorded when the client's stage completes.
   */
  public <T> CompletionStage<T> callAsync(
      @Nullable String provider,
      @Nullable String model,
      Supplier<? extends CompletionStage<T>> request,
      Function<? super T, ? extends @Nullable Usage> usage) {
    LlmCall call = start(provider, model);
    CompletionStage<T> stage;
    try {
      stage = request.get();
    } catch (Throwable t) {
      call.failed(t);
      call.close();
      throw t;
    }
    if (stage == null) {
      // The client's own contract violation: hand it back as it is rather than fail here.
      call.close();
      return stage;
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, error) -> {
          if (error != null) {
            call.failed(error);
            call.close();
            result.completeExceptionally(error);
          } else {
            report(call, usage, value);
            call.close();
            result.complete(value);
          }
        });
    return result;
  }

  private <T> void report(
      LlmCall call, Function<? super T, ? extends @Nullable Usage> usage, T result) {
    try {
      Usage reported = usage.apply(result);
      if (reported != null) {
        call.usage(reported);
      }
    } catch (RuntimeException e) {
      self.internalError("LlmMetrics usage extractor", e);
    }
    call.success();
  }

  /** The error type of {@code error}: the configured classifier, then the defaults, then OTHER. */
  ErrorType classify(Throwable error) {
    ErrorType type = null;
    try {
      type = classifier.classify(error);
    } catch (RuntimeException e) {
      self.internalError("ErrorClassifier", e);
    }
    if (type == null && classifier != ErrorClassifier.defaults()) {
      type = ErrorClassifier.defaults().classify(error);
    }
    return type == null ? ErrorType.OTHER : type;
  }

  /** Logs the first unpriced call of each provider and model (up to a bound). */
  void logUnpriced(ModelHandle handle) {
    if (handle.unpricedLogged.get() || !handle.unpricedLogged.compareAndSet(false, true)) {
      return;
    }
    String key = handle.provider + "/" + handle.model;
    if (unpricedLogged.size() < MAX_UNPRICED_LOGS
        && unpricedLogged.putIfAbsent(key, true) == null) {
      LOG.log(
          Level.WARNING,
          "kosmos-metrics: model ''{0}'' of provider ''{1}'' has no price; its calls record no cost"
              + " and are counted in llm_cost_unpriced_total. Add it to the LlmPricing, or report"
              + " the provider''s cost with LlmCall.cost.",
          handle.model,
          handle.provider);
    }
  }

  private @Nullable ModelHandle handle(@Nullable String provider, @Nullable String model) {
    if (provider != null && model != null) {
      ConcurrentHashMap<String, ModelHandle> models = handles.get(provider);
      if (models != null) {
        ModelHandle handle = models.get(model);
        if (handle != null) {
          return handle;
        }
      }
    }
    ModelSeries series = table.resolve(provider, model);
    if (series == null || provider == null || model == null) {
      return null;
    }
    if (series.folded()) {
      // Uncached so that every fold is counted; the cache stays bounded by the caps.
      return new ModelHandle(series, provider, model, new AtomicBoolean());
    }
    ModelHandle handle = new ModelHandle(series, provider, model, new AtomicBoolean());
    ModelHandle raced =
        handles
            .computeIfAbsent(provider, p -> new ConcurrentHashMap<>())
            .putIfAbsent(model, handle);
    return raced == null ? handle : raced;
  }

  /** What one tracker knows about a provider and model: its series and its price. */
  static final class ModelHandle {
    final ModelSeries series;
    final String provider;
    final String model;
    final AtomicBoolean unpricedLogged;
    // The price found in the last catalogue asked; racing threads at worst look it up again, and
    // the memo's final fields make a plain field safe to share.
    private PriceMemo memo = PriceMemo.NONE;

    ModelHandle(ModelSeries series, String provider, String model, AtomicBoolean unpricedLogged) {
      this.series = series;
      this.provider = provider;
      this.model = model;
      this.unpricedLogged = unpricedLogged;
    }

    /** The model's price in {@code catalogue}, or null when it has none. */
    @Nullable ModelPrice price(LlmPricing catalogue) {
      PriceMemo last = memo;
      if (last.catalogue != catalogue) {
        last = new PriceMemo(catalogue, catalogue.find(provider, model));
        memo = last;
      }
      return last.price;
    }
  }

  /** A catalogue and the price of one model in it. */
  private static final class PriceMemo {
    static final PriceMemo NONE = new PriceMemo(null, null);
    final @Nullable LlmPricing catalogue;
    final @Nullable ModelPrice price;

    PriceMemo(@Nullable LlmPricing catalogue, @Nullable ModelPrice price) {
      this.catalogue = catalogue;
      this.price = price;
    }
  }

  /**
   * A request that may throw the caller's own checked exception, which {@link #call} rethrows
   * unchanged.
   *
   * <pre>{@code
   * ChatResponse r = llm.call("openai", "gpt-4o", () -> client.chat(req), ChatResponse::usage);
   * }</pre>
   *
   * @param <T> the response
   * @param <E> the checked exception the client throws
   */
  @FunctionalInterface
  public interface Request<T, E extends Exception> {
    /** Performs the request. */
    T execute() throws E;
  }

  /** Configures {@link LlmMetrics}. Not thread-safe; build once at startup. */
  public static final class Builder {
    private final KosmosMetrics metrics;
    private int maxProviders = 20;
    private int maxModels = 100;
    private LlmPricing pricing = LlmPricing.none();
    private @Nullable LlmPriceFile priceFile;
    private ErrorClassifier classifier = ErrorClassifier.defaults();
    private NanoClock clock = NanoClock.system();

    private Builder(KosmosMetrics metrics) {
      this.metrics = metrics;
    }

    /**
     * Most distinct {@code provider} values kept; later ones are recorded as {@code overflow}.
     * Default 20, at least 1. All trackers of a registry share the cap and must agree on it.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxProviders(int maxProviders) {
      this.maxProviders = atLeastOne("maxProviders", maxProviders);
      return this;
    }

    /**
     * Most distinct {@code model} values kept, over all providers; later ones are recorded as model
     * {@code overflow} of their provider. Default 100, at least 1. All trackers of a registry share
     * the cap and must agree on it.
     *
     * @throws IllegalArgumentException when below 1
     */
    public Builder maxModels(int maxModels) {
      this.maxModels = atLeastOne("maxModels", maxModels);
      return this;
    }

    /**
     * The prices that turn usage into cost. Default {@link LlmPricing#none()}: only costs the
     * caller reports are recorded, and every other call counts in {@code llm_cost_unpriced_total}.
     *
     * @throws IllegalArgumentException when null
     */
    public Builder pricing(LlmPricing pricing) {
      if (pricing == null) {
        throw new IllegalArgumentException("pricing must not be null");
      }
      this.pricing = pricing;
      this.priceFile = null;
      return this;
    }

    /**
     * Prices from a price file that is reloaded while the service runs: each call is priced by the
     * file's catalogue of the moment, read once per call. Replaces {@link #pricing(LlmPricing)}.
     *
     * @throws IllegalArgumentException when null
     */
    public Builder pricing(LlmPriceFile priceFile) {
      if (priceFile == null) {
        throw new IllegalArgumentException("priceFile must not be null");
      }
      this.priceFile = priceFile;
      return this;
    }

    /**
     * How exceptions map to an {@code error_type}; asked before {@link ErrorClassifier#defaults()},
     * which applies when it returns null. Default: the defaults alone.
     *
     * @throws IllegalArgumentException when null
     */
    public Builder errorClassifier(ErrorClassifier classifier) {
      if (classifier == null) {
        throw new IllegalArgumentException("errorClassifier must not be null");
      }
      this.classifier = classifier;
      return this;
    }

    /**
     * The clock that times calls and the first token. Default {@link NanoClock#system()}.
     *
     * @throws IllegalArgumentException when null
     */
    public Builder clock(NanoClock clock) {
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      this.clock = clock;
      return this;
    }

    /**
     * A tracker over the registry's LLM families.
     *
     * @throws IllegalArgumentException when another tracker on the registry has other caps
     */
    public LlmMetrics build() {
      return new LlmMetrics(this);
    }

    private static int atLeastOne(String parameter, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(parameter + " must be at least 1, but was " + value);
      }
      return value;
    }
  }
}
