package io.kosmos.metrics.llm;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * An LLM provider answered with an HTTP error status. Throw it from a hand-written client so that
 * the default {@link ErrorClassifier} records the right {@code error_type}.
 *
 * <pre>{@code
 * HttpResponse<String> response = http.send(request, BodyHandlers.ofString());
 * if (response.statusCode() >= 400) {
 *   throw new LlmHttpException(response.statusCode(), response.body());
 * }
 * }</pre>
 *
 * <p>The error type is {@link ErrorType#ofStatus(int)} of the status, except that a 400 or 413
 * whose body says the context window was exceeded (OpenAI's {@code "context_length_exceeded"} code,
 * or the phrases {@code "maximum context length"}, {@code "context window"}, {@code "prompt is too
 * long"}) is {@link ErrorType#CONTEXT_LENGTH}. A client that knows better passes the type
 * explicitly.
 */
public class LlmHttpException extends RuntimeException {

  private static final long serialVersionUID = 1L;
  private static final int MAX_MESSAGE_BODY = 500;

  private final int status;
  private final String body;
  private final ErrorType errorType;

  /**
   * An error whose type follows from the status and body.
   *
   * @param status the HTTP status received
   * @param body the response body, kept whole in {@link #body()} and cut to 500 characters in the
   *     message
   */
  public LlmHttpException(int status, @Nullable String body) {
    this(status, body, classify(status, body == null ? "" : body));
  }

  /** An error of a type the caller decided, e.g. from a provider-specific error code. */
  public LlmHttpException(int status, @Nullable String body, ErrorType errorType) {
    super(message(status, body == null ? "" : body));
    this.status = status;
    this.body = body == null ? "" : body;
    this.errorType = errorType;
  }

  /** The HTTP status received. */
  public int status() {
    return status;
  }

  /** The response body, possibly empty. */
  public String body() {
    return body;
  }

  /** The {@code error_type} this failure is recorded with. */
  public ErrorType errorType() {
    return errorType;
  }

  private static String message(int status, String body) {
    String shown =
        body.length() > MAX_MESSAGE_BODY ? body.substring(0, MAX_MESSAGE_BODY) + "..." : body;
    return "LLM provider returned HTTP " + status + (shown.isEmpty() ? "" : ": " + shown);
  }

  static ErrorType classify(int status, String body) {
    if ((status == 400 || status == 413) && mentionsContextLength(body)) {
      return ErrorType.CONTEXT_LENGTH;
    }
    return ErrorType.ofStatus(status);
  }

  static boolean mentionsContextLength(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    return lower.contains("context_length_exceeded")
        || lower.contains("maximum context length")
        || lower.contains("context window")
        || lower.contains("prompt is too long");
  }
}
