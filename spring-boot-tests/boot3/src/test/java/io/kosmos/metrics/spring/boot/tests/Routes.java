package io.kosmos.metrics.spring.boot.tests;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The fixture routes every test app serves. Async work runs on {@link Fixtures#timer}, which the
 * context shuts down.
 */
@RestController
public class Routes {

  /** How many events {@code /events} sends, one every {@link #EVENT_INTERVAL_MILLIS}. */
  public static final int EVENTS = 3;

  public static final long EVENT_INTERVAL_MILLIS = 100;

  static final class TeapotException extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private final ScheduledExecutorService timer;
  private final Fixtures.Gate gate;

  Routes(ScheduledExecutorService timer, Fixtures.Gate gate) {
    this.timer = timer;
    this.gate = gate;
  }

  @GetMapping("/tasks/{id}")
  String task(@PathVariable String id) {
    return "task " + id;
  }

  @GetMapping("/fresh/{id}")
  String fresh(@PathVariable String id) {
    return "fresh " + id;
  }

  @GetMapping("/secure/tasks/{id}")
  String secure(@PathVariable String id) {
    return "secure " + id;
  }

  @GetMapping("/admin/tasks/{id}")
  String admin(@PathVariable String id) {
    return "admin " + id;
  }

  @GetMapping("/boom")
  String boom() {
    throw new IllegalStateException("boom");
  }

  @GetMapping("/teapot/{id}")
  String teapot(@PathVariable String id) {
    throw new TeapotException();
  }

  @GetMapping("/invalid/{id}")
  String invalid(@PathVariable String id) {
    throw new IllegalArgumentException("invalid " + id);
  }

  @ExceptionHandler(TeapotException.class)
  ResponseEntity<String> teapotStatus(TeapotException e) {
    return ResponseEntity.status(418).body("teapot");
  }

  @ExceptionHandler(IllegalArgumentException.class)
  ResponseEntity<String> invalidStatus(IllegalArgumentException e) {
    return ResponseEntity.status(422).body(e.getMessage());
  }

  @GetMapping("/deferred/{id}")
  DeferredResult<String> deferred(@PathVariable String id) {
    DeferredResult<String> result = new DeferredResult<>();
    timer.schedule(() -> result.setResult("deferred " + id), 20, TimeUnit.MILLISECONDS);
    return result;
  }

  @GetMapping("/deferred-fail/{id}")
  DeferredResult<String> deferredFail(@PathVariable String id) {
    DeferredResult<String> result = new DeferredResult<>();
    timer.schedule(
        () -> result.setErrorResult(new IllegalStateException("async boom " + id)),
        20,
        TimeUnit.MILLISECONDS);
    return result;
  }

  @GetMapping("/callable/{id}")
  Callable<String> callable(@PathVariable String id) {
    return () -> "callable " + id;
  }

  @GetMapping("/callable-fail/{id}")
  Callable<String> callableFail(@PathVariable String id) {
    return () -> {
      throw new IllegalStateException("callable boom " + id);
    };
  }

  /** Never completed: times out after 100 ms, which Spring MVC answers with 503. */
  @GetMapping("/slow/{id}")
  DeferredResult<String> slow(@PathVariable String id) {
    return new DeferredResult<>(100L);
  }

  @GetMapping("/events")
  SseEmitter events() {
    SseEmitter emitter = new SseEmitter(10_000L);
    for (int i = 1; i <= EVENTS; i++) {
      int n = i;
      timer.schedule(
          () -> {
            try {
              emitter.send(SseEmitter.event().data("event " + n));
              if (n == EVENTS) {
                emitter.complete();
              }
            } catch (IOException e) {
              emitter.completeWithError(e);
            }
          },
          n * EVENT_INTERVAL_MILLIS,
          TimeUnit.MILLISECONDS);
    }
    return emitter;
  }

  /** Holds the request until the test opens the gate. */
  @GetMapping("/gate")
  String gate() throws InterruptedException {
    gate.entered.countDown();
    return gate.release.await(30, TimeUnit.SECONDS) ? "released" : "timed out";
  }
}
