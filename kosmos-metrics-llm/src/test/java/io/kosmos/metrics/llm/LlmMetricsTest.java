package io.kosmos.metrics.llm;

import static io.kosmos.metrics.test.KosmosAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LlmMetricsTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private final AtomicLong now = new AtomicLong();
  private final LlmPricing pricing =
      LlmPricing.builder()
          .price("openai", "cheap", ModelPrice.perMillion(2, 8))
          .price("openai", "pricey", ModelPrice.perToken(BigDecimal.TEN, BigDecimal.TEN))
          .price(
              "anthropic",
              "cached",
              ModelPrice.perMillion(3, 15)
                  .withCacheReadPerMillion(0.30)
                  .withCacheWritePerMillion(3.75))
          .build();
  private final LlmMetrics llm =
      LlmMetrics.builder(metrics).pricing(pricing).clock(now::get).build();

  private Exposition scrape() {
    return Exposition.scrape(registry);
  }

  @Test
  void oneMillionCallsOfOneTokenAtTwoMillionthsOfADollarCostExactlyTwoDollars() {
    for (int i = 0; i < 1_000_000; i++) {
      try (LlmCall call = llm.start("openai", "cheap")) {
        call.usage(1, 0);
      }
    }
    assertThat(scrape().value("llm_cost_dollars_total", "provider", "openai", "model", "cheap"))
        .isEqualTo(2.0);
  }

  @Test
  void aCallWithUsageSucceedsWithItsDurationAndTokens() {
    try (LlmCall call = llm.start("openai", "cheap")) {
      now.addAndGet(1_500_000_000L);
      call.usage(100, 20);
    }
    assertThat(registry).llmRequests("openai", "cheap").withLabels("status", "success").hasValue(1);
    assertThat(registry).counter("llm_requests_total").hasValue(1);
    assertThat(registry)
        .histogram("llm_request_duration_seconds")
        .hasCount(1)
        .hasSum(1.5)
        .hasBucket(1, 0)
        .hasBucket(2, 1);
    assertThat(registry).llmTokens("openai", "cheap", "input").hasValue(100);
    assertThat(registry).llmTokens("openai", "cheap", "output").hasValue(20);
    // 100 * 2e-6 + 20 * 8e-6
    assertThat(registry).llmCost("openai", "cheap").hasValue(0.00036);
  }

  @Test
  void anExceptionLeavingTheTryBlockIsAnErrorOfTypeOtherAndPropagatesUnchanged() {
    IllegalStateException thrown = new IllegalStateException("socket closed");
    assertThatThrownBy(
            () -> {
              try (LlmCall call = llm.start("openai", "cheap")) {
                throw thrown;
              }
            })
        .isSameAs(thrown);
    assertThat(registry).llmRequests("openai", "cheap").withLabels("status", "error").hasValue(1);
    assertThat(registry).counter("llm_errors_total").withLabels("error_type", "other").hasValue(1);
    assertThat(registry).histogram("llm_request_duration_seconds").hasCount(1);
  }

  @Test
  void aFailureWinsOverUsageAndTheFirstFailureKeepsItsType() {
    try (LlmCall call = llm.start("openai", "cheap")) {
      call.usage(10, 0);
      call.success();
      call.failed(503);
      call.failed(ErrorType.AUTH);
    }
    Exposition scrape = scrape();
    assertThat(scrape.value("llm_requests_total", "status", "error")).isEqualTo(1);
    assertThat(scrape.value("llm_requests_total", "status", "success")).isZero();
    assertThat(scrape.labelValues("llm_errors_total", "error_type"))
        .containsExactly("server_error");
    // Tokens a failed call consumed are still counted and priced.
    assertThat(scrape.value("llm_tokens_total", "type", "input")).isEqualTo(10);
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.00002);
  }

  @Test
  void successWithoutUsageIsASuccessWithoutTokensOrUnpricedCount() {
    try (LlmCall call = llm.start("openai", "unknown")) {
      call.success();
    }
    Exposition scrape = scrape();
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.value("llm_tokens_total", "type", "input")).isZero();
    assertThat(scrape.samples("llm_cost_unpriced_total")).isEmpty();
    assertThat(scrape.samples("llm_cost_dollars_total")).isEmpty();
  }

  @Test
  void closingTwiceRecordsOnceAndLaterReportsAreIgnored() {
    LlmCall call = llm.start("openai", "cheap");
    call.usage(5, 5);
    call.close();
    call.close();
    call.usage(1000, 1000);
    call.failed(ErrorType.TIMEOUT);
    call.firstToken();
    Exposition scrape = scrape();
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.value("llm_request_duration_seconds_count")).isEqualTo(1);
    assertThat(scrape.value("llm_tokens_total", "type", "input")).isEqualTo(5);
    assertThat(scrape.samples("llm_errors_total")).isEmpty();
    assertThat(scrape.samples("llm_time_to_first_token_seconds_count")).isEmpty();
  }

  @Test
  void theLastReportedUsageWinsSoCumulativeStreamUsageIsCountedOnce() {
    try (LlmCall call = llm.start("openai", "cheap")) {
      call.usage(100, 1);
      call.usage(100, 2);
      call.usage(100, 3);
    }
    assertThat(scrape().value("llm_tokens_total", "type", "input")).isEqualTo(100);
    assertThat(scrape().value("llm_tokens_total", "type", "output")).isEqualTo(3);
  }

  @Test
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "model 'other' of provider 'openai' has no price")
  void timeToFirstTokenIsMeasuredFromTheStartOnceAndOnlyWhenStreaming() {
    try (LlmCall call = llm.start("openai", "cheap")) {
      now.addAndGet(300_000_000L);
      call.firstToken();
      now.addAndGet(5_000_000_000L);
      call.firstToken();
      call.usage(1, 1);
    }
    try (LlmCall call = llm.start("openai", "other")) {
      call.usage(1, 1);
    }
    Exposition scrape = scrape();
    assertThat(scrape.value("llm_time_to_first_token_seconds_count", "model", "cheap"))
        .isEqualTo(1);
    assertThat(scrape.value("llm_time_to_first_token_seconds_sum", "model", "cheap"))
        .isEqualTo(0.3);
    assertThat(
            scrape.value("llm_time_to_first_token_seconds_bucket", "model", "cheap", "le", "0.5"))
        .isEqualTo(1);
    assertThat(scrape.value("llm_request_duration_seconds_sum", "model", "cheap")).isEqualTo(5.3);
    assertThat(scrape.labelValues("llm_time_to_first_token_seconds_count", "model"))
        .containsExactly("cheap");
  }

  @Test
  void cacheAndReasoningTokensAreSubsetsAndPricedByTheSplit() {
    try (LlmCall call = llm.start("anthropic", "cached")) {
      call.usage(
          Usage.of(1_000 + 2_000 + 500, 400)
              .withCacheRead(2_000)
              .withCacheWrite(500)
              .withReasoning(150));
    }
    Exposition scrape = scrape();
    assertThat(scrape.value("llm_tokens_total", "type", "input")).isEqualTo(3_500);
    assertThat(scrape.value("llm_tokens_total", "type", "output")).isEqualTo(400);
    assertThat(scrape.value("llm_tokens_total", "type", "cache_read")).isEqualTo(2_000);
    assertThat(scrape.value("llm_tokens_total", "type", "cache_write")).isEqualTo(500);
    assertThat(scrape.value("llm_tokens_total", "type", "reasoning")).isEqualTo(150);
    // The billable total is input + output; the subsets are never added again.
    assertThat(
            scrape.sum("llm_tokens_total", "type", "input")
                + scrape.sum("llm_tokens_total", "type", "output"))
        .isEqualTo(3_900);
    // 1000 * 3e-6 + 2000 * 3e-7 + 500 * 3.75e-6 + 400 * 1.5e-5 = 0.003 + 0.0006 + 0.001875 + 0.006
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.011475);
  }

  @Test
  void aReportedCostWinsOverTheUsagesCostAndTheCatalog() {
    try (LlmCall call = llm.start("openai", "cheap")) {
      call.usage(Usage.of(1_000_000, 0).withCost(0.5));
      call.cost(0.25);
    }
    try (LlmCall call = llm.start("openai", "cheap")) {
      call.usage(Usage.of(1_000_000, 0).withCost(0.125));
    }
    try (LlmCall call = llm.start("openrouter", "unlisted")) {
      call.usage(Usage.of(10, 10).withCost(0.001));
    }
    Exposition scrape = scrape();
    assertThat(scrape.value("llm_cost_dollars_total", "model", "cheap")).isEqualTo(0.375);
    assertThat(scrape.value("llm_cost_dollars_total", "model", "unlisted")).isEqualTo(0.001);
    assertThat(scrape.samples("llm_cost_unpriced_total")).isEmpty();
  }

  @Test
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "dropped a recording in llm usage")
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "dropped a recording in llm cost")
  void invalidAmountsAreDroppedAndCountedNeverThrown() {
    assertThatCode(
            () -> {
              try (LlmCall call = llm.start("openai", "cheap")) {
                call.usage(-1, 5);
              }
              try (LlmCall call = llm.start("openai", "cheap")) {
                call.usage(Usage.of(10, 5).withCacheRead(11));
              }
              try (LlmCall call = llm.start("openai", "cheap")) {
                call.usage(Usage.of(10, 5).withReasoning(6));
              }
              try (LlmCall call = llm.start("openai", "cheap")) {
                call.usage(Usage.of(1, 0));
                call.cost(Double.NaN);
              }
              try (LlmCall call = llm.start("openai", "cheap")) {
                call.usage(Usage.of(1, 0));
                call.cost(-3);
              }
              try (LlmCall call = llm.start("openai", "cheap")) {
                call.usage(Usage.of(Long.MAX_VALUE, 0));
              }
              try (LlmCall call = llm.start("openai", "pricey")) {
                call.usage(Usage.of(LlmCall.MAX_TOKENS, 0));
              }
              try (LlmCall call = llm.start("openai", "cheap")) {
                call.usage(Usage.of(1, 0));
                call.cost(LlmCall.MAX_COST_DOLLARS + 1);
              }
            })
        .doesNotThrowAnyException();
    Exposition scrape = scrape();
    // -1 input tokens, a cost of -3.
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "negative_amount"))
        .isEqualTo(2);
    // 11 cache reads of 10 input tokens, 6 reasoning of 5 output tokens.
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "inconsistent_usage"))
        .isEqualTo(2);
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "non_finite_amount"))
        .isEqualTo(1);
    // Long.MAX_VALUE tokens, a cost of $10 billion computed, a cost of $10,001 reported.
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "amount_overflow"))
        .isEqualTo(3);
    // The three one-token calls kept their tokens, and their dropped costs fell back to the
    // catalog price; the billion tokens of the pricey call are counted, its cost is not.
    assertThat(scrape.value("llm_tokens_total", "model", "cheap", "type", "input")).isEqualTo(3);
    assertThat(scrape.value("llm_tokens_total", "model", "pricey", "type", "input"))
        .isEqualTo(LlmCall.MAX_TOKENS);
    assertThat(scrape.value("llm_cost_dollars_total", "model", "cheap")).isEqualTo(0.000006);
    assertThat(scrape.samples("llm_cost_dollars_total")).hasSize(1);
    assertThat(scrape.value("llm_requests_total", "model", "cheap", "status", "success"))
        .isEqualTo(7);
  }

  @Test
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "dropped a recording in provider")
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "dropped a recording in llm model")
  void invalidProviderOrModelRecordsNothingAndIsCounted() {
    assertThatCode(
            () -> {
              try (LlmCall call = llm.start(null, "m")) {
                call.usage(1, 1);
              }
              try (LlmCall call = llm.start("openai", "")) {
                call.usage(1, 1);
              }
              try (LlmCall call = llm.start("openai", "m".repeat(300))) {
                call.firstToken();
                call.failed(new IOException("x"));
              }
            })
        .doesNotThrowAnyException();
    Exposition scrape = scrape();
    assertThat(scrape.samples("llm_requests_total")).isEmpty();
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "null_label")).isEqualTo(1);
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "empty_label")).isEqualTo(1);
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "label_too_long"))
        .isEqualTo(1);
  }

  @Test
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "has no price")
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "label 'provider' reached its cap of 2")
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "label 'model' reached its cap of 2")
  void providersAndModelsBeyondTheirCapsFoldIntoOverflowButKeepTheirPrice() {
    PrometheusRegistry own = new PrometheusRegistry();
    LlmMetrics capped =
        LlmMetrics.builder(KosmosMetrics.builder().registry(own).build())
            .pricing(pricing)
            .maxProviders(2)
            .maxModels(2)
            .build();
    String[][] calls = {
      {"p1", "a"}, {"p1", "b"}, {"p1", "c"}, {"p2", "d"}, {"p3", "e"}, {"openai", "cheap"}
    };
    for (String[] providerModel : calls) {
      try (LlmCall call = capped.start(providerModel[0], providerModel[1])) {
        call.usage(1_000_000, 0);
      }
    }
    Exposition scrape = Exposition.scrape(own);
    assertThat(scrape.labelValues("llm_requests_total", "provider"))
        .containsExactly("overflow", "p1", "p2");
    assertThat(scrape.labelValues("llm_requests_total", "model"))
        .containsExactly("a", "b", "overflow");
    assertThat(
            scrape.value(
                "llm_requests_total", "provider", "p1", "model", "overflow", "status", "success"))
        .isEqualTo(1);
    assertThat(
            scrape.value(
                "llm_requests_total",
                "provider",
                "overflow",
                "model",
                "overflow",
                "status",
                "success"))
        .isEqualTo(2);
    assertThat(scrape.value("kosmos_metrics_label_overflow_total", "label", "provider"))
        .isEqualTo(2);
    assertThat(scrape.value("kosmos_metrics_label_overflow_total", "label", "model")).isEqualTo(4);
    // openai/cheap was folded, yet its price (1M input tokens at $2/M) still applies.
    assertThat(scrape.value("llm_cost_dollars_total", "provider", "overflow", "model", "overflow"))
        .isEqualTo(2.0);
    assertThat(scrape.value("llm_cost_unpriced_total", "provider", "overflow", "model", "overflow"))
        .isEqualTo(1);
  }

  @Test
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "kosmos-metrics failed to record in LlmMetrics usage extractor")
  void theFunctionalFormRecordsTheOutcomeAndRethrowsCheckedExceptionsUnchanged() {
    String result = llm.call("openai", "cheap", () -> "ok", r -> Usage.of(3, 4));
    assertThat(result).isEqualTo("ok");
    IOException timeout = new java.net.SocketTimeoutException("read timed out");
    assertThatThrownBy(
            () ->
                llm.call(
                    "openai",
                    "cheap",
                    () -> {
                      throw timeout;
                    },
                    r -> Usage.of(1, 1)))
        .isSameAs(timeout);
    String noUsage =
        llm.call(
            "openai",
            "cheap",
            () -> "fine",
            r -> {
              throw new IllegalStateException("bad extractor");
            });
    assertThat(noUsage).isEqualTo("fine");

    Exposition scrape = scrape();
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(2);
    assertThat(scrape.value("llm_errors_total", "error_type", "timeout")).isEqualTo(1);
    assertThat(scrape.value("llm_tokens_total", "type", "output")).isEqualTo(4);
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "internal_error"))
        .isEqualTo(1);
  }

  @Test
  void theAsyncFormRecordsWhenTheStageCompletesAndPassesTheSameException() throws Exception {
    CompletableFuture<String> pending = new CompletableFuture<>();
    CompletionStage<String> tracked =
        llm.callAsync("openai", "cheap", () -> pending, r -> Usage.of(2, 2));
    assertThat(scrape().samples("llm_requests_total").stream().mapToDouble(s -> s.value()).sum())
        .isZero();
    now.addAndGet(2_000_000_000L);
    pending.complete("done");
    assertThat(tracked.toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo("done");

    IllegalArgumentException rejected = new IllegalArgumentException("rejected");
    CompletionStage<String> failed =
        llm.callAsync(
            "openai",
            "cheap",
            () -> CompletableFuture.failedFuture(new LlmHttpException(401, "no key")),
            r -> Usage.of(2, 2));
    CompletionStage<String> thrownEarly =
        callAsyncCatching(
            () -> {
              throw rejected;
            });
    assertThat(thrownEarly).isNull();

    Throwable seen = failed.handle((r, e) -> e).toCompletableFuture().get(5, TimeUnit.SECONDS);
    assertThat(seen).isInstanceOf(LlmHttpException.class);
    Exposition scrape = scrape();
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.value("llm_request_duration_seconds_sum")).isEqualTo(2.0);
    assertThat(scrape.value("llm_errors_total", "error_type", "auth")).isEqualTo(1);
    assertThat(scrape.value("llm_errors_total", "error_type", "invalid_request")).isZero();
    assertThat(scrape.value("llm_errors_total", "error_type", "other")).isEqualTo(1);
  }

  private CompletionStage<String> callAsyncCatching(
      java.util.function.Supplier<CompletionStage<String>> request) {
    try {
      return llm.callAsync("openai", "cheap", request, r -> Usage.of(1, 1));
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessage("rejected");
      return null;
    }
  }

  @Test
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "kosmos-metrics failed to record in ErrorClassifier")
  void aCustomErrorClassifierIsAskedFirstThenTheDefaults() {
    LlmMetrics custom =
        LlmMetrics.builder(metrics)
            .errorClassifier(
                e -> {
                  if (e.getMessage().equals("boom")) {
                    throw new IllegalStateException("classifier bug");
                  }
                  return e instanceof UnsupportedOperationException ? ErrorType.RATE_LIMITED : null;
                })
            .build();
    try (LlmCall call = custom.start("openai", "cheap")) {
      call.failed(new UnsupportedOperationException("quota"));
    }
    try (LlmCall call = custom.start("openai", "cheap")) {
      call.failed(new LlmHttpException(500, "oops"));
    }
    try (LlmCall call = custom.start("openai", "cheap")) {
      call.failed(new IllegalStateException("boom"));
    }
    Exposition scrape = scrape();
    assertThat(scrape.value("llm_errors_total", "error_type", "rate_limited")).isEqualTo(1);
    assertThat(scrape.value("llm_errors_total", "error_type", "server_error")).isEqualTo(1);
    assertThat(scrape.value("llm_errors_total", "error_type", "other")).isEqualTo(1);
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "internal_error"))
        .isEqualTo(1);
  }

  @Test
  void aWarmTrackedCallAllocatesOnlyItsCallObject() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int calls = 20_000;
    // The client's histogram allocates until the JIT has compiled it, which takes longer on a
    // loaded machine; the best round counts, and the loop ends as soon as one is good enough.
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 200 && best >= 128; round++) {
      long before = threads.getThreadAllocatedBytes(tid);
      for (int i = 0; i < calls; i++) {
        try (LlmCall call = llm.start("openai", "cheap")) {
          call.firstToken();
          call.usage(12, 34);
        }
      }
      best = Math.min(best, (double) (threads.getThreadAllocatedBytes(tid) - before) / calls);
    }
    // An LlmCall is about 100 bytes; anything more would be a second object per call.
    assertThat(best).as("bytes per call once warm").isLessThan(128);
  }

  @Test
  void misconfigurationFailsAtBuildTimeWithItsReason() {
    assertThatThrownBy(() -> LlmMetrics.builder(metrics).maxProviders(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxProviders must be at least 1, but was 0");
    assertThatThrownBy(() -> LlmMetrics.builder(metrics).maxModels(-5))
        .hasMessage("maxModels must be at least 1, but was -5");
    assertThatThrownBy(() -> LlmMetrics.builder(null)).hasMessage("metrics must not be null");
    assertThatThrownBy(() -> LlmMetrics.builder(metrics).pricing((LlmPricing) null))
        .hasMessage("pricing must not be null");
    assertThatThrownBy(() -> LlmMetrics.builder(metrics).errorClassifier(null))
        .hasMessage("errorClassifier must not be null");
    assertThatThrownBy(() -> LlmMetrics.builder(metrics).clock(null))
        .hasMessage("clock must not be null");
    assertThatThrownBy(() -> LlmMetrics.builder(metrics).maxModels(7).build())
        .hasMessage("maxModels must match the other LlmMetrics on this registry (100), but was 7");
  }
}
