package io.kosmos.metrics.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.ExpectedLog;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmPricingTest {

  private static LlmPricing load(String json) {
    return LlmPricing.builder()
        .liteLlm(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  private static LlmPricing testFile() throws IOException {
    try (InputStream file = LlmPricingTest.class.getResourceAsStream("/litellm-prices.json")) {
      return LlmPricing.builder().liteLlm(file).build();
    }
  }

  @Test
  void perMillionPricesAreExactPerTokenPrices() {
    ModelPrice price =
        ModelPrice.perMillion(0.15, 0.60)
            .withCacheReadPerMillion(0.075)
            .withCacheWritePerMillion(1);
    assertThat(price.inputPerToken()).isEqualByComparingTo("0.00000015");
    assertThat(price.outputPerToken()).isEqualByComparingTo("0.0000006");
    assertThat(price.cacheReadPerToken()).isEqualByComparingTo("0.000000075");
    assertThat(price.cacheWritePerToken()).isEqualByComparingTo("0.000001");
    assertThat(ModelPrice.perToken(new BigDecimal("1.5e-7"), new BigDecimal("6e-7")))
        .isEqualTo(ModelPrice.perMillion(0.15, 0.6));
  }

  @Test
  void cachePricesDefaultToTheInputPrice() {
    ModelPrice price = ModelPrice.perMillion(3, 15);
    assertThat(price.cacheReadPerToken()).isEqualByComparingTo(price.inputPerToken());
    assertThat(price.cacheWritePerToken()).isEqualByComparingTo(price.inputPerToken());
    assertThat(price.picodollars(3, 4, 3, 2)).isEqualTo(10 * 3_000_000L + 2 * 15_000_000L);
  }

  @Test
  void invalidPricesFailWhenMadeWithTheirNameAndValue() {
    assertThatThrownBy(() -> ModelPrice.perMillion(-1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "input price must be a non-negative whole number of picodollars (1e-12 $) per token,"
                + " but was -0.000001 $ per token");
    assertThatThrownBy(() -> ModelPrice.perMillion(1, Double.NaN))
        .hasMessage("output price must be finite, but was NaN $ per million tokens");
    assertThatThrownBy(() -> ModelPrice.perMillion(1, 1).withCacheReadPerMillion(0.0000001))
        .hasMessage(
            "cacheRead price must be a non-negative whole number of picodollars (1e-12 $) per"
                + " token, but was 0.0000000000001 $ per token");
    assertThatThrownBy(
            () -> ModelPrice.perToken(BigDecimal.ONE, BigDecimal.ONE).withCacheWritePerToken(null))
        .hasMessage("cacheWrite price must not be null");
    assertThatThrownBy(() -> LlmPricing.builder().price("", "m", ModelPrice.perMillion(1, 1)))
        .hasMessage("provider must be a non-empty name, but was ''");
    assertThatThrownBy(() -> LlmPricing.builder().price("p", null, ModelPrice.perMillion(1, 1)))
        .hasMessage("model must be a non-empty name, but was null");
    assertThatThrownBy(() -> LlmPricing.builder().price("p", "m", null))
        .hasMessage("price must not be null");
  }

  @Test
  void aLiteLlmFileLoadsAsPublished() throws IOException {
    LlmPricing pricing = testFile();

    assertThat(pricing.find("openai", "gpt-4o-mini"))
        .isEqualTo(ModelPrice.perMillion(0.15, 0.60).withCacheReadPerMillion(0.075));
    assertThat(pricing.find("anthropic", "claude-test-sonnet"))
        .isEqualTo(
            ModelPrice.perMillion(3, 15)
                .withCacheReadPerMillion(0.3)
                .withCacheWritePerMillion(3.75));
    // "azure/gpt-4o" is model gpt-4o of provider azure.
    assertThat(pricing.find("azure", "gpt-4o")).isEqualTo(ModelPrice.perMillion(2.5, 10));
    assertThat(pricing.find("azure", "azure/gpt-4o")).isNull();
    // An embedding model without an output price costs nothing per output token.
    assertThat(pricing.find("openai", "embedding-test-small"))
        .isEqualTo(ModelPrice.perMillion(0.02, 0));
    // sample_spec and models priced per pixel are skipped.
    assertThat(pricing.find("one of the providers", "sample_spec")).isNull();
    assertThat(pricing.find("openai", "image-test-model")).isNull();
    assertThat(pricing.size()).isEqualTo(4);
  }

  @Test
  void anUnprefixedKeyWinsOverTheSameModelWithItsProviderPrefix() throws IOException {
    // The test file lists "openai/gpt-4o-mini" at another price after "gpt-4o-mini".
    assertThat(testFile().find("openai", "gpt-4o-mini").inputPerToken())
        .isEqualByComparingTo("0.00000015");
    LlmPricing reversed =
        load(
            "{\"openai/m\": {\"input_cost_per_token\": 2e-6, \"litellm_provider\": \"openai\"},"
                + " \"m\": {\"input_cost_per_token\": 1e-6, \"litellm_provider\": \"openai\"}}");
    assertThat(reversed.find("openai", "m").inputPerToken()).isEqualByComparingTo("0.000001");
  }

  @Test
  void pricesSetInCodeReplaceLoadedOnesAndViceVersaInOrder(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("prices.json");
    Files.writeString(
        file,
        "{\"gpt-4o-mini\": {\"input_cost_per_token\": 1e-6, \"output_cost_per_token\": 2e-6,"
            + " \"litellm_provider\": \"openai\"}}");
    LlmPricing codeWins =
        LlmPricing.builder()
            .liteLlm(file)
            .price("openai", "gpt-4o-mini", ModelPrice.perMillion(5, 5))
            .build();
    LlmPricing fileWins =
        LlmPricing.builder()
            .price("openai", "gpt-4o-mini", ModelPrice.perMillion(5, 5))
            .liteLlm(file)
            .build();
    assertThat(codeWins.find("openai", "gpt-4o-mini")).isEqualTo(ModelPrice.perMillion(5, 5));
    assertThat(fileWins.find("openai", "gpt-4o-mini")).isEqualTo(ModelPrice.perMillion(1, 2));
    assertThat(LlmPricing.none().size()).isZero();
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "entries skipped")
  @Test
  void aPriceFileThatIsNotAJsonObjectFailsButABadEntryIsSkipped(@TempDir Path dir) {
    LlmPricing lenient =
        load(
            "{\"odd-model\": {\"input_cost_per_token\": 4.1666667e-12,"
                + " \"litellm_provider\": \"x\"},"
                + " \"m\": {\"output_cost_per_token\": \"cheap\", \"litellm_provider\": \"x\"}}");
    // 4.1666667 picodollars per token rounds to 4; the entry with a string price is skipped.
    assertThat(lenient.find("x", "odd-model").inputPerToken()).isEqualByComparingTo("4e-12");
    assertThat(lenient.find("x", "m")).isNull();
    assertThat(lenient.skippedEntries()).isEqualTo(1);
    assertThat(lenient.roundedPrices()).isEqualTo(1);
    assertThatThrownBy(() -> load("[1, 2]"))
        .hasMessage("price file must be a JSON object keyed by model name, but was ARRAY");
    assertThatThrownBy(() -> load("{\"m\": "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("price file must be valid JSON, but was not: ");
    assertThatThrownBy(() -> LlmPricing.builder().liteLlm(dir.resolve("missing.json")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("Cannot read the price file " + dir.resolve("missing.json"));
  }

  @Test
  void tiersAndServiceTiersSetInCodeFailFastWithTheirNameAndValue() {
    ModelPrice price = ModelPrice.perMillion(3, 15);
    assertThatThrownBy(() -> price.aboveInputTokens(0, ModelPrice.perMillion(6, 22.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("inputTokens must be at least 1, but was 0");
    assertThatThrownBy(() -> price.aboveInputTokens(200_000, null))
        .hasMessage("tier must not be null");
    assertThatThrownBy(() -> price.forServiceTier(ServiceTier.STANDARD, price))
        .hasMessage("tier must be PRIORITY, FLEX or BATCH, but was STANDARD");
    assertThatThrownBy(() -> price.forServiceTier(ServiceTier.FLEX, null))
        .hasMessage("prices must not be null");
    assertThatThrownBy(() -> price.withCacheWrite1hPerMillion(-6))
        .hasMessage(
            "cacheWrite1h price must be a non-negative whole number of picodollars (1e-12 $) per"
                + " token, but was -0.000006 $ per token");
  }

  @Test
  void oneHourCacheWritesCostTheCacheWritePriceUntilSetAndTiersFallBackRateByRate() {
    ModelPrice price = ModelPrice.perMillion(3, 15).withCacheWritePerMillion(3.75);
    assertThat(price.cacheWrite1hPerToken()).isEqualByComparingTo("0.00000375");
    ModelPrice tiered =
        price
            .withCacheReadPerMillion(0.3)
            .aboveInputTokens(200_000, ModelPrice.perMillion(6, 22.5))
            .forServiceTier(ServiceTier.BATCH, ModelPrice.perMillion(1.5, 7.5));
    // Above 200k the tier sets input and output; cache reads keep the price below it.
    assertThat(tiered.cost(Usage.of(300_000, 10).withCacheRead(100_000)))
        .isEqualByComparingTo("1.230225"); // 200k x $6 + 100k x $0.30 + 10 x $22.50, per million
    // Batch has no threshold of its own: the standard one applies with batch's rates where set.
    assertThat(tiered.cost(Usage.of(300_000, 10).withServiceTier("batch")))
        .isEqualByComparingTo("0.450075"); // 300k x $1.50 + 10 x $7.50, per million
    assertThat(tiered.cost(Usage.of(10, 10).withCacheWrite1h(1))).isNull();
    assertThat(ServiceTier.of("PRIORITY")).isEqualTo(ServiceTier.PRIORITY);
    assertThat(ServiceTier.of("batches")).isEqualTo(ServiceTier.BATCH);
    assertThat(ServiceTier.of("scale")).isEqualTo(ServiceTier.STANDARD);
    assertThat(ServiceTier.of(null)).isEqualTo(ServiceTier.STANDARD);
  }
}
