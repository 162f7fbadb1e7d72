package io.kosmos.metrics.core.internal;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The metric families of one {@link PrometheusRegistry}, registered exactly once.
 *
 * <p>Every kosmos-metrics component that records into a registry obtains its families here, so two
 * catalogs, or the servlet and Vert.x adapters in one JVM, share one set of families instead of
 * failing with a duplicate-name error.
 */
public final class Catalog {

  private static final Map<PrometheusRegistry, Catalog> CATALOGS = new WeakHashMap<>();

  /** The guide's help texts of the HTTP families, whether kept by the client or by the store. */
  static final String HTTP_REQUESTS_HELP = "Total HTTP requests";

  static final String HTTP_DURATION_HELP = "HTTP request latency";

  private final Spec spec;
  private final ConcurrentHashMap<String, Object> shared = new ConcurrentHashMap<>();

  /**
   * {@code http_requests_total} and {@code http_request_duration_seconds} in kosmos' own store:
   * with classic histograms and no exemplars (the defaults). Otherwise null, and {@link
   * #httpRequests} and {@link #httpDuration} record them.
   */
  public final @Nullable HttpStore httpStore;

  public final @Nullable Counter httpRequests;
  public final @Nullable Histogram httpDuration;
  private final ConcurrentHashMap<String, LongAdder> inFlight = new ConcurrentHashMap<>();
  public final Histogram llmDuration;
  public final Counter llmRequests;
  public final Counter llmTokens;
  public final CostLedger llmCost;
  public final Histogram llmTimeToFirstToken;
  public final Counter llmErrors;
  public final Counter llmCostUnpriced;
  public final Counter agentTasks;
  public final Histogram agentTaskDuration;
  public final SelfMetrics self;

  private final List<Collector> metrics = new ArrayList<>();

  /**
   * The families of {@code registry}, registering them on first use. A later call with a different
   * spec fails, since the families' buckets and histogram kind are fixed once registered.
   *
   * @throws IllegalArgumentException when the registry's catalog was registered with another spec
   * @throws IllegalStateException when the registry already holds a metric of the same name that
   *     kosmos-metrics did not register
   */
  public static Catalog register(PrometheusRegistry registry, Spec spec) {
    synchronized (CATALOGS) {
      Catalog existing = CATALOGS.get(registry);
      if (existing != null) {
        existing.spec.requireSame(spec);
        return existing;
      }
      Catalog created = new Catalog(spec);
      created.registerAll(registry);
      CATALOGS.put(registry, created);
      return created;
    }
  }

  /**
   * The families already registered on {@code registry} by a {@code KosmosMetrics} catalog.
   *
   * @throws IllegalStateException when no catalog was built for it
   */
  public static Catalog of(PrometheusRegistry registry) {
    synchronized (CATALOGS) {
      Catalog existing = CATALOGS.get(registry);
      if (existing == null) {
        throw new IllegalStateException(
            "No kosmos-metrics catalog is registered on this registry; build a KosmosMetrics first");
      }
      return existing;
    }
  }

  private Catalog(Spec spec) {
    this.spec = spec;
    if (spec.nativeHistograms
        || spec.exemplars
        || spec.httpBuckets.size() > HttpStore.MAX_BUCKETS) {
      // Native buckets and exemplars are the client's to keep.
      httpStore = null;
      httpRequests =
          add(
              counter()
                  .name("http_requests_total")
                  .help(HTTP_REQUESTS_HELP)
                  .labelNames("method", "endpoint", "status", "agent")
                  .build());
      httpDuration =
          add(
              histogram(spec.httpBuckets)
                  .name("http_request_duration_seconds")
                  .unit(Unit.SECONDS)
                  .help(HTTP_DURATION_HELP)
                  .labelNames("method", "endpoint", "agent")
                  .build());
    } else {
      httpStore = new HttpStore(spec.httpBuckets, Runtime.getRuntime().availableProcessors());
      httpRequests = null;
      httpDuration = null;
      add(httpStore.requests());
      add(httpStore.durations());
    }
    // A callback gauge over our own adders: the client's Gauge.inc allocates a capturing lambda
    // per call, and this gauge moves twice per request.
    add(
        GaugeWithCallback.builder()
            .name("active_connections")
            .help("Number of active connections")
            .labelNames("agent")
            .callback(cb -> inFlight.forEach((agent, count) -> cb.call(count.sum(), agent)))
            .build());
    llmDuration =
        add(
            histogram(spec.llmBuckets)
                .name("llm_request_duration_seconds")
                .unit(Unit.SECONDS)
                .help("LLM request latency")
                .labelNames("provider", "model")
                .build());
    llmRequests =
        add(
            counter()
                .name("llm_requests_total")
                .help("LLM requests by outcome")
                .labelNames("provider", "model", "status")
                .build());
    llmTokens =
        add(
            counter()
                .name("llm_tokens_total")
                .help("LLM tokens consumed")
                .labelNames("provider", "model", "type")
                .build());
    llmCost = new CostLedger();
    add(
        CounterWithCallback.builder()
            .name("llm_cost_dollars")
            .help("Estimated LLM cost in dollars")
            .labelNames("provider", "model")
            .callback(llmCost::collect)
            .build());
    llmTimeToFirstToken =
        add(
            histogram(spec.ttftBuckets)
                .name("llm_time_to_first_token_seconds")
                .unit(Unit.SECONDS)
                .help("Time from sending an LLM request to its first streamed token")
                .labelNames("provider", "model")
                .build());
    llmErrors =
        add(
            counter()
                .name("llm_errors_total")
                .help("Failed LLM requests by error type")
                .labelNames("provider", "model", "error_type")
                .build());
    llmCostUnpriced =
        add(
            counter()
                .name("llm_cost_unpriced_total")
                .help("LLM requests whose cost is unknown because the model has no price")
                .labelNames("provider", "model")
                .build());
    agentTasks =
        add(
            counter()
                .name("agent_tasks_total")
                .help("Agent tasks processed")
                .labelNames("agent", "task_type", "status")
                .build());
    agentTaskDuration =
        add(
            histogram(spec.taskBuckets)
                .name("agent_task_duration_seconds")
                .unit(Unit.SECONDS)
                .help("Agent task duration")
                .labelNames("agent", "task_type")
                .build());
    self =
        new SelfMetrics(
            add(
                counter()
                    .name("kosmos_metrics_dropped_total")
                    .help(
                        "Recordings dropped by kosmos-metrics because of invalid input, by reason")
                    .labelNames("reason")
                    .build()),
            add(
                counter()
                    .name("kosmos_metrics_label_overflow_total")
                    .help(
                        "Recordings whose label value was folded into \"overflow\" because the"
                            + " label's cap of distinct values was reached")
                    .labelNames("label")
                    .build()));
  }

