package io.kosmos.metrics.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The prices of the models an agent calls, per provider and model. Immutable.
 *
 * <pre>{@code
 * LlmPricing pricing = LlmPricing.builder()
 *     .liteLlm(Path.of("/etc/kosmos/model_prices.json"))   // LiteLLM's format, as published
 *     .price("openai", "gpt-4o-mini", ModelPrice.perMillion(0.15, 0.60)
 *         .withCacheReadPerMillion(0.075))                  // code wins over the file
 *     .build();
 * LlmMetrics llm = LlmMetrics.builder(metrics).pricing(pricing).build();
 * }</pre>
 *
 * <p>A price file in LiteLLM's format is a JSON object keyed by model name whose values carry
 * {@code litellm_provider}, {@code input_cost_per_token}, {@code output_cost_per_token} and
 * optionally {@code cache_read_input_token_cost} and {@code cache_creation_input_token_cost}, in
 * dollars per token. Other fields and the {@code sample_spec} entry are ignored, as are entries
 * without {@code litellm_provider} or without any per-token price (e.g. image models). An entry is
 * registered under its {@code litellm_provider} and its key with a leading {@code "<provider>/"}
 * removed ({@code "azure/gpt-4o"} is model {@code gpt-4o} of provider {@code azure}); a key without
 * the prefix wins over the same model with it.
 *
 * <p>Lookups are exact: the provider and model an {@link LlmCall} is started with must match the
 * pricing. A call of a model with no price records no cost and counts in {@code
 * llm_cost_unpriced_total}, never a silent $0.
 */
public final class LlmPricing {

  private static final LlmPricing NONE = new LlmPricing(Map.of());

  private final Map<String, Map<String, ModelPrice>> prices;

  private LlmPricing(Map<String, Map<String, ModelPrice>> prices) {
    this.prices = prices;
  }

  /** A pricing with no prices: every call's cost must come from the provider. */
  public static LlmPricing none() {
    return NONE;
  }

  /** A builder with no prices. */
  public static Builder builder() {
    return new Builder();
  }

  /** The price of {@code model} of {@code provider}, or {@code null} when it has none. */
  public @Nullable ModelPrice find(String provider, String model) {
    Map<String, ModelPrice> models = prices.get(provider);
    return models == null ? null : models.get(model);
  }

  /** How many models have a price. */
  public int size() {
    return prices.values().stream().mapToInt(Map::size).sum();
  }

  /** Collects prices. Not thread-safe; build once at startup. */
  public static final class Builder {
    private static final ObjectMapper JSON =
        new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final Map<String, Map<String, ModelPrice>> prices = new HashMap<>();

    private Builder() {}

    /**
     * Sets the price of {@code model} of {@code provider}, replacing any price set or loaded
     * before.
     *
     * @throws IllegalArgumentException when an argument is null or a name is empty
     */
    public Builder price(String provider, String model, ModelPrice price) {
      nonEmpty("provider", provider);
      nonEmpty("model", model);
      if (price == null) {
        throw new IllegalArgumentException("price must not be null");
      }
      prices.computeIfAbsent(provider, p -> new HashMap<>()).put(model, price);
      return this;
    }

    /**
     * Adds the prices of a file in LiteLLM's format, replacing prices set or loaded before for the
     * same models.
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a JSON object, or a price in it is not a
     *     non-negative whole number of picodollars per token; the message names the entry
     */
    public Builder liteLlm(Path file) {
      try (InputStream in = Files.newInputStream(file)) {
        return liteLlm(in);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the price file " + file, e);
      }
    }

    /**
     * As {@link #liteLlm(Path)}, from a stream that the caller closes.
     *
     * @throws UncheckedIOException when the stream cannot be read
     * @throws IllegalArgumentException as {@link #liteLlm(Path)}
     */
    public Builder liteLlm(InputStream json) {
      JsonNode root;
      try {
        root = JSON.readTree(json);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "price file must be valid JSON, but was not: " + e.getOriginalMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the price file", e);
      }
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException(
            "price file must be a JSON object keyed by model name, but was "
                + (root == null ? "empty" : root.getNodeType()));
      }
      Map<String, Map<String, ModelPrice>> prefixed = new HashMap<>();
      for (Map.Entry<String, JsonNode> entry : root.properties()) {
        String key = entry.getKey();
        JsonNode spec = entry.getValue();
        if (key.equals("sample_spec") || !spec.isObject()) {
          continue;
        }
        JsonNode providerNode = spec.get("litellm_provider");
        if (providerNode == null || !providerNode.isTextual() || providerNode.asText().isEmpty()) {
          continue;
        }
        String provider = providerNode.asText();
        ModelPrice price = liteLlmPrice(key, spec);
        if (price == null) {
          continue;
        }
        if (key.startsWith(provider + "/") && key.length() > provider.length() + 1) {
          prefixed
              .computeIfAbsent(provider, p -> new HashMap<>())
              .put(key.substring(provider.length() + 1), price);
        } else {
          prices.computeIfAbsent(provider, p -> new HashMap<>()).put(key, price);
        }
      }
      prefixed.forEach(
          (provider, models) ->
              models.forEach(
                  (model, price) ->
                      prices
                          .computeIfAbsent(provider, p -> new HashMap<>())
                          .merge(model, price, (existing, ignored) -> existing)));
      return this;
    }

    private static @Nullable ModelPrice liteLlmPrice(String model, JsonNode spec) {
      BigDecimal input = number(model, spec, "input_cost_per_token");
      BigDecimal output = number(model, spec, "output_cost_per_token");
      if (input == null && output == null) {
        return null;
      }
      BigDecimal cacheRead = number(model, spec, "cache_read_input_token_cost");
      BigDecimal cacheWrite = number(model, spec, "cache_creation_input_token_cost");
      long in = pico(model, "input_cost_per_token", input);
      return ModelPrice.ofPicodollars(
          in,
          pico(model, "output_cost_per_token", output),
          cacheRead == null ? in : pico(model, "cache_read_input_token_cost", cacheRead),
          cacheWrite == null ? in : pico(model, "cache_creation_input_token_cost", cacheWrite));
    }

    private static long pico(String model, String field, @Nullable BigDecimal dollars) {
      return dollars == null ? 0 : ModelPrice.toPico(field + " of '" + model + "'", dollars);
    }

    private static @Nullable BigDecimal number(String model, JsonNode spec, String field) {
      JsonNode node = spec.get(field);
      if (node == null || node.isNull()) {
        return null;
      }
      if (!node.isNumber()) {
        throw new IllegalArgumentException(
            field + " of '" + model + "' must be a number, but was " + node);
      }
      return node.decimalValue();
    }

    private static void nonEmpty(String parameter, @Nullable String value) {
      if (value == null || value.isEmpty()) {
        throw new IllegalArgumentException(
            parameter
                + " must be a non-empty name, but was "
                + (value == null ? "null" : "'" + value + "'"));
      }
    }

    /** An immutable pricing of what was collected. */
    public LlmPricing build() {
      Map<String, Map<String, ModelPrice>> copy = new HashMap<>();
      prices.forEach((provider, models) -> copy.put(provider, Map.copyOf(models)));
      return new LlmPricing(Map.copyOf(copy));
    }
  }
}
