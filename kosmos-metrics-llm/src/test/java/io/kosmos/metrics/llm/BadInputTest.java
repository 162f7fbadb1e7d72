package io.kosmos.metrics.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.LogCapture;
import io.kosmos.metrics.core.internal.DropReason;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input matrix of LLM call tracking: bad provider and model labels, negative, NaN, infinite
 * and huge token counts and costs. Each bad call, made three times on a fresh catalog, throws
 * nothing, records nothing of its bad value, is counted under its exact drop reason and is logged
 * once.
 */
class BadInputTest {

  static final String LONG = "m".repeat(10 * 1024);
  static final String UNPAIRED = "gpt\uD800oops";

  /** A bad call: what it does, its drop reason, a value that must not show, a family left at 0. */
  record Case(
      String name,
      Consumer<LlmMetrics> call,
      DropReason reason,
      @Nullable String forbidden,
      @Nullable String zeroFamily) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Consumer<LlmMetrics> tracked(
      @Nullable String provider, @Nullable String model, Consumer<LlmCall> body) {
    return llm -> {
      try (LlmCall call = llm.start(provider, model)) {
        body.accept(call);
      }
    };
  }

  private static Consumer<LlmCall> usage(long in, long out) {
    return call -> call.usage(in, out);
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "null provider", tracked(null, "m", usage(1, 1)), DropReason.NULL_LABEL, null, null),
        new Case(
            "empty provider", tracked("", "m", usage(1, 1)), DropReason.EMPTY_LABEL, null, null),
        new Case(
            "10 KB provider",
            tracked(LONG, "m", usage(1, 1)),
            DropReason.LABEL_TOO_LONG,
            "mmmmmmmmmm",
            null),
        new Case(
            "unpaired surrogate provider",
            tracked(UNPAIRED, "m", usage(1, 1)),
            DropReason.INVALID_LABEL,
            "oops",
            null),
        new Case(
            "null model", tracked("openai", null, usage(1, 1)), DropReason.NULL_LABEL, null, null),
        new Case(
            "empty model", tracked("openai", "", usage(1, 1)), DropReason.EMPTY_LABEL, null, null),
        new Case(
            "10 KB model",
            tracked("openai", LONG, usage(1, 1)),
            DropReason.LABEL_TOO_LONG,
            "mmmmmmmmmm",
            null),
        new Case(
            "unpaired surrogate model",
            tracked("openai", UNPAIRED, usage(1, 1)),
            DropReason.INVALID_LABEL,
            "oops",
            null),
        new Case(
            "negative input tokens",
            tracked("openai", "gpt-4o-mini", usage(-1, 5)),
            DropReason.NEGATIVE_AMOUNT,
            null,
            "llm_tokens_total"),
        new Case(
            "negative output tokens",
            tracked("openai", "gpt-4o-mini", usage(5, -1)),
            DropReason.NEGATIVE_AMOUNT,
            null,
            "llm_tokens_total"),
        new Case(
            "cache reads above input",
            tracked("openai", "gpt-4o-mini", c -> c.usage(Usage.of(10, 5).withCacheRead(20))),
            DropReason.INCONSISTENT_USAGE,
            null,
            "llm_tokens_total"),
        new Case(
            "huge token count",
            tracked("openai", "gpt-4o-mini", usage(Long.MAX_VALUE, 1)),
            DropReason.AMOUNT_OVERFLOW,
            null,
            "llm_tokens_total"),
        new Case(
            "NaN cost",
            tracked("openai", "unpriced", c -> c.cost(Double.NaN)),
            DropReason.NON_FINITE_AMOUNT,
            "NaN",
            "llm_cost_dollars_total"),
        new Case(
            "infinite cost",
            tracked("openai", "unpriced", c -> c.cost(Double.POSITIVE_INFINITY)),
            DropReason.NON_FINITE_AMOUNT,
            "Inf\n",
            "llm_cost_dollars_total"),
        new Case(
            "negative cost",
            tracked("openai", "unpriced", c -> c.cost(-0.5)),
            DropReason.NEGATIVE_AMOUNT,
            null,
            "llm_cost_dollars_total"),
        new Case(
            "huge cost",
            tracked("openai", "unpriced", c -> c.cost(1e12)),
            DropReason.AMOUNT_OVERFLOW,
            null,
            "llm_cost_dollars_total"),
        new Case(
            "NaN cost in the usage",
            tracked("openai", "unpriced", c -> c.usage(Usage.of(1, 1).withCost(Double.NaN))),
            DropReason.NON_FINITE_AMOUNT,
            "NaN",
            "llm_cost_dollars_total"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aBadCallIsDroppedCountedAndLoggedOnce(Case bad) {
    PrometheusRegistry registry = new PrometheusRegistry();
    LlmMetrics llm =
        LlmMetrics.builder(KosmosMetrics.builder().registry(registry).build())
            .pricing(
                LlmPricing.builder()
                    .price("openai", "gpt-4o-mini", ModelPrice.perMillion(0.15, 0.60))
                    .build())
            .build();
    try (LogCapture log = LogCapture.start()) {
      for (int i = 0; i < 3; i++) {
        assertThatCode(() -> bad.call().accept(llm)).doesNotThrowAnyException();
      }
      Exposition scrape = Exposition.scrape(registry);
      for (DropReason reason : DropReason.values()) {
        assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", reason.label()))
            .as("dropped{reason=%s}", reason.label())
            .isEqualTo(reason == bad.reason() ? 3 : 0);
      }
      assertThat(log.count("reason=\"" + bad.reason().label() + "\"")).as("logged").isEqualTo(1);
      if (bad.forbidden() != null) {
        assertThat(scrape.text()).doesNotContain(bad.forbidden());
      }
      if (bad.zeroFamily() != null) {
        assertThat(scrape.sum(bad.zeroFamily())).as(bad.zeroFamily()).isZero();
      }
      for (String family : java.util.List.of("llm_requests_total", "llm_tokens_total")) {
        for (Exposition.Sample sample : scrape.samples(family)) {
          assertThat(sample.labels().values()).allMatch(v -> v.length() <= 256);
        }
      }
    }
  }
}
