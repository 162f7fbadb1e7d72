package io.kosmos.metrics.llm;

/**
 * Why an LLM call failed: the closed set of values of the {@code error_type} label of {@code
 * llm_errors_total}.
 *
 * <pre>{@code
 * try (LlmCall call = llm.start("openai", "gpt-4o-mini")) {
 *   if (tooManyTokens(prompt)) {
 *     call.failed(ErrorType.CONTEXT_LENGTH);
 *     return fallback();
 *   }
 *   // ...
 * }
 * }</pre>
 *
 * <p>The set is small and fixed so that dashboards and alerts can rely on it and so that no caller
 * can create series by inventing error names.
 */
public enum ErrorType {
  /** The call timed out: HTTP 408 or a client-side timeout. */
  TIMEOUT("timeout"),
  /** The provider throttled the call: HTTP 429. */
  RATE_LIMITED("rate_limited"),
  /** Missing, invalid or insufficient credentials: HTTP 401 and 403. */
  AUTH("auth"),
  /** The provider rejected the request: HTTP 400, 404 and 422. */
  INVALID_REQUEST("invalid_request"),
  /** The prompt or requested output exceeds the model's context window. */
  CONTEXT_LENGTH("context_length"),
  /** The provider failed: HTTP 5xx. */
  SERVER_ERROR("server_error"),
  /** Anything else, including a call closed without an outcome. */
  OTHER("other");

  private final String label;

  ErrorType(String label) {
    this.label = label;
  }

  /** The value of the {@code error_type} label. */
  public String label() {
    return label;
  }

  /**
   * The error type of an HTTP status: 408 {@link #TIMEOUT}; 429 {@link #RATE_LIMITED}; 401 and 403
   * {@link #AUTH}; 400, 404 and 422 {@link #INVALID_REQUEST}; 500..599 {@link #SERVER_ERROR};
   * anything else {@link #OTHER}. A 400 caused by an over-long prompt cannot be told from its
   * status alone: see {@link LlmHttpException}.
   */
  public static ErrorType ofStatus(int status) {
    switch (status) {
      case 408:
        return TIMEOUT;
      case 429:
        return RATE_LIMITED;
      case 401:
      case 403:
        return AUTH;
      case 400:
      case 404:
      case 422:
        return INVALID_REQUEST;
      default:
        return status >= 500 && status <= 599 ? SERVER_ERROR : OTHER;
    }
  }
}
