package io.kosmos.metrics.testsupport.llm;

/**
 * The failures every SDK integration must classify, with the {@code error_type} expected.
 *
 * <pre>{@code
 * server.reply(Reply.json(failure.status(), OpenAiWire.error(failure)));
 * // ... call the SDK, then expect llm_errors_total{error_type=failure.errorType()}
 * }</pre>
 */
public enum LlmFailure {
  RATE_LIMITED_429(429, "rate_limited"),
  UNAUTHORIZED_401(401, "auth"),
  SERVER_ERROR_500(500, "server_error"),
  CONTEXT_LENGTH_400(400, "context_length"),
  INVALID_REQUEST_400(400, "invalid_request"),
  CLIENT_TIMEOUT(0, "timeout");

  private final int status;
  private final String errorType;

  LlmFailure(int status, String errorType) {
    this.status = status;
    this.errorType = errorType;
  }

  /** The HTTP status the fake provider answers with; 0 for no answer at all. */
  public int status() {
    return status;
  }

  /** The {@code error_type} label the failure must be recorded with. */
  public String errorType() {
    return errorType;
  }

  /**
   * How often the cell is repeated: a timeout races the client's timer against the socket, so its
   * classification is checked over ten calls.
   */
  public int repeats() {
    return this == CLIENT_TIMEOUT ? 10 : 1;
  }
}
