package io.kosmos.metrics.servlet;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Ends the recording of an async request when its last async cycle completes, with the status that
 * was sent. Timeouts and errors need no handling of their own: the container then sends its error
 * status (500 unless a listener or the application chose another) and completes the cycle. The
 * route is the one the first dispatch matched, not that of the error page the container may
 * dispatch to afterwards.
 */
final class AsyncRecording implements AsyncListener {

  private final Recording recording;
  private final long start;
  private final HttpServletRequest request;
  private final HttpServletResponse response;
  private final String path;
  private final Recording.@Nullable FirstDispatch first;
  private final AtomicBoolean ended = new AtomicBoolean();

  AsyncRecording(
      Recording recording,
      long start,
      HttpServletRequest request,
      HttpServletResponse response,
      String path,
      Recording.@Nullable FirstDispatch first) {
    this.recording = recording;
    this.start = start;
    this.request = request;
    this.response = response;
    this.path = path;
    this.first = first;
  }

  @Override
  public void onComplete(AsyncEvent event) {
    // A container may report completion more than once (e.g. after an error): count it once.
    if (ended.compareAndSet(false, true)) {
      recording.end(start, request, path, Recording.safeStatus(response), first);
    }
  }

  @Override
  public void onTimeout(AsyncEvent event) {}

  @Override
  public void onError(AsyncEvent event) {}

  @Override
  public void onStartAsync(AsyncEvent event) {
    // Listeners are dropped when the application starts another async cycle (e.g. after an async
    // dispatch); re-register to hear about the cycle that really ends the request.
    try {
      event.getAsyncContext().addListener(this);
    } catch (RuntimeException e) {
      recording.internalError("AsyncRecording.onStartAsync", e);
      onComplete(event);
    }
  }
}