  /** The in-flight request count of {@code agent}, shown as {@code active_connections}. */
  public LongAdder inFlight(String agent) {
    return inFlight.computeIfAbsent(agent, a -> new LongAdder());
  }

  private Histogram.Builder histogram(List<Double> buckets) {
    Histogram.Builder builder =
        Histogram.builder()
            .classicUpperBounds(buckets.stream().mapToDouble(Double::doubleValue).toArray());
    if (!spec.exemplars) {
      builder.withoutExemplars();
    }
    return spec.nativeHistograms ? builder : builder.classicOnly();
  }

  private Counter.Builder counter() {
    Counter.Builder builder = Counter.builder();
    if (!spec.exemplars) {
      builder.withoutExemplars();
    }
    return builder;
  }

  private <M extends Collector> M add(M metric) {
    metrics.add(metric);
    return metric;
  }

  private void registerAll(PrometheusRegistry registry) {
    List<Collector> done = new ArrayList<>();
    for (Collector metric : metrics) {
      try {
        registry.register(metric);
        done.add(metric);
      } catch (IllegalArgumentException | IllegalStateException e) {
        // client_java 1.5+ throws the former for a taken name, 1.3 and 1.4 (Spring Boot's) the
        // latter.
        done.forEach(registry::unregister);
        throw new IllegalStateException(
            "Cannot register the kosmos-metrics catalog: the registry already holds a metric that"
                + " kosmos-metrics did not register ("
                + e.getMessage()
                + "). Use a registry without those names, or remove them.",
            e);
      }
    }
  }

  /**
   * State shared by every component of one registry under {@code key}, created by {@code factory}
   * on first use (for instance one agent's endpoint table, shared by two HTTP adapters).
   */
  public <T> T shared(String key, Class<T> type, Supplier<T> factory) {
    return type.cast(shared.computeIfAbsent(key, k -> factory.get()));
  }

  /**
   * How the families are built. Two catalogs on one registry must agree on it.
   *
   * @param nativeHistograms whether histograms also keep native buckets
   * @param exemplars whether counters and histograms sample exemplars from the current trace
   */
  public record Spec(
      boolean nativeHistograms,
      boolean exemplars,
      List<Double> httpBuckets,
      List<Double> llmBuckets,
      List<Double> ttftBuckets,
      List<Double> taskBuckets) {

    public Spec {
      httpBuckets = List.copyOf(httpBuckets);
      llmBuckets = List.copyOf(llmBuckets);
      ttftBuckets = List.copyOf(ttftBuckets);
      taskBuckets = List.copyOf(taskBuckets);
    }

    void requireSame(Spec other) {
      same("nativeHistograms", nativeHistograms, other.nativeHistograms);
      same("exemplars", exemplars, other.exemplars);
      same("httpDurationBuckets", httpBuckets, other.httpBuckets);
      same("llmDurationBuckets", llmBuckets, other.llmBuckets);
      same("llmTimeToFirstTokenBuckets", ttftBuckets, other.ttftBuckets);
      same("taskDurationBuckets", taskBuckets, other.taskBuckets);
    }

    private static void same(String parameter, Object registered, Object requested) {
      if (!registered.equals(requested)) {
        throw new IllegalArgumentException(
            parameter
                + " must match the catalog already registered on this registry ("
                + registered
                + "), but was "
                + requested);
      }
    }
  }
}
