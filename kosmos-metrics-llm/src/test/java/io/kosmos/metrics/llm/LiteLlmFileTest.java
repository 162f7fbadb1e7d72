package io.kosmos.metrics.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.LogCapture;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * The fixture {@code litellm-shapes.json} reproduces every shape found in LiteLLM's published
 * {@code model_prices_and_context_window.json}: {@code sample_spec}, a non-object entry ({@code
 * last_updated}), float artifacts (Databricks), integer prices, JSON nulls, tiered prices ({@code
 * _above_128k/200k/272k_tokens}), service tiers ({@code _priority}, {@code _flex}, {@code
 * _batches}, also combined with a tier), one-hour cache writes (also above a tier), models priced
 * per pixel or second only, and broken entries (a string price, a negative price, no provider).
 */
class LiteLlmFileTest {

  static LlmPricing shapes() {
    try (InputStream in = LiteLlmFileTest.class.getResourceAsStream("/litellm-shapes.json")) {
      return LlmPricing.builder().liteLlm(in).build();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "entries skipped")
  @Test
  void theFileLoadsAsPublishedSkippingOnlyTheEntriesItCannotUse() {
    LlmPricing pricing = shapes();
    // 27 entries: 19 priced (openai/gpt-4o loses to gpt-4o, so 18 models), 8 skipped.
    assertThat(pricing.size()).isEqualTo(18);
    assertThat(pricing.skippedEntries()).isEqualTo(8);
    assertThat(pricing.roundedPrices()).isEqualTo(4);
    assertThat(pricing.find("openai", "string-price-model")).isNull();
    assertThat(pricing.find("openai", "negative-price-model")).isNull();
    assertThat(pricing.find("openai", "null-price-model")).isNull();
    assertThat(pricing.find("openai", "dall-e-3")).isNull();
    assertThat(pricing.find("openai", "whisper-1")).isNull();
    assertThat(pricing.find("openai", "gpt-4o").inputPerToken()).isEqualByComparingTo("2.5e-6");
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "entries skipped")
  @Test
  void floatArtifactsAreRoundedHalfEvenToWholePicodollars() {
    ModelPrice sonnet = shapes().find("databricks", "databricks-claude-3-7-sonnet");
    // 2.9999900000000002e-06 $ = 2,999,990.0000000002 pico -> 2,999,990 pico.
    assertThat(sonnet.inputPerToken()).isEqualByComparingTo("0.00000299999");
    // 1.5000020000000002e-05 $ = 15,000,020.000000002 pico -> 15,000,020 pico.
    assertThat(sonnet.outputPerToken()).isEqualByComparingTo("0.00001500002");
    ModelPrice mini = shapes().find("databricks", "databricks-gpt-5-mini");
    assertThat(mini.inputPerToken()).isEqualByComparingTo("0.00000024997");
    assertThat(mini.outputPerToken()).isEqualByComparingTo("0.00000199997");
    // The rounding moves a price by at most half a picodollar per token.
    assertThat(ModelPrice.roundToPico(new BigDecimal("0.0000000000015"))).isEqualTo(2);
    assertThat(ModelPrice.roundToPico(new BigDecimal("0.0000000000025"))).isEqualTo(2);
    assertThat(ModelPrice.roundToPico(new BigDecimal("0.00000000000250001"))).isEqualTo(3);
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "entries skipped")
  @Test
  void integersAndNullsAreReadAsPricesAndAbsences() {
    LlmPricing pricing = shapes();
    assertThat(
            pricing
                .find("bedrock_converse", "anthropic.claude-mythos-preview")
                .cost(Usage.of(1000, 1000)))
        .isEqualByComparingTo("0");
    ModelPrice embedding = pricing.find("vertex_ai-embedding-models", "gemini-embedding-001");
    assertThat(embedding.outputPerToken()).isEqualByComparingTo("0");
    // A null cache read price is absent: cache reads cost the input price.
    ModelPrice nullCache = pricing.find("openai", "null-cache-model");
    assertThat(nullCache.cacheReadPerToken()).isEqualByComparingTo(nullCache.inputPerToken());
  }

  @Test
  void skippedEntriesAreCountedInASelfMetricAndLoggedOnceWithTheirCount() {
    PrometheusRegistry registry = new PrometheusRegistry();
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    try (LogCapture log = LogCapture.start()) {
      LlmPricing pricing = shapes();
      LlmMetrics.builder(metrics).pricing(pricing).build();
      assertThat(log.count("price file")).isEqualTo(1);
      assertThat(log.messages())
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains("19 entries priced")
                      .contains("4 prices rounded")
                      .contains("8 entries skipped")
                      .contains("3 not a model")
                      .contains("3 without a per-token price")
                      .contains("1 with a price that is not a number")
                      .contains("1 with a negative price")
                      .contains("string-price-model")
                      .contains("negative-price-model"));
    }
    assertThat(
            Exposition.scrape(registry)
                .value("kosmos_metrics_dropped_total", "reason", "price_entry_skipped"))
        .isEqualTo(8);
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "entries skipped")
  @Test
  void aTierSeveralHundredThousandTokensUpAppliesAboveItsThresholdOnly() {
    // Vertex AI Gemini 1.5 Pro: $1.25 / $5 per million up to 128k input tokens, $2.50 / $10 above.
    ModelPrice pro = shapes().find("vertex_ai-language-models", "gemini-1.5-pro");
    assertThat(pro.cost(Usage.of(128_000, 1_000)))
        .isEqualByComparingTo(perMillion(128_000, "1.25").add(perMillion(1_000, "5")));
    assertThat(pro.cost(Usage.of(128_001, 1_000)))
        .isEqualByComparingTo(perMillion(128_001, "2.50").add(perMillion(1_000, "10")));
  }

  static BigDecimal perMillion(long tokens, String dollarsPerMillion) {
    return new BigDecimal(dollarsPerMillion)
        .multiply(BigDecimal.valueOf(tokens))
        .divide(BigDecimal.valueOf(1_000_000));
  }
}
