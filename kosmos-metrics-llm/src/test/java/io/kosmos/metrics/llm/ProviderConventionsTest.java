package io.kosmos.metrics.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.internal.Catalog;
import io.kosmos.metrics.core.internal.DropReason;
import io.kosmos.metrics.core.internal.SelfMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class ProviderConventionsTest {

  private final ErrorClassifier classifier = ErrorClassifier.defaults();

  @Test
  void openAiPromptTokensAlreadyIncludeCachedAndCompletionIncludesReasoning() {
    Usage usage = ProviderUsage.openAi(1200, 300, 1024, 128);
    assertThat(usage.input()).isEqualTo(1200);
    assertThat(usage.output()).isEqualTo(300);
    assertThat(usage.cacheRead()).isEqualTo(1024);
    assertThat(usage.cacheWrite()).isZero();
    assertThat(usage.reasoning()).isEqualTo(128);
  }

  @Test
  void anthropicInputExcludesCacheReadsAndWritesSoTheyAreAdded() {
    Usage usage = ProviderUsage.anthropic(50, 400, 1800, 600);
    assertThat(usage.input()).isEqualTo(2450);
    assertThat(usage.output()).isEqualTo(400);
    assertThat(usage.cacheRead()).isEqualTo(1800);
    assertThat(usage.cacheWrite()).isEqualTo(600);
    assertThat(usage.cacheWrite1h()).isZero();
    assertThat(usage.reasoning()).isZero();
  }

  @Test
  void anthropicOneHourCacheWritesArePartOfTheCacheWritesAndPricedAtTheOneHourRate() {
    Usage usage = ProviderUsage.anthropic(50, 400, 1800, 600, 200);
    assertThat(usage.input()).isEqualTo(2450);
    assertThat(usage.cacheWrite()).isEqualTo(600);
    assertThat(usage.cacheWrite1h()).isEqualTo(200);
    // 50 input at $3/M, 1800 reads at $0.30/M, 400 five-minute writes at $3.75/M, 200 one-hour
    // writes at $6/M, 400 output at $15/M: (150 + 540 + 1500 + 1200 + 6000) / 10^6 = $0.00939.
    assertThat(
            ModelPrice.perMillion(3, 15)
                .withCacheReadPerMillion(0.30)
                .withCacheWritePerMillion(3.75)
                .withCacheWrite1hPerMillion(6)
                .cost(usage))
        .isEqualByComparingTo("0.00939");
  }

  @Test
  void geminiThoughtsAreOutputOutsideTheCandidatesAndToolPromptsAreInput() {
    Usage usage = ProviderUsage.gemini(1000, 200, 600, 300, 40);
    assertThat(usage.input()).isEqualTo(1040);
    assertThat(usage.output()).isEqualTo(500);
    assertThat(usage.cacheRead()).isEqualTo(600);
    assertThat(usage.reasoning()).isEqualTo(300);
  }

  @Test
  void negativeOrOverflowingPartsNeverMakeAPlausibleTotal() {
    assertThat(ProviderUsage.anthropic(-5, 1, 10, 0).input()).isEqualTo(-1);
    assertThat(ProviderUsage.anthropic(Long.MAX_VALUE, 1, 10, 0).input()).isEqualTo(Long.MAX_VALUE);
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "dropped a recording in llm usage")
  @Test
  void anInconsistentUsageIsCountedAndTheCallStillSucceeds() {
    PrometheusRegistry registry = new PrometheusRegistry();
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    LlmMetrics llm = LlmMetrics.builder(metrics).build();
    SelfMetrics self = Catalog.of(registry).self;
    try (LlmCall call = llm.start("openai", "gpt-4o-mini")) {
      // cached above prompt: the OpenAI convention applied to Anthropic-style numbers
      call.usage(ProviderUsage.openAi(50, 10, 1800, 0));
    }
    assertThat(self.dropped(DropReason.INCONSISTENT_USAGE)).isEqualTo(1);
    assertThat(self.dropped(DropReason.NEGATIVE_AMOUNT)).isZero();
    String text = registry.scrape().toString();
    assertThat(llmRequests(registry, "success")).isEqualTo(1.0);
    assertThat(text).isNotEmpty();
  }

  private static double llmRequests(PrometheusRegistry registry, String status) {
    return registry.scrape().stream()
        .filter(s -> s.getMetadata().getPrometheusName().equals("llm_requests"))
        .flatMap(s -> s.getDataPoints().stream())
        .filter(p -> status.equals(p.getLabels().get("status")))
        .mapToDouble(
            p ->
                ((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) p)
                    .getValue())
        .sum();
  }

  @Test
  void okHttpTimeoutsWrappedInSdkIoExceptionsAreTimeouts() {
    assertThat(
            classifier.classify(
                new SdkIoException("Request failed", new InterruptedIOException("timeout"))))
        .isEqualTo(ErrorType.TIMEOUT);
    assertThat(
            classifier.classify(
                new SdkIoException("Request failed", new InterruptedIOException("interrupted"))))
        .isNull();
  }

  @Test
  void aBadRequestWhoseMessageOrCauseMentionsTheContextWindowIsContextLength() {
    assertThat(
            classifier.classify(
                new BadRequestException("400: {\"error\":{\"code\":\"context_length_exceeded\"}}")))
        .isEqualTo(ErrorType.CONTEXT_LENGTH);
    assertThat(
            classifier.classify(
                new BadRequestException("400: {\"error\":{\"message\":\"Unknown parameter\"}}")))
        .isEqualTo(ErrorType.INVALID_REQUEST);
    assertThat(
            classifier.classify(
                new RetryWrapperException(
                    "exhausted", new BadRequestException("prompt is too long: 210000 tokens"))))
        .isEqualTo(ErrorType.CONTEXT_LENGTH);
    assertThat(classifier.classify(new InternalServerException("500: maximum context length")))
        .isEqualTo(ErrorType.SERVER_ERROR);
  }

  @Test
  void statusesCarriedOnlyInTheMessageAreRead() {
    assertThat(classifier.classify(new NonTransientAiException("429 - {\"error\":{}}")))
        .isEqualTo(ErrorType.RATE_LIMITED);
    assertThat(classifier.classify(new NonTransientAiException("401 - {}")))
        .isEqualTo(ErrorType.AUTH);
    assertThat(classifier.classify(new NonTransientAiException("HTTP 503 Service Unavailable")))
        .isEqualTo(ErrorType.SERVER_ERROR);
    assertThat(
            classifier.classify(
                new NonTransientAiException(
                    "400 - {\"error\":{\"message\":\"This model's maximum context length is 8192\"}}")))
        .isEqualTo(ErrorType.CONTEXT_LENGTH);
    assertThat(classifier.classify(new NonTransientAiException("200 tokens were too many")))
        .isNull();
    assertThat(classifier.classify(new NonTransientAiException("4000 - x"))).isNull();
    assertThat(classifier.classify(new UncheckedIOException("404 - x", new IOException())))
        .isNull();
  }

  static final class SdkIoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SdkIoException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static final class BadRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequestException(String message) {
      super(message);
    }
  }

  static final class InternalServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InternalServerException(String message) {
      super(message);
    }
  }

  static final class RetryWrapperException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RetryWrapperException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static final class NonTransientAiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NonTransientAiException(String message) {
      super(message);
    }
  }
}
