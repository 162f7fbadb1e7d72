package io.kosmos.metrics.benchmarks;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPriceFile;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.llm.ModelPrice;
import io.kosmos.metrics.llm.Usage;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tracked LLM call (duration, outcome, input and output tokens, cost from the pricing catalog)
 * recorded by kosmos-metrics-llm, against the same recording done with raw client_java calls on
 * cached data points.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LlmRecordingBenchmark -prof gc
 * }</pre>
 *
 * <p>Both sides read the clock twice, record into the same families with the same configuration
 * (classic-only histograms without exemplars, kosmos' defaults) and cycle through the same calls:
 * {@value #MODEL_COUNT} models of two providers with varying token counts. The raw side computes
 * the cost as a double and adds it to a double counter; kosmos computes it in whole picodollars
 * from the catalog and adds it to its exact ledger.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class LlmRecordingBenchmark {

  static final int MODEL_COUNT = 4;
  static final String[] PROVIDERS = {"openai", "openai", "anthropic", "anthropic"};
  static final String[] MODELS = {"gpt-4o-mini", "gpt-4o", "claude-haiku-4-5", "claude-sonnet-4-5"};
  // Dollars per million tokens: input, output, cache read.
  static final double[][] PRICES = {
    {0.15, 0.60, 0.075}, {2.50, 10.00, 1.25}, {1.00, 5.00, 0.10}, {3.00, 15.00, 0.30}
  };
  static final int CALLS = 64;
  static final long[] INPUT = new long[CALLS];
  static final long[] OUTPUT = new long[CALLS];

  static {
    for (int i = 0; i < CALLS; i++) {
      INPUT[i] = 500 + (i * 397L) % 4000;
      OUTPUT[i] = 50 + (i * 131L) % 800;
    }
  }

  static int model(int call) {
    return call % MODEL_COUNT;
  }

  /** Per-thread position in the call sequence. */
  @State(Scope.Thread)
  public static class Cursor {
    int call;

    int next() {
      return call = (call + 1) % CALLS;
    }
  }

  /** kosmos-metrics-llm with per-million prices (cache read price set) for every model. */
  @State(Scope.Benchmark)
  public static class Kosmos {
    LlmMetrics llm;

    @Setup
    public void setUp() {
      KosmosMetrics metrics = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
      LlmPricing.Builder pricing = LlmPricing.builder();
      for (int m = 0; m < MODEL_COUNT; m++) {
        pricing.price(
            PROVIDERS[m],
            MODELS[m],
            ModelPrice.perMillion(PRICES[m][0], PRICES[m][1])
                .withCacheReadPerMillion(PRICES[m][2]));
      }
      llm = LlmMetrics.builder(metrics).pricing(pricing.build()).build();
    }
  }

  /**
   * kosmos-metrics-llm priced from a reloadable LiteLLM price file whose models have long-context
   * tiers, one-hour cache writes and priority prices; every call reports cache reads and writes,
   * and one in four is above the 200k/272k threshold or served by the priority tier.
   */
  @State(Scope.Benchmark)
  public static class Tiered {
    LlmMetrics llm;
    LlmMetrics flat;
    LlmPriceFile prices;
    Path file;
    final Usage[] usages = new Usage[CALLS];

    @Setup
    public void setUp() {
      KosmosMetrics metrics = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
      StringBuilder json = new StringBuilder("{");
      for (int m = 0; m < MODEL_COUNT; m++) {
        // A thousandth of the real prices: a run records some hundred million calls of up to
        // 300k tokens, which at real prices would pass the ledger's $9.2 million per model and
        // measure the overflow drop instead of the pricing.
        double in = PRICES[m][0] / 1e9;
        double out = PRICES[m][1] / 1e9;
        double read = PRICES[m][2] / 1e9;
        String above = m < 2 ? "272" : "200";
        json.append(m == 0 ? "" : ",")
            .append('"')
            .append(MODELS[m])
            .append("\": {\"litellm_provider\": \"")
            .append(PROVIDERS[m])
            .append("\", \"input_cost_per_token\": ")
            .append(in)
            .append(", \"output_cost_per_token\": ")
            .append(out)
            .append(", \"cache_read_input_token_cost\": ")
            .append(read)
            .append(", \"cache_creation_input_token_cost\": ")
            .append(in * 1.25)
            .append(", \"cache_creation_input_token_cost_above_1hr\": ")
            .append(in * 2)
            .append(", \"input_cost_per_token_above_" + above + "k_tokens\": ")
            .append(in * 2)
            .append(", \"output_cost_per_token_above_" + above + "k_tokens\": ")
            .append(out * 1.5)
            .append(", \"cache_read_input_token_cost_above_" + above + "k_tokens\": ")
            .append(read * 2)
            .append(", \"input_cost_per_token_priority\": ")
            .append(in * 2)
            .append(", \"output_cost_per_token_priority\": ")
            .append(out * 2)
            .append('}');
      }
      try {
        file = Files.createTempFile("kosmos-bench-prices", ".json");
        Files.writeString(file, json.append('}').toString());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      prices = LlmPriceFile.builder(metrics, file).build();
      llm = LlmMetrics.builder(metrics).pricing(prices).build();
      LlmPricing.Builder fixed = LlmPricing.builder();
      for (int m = 0; m < MODEL_COUNT; m++) {
        fixed.price(
            PROVIDERS[m],
            MODELS[m],
            ModelPrice.perMillion(PRICES[m][0] / 1000, PRICES[m][1] / 1000)
                .withCacheReadPerMillion(PRICES[m][2] / 1000));
      }
      flat =
          LlmMetrics.builder(KosmosMetrics.builder().registry(new PrometheusRegistry()).build())
              .pricing(fixed.build())
              .build();
      for (int i = 0; i < CALLS; i++) {
        long input = i % 4 == 3 ? 300_000 + INPUT[i] : INPUT[i] * 4;
        Usage usage =
            Usage.of(input, OUTPUT[i])
                .withCacheRead(input / 2)
                .withCacheWrite(input / 8)
                .withCacheWrite1h(input / 16);
        usages[i] = i % 4 == 1 ? usage.withServiceTier("priority") : usage;
      }
    }

    @TearDown
    public void tearDown() throws IOException {
      prices.close();
      Files.deleteIfExists(file);
    }
  }

  /** The same families with raw client_java calls on data points cached per model. */
  @State(Scope.Benchmark)
  public static class Raw {
    DistributionDataPoint[] duration = new DistributionDataPoint[MODEL_COUNT];
    CounterDataPoint[] succeeded = new CounterDataPoint[MODEL_COUNT];
    CounterDataPoint[] input = new CounterDataPoint[MODEL_COUNT];
    CounterDataPoint[] output = new CounterDataPoint[MODEL_COUNT];
    CounterDataPoint[] cost = new CounterDataPoint[MODEL_COUNT];
    double[] inputPerToken = new double[MODEL_COUNT];
    double[] outputPerToken = new double[MODEL_COUNT];

    @Setup
    public void setUp() {
      PrometheusRegistry registry = new PrometheusRegistry();
      Histogram durations =
          Histogram.builder()
              .name("llm_request_duration_seconds")
              .classicOnly()
              .withoutExemplars()
              .classicUpperBounds(
                  KosmosMetrics.LLM_DURATION_BUCKETS.stream().mapToDouble(d -> d).toArray())
              .labelNames("provider", "model")
              .register(registry);
      Counter requests =
          Counter.builder()
              .name("llm_requests_total")
              .withoutExemplars()
              .labelNames("provider", "model", "status")
              .register(registry);
      Counter tokens =
          Counter.builder()
              .name("llm_tokens_total")
              .withoutExemplars()
              .labelNames("provider", "model", "type")
              .register(registry);
      Counter dollars =
          Counter.builder()
              .name("llm_cost_dollars")
              .withoutExemplars()
              .labelNames("provider", "model")
              .register(registry);
      for (int m = 0; m < MODEL_COUNT; m++) {
        duration[m] = durations.labelValues(PROVIDERS[m], MODELS[m]);
        succeeded[m] = requests.labelValues(PROVIDERS[m], MODELS[m], "success");
        input[m] = tokens.labelValues(PROVIDERS[m], MODELS[m], "input");
        output[m] = tokens.labelValues(PROVIDERS[m], MODELS[m], "output");
        cost[m] = dollars.labelValues(PROVIDERS[m], MODELS[m]);
        inputPerToken[m] = PRICES[m][0] / 1e6;
        outputPerToken[m] = PRICES[m][1] / 1e6;
      }
    }
  }

  /** The try-with-resources form with primitive usage, as the README shows it. */
  @Benchmark
  public void kosmos(Kosmos state, Cursor cursor) {
    int i = cursor.next();
    int m = model(i);
    try (LlmCall call = state.llm.start(PROVIDERS[m], MODELS[m])) {
      call.usage(INPUT[i], OUTPUT[i]);
    }
  }

  /** As {@link #kosmos}, with the usage as a {@link Usage} value the caller builds per call. */
  @Benchmark
  public void kosmosUsage(Kosmos state, Cursor cursor) {
    int i = cursor.next();
    int m = model(i);
    try (LlmCall call = state.llm.start(PROVIDERS[m], MODELS[m])) {
      call.usage(Usage.of(INPUT[i], OUTPUT[i]));
    }
  }

  /**
   * As {@link #kosmosUsage}, priced from a reloadable price file with tiers, cache writes and
   * service tiers (usages built beforehand, as an SDK integration hands them over).
   */
  @Benchmark
  public void kosmosTieredPriceFile(Tiered state, Cursor cursor) {
    int i = cursor.next();
    int m = model(i);
    try (LlmCall call = state.llm.start(PROVIDERS[m], MODELS[m])) {
      call.usage(state.usages[i]);
    }
  }

  /**
   * The usages of {@link #kosmosTieredPriceFile} (cache reads and writes recorded in their own
   * series) priced from a flat, fixed pricing (same scaled prices): the difference to it is what
   * tiers, service tiers and the reloadable catalogue cost.
   */
  @Benchmark
  public void kosmosCachedFlat(Tiered state, Cursor cursor) {
    int i = cursor.next();
    int m = model(i);
    try (LlmCall call = state.flat.start(PROVIDERS[m], MODELS[m])) {
      call.usage(state.usages[i]);
    }
  }

  @Benchmark
  public void raw(Raw state, Cursor cursor) {
    int i = cursor.next();
    int m = model(i);
    long start = System.nanoTime();
    long in = INPUT[i];
    long out = OUTPUT[i];
    state.duration[m].observe(Unit.nanosToSeconds(System.nanoTime() - start));
    state.succeeded[m].inc();
    state.input[m].inc(in);
    state.output[m].inc(out);
    state.cost[m].inc(in * state.inputPerToken[m] + out * state.outputPerToken[m]);
  }
}
