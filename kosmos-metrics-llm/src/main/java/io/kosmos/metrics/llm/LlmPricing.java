package io.kosmos.metrics.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kosmos.metrics.core.internal.DropReason;
import io.kosmos.metrics.core.internal.SelfMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * <p>A price file in LiteLLM's format ({@code model_prices_and_context_window.json}) is a JSON
 * object keyed by model name whose values carry {@code litellm_provider} and prices in dollars per
 * token: {@code input_cost_per_token}, {@code output_cost_per_token}, {@code
 * cache_read_input_token_cost}, {@code cache_creation_input_token_cost} and {@code
 * cache_creation_input_token_cost_above_1hr}, each optionally suffixed {@code _above_<N>k_tokens}
 * (the price of a whole request with more than N×1000 input tokens) and/or {@code _priority},
 * {@code _flex}, {@code _batches} (the price of that {@link ServiceTier}). See {@link ModelPrice}
 * for how they combine. Other fields are ignored. An entry is registered under its {@code
 * litellm_provider} and its key with a leading {@code "<provider>/"} removed ({@code
 * "azure/gpt-4o"} is model {@code gpt-4o} of provider {@code azure}); a key without the prefix wins
 * over the same model with it.
 *
 * <p>The file is taken as published. Prices are <b>rounded half-even to whole picodollars</b> per
 * token (LiteLLM's file holds float artifacts such as {@code 0.0000029999900000000002}); rounding
 * moves a price by at most half a picodollar per token, <b>$0.0000005 per million tokens</b>. An
 * entry that cannot be used is skipped on its own: {@code sample_spec}, a value that is not an
 * object or has no {@code litellm_provider}, no per-token price (image, audio or per-second
 * models), or a price that is not a number, is negative or exceeds {@code Long.MAX_VALUE}
 * picodollars. A JSON {@code null} counts as absent. Skipped entries are logged once per file with
 * their count and counted in {@code kosmos_metrics_dropped_total{reason="price_entry_skipped"}}
 * when the pricing is given to {@link LlmMetrics}. Prices set in code ({@link ModelPrice}) stay
 * strict.
 *
 * <p>Lookups are exact: the provider and model an {@link LlmCall} is started with must match the
 * pricing. A call of a model with no price records no cost and counts in {@code
 * llm_cost_unpriced_total}, never a silent $0.
 */
public final class LlmPricing {

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");
  private static final LlmPricing NONE = new LlmPricing(Map.of(), 0, 0);

  private final Map<String, Map<String, ModelPrice>> prices;
  private final int skipped;
  private final int rounded;

  private LlmPricing(Map<String, Map<String, ModelPrice>> prices, int skipped, int rounded) {
    this.prices = prices;
    this.skipped = skipped;
    this.rounded = rounded;
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

  /** How many entries of the price files loaded into this pricing were skipped. */
  public int skippedEntries() {
    return skipped;
  }

  /** How many prices of the price files loaded into this pricing were rounded to picodollars. */
  public int roundedPrices() {
    return rounded;
  }

  void countSkipped(SelfMetrics self) {
    self.count(DropReason.PRICE_ENTRY_SKIPPED, skipped);
  }

  /** Why an entry of a price file was skipped; the log names the count of each. */
  enum Skip {
    NOT_A_MODEL("not a model (sample_spec, not an object, or no litellm_provider)"),
    NO_TOKEN_PRICE("without a per-token price"),
    NOT_A_NUMBER("with a price that is not a number"),
    NEGATIVE("with a negative price"),
    TOO_LARGE("with a price beyond Long.MAX_VALUE picodollars");

    final String description;

    Skip(String description) {
      this.description = description;
    }
  }

  /** Collects prices. Not thread-safe; build once at startup. */
  public static final class Builder {
    private static final ObjectMapper JSON =
        new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    // <type>[_above_1hr][_above_<N>k_tokens][_<service tier>]
    private static final Pattern FIELD =
        Pattern.compile(
            "(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost"
                + "|cache_creation_input_token_cost)(_above_1hr)?(?:_above_(\\d{1,9})k_tokens)?"
                + "(?:_(priority|flex|batches))?");

    private final Map<String, Map<String, ModelPrice>> prices = new HashMap<>();
    private int skipped;
    private int rounded;

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
     * Sets every price of {@code pricing}, replacing prices set or loaded before for the same
     * models; its counts of skipped entries and rounded prices add to this builder's.
     *
     * @throws IllegalArgumentException when null
     */
    public Builder prices(LlmPricing pricing) {
      if (pricing == null) {
        throw new IllegalArgumentException("pricing must not be null");
      }
      pricing.prices.forEach(
          (provider, models) ->
              prices.computeIfAbsent(provider, p -> new HashMap<>()).putAll(models));
      skipped += pricing.skipped;
      rounded += pricing.rounded;
      return this;
    }

    /**
     * Adds the prices of a file in LiteLLM's format, replacing prices set or loaded before for the
     * same models. Unusable entries are skipped and prices rounded as the {@link LlmPricing class
     * description} says; the file is logged once with those counts.
     *
     * @throws UncheckedIOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a JSON object
     */
    public Builder liteLlm(Path file) {
      try (InputStream in = Files.newInputStream(file)) {
        return liteLlm(in, file.toString());
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
      return liteLlm(json, "from a stream");
    }

    private Builder liteLlm(InputStream json, String name) {
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
      Map<String, Map<String, ModelPrice>> plain = new HashMap<>();
      Map<String, Map<String, ModelPrice>> prefixed = new HashMap<>();
      int[] skips = new int[Skip.values().length];
      List<String> examples = new ArrayList<>();
      int[] roundedHere = new int[1];
      int loaded = 0;
      for (Map.Entry<String, JsonNode> entry : root.properties()) {
        String key = entry.getKey();
        JsonNode spec = entry.getValue();
        JsonNode providerNode = spec.get("litellm_provider");
        Object parsed;
        if (key.equals("sample_spec")
            || !spec.isObject()
            || providerNode == null
            || !providerNode.isTextual()
            || providerNode.asText().isEmpty()) {
          parsed = Skip.NOT_A_MODEL;
        } else {
          parsed = liteLlmPrice(spec, roundedHere);
        }
        if (parsed instanceof Skip) {
          Skip skip = (Skip) parsed;
          skips[skip.ordinal()]++;
          if (skip != Skip.NOT_A_MODEL && skip != Skip.NO_TOKEN_PRICE && examples.size() < 5) {
            examples.add(key);
          }
          continue;
        }
        loaded++;
        String provider = providerNode.asText();
        ModelPrice price = (ModelPrice) parsed;
        if (key.startsWith(provider + "/") && key.length() > provider.length() + 1) {
          prefixed
              .computeIfAbsent(provider, p -> new HashMap<>())
              .put(key.substring(provider.length() + 1), price);
        } else {
          plain.computeIfAbsent(provider, p -> new HashMap<>()).put(key, price);
        }
      }
      prefixed.forEach(
          (provider, models) ->
              models.forEach(
                  (model, price) ->
                      plain
                          .computeIfAbsent(provider, p -> new HashMap<>())
                          .putIfAbsent(model, price)));
      plain.forEach(
          (provider, models) ->
              prices.computeIfAbsent(provider, p -> new HashMap<>()).putAll(models));
      int skippedHere = 0;
      for (int count : skips) {
        skippedHere += count;
      }
      skipped += skippedHere;
      rounded += roundedHere[0];
      log(name, loaded, skippedHere, skips, examples, roundedHere[0]);
      return this;
    }

    private static void log(
        String name, int loaded, int skippedHere, int[] skips, List<String> examples, int round) {
      StringBuilder reasons = new StringBuilder();
      for (Skip skip : Skip.values()) {
        if (skips[skip.ordinal()] > 0) {
          reasons.append(reasons.length() == 0 ? "" : ", ");
          reasons.append(skips[skip.ordinal()]).append(" ").append(skip.description);
        }
      }
      boolean bad = !examples.isEmpty();
      LOG.log(
          bad ? Level.WARNING : Level.INFO,
          "kosmos-metrics: price file {0}: {1} entries priced, {2} prices rounded to whole"
              + " picodollars (at most $0.0000005 per million tokens each), {3} entries skipped"
              + " ({4}){5}; skipped entries are counted in"
              + " kosmos_metrics_dropped_total'{'reason=\"price_entry_skipped\"'}'.",
          name,
          loaded,
          round,
          skippedHere,
          reasons.length() == 0 ? "none" : reasons,
          bad ? "; e.g. " + examples : "");
    }

    /** The price of an entry, or why it is skipped. */
    private static Object liteLlmPrice(JsonNode spec, int[] rounded) {
      ModelPrice.Spec[] specs = new ModelPrice.Spec[ServiceTier.values().length];
      boolean hasTokenPrice = false;
      int roundedHere = 0;
      for (Map.Entry<String, JsonNode> field : spec.properties()) {
        Matcher m = FIELD.matcher(field.getKey());
        if (!m.matches()) {
          continue;
        }
        JsonNode value = field.getValue();
        if (value.isNull()) {
          continue;
        }
        if (!value.isNumber()) {
          return Skip.NOT_A_NUMBER;
        }
        BigDecimal dollars = value.decimalValue();
        if (dollars.signum() < 0) {
          return Skip.NEGATIVE;
        }
        long pico = ModelPrice.roundToPico(dollars);
        if (pico < 0) {
          return Skip.TOO_LARGE;
        }
        if (dollars.movePointRight(12).compareTo(BigDecimal.valueOf(pico)) != 0) {
          roundedHere++;
        }
        int type;
        switch (m.group(1)) {
          case "input_cost_per_token":
            type = ModelPrice.INPUT;
            break;
          case "output_cost_per_token":
            type = ModelPrice.OUTPUT;
            break;
          case "cache_read_input_token_cost":
            type = ModelPrice.CACHE_READ;
            break;
          default:
            type = m.group(2) != null ? ModelPrice.CACHE_WRITE_1H : ModelPrice.CACHE_WRITE;
        }
        if (m.group(2) != null && type != ModelPrice.CACHE_WRITE_1H) {
          continue; // "_above_1hr" means something only for cache writes
        }
        int tier = serviceTier(m.group(4));
        ModelPrice.Spec s = specs[tier] == null ? ModelPrice.Spec.empty() : specs[tier];
        if (m.group(3) == null) {
          if (tier == 0
              && m.group(2) == null
              && (type == ModelPrice.INPUT || type == ModelPrice.OUTPUT)) {
            hasTokenPrice = true;
          }
          s = s.with(type, pico);
        } else {
          long threshold = Long.parseLong(m.group(3)) * 1000;
          long[] rates = s.above.get(threshold);
          if (rates == null) {
            rates = ModelPrice.Spec.empty().base;
          }
          rates = rates.clone();
          rates[type] = pico;
          s = s.above(threshold, rates);
        }
        specs[tier] = s;
      }
      if (!hasTokenPrice) {
        return Skip.NO_TOKEN_PRICE;
      }
      rounded[0] += roundedHere;
      return ModelPrice.ofSpecs(specs);
    }

    private static int serviceTier(@Nullable String suffix) {
      if (suffix == null) {
        return ServiceTier.STANDARD.ordinal();
      }
      switch (suffix) {
        case "priority":
          return ServiceTier.PRIORITY.ordinal();
        case "flex":
          return ServiceTier.FLEX.ordinal();
        default:
          return ServiceTier.BATCH.ordinal();
      }
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
      return new LlmPricing(Map.copyOf(copy), skipped, rounded);
    }
  }
}
