package io.kosmos.metrics.llm;

import java.io.InterruptedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The default classification; see {@link ErrorClassifier#defaults()}. It knows the SDKs by class
 * names and messages only, so that this module depends on none of them.
 */
final class DefaultErrorClassifier implements ErrorClassifier {
  static final DefaultErrorClassifier INSTANCE = new DefaultErrorClassifier();
  private static final int MAX_DEPTH = 16;

  private DefaultErrorClassifier() {}

  @Override
  public @Nullable ErrorType classify(Throwable error) {
    Throwable current = error;
    for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
      ErrorType type = direct(current);
      if (type != null) {
        // A context-length 400 is a 400 to every SDK; only its text tells it apart, and the text
        // may sit on the wrapper or on the cause.
        return type == ErrorType.INVALID_REQUEST && chainMentionsContextLength(error)
            ? ErrorType.CONTEXT_LENGTH
            : type;
      }
      Throwable cause = current.getCause();
      current = cause == current ? null : cause;
    }
    return null;
  }

  private static @Nullable ErrorType direct(Throwable error) {
    if (error instanceof CompletionException
        || error instanceof ExecutionException
        || error instanceof UndeclaredThrowableException
        || error instanceof InvocationTargetException) {
      return null;
    }
    if (error instanceof LlmHttpException) {
      return ((LlmHttpException) error).errorType();
    }
    if (error instanceof HttpTimeoutException
        || error instanceof TimeoutException
        || error instanceof SocketTimeoutException) {
      return ErrorType.TIMEOUT;
    }
    if (error instanceof InterruptedIOException) {
      // OkHttp (under openai-java and anthropic-java) reports its call and read timeouts as a
      // plain InterruptedIOException("timeout"); a thread interrupt says "interrupted".
      return mentionsTimeout(error.getMessage()) ? ErrorType.TIMEOUT : null;
    }
    // Only SDK types: JDK names such as FileNotFoundException or ClassNotFoundException say
    // nothing about the provider's answer.
    String className = error.getClass().getName();
    if (className.startsWith("java.") || className.startsWith("javax.")) {
      return null;
    }
    ErrorType byName = byName(error.getClass().getSimpleName());
    return byName != null ? byName : byMessageStatus(error.getMessage());
  }

  static @Nullable ErrorType byName(String name) {
    if (name.contains("Timeout")) {
      return ErrorType.TIMEOUT;
    }
    if (name.contains("RateLimit") || name.contains("TooManyRequests")) {
      return ErrorType.RATE_LIMITED;
    }
    if (name.contains("Authentication")
        || name.contains("Unauthorized")
        || name.contains("PermissionDenied")
        || name.contains("Forbidden")) {
      return ErrorType.AUTH;
    }
    if (name.contains("ContextLength") || name.contains("ContextWindow")) {
      return ErrorType.CONTEXT_LENGTH;
    }
    if (name.contains("BadRequest")
        || name.contains("InvalidRequest")
        || name.contains("NotFound")
        || name.contains("UnprocessableEntity")) {
      return ErrorType.INVALID_REQUEST;
    }
    if (name.contains("InternalServer")
        || name.contains("ServiceUnavailable")
        || name.contains("Overloaded")) {
      return ErrorType.SERVER_ERROR;
    }
    return null;
  }

  /**
   * The status an SDK put only at the start of its message: Spring AI's {@code
   * NonTransientAiException} / {@code TransientAiException} say {@code "429 - {body}"}, other
   * clients {@code "HTTP 429 ..."} or {@code "429: ..."}. Only 4xx and 5xx count, so that a message
   * that merely starts with a number is not mistaken for a status.
   */
  static @Nullable ErrorType byMessageStatus(@Nullable String message) {
    if (message == null) {
      return null;
    }
    int at = message.startsWith("HTTP ") ? 5 : 0;
    if (message.length() < at + 4) {
      return null;
    }
    int status = 0;
    for (int i = at; i < at + 3; i++) {
      char c = message.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      status = status * 10 + (c - '0');
    }
    char next = message.charAt(at + 3);
    if (next != ' ' && next != ':' && next != '-') {
      return null;
    }
    return status >= 400 && status <= 599 ? ErrorType.ofStatus(status) : null;
  }

  private static boolean mentionsTimeout(@Nullable String message) {
    if (message == null) {
      return false;
    }
    String lower = message.toLowerCase(Locale.ROOT);
    return lower.contains("timeout") || lower.contains("timed out");
  }

  private static boolean chainMentionsContextLength(Throwable error) {
    Throwable current = error;
    for (int depth = 0; current != null && depth < MAX_DEPTH; depth++) {
      String message = current.getMessage();
      if (message != null && LlmHttpException.mentionsContextLength(message)) {
        return true;
      }
      Throwable cause = current.getCause();
      current = cause == current ? null : cause;
    }
    return false;
  }
}
