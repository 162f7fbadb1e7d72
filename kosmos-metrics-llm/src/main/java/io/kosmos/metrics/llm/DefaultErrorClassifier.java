package io.kosmos.metrics.llm;

import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/** The default classification; see {@link ErrorClassifier#defaults()}. */
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
        return type;
      }
      Throwable cause = current.getCause();
      current = cause == current ? null : cause;
    }
    return null;
  }

  private static @Nullable ErrorType direct(Throwable error) {
    if (error instanceof CompletionException || error instanceof ExecutionException) {
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
    // Only SDK types: JDK names such as FileNotFoundException or ClassNotFoundException say
    // nothing about the provider's answer.
    String className = error.getClass().getName();
    if (className.startsWith("java.") || className.startsWith("javax.")) {
      return null;
    }
    return byName(error.getClass().getSimpleName());
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
}
