package io.kosmos.metrics.llm;

import org.jspecify.annotations.Nullable;

/**
 * Maps an exception thrown by an LLM client to an {@link ErrorType}.
 *
 * <pre>{@code
 * LlmMetrics llm = LlmMetrics.builder(metrics)
 *     .errorClassifier(e -> e instanceof MyQuotaException ? ErrorType.RATE_LIMITED : null)
 *     .build();
 * }</pre>
 *
 * <p>A custom classifier is asked first; when it returns {@code null} (or throws, which is counted
 * as an internal error) the {@link #defaults() default} classification applies, and what neither
 * recognises is {@link ErrorType#OTHER}.
 */
@FunctionalInterface
public interface ErrorClassifier {

  /**
   * The error type of {@code error}, or {@code null} when this classifier does not recognise it.
   */
  @Nullable ErrorType classify(Throwable error);

  /**
   * The default classification. It looks at the exception and its causes (unwrapping {@code
   * CompletionException} and {@code ExecutionException}), first match wins:
   *
   * <ul>
   *   <li>{@link LlmHttpException}: its {@link LlmHttpException#errorType()};
   *   <li>{@code java.net.http.HttpTimeoutException}, {@code
   *       java.util.concurrent.TimeoutException}, {@code java.net.SocketTimeoutException}: {@link
   *       ErrorType#TIMEOUT};
   *   <li>exceptions of provider SDKs (any class outside {@code java.*} and {@code javax.*}), by
   *       their simple class name: containing {@code Timeout} is {@code TIMEOUT}; {@code
   *       RateLimit}, {@code TooManyRequests}: {@code RATE_LIMITED}; {@code Authentication}, {@code
   *       Unauthorized}, {@code PermissionDenied}, {@code Forbidden}: {@code AUTH}; {@code
   *       ContextLength}, {@code ContextWindow}: {@code CONTEXT_LENGTH}; {@code BadRequest}, {@code
   *       InvalidRequest}, {@code NotFound}, {@code UnprocessableEntity}: {@code INVALID_REQUEST};
   *       {@code InternalServer}, {@code ServiceUnavailable}, {@code Overloaded}: {@code
   *       SERVER_ERROR}.
   * </ul>
   *
   * Returns {@code null} for anything else.
   */
  static ErrorClassifier defaults() {
    return DefaultErrorClassifier.INSTANCE;
  }
}
