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
   * The default classification, right for openai-java, anthropic-java, LangChain4j and Spring AI
   * without depending on any of them. It looks at the exception and its causes (so retry and SDK
   * I/O wrappers, {@code CompletionException}, {@code ExecutionException} and reflective wrappers
   * are looked through), first match wins:
   *
   * <ul>
   *   <li>{@link LlmHttpException}: its {@link LlmHttpException#errorType()};
   *   <li>{@code java.net.http.HttpTimeoutException}, {@code
   *       java.util.concurrent.TimeoutException}, {@code java.net.SocketTimeoutException}, and an
   *       {@code InterruptedIOException} whose message says "timeout" or "timed out" (OkHttp's call
   *       timeout): {@link ErrorType#TIMEOUT};
   *   <li>exceptions of provider SDKs (any class outside {@code java.*} and {@code javax.*}), by
   *       their simple class name: containing {@code Timeout} is {@code TIMEOUT}; {@code
   *       RateLimit}, {@code TooManyRequests}: {@code RATE_LIMITED}; {@code Authentication}, {@code
   *       Unauthorized}, {@code PermissionDenied}, {@code Forbidden}: {@code AUTH}; {@code
   *       ContextLength}, {@code ContextWindow}: {@code CONTEXT_LENGTH}; {@code BadRequest}, {@code
   *       InvalidRequest}, {@code NotFound}, {@code UnprocessableEntity}: {@code INVALID_REQUEST};
   *       {@code InternalServer}, {@code ServiceUnavailable}, {@code Overloaded}: {@code
   *       SERVER_ERROR};
   *   <li>other SDK exceptions whose message starts with an HTTP status 400..599 ({@code "429 -
   *       ..."} as Spring AI's {@code NonTransientAiException} and {@code TransientAiException}
   *       say, {@code "HTTP 429 ..."}, {@code "429: ..."}): {@link ErrorType#ofStatus}.
   * </ul>
   *
   * A result of {@link ErrorType#INVALID_REQUEST} becomes {@link ErrorType#CONTEXT_LENGTH} when the
   * message of the exception or of any cause says so (OpenAI's {@code context_length_exceeded} code
   * or "maximum context length", Anthropic's "prompt is too long", "context window"). Returns
   * {@code null} for anything else.
   */
  static ErrorClassifier defaults() {
    return DefaultErrorClassifier.INSTANCE;
  }
}
