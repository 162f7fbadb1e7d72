package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.kosmos.metrics.core.internal.DropReason;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input matrix of core's recording APIs: each bad input, given three times to a fresh
 * catalog, reaches no caller as an exception, records nothing with the bad value, is counted under
 * its exact drop reason and logged once.
 */
class BadInputTest {

  static final String LONG = "/" + "x".repeat(10 * 1024);
  static final String UNPAIRED = "/tasks/\uD800oops";

  /** One bad input: what to do, the drop reason expected (or none), a value that must not show. */
  record Case(
      String name, Consumer<Env> action, @Nullable DropReason reason, @Nullable String forbidden) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A fresh catalog, an HTTP recorder and task tracker on it, and the clock they read. */
  static final class Env {
    final PrometheusRegistry registry = new PrometheusRegistry();
    final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final HttpRecorder http = HttpRecorder.builder(metrics).agent("zeus").clock(now::get).build();
    final AgentTasks tasks = AgentTasks.builder(metrics).agent("zeus").clock(now::get).build();

    void request(@Nullable String method, @Nullable String route, @Nullable String path, int s) {
      http.end(http.start(), method, route, path, s);
    }
  }

  static Stream<Case> httpRecorder() {
    return Stream.of(
        new Case("null method", e -> e.request(null, "/a", "/a", 200), DropReason.NULL_LABEL, null),
        new Case("empty method", e -> e.request("", "/a", "/a", 200), DropReason.EMPTY_LABEL, null),
        new Case(
            "10 KB route",
            e -> e.request("GET", LONG, LONG, 200),
            DropReason.LABEL_TOO_LONG,
            "xxxxxxxxxx"),
        new Case(
            "unpaired surrogate route",
            e -> e.request("GET", UNPAIRED, UNPAIRED, 200),
            DropReason.INVALID_LABEL,
            "oops"),
        new Case("status 0", e -> e.request("GET", "/a", "/a", 0), DropReason.INVALID_STATUS, null),
        new Case(
            "status 600", e -> e.request("GET", "/a", "/a", 600), DropReason.INVALID_STATUS, null),
        new Case(
            "negative status",
            e -> e.request("GET", "/a", "/a", -1),
            DropReason.INVALID_STATUS,
            null),
        new Case(
            "clock going backwards",
            e -> {
              long start = e.http.start();
              e.now.addAndGet(-5);
              e.http.end(start, "GET", "/a", "/a", 200);
            },
            DropReason.NEGATIVE_AMOUNT,
            null),
        new Case("made-up method", e -> e.request("XFROB", "/a", "/a", 200), null, "XFROB"),
        new Case("10 KB method", e -> e.request("X".repeat(10_240), "/a", "/a", 200), null, "XX"),
        new Case("10 KB path", e -> e.request("GET", null, LONG, 200), null, "xxxxxxxxxx"),
        new Case(
            "unpaired surrogate path", e -> e.request("GET", null, UNPAIRED, 200), null, "oops"),
        new Case(
            "percent-encoded garbage path",
            e -> e.request("GET", null, "/%C0%AE%FF%00/q%zz", 200),
            null,
            "%"),
        new Case(
            "dot-dot segments",
            e -> e.request("GET", null, "/a/../../../etc/passwd", 200),
            null,
            ".."),
        new Case("null path", e -> e.request("GET", null, null, 200), null, null));
  }

  static Stream<Case> agentTasks() {
    return Stream.of(
        new Case("null task type", e -> e.tasks.start(null).close(), DropReason.NULL_LABEL, null),
        new Case("empty task type", e -> e.tasks.start("").close(), DropReason.EMPTY_LABEL, null),
        new Case(
            "10 KB task type",
            e -> e.tasks.start("t".repeat(10_240)).close(),
            DropReason.LABEL_TOO_LONG,
            "tttttttttt"),
        new Case(
            "unpaired surrogate task type",
            e -> e.tasks.start("sum\uDC00oops").close(),
            DropReason.INVALID_LABEL,
            "oops"),
        new Case(
            "clock going backwards",
            e -> {
              try (AgentTask task = e.tasks.start("summarize")) {
                e.now.addAndGet(-5);
                task.success();
              }
            },
            DropReason.NEGATIVE_AMOUNT,
            null));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("httpRecorder")
  void httpRecorderDropsCountsAndLogsBadInputOnce(Case bad) {
    check(bad);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("agentTasks")
  void agentTasksDropCountAndLogBadInputOnce(Case bad) {
    check(bad);
  }

  private static void check(Case bad) {
    Env env = new Env();
    try (LogCapture log = LogCapture.start()) {
      for (int i = 0; i < 3; i++) {
        assertThatCode(() -> bad.action().accept(env)).doesNotThrowAnyException();
      }
      Exposition scrape = Exposition.scrape(env.registry);
      for (DropReason reason : DropReason.values()) {
        double expected = reason == bad.reason() ? 3 : 0;
        assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", reason.label()))
            .as("dropped{reason=%s}", reason.label())
            .isEqualTo(expected);
      }
      if (bad.reason() != null) {
        assertThat(log.count("reason=\"" + bad.reason().label() + "\"")).as("logged").isEqualTo(1);
      }
      assertThat(log.messages()).hasSizeLessThanOrEqualTo(1);
      assertThat(scrape.value("active_connections", "agent", "zeus")).isZero();
      if (bad.forbidden() != null) {
        assertThat(scrape.text()).doesNotContain(bad.forbidden());
      }
      for (Exposition.Sample sample : scrape.samples("http_requests_total")) {
        assertThat(sample.labels().values()).allMatch(v -> v.length() <= 256);
      }
    }
  }
}
