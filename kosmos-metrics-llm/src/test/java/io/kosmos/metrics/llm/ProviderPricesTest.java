package io.kosmos.metrics.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.internal.Catalog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Costs of real models, recorded through {@link LlmMetrics} with the prices of {@code
 * litellm-shapes.json} (copied from LiteLLM's published file), equal to the providers' published
 * per-million prices worked by hand, to the picodollar. Each expected value is written as the sum
 * of tokens times the published dollars per million tokens.
 *
 * <p>The tier rules, as published:
 *
 * <ul>
 *   <li>Anthropic, https://docs.anthropic.com/en/about-claude/pricing#long-context-pricing : when a
 *       request's input tokens (cache reads and writes included) exceed 200K, all its tokens,
 *       output too, are billed at the long-context rates (Sonnet 4.5: $6 input, $22.50 output,
 *       cache read $0.60, 5-minute write $7.50, 1-hour write $12). One-hour cache writes cost 2x
 *       the input price, 5-minute ones 1.25x, reads 0.1x.
 *   <li>OpenAI, https://developers.openai.com/api/docs/models/gpt-5.4 : "prompts with >272K input
 *       tokens are priced at 2x input and 1.5x output for the full session"; priority, flex and
 *       batch prices from https://developers.openai.com/api/docs/pricing .
 *   <li>Google, https://ai.google.dev/gemini-api/docs/pricing : Gemini 2.5 Pro and 3 Pro prices
 *       depend on the prompt size, "prompts <= 200k tokens" or "> 200k tokens", for input, output
 *       (thinking included) and context caching alike.
 * </ul>
 */
// The shared price file is loaded once, when the class initialises; it skips entries it cannot use.
@ExpectedLog(logger = "io.kosmos.metrics", contains = "entries skipped")
class ProviderPricesTest {

  private static final LlmPricing PRICES = LiteLlmFileTest.shapes();

  /** The picodollars one call with {@code usage} records, on a registry of its own. */
  private static long recorded(String provider, String model, Usage usage) {
    PrometheusRegistry registry = new PrometheusRegistry();
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    LlmMetrics llm = LlmMetrics.builder(metrics).pricing(PRICES).build();
    try (LlmCall call = llm.start(provider, model)) {
      call.usage(usage);
    }
    assertThat(Exposition.scrape(registry).samples("llm_cost_unpriced_total")).isEmpty();
    return Catalog.of(registry).llmCost.account(provider, model).picodollars();
  }

  /** Sum of {@code tokens, "dollars per million"} pairs, in picodollars, exactly. */
  private static long byHand(Object... tokensAndPrices) {
    BigDecimal dollars = BigDecimal.ZERO;
    for (int i = 0; i < tokensAndPrices.length; i += 2) {
      long tokens = ((Number) tokensAndPrices[i]).longValue();
      BigDecimal perMillion = new BigDecimal((String) tokensAndPrices[i + 1]);
      dollars = dollars.add(perMillion.multiply(BigDecimal.valueOf(tokens)));
    }
    return dollars.movePointRight(12 - 6).longValueExact();
  }

  // --- OpenAI ---------------------------------------------------------------------------------

  @Test
  void gpt54BelowAndAbove272kInputTokens() {
    // $2.50 input, $0.25 cached input, $15 output; above 272k: $5, $0.50, $22.50.
    assertThat(recorded("openai", "gpt-5.4", Usage.of(100_000, 5_000).withCacheRead(60_000)))
        .isEqualTo(byHand(40_000, "2.50", 60_000, "0.25", 5_000, "15.00"));
    assertThat(recorded("openai", "gpt-5.4", Usage.of(272_000, 5_000).withCacheRead(72_000)))
        .isEqualTo(byHand(200_000, "2.50", 72_000, "0.25", 5_000, "15.00"));
    assertThat(recorded("openai", "gpt-5.4", Usage.of(272_001, 5_000).withCacheRead(72_000)))
        .isEqualTo(byHand(200_001, "5.00", 72_000, "0.50", 5_000, "22.50"));
    assertThat(
            recorded(
                "openai",
                "gpt-5.4",
                Usage.of(300_000, 10_000).withCacheRead(100_000).withReasoning(4_000)))
        .isEqualTo(byHand(200_000, "5.00", 100_000, "0.50", 10_000, "22.50"));
  }

  @Test
  void gpt54ServiceTiersAsTheResponseReportsThem() {
    Usage usage = Usage.of(50_000, 1_000).withCacheRead(20_000);
    // Priority: $5 input, $0.50 cached, $30 output.
    assertThat(recorded("openai", "gpt-5.4", usage.withServiceTier("priority")))
        .isEqualTo(byHand(30_000, "5.00", 20_000, "0.50", 1_000, "30.00"));
    // Flex: $1.25 input, $0.13 cached, $7.50 output.
    assertThat(recorded("openai", "gpt-5.4", usage.withServiceTier("flex")))
        .isEqualTo(byHand(30_000, "1.25", 20_000, "0.13", 1_000, "7.50"));
    // Batch API: $1.25 input, $7.50 output.
    assertThat(recorded("openai", "gpt-5.4", Usage.of(50_000, 1_000).withServiceTier("batch")))
        .isEqualTo(byHand(50_000, "1.25", 1_000, "7.50"));
    // "default" (and anything unknown) is the standard tier.
    assertThat(recorded("openai", "gpt-5.4", usage.withServiceTier("default")))
        .isEqualTo(byHand(30_000, "2.50", 20_000, "0.25", 1_000, "15.00"));
  }

  @Test
  void gpt5PriorityAndFlexWithCachedInput() {
    Usage usage = Usage.of(20_000, 2_000).withCacheRead(10_000);
    // Standard $1.25 / $0.125 / $10; priority $2.50 / $0.25 / $20; flex $0.625 / $0.0625 / $5.
    assertThat(recorded("openai", "gpt-5", usage))
        .isEqualTo(byHand(10_000, "1.25", 10_000, "0.125", 2_000, "10.00"));
    assertThat(recorded("openai", "gpt-5", usage.withServiceTier("priority")))
        .isEqualTo(byHand(10_000, "2.50", 10_000, "0.25", 2_000, "20.00"));
    assertThat(recorded("openai", "gpt-5", usage.withServiceTier("flex")))
        .isEqualTo(byHand(10_000, "0.625", 10_000, "0.0625", 2_000, "5.00"));
  }

  @Test
  void gpt4oPriorityAndBatch() {
    // Standard $2.50 / $1.25 cached / $10; priority $4.25 / $2.125 / $17; batch $1.25 / $5.
    Usage usage = Usage.of(10_000, 500).withCacheRead(4_000);
    assertThat(recorded("openai", "gpt-4o", usage))
        .isEqualTo(byHand(6_000, "2.50", 4_000, "1.25", 500, "10.00"));
    assertThat(recorded("openai", "gpt-4o", usage.withServiceTier("priority")))
        .isEqualTo(byHand(6_000, "4.25", 4_000, "2.125", 500, "17.00"));
    assertThat(recorded("openai", "gpt-4o", Usage.of(10_000, 500).withServiceTier("batch")))
        .isEqualTo(byHand(10_000, "1.25", 500, "5.00"));
  }

  @Test
  void gpt5MiniStandardAndPriorityWithTheTierReportedOnTheCall() {
    // Standard $0.25 / $0.025 cached / $2; priority $0.45 / $0.045 / $3.60.
    assertThat(recorded("openai", "gpt-5-mini", Usage.of(40_000, 3_000).withCacheRead(30_000)))
        .isEqualTo(byHand(10_000, "0.25", 30_000, "0.025", 3_000, "2.00"));
    PrometheusRegistry registry = new PrometheusRegistry();
    LlmMetrics llm =
        LlmMetrics.builder(KosmosMetrics.builder().registry(registry).build())
            .pricing(PRICES)
            .build();
    try (LlmCall call = llm.start("openai", "gpt-5-mini")) {
      call.serviceTier("priority");
      call.usage(Usage.of(40_000, 3_000).withCacheRead(30_000));
    }
    assertThat(Catalog.of(registry).llmCost.account("openai", "gpt-5-mini").picodollars())
        .isEqualTo(byHand(10_000, "0.45", 30_000, "0.045", 3_000, "3.60"));
  }

  // --- Anthropic ------------------------------------------------------------------------------

  @Test
  void claudeSonnet45BelowAndAbove200kInputTokensWithCacheReadsAndWrites() {
    // Up to 200k: $3 input, $0.30 cache read, $3.75 5-minute write, $6 1-hour write, $15 output.
    assertThat(
            recorded(
                "anthropic",
                "claude-sonnet-4-5",
                Usage.of(150_000, 4_000)
                    .withCacheRead(30_000)
                    .withCacheWrite(20_000)
                    .withCacheWrite1h(5_000)))
        .isEqualTo(
            byHand(100_000, "3.00", 30_000, "0.30", 15_000, "3.75", 5_000, "6.00", 4_000, "15.00"));
    // Above 200k: $6, $0.60, $7.50, $12, $22.50 for every token of the request.
    assertThat(
            recorded(
                "anthropic",
                "claude-sonnet-4-5",
                Usage.of(250_000, 8_000)
                    .withCacheRead(40_000)
                    .withCacheWrite(30_000)
                    .withCacheWrite1h(10_000)))
        .isEqualTo(
            byHand(
                180_000, "6.00", 40_000, "0.60", 20_000, "7.50", 10_000, "12.00", 8_000, "22.50"));
  }

  @Test
  void claudeSonnet45CacheTokensCountTowardsThe200kThreshold() {
    // 150k uncached + 60k cache reads = 210k input tokens: long-context rates.
    assertThat(
            recorded(
                "anthropic", "claude-sonnet-4-5", Usage.of(210_000, 1_000).withCacheRead(60_000)))
        .isEqualTo(byHand(150_000, "6.00", 60_000, "0.60", 1_000, "22.50"));
    // Exactly 200k is not above 200k.
    assertThat(
            recorded(
                "anthropic", "claude-sonnet-4-5", Usage.of(200_000, 1_000).withCacheRead(60_000)))
        .isEqualTo(byHand(140_000, "3.00", 60_000, "0.30", 1_000, "15.00"));
  }

  @Test
  void claudeOpus46HasOnePriceOverItsWholeWindow() {
    // $5 input, $0.50 read, $6.25 5-minute write, $10 1-hour write, $25 output, at 500k input too.
    assertThat(
            recorded(
                "anthropic",
                "claude-opus-4-6",
                Usage.of(500_000, 10_000)
                    .withCacheRead(150_000)
                    .withCacheWrite(50_000)
                    .withCacheWrite1h(20_000)))
        .isEqualTo(
            byHand(
                300_000, "5.00", 150_000, "0.50", 30_000, "6.25", 20_000, "10.00", 10_000,
                "25.00"));
  }

  @Test
  void claudeHaiku45WithOneHourCacheWrites() {
    // $1 input, $0.10 read, $1.25 5-minute write, $2 1-hour write, $5 output.
    assertThat(
            recorded(
                "anthropic",
                "claude-haiku-4-5",
                Usage.of(12_000, 700)
                    .withCacheRead(6_000)
                    .withCacheWrite(4_000)
                    .withCacheWrite1h(4_000)))
        .isEqualTo(byHand(2_000, "1.00", 6_000, "0.10", 4_000, "2.00", 700, "5.00"));
  }

  // --- Google ---------------------------------------------------------------------------------

  @Test
  void gemini25ProBelowAndAbove200kPromptTokens() {
    // Prompts <= 200k: $1.25 input, $0.125 caching, $10 output; > 200k: $2.50, $0.25, $15.
    assertThat(
            recorded(
                "gemini",
                "gemini-2.5-pro",
                Usage.of(150_000, 3_000).withCacheRead(50_000).withReasoning(2_000)))
        .isEqualTo(byHand(100_000, "1.25", 50_000, "0.125", 3_000, "10.00"));
    assertThat(
            recorded("gemini", "gemini-2.5-pro", Usage.of(250_000, 5_000).withCacheRead(100_000)))
        .isEqualTo(byHand(150_000, "2.50", 100_000, "0.25", 5_000, "15.00"));
  }

  @Test
  void gemini3ProStandardPriorityAndBatch() {
    // <= 200k: $2 input, $0.20 caching, $12 output; > 200k: $4, $0.40, $18.
    assertThat(
            recorded(
                "gemini", "gemini-3-pro-preview", Usage.of(100_000, 2_000).withCacheRead(40_000)))
        .isEqualTo(byHand(60_000, "2.00", 40_000, "0.20", 2_000, "12.00"));
    assertThat(
            recorded(
                "gemini", "gemini-3-pro-preview", Usage.of(300_000, 2_000).withCacheRead(100_000)))
        .isEqualTo(byHand(200_000, "4.00", 100_000, "0.40", 2_000, "18.00"));
    // Priority, > 200k: $7.20 input, $0.72 caching, $32.40 output.
    assertThat(
            recorded(
                "gemini",
                "gemini-3-pro-preview",
                Usage.of(300_000, 2_000).withCacheRead(100_000).withServiceTier("priority")))
        .isEqualTo(byHand(200_000, "7.20", 100_000, "0.72", 2_000, "32.40"));
    // Batch, <= 200k: $1 input, $6 output.
    assertThat(
            recorded(
                "gemini",
                "gemini-3-pro-preview",
                Usage.of(100_000, 1_000).withServiceTier(ServiceTier.BATCH)))
        .isEqualTo(byHand(100_000, "1.00", 1_000, "6.00"));
  }

  @Test
  void gemini25FlashThinkingIsBilledAsOutput() {
    // $0.30 input, $0.03 caching, $2.50 output (thinking included).
    assertThat(
            recorded(
                "gemini",
                "gemini-2.5-flash",
                Usage.of(10_000, 1_000).withCacheRead(2_000).withReasoning(600)))
        .isEqualTo(byHand(8_000, "0.30", 2_000, "0.03", 1_000, "2.50"));
  }

  // --- Gateways -------------------------------------------------------------------------------

  @Test
  void bedrockClaudeSonnet45CrossRegionBelowAndAbove200k() {
    // https://aws.amazon.com/bedrock/pricing/ (Anthropic, cross-region "us." profile, +10%):
    // <= 200k: $3.30 input, $0.33 read, $4.125 5-minute write, $6.60 1-hour write, $16.50 output;
    // > 200k: $6.60, $0.66, $8.25, $13.20, $24.75.
    String model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    assertThat(
            recorded(
                "bedrock_converse",
                model,
                Usage.of(100_000, 2_000)
                    .withCacheRead(50_000)
                    .withCacheWrite(10_000)
                    .withCacheWrite1h(2_000)))
        .isEqualTo(
            byHand(40_000, "3.30", 50_000, "0.33", 8_000, "4.125", 2_000, "6.60", 2_000, "16.50"));
    assertThat(
            recorded(
                "bedrock_converse",
                model,
                Usage.of(400_000, 2_000)
                    .withCacheRead(300_000)
                    .withCacheWrite(50_000)
                    .withCacheWrite1h(10_000)))
        .isEqualTo(
            byHand(
                50_000, "6.60", 300_000, "0.66", 40_000, "8.25", 10_000, "13.20", 2_000, "24.75"));
  }

  @Test
  void openRouterClaudeSonnet45BelowAndAbove200k() {
    // https://openrouter.ai/anthropic/claude-sonnet-4.5 passes Anthropic's prices on:
    // <= 200k: $3 input, $0.30 read, $3.75 write, $15 output; > 200k: $6, $0.60, $7.50, $22.50.
    assertThat(
            recorded(
                "openrouter",
                "anthropic/claude-sonnet-4.5",
                Usage.of(60_000, 1_500).withCacheRead(20_000).withCacheWrite(10_000)))
        .isEqualTo(byHand(30_000, "3.00", 20_000, "0.30", 10_000, "3.75", 1_500, "15.00"));
    assertThat(
            recorded(
                "openrouter",
                "anthropic/claude-sonnet-4.5",
                Usage.of(230_000, 1_500).withCacheRead(100_000).withCacheWrite(10_000)))
        .isEqualTo(byHand(120_000, "6.00", 100_000, "0.60", 10_000, "7.50", 1_500, "22.50"));
  }

  // --- Prices set in code ---------------------------------------------------------------------

  @Test
  void pricesSetInCodeCoverWhatTheFileLacksSuchAsFlexAbove272k() {
    // OpenAI: the 272k rule holds "for standard, batch, and flex"; LiteLLM's file has no flex
    // price above 272k, so a service sets it in code: flex $1.25 / $0.13 / $7.50, above 272k
    // twice the input and 1.5 times the output.
    ModelPrice gpt54 =
        PRICES
            .find("openai", "gpt-5.4")
            .forServiceTier(
                ServiceTier.FLEX,
                ModelPrice.perMillion(1.25, 7.50)
                    .withCacheReadPerMillion(0.13)
                    .aboveInputTokens(
                        272_000, ModelPrice.perMillion(2.50, 11.25).withCacheReadPerMillion(0.26)));
    Usage usage = Usage.of(300_000, 1_000).withCacheRead(100_000).withServiceTier("flex");
    assertThat(gpt54.cost(usage))
        .isEqualByComparingTo(
            BigDecimal.valueOf(byHand(200_000, "2.50", 100_000, "0.26", 1_000, "11.25"), 12));
    assertThat(gpt54.cost(Usage.of(100_000, 1_000).withServiceTier("flex")))
        .isEqualByComparingTo(BigDecimal.valueOf(byHand(100_000, "1.25", 1_000, "7.50"), 12));
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "dropped a recording in llm usage")
  @Test
  void moreOneHourCacheWritesThanCacheWritesAreDroppedNotPriced() {
    PrometheusRegistry registry = new PrometheusRegistry();
    LlmMetrics llm =
        LlmMetrics.builder(KosmosMetrics.builder().registry(registry).build())
            .pricing(PRICES)
            .build();
    try (LlmCall call = llm.start("anthropic", "claude-haiku-4-5")) {
      call.usage(Usage.of(1_000, 10).withCacheWrite(100).withCacheWrite1h(101));
    }
    Exposition scrape = Exposition.scrape(registry);
    // Non-negative counts that break an inclusion rule: inconsistent_usage, as for cache reads.
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "inconsistent_usage"))
        .isEqualTo(1);
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "negative_amount")).isZero();
    assertThat(scrape.samples("llm_cost_dollars_total")).isEmpty();
    assertThat(scrape.sum("llm_tokens_total")).isZero();
  }
}
