package io.kosmos.metrics.llm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ErrorClassifierTest {

  private final ErrorClassifier classifier = ErrorClassifier.defaults();

  @Test
  void httpStatusesMapToTheFixedTaxonomy() {
    assertThat(ErrorType.ofStatus(408)).isEqualTo(ErrorType.TIMEOUT);
    assertThat(ErrorType.ofStatus(429)).isEqualTo(ErrorType.RATE_LIMITED);
    assertThat(ErrorType.ofStatus(401)).isEqualTo(ErrorType.AUTH);
    assertThat(ErrorType.ofStatus(403)).isEqualTo(ErrorType.AUTH);
    assertThat(ErrorType.ofStatus(400)).isEqualTo(ErrorType.INVALID_REQUEST);
    assertThat(ErrorType.ofStatus(404)).isEqualTo(ErrorType.INVALID_REQUEST);
    assertThat(ErrorType.ofStatus(422)).isEqualTo(ErrorType.INVALID_REQUEST);
    assertThat(ErrorType.ofStatus(500)).isEqualTo(ErrorType.SERVER_ERROR);
    assertThat(ErrorType.ofStatus(529)).isEqualTo(ErrorType.SERVER_ERROR);
    assertThat(ErrorType.ofStatus(418)).isEqualTo(ErrorType.OTHER);
    assertThat(ErrorType.ofStatus(200)).isEqualTo(ErrorType.OTHER);
    assertThat(ErrorType.values())
        .extracting(ErrorType::label)
        .containsExactly(
            "timeout",
            "rate_limited",
            "auth",
            "invalid_request",
            "context_length",
            "server_error",
            "other");
  }

  @Test
  void aContextLengthBodyTurnsABadRequestIntoContextLength() {
    String openAi =
        "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens.\","
            + "\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\"}}";
    String anthropic =
        "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
            + "\"message\":\"prompt is too long: 210000 tokens > 200000 maximum\"}}";
    assertThat(new LlmHttpException(400, openAi).errorType()).isEqualTo(ErrorType.CONTEXT_LENGTH);
    assertThat(new LlmHttpException(400, anthropic).errorType())
        .isEqualTo(ErrorType.CONTEXT_LENGTH);
    assertThat(new LlmHttpException(400, "{\"error\":\"bad json\"}").errorType())
        .isEqualTo(ErrorType.INVALID_REQUEST);
    assertThat(new LlmHttpException(500, openAi).errorType()).isEqualTo(ErrorType.SERVER_ERROR);
    assertThat(new LlmHttpException(400, "custom", ErrorType.CONTEXT_LENGTH).errorType())
        .isEqualTo(ErrorType.CONTEXT_LENGTH);
    assertThat(new LlmHttpException(429, null).getMessage())
        .isEqualTo("LLM provider returned HTTP 429");
    assertThat(new LlmHttpException(500, "x".repeat(600)).getMessage())
        .hasSize("LLM provider returned HTTP 500: ".length() + 500 + 3);
  }

  @Test
  void timeoutsOfTheJdkAreTimeoutsWhereverTheyAreWrapped() {
    assertThat(classifier.classify(new HttpTimeoutException("request timed out")))
        .isEqualTo(ErrorType.TIMEOUT);
    assertThat(classifier.classify(new HttpConnectTimeoutException("connect timed out")))
        .isEqualTo(ErrorType.TIMEOUT);
    assertThat(classifier.classify(new TimeoutException())).isEqualTo(ErrorType.TIMEOUT);
    assertThat(classifier.classify(new SocketTimeoutException())).isEqualTo(ErrorType.TIMEOUT);
    assertThat(
            classifier.classify(
                new CompletionException(new IOException(new SocketTimeoutException()))))
        .isEqualTo(ErrorType.TIMEOUT);
    assertThat(classifier.classify(new ExecutionException(new LlmHttpException(429, ""))))
        .isEqualTo(ErrorType.RATE_LIMITED);
  }

  static final class RateLimitException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  static final class AuthenticationException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  static final class UnprocessableEntityException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  static final class InternalServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  static final class ContextLengthExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void providerSdkExceptionsAreRecognisedByName() {
    assertThat(classifier.classify(new RateLimitException())).isEqualTo(ErrorType.RATE_LIMITED);
    assertThat(classifier.classify(new AuthenticationException())).isEqualTo(ErrorType.AUTH);
    assertThat(classifier.classify(new UnprocessableEntityException()))
        .isEqualTo(ErrorType.INVALID_REQUEST);
    assertThat(classifier.classify(new InternalServerException()))
        .isEqualTo(ErrorType.SERVER_ERROR);
    assertThat(classifier.classify(new ContextLengthExceededException()))
        .isEqualTo(ErrorType.CONTEXT_LENGTH);
    assertThat(classifier.classify(new IOException("connection reset"))).isNull();
    assertThat(classifier.classify(new java.io.FileNotFoundException("prompt.txt"))).isNull();
    assertThat(classifier.classify(new IllegalStateException())).isNull();
  }

  @Test
  void aCauseCycleEnds() {
    RuntimeException a = new RuntimeException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);
    assertThat(classifier.classify(a)).isNull();
  }
}
