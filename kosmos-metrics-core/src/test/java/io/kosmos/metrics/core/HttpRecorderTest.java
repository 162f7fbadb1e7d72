package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.internal.DropReason;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HttpRecorderTest {

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private final AtomicLong now = new AtomicLong();
  private final HttpRecorder http =
      HttpRecorder.builder(metrics).agent("zeus").clock(now::get).build();

  private void request(String method, String route, String path, int status) {
    http.end(http.start(), method, route, path, status);
  }

  @Test
  void recordsTheRouteTemplateNotTheRawPath() {
    for (int id = 0; id < 300; id++) {
      request("GET", "/tasks/{id}", "/tasks/" + id, 200);
    }
    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactly("/tasks/{id}");
    assertThat(
            scrape.value(
                "http_requests_total",
                "method",
                "GET",
                "endpoint",
                "/tasks/{id}",
                "status",
                "200",
                "agent",
                "zeus"))
        .isEqualTo(300);
  }

  @Test
  void startedAtTimesFromTheServersReadingWithTheSystemClock() {
    HttpRecorder system = HttpRecorder.builder(metrics).agent("hera").build();
    long arrived = System.nanoTime() - 250_000_000L; // a request that arrived 250 ms ago

    long start = system.startedAt(arrived);
    assertThat(start).isEqualTo(arrived);
    assertThat(Exposition.scrape(registry).value("active_connections", "agent", "hera"))
        .isEqualTo(1);
    system.end(start, "GET", "/tasks/{id}", null, 200);

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("active_connections", "agent", "hera")).isZero();
    assertThat(scrape.value("http_request_duration_seconds_sum", "agent", "hera"))
        .isGreaterThanOrEqualTo(0.25);
    assertThat(NanoClock.system()).isSameAs(NanoClock.system());
  }

  @Test
  void startedAtReadsAnyOtherClockItself() {
    now.set(5_000_000_000L);
    long start = http.startedAt(System.nanoTime()); // a reading of another clock: ignored
    assertThat(start).isEqualTo(5_000_000_000L);
    now.addAndGet(7_000_000L);
    http.end(start, "GET", "/tasks/{id}", null, 200);

    assertThat(
            Exposition.scrape(registry).value("http_request_duration_seconds_sum", "agent", "zeus"))
        .isEqualTo(0.007);
  }

  @Test
  void colonAndRegexParametersRenderAsBracedNames() {
    request("GET", "/tasks/:id", "/tasks/1", 200);
    request("GET", "/tasks/{id:[0-9]+}", "/tasks/2", 200);
    request("GET", "/tasks/{id}", "/tasks/3", 200);
    request("GET", "users/:user/orders/:order", "/users/a/orders/b", 200);

    assertThat(Exposition.scrape(registry).labelValues("http_requests_total", "endpoint"))
        .containsExactly("/tasks/{id}", "/users/{user}/orders/{order}");
    assertThat(HttpRecorder.renderRoute("/files/*")).isEqualTo("/files/*");
    assertThat(HttpRecorder.renderRoute("/a:b/c")).isEqualTo("/a:b/c");
  }

  @Test
  void withoutARouteEveryRequestIsUnmatchedByDefaultWhateverItsStatus() {
    int[] statuses = {200, 204, 302, 400, 401, 403, 404, 405, 500, 501};
    for (int i = 0; i < 50; i++) {
      for (int status : statuses) {
        request("GET", null, "/zqprobe" + i + "/wp-admin/setup-config.php", status);
      }
    }
    request("GET", null, "/static/app.js", 200);
    request("GET", null, "/users/12345/avatar", 200);

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactly(HttpRecorder.UNMATCHED);
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched", "status", "200"))
        .isEqualTo(52);
    for (int status : statuses) {
      assertThat(scrape.sum("http_requests_total", "status", Integer.toString(status)))
          .as("status %d", status)
          .isEqualTo(status == 200 ? 52 : 50);
    }
    assertThat(scrape.text()).doesNotContain("zqprobe", "wp-admin", "static", "avatar");
  }

  @Test
  void withAPathBudgetOnlyServedRequestsWithoutARouteTakeTheirNormalisedPath() {
    HttpRecorder paths =
        HttpRecorder.builder(metrics).agent("paths").maxPathEndpoints(10).clock(now::get).build();
    for (int status : new int[] {101, 301, 302, 400, 401, 403, 404, 405, 500, 503}) {
      paths.end(paths.start(), "GET", null, "/zqrejected/" + status, status);
    }
    paths.end(paths.start(), "GET", null, "/static/app.js", 200);
    paths.end(paths.start(), "GET", null, "/users/12345/avatar", 204);
    paths.end(paths.start(), "GET", null, null, 200);

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactlyInAnyOrder("/static/app.js", "/users/{id}/avatar", HttpRecorder.UNMATCHED);
    assertThat(scrape.sum("http_requests_total", "endpoint", "unmatched")).isEqualTo(11);
    assertThat(scrape.text()).doesNotContain("zqrejected");
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "paths without a route (maxPathEndpoints)")
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "reached its cap of")
  @Test
  void pathValuesHaveTheirOwnBudgetAndNeverPushARouteIntoOverflow() {
    HttpRecorder capped =
        HttpRecorder.builder(metrics)
            .agent("capped")
            .maxEndpoints(5)
            .maxPathEndpoints(3)
            .clock(now::get)
            .build();
    for (int i = 0; i < 1_000; i++) {
      capped.end(capped.start(), "GET", null, "/zq" + letters(i) + "/page", 200);
    }
    List<String> routes = List.of("/a", "/b/{id}", "/c", "/d", "/e");
    for (String route : routes) {
      capped.end(capped.start(), "GET", route, null, 200);
    }

    Exposition scrape = Exposition.scrape(registry);
    Set<String> endpoints = scrape.labelValues("http_requests_total", "endpoint");
    assertThat(endpoints).containsAll(routes).contains("unmatched").doesNotContain("overflow");
    assertThat(endpoints).filteredOn(e -> e.startsWith("/zq")).hasSize(3);
    for (String route : routes) {
      assertThat(scrape.value("http_requests_total", "endpoint", route)).isEqualTo(1);
    }
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched", "status", "200"))
        .isEqualTo(997);
    assertThat(scrape.value("kosmos_metrics_label_overflow_total", "label", "endpoint")).isZero();

    // The route budget still folds the application's own extra routes, and counts each fold.
    capped.end(capped.start(), "GET", "/f", null, 200);
    Exposition after = Exposition.scrape(registry);
    assertThat(after.value("http_requests_total", "endpoint", "overflow")).isEqualTo(1);
    assertThat(after.value("kosmos_metrics_label_overflow_total", "label", "endpoint"))
        .isEqualTo(1);
  }

  @Test
  void aPathValueNeverRecordsUnderTheNameOfARouteTemplate() {
    HttpRecorder paths =
        HttpRecorder.builder(metrics).agent("paths").maxPathEndpoints(10).clock(now::get).build();
    paths.end(paths.start(), "GET", "/tasks/{id}", "/tasks/1", 200);
    paths.end(paths.start(), "GET", null, "/tasks/42", 200); // normalises to /tasks/{id}

    // A path value seen before its route loses the name once the route is first recorded.
    paths.end(paths.start(), "GET", null, "/orders/7", 200);
    paths.end(paths.start(), "GET", "/orders/:id", "/orders/8", 200);
    paths.end(paths.start(), "GET", null, "/orders/9", 200);
    paths.end(paths.start(), "GET", "/orders/{id}", "/orders/10", 200);

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactlyInAnyOrder("/tasks/{id}", "/orders/{id}", HttpRecorder.UNMATCHED);
    assertThat(scrape.value("http_requests_total", "endpoint", "/tasks/{id}")).isEqualTo(1);
    assertThat(scrape.value("http_requests_total", "endpoint", "/orders/{id}")).isEqualTo(3);
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched")).isEqualTo(2);
  }

  @Test
  void aFullPathBudgetIsLoggedOnceAndIsNoOverflow() {
    HttpRecorder paths =
        HttpRecorder.builder(metrics).agent("paths").maxPathEndpoints(2).clock(now::get).build();
    try (LogCapture log = LogCapture.start()) {
      for (int i = 0; i < 10; i++) {
        paths.end(paths.start(), "GET", null, "/zq" + letters(i), 200);
      }
      assertThat(log.messages())
          .containsExactly(
              "kosmos-metrics: agent 'paths' has taken its 2 endpoint values from paths without a"
                  + " route (maxPathEndpoints); later such requests are recorded as 'unmatched'."
                  + " Route templates keep a budget of their own.");
    }
    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched")).isEqualTo(8);
    assertThat(scrape.value("kosmos_metrics_label_overflow_total", "label", "endpoint")).isZero();
  }

  /** A distinct run of letters for {@code i}, which the normaliser keeps as it is. */
  private static String letters(int i) {
    StringBuilder out = new StringBuilder();
    int rest = i;
    do {
      out.append((char) ('a' + rest % 26));
      rest /= 26;
    } while (rest > 0);
    return out.toString();
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "paths without a route (maxPathEndpoints)")
  @Test
  void aHundredThousandRandomRoutelessPathsStayWithinThePathBudget() {
    HttpRecorder paths =
        HttpRecorder.builder(metrics).agent("paths").maxPathEndpoints(1000).clock(now::get).build();
    java.util.Random random = new java.util.Random(7);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~%/";
    for (int i = 0; i < 100_000; i++) {
      StringBuilder path = new StringBuilder("/");
      int length = 8 + random.nextInt(33);
      for (int c = 0; c < length; c++) {
        path.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      paths.end(paths.start(), i % 2 == 0 ? "GET" : "X" + (i % 20), null, path.toString(), 200);
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .hasSizeLessThanOrEqualTo(1001)
        .contains("unmatched")
        .doesNotContain("overflow")
        .allMatch(endpoint -> endpoint.length() <= 256);
    assertThat(scrape.labelValues("http_requests_total", "method"))
        .containsExactlyInAnyOrder("GET", "_OTHER");
    assertThat(scrape.sum("http_requests_total")).isEqualTo(100_000);
    assertThat(scrape.value("kosmos_metrics_label_overflow_total", "label", "endpoint")).isZero();
  }

  @Test
  void aMethodNotAllowedWithoutRouteIsUnmatchedSoMadeUpMethodsCannotLeakPaths() {
    request("XFROB", null, "/files/BOuQl1v", 405);
    request("GET", "/files/*", "/files/BOuQl1v", 405);

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactly("/files/*", HttpRecorder.UNMATCHED);
    assertThat(scrape.text()).doesNotContain("BOuQl1v");
  }

  @Test
  void aMethodRejectedWithoutRouteIsUnmatchedNotItsPath() {
    request("ZQFOO", null, "/tasks/zqattacker", 405);
    request("ZQBAR", null, "/zqscan/zqadmin", 501);
    request("GET", null, "/zqprobe", 404);

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactly(HttpRecorder.UNMATCHED);
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched", "status", "405"))
        .isEqualTo(1);
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched", "status", "501"))
        .isEqualTo(1);
  }

  @Test
  void madeUpMethodsShareOneValueAndStandardMethodsKeepTheirs() {
    for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH")) {
      request(method, "/a", "/a", 200);
    }
    request("FOO", "/a", "/a", 405);
    request("get", "/a", "/a", 405);
    request("X".repeat(10_000), "/a", "/a", 405);

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "method"))
        .containsExactly("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "_OTHER");
    assertThat(scrape.value("http_requests_total", "method", "_OTHER", "status", "405"))
        .isEqualTo(3);
  }

  @Test
  void durationComesFromTheMonotonicClock() {
    now.set(5_000_000_000L);
    long start = http.start();
    now.addAndGet(300_000_000L);
    http.end(start, "GET", "/slow", null, 200);

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("http_request_duration_seconds_sum", "endpoint", "/slow"))
        .isEqualTo(0.3);
    assertThat(
            scrape.value("http_request_duration_seconds_bucket", "endpoint", "/slow", "le", "0.25"))
        .isZero();
    assertThat(
            scrape.value("http_request_duration_seconds_bucket", "endpoint", "/slow", "le", "0.5"))
        .isEqualTo(1);
  }

  @Test
  void activeConnectionsCountsRequestsInFlight() {
    long first = http.start();
    long second = http.start();
    assertThat(Exposition.scrape(registry).value("active_connections", "agent", "zeus"))
        .isEqualTo(2);
    http.end(first, "GET", "/a", null, 200);
    http.end(second, "GET", "/a", null, 200);
    assertThat(Exposition.scrape(registry).value("active_connections", "agent", "zeus")).isZero();
  }

  @Test
  void eightThreadsRecordingConcurrentlyGiveExactCounts() throws Exception {
    HttpRecorder recorder = metrics.http("athena");
    int threads = 8;
    int perThread = 25_000;
    String[] routes = {"/a", "/b/{id}", "/c", "/d"};
    int[] statuses = {200, 201, 404, 500};
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                  int k = (i + thread) % routes.length;
                  recorder.end(recorder.start(), "GET", routes[k], null, statuses[k]);
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();

    Exposition scrape = Exposition.scrape(registry);
    int total = threads * perThread;
    assertThat(scrape.sum("http_requests_total", "agent", "athena")).isEqualTo(total);
    assertThat(scrape.sum("http_request_duration_seconds_count", "agent", "athena"))
        .isEqualTo(total);
    for (String route : routes) {
      assertThat(scrape.sum("http_requests_total", "agent", "athena", "endpoint", route))
          .isEqualTo(total / routes.length);
    }
    assertThat(scrape.value("active_connections", "agent", "athena")).isZero();
  }

  @Test
  void moreCombinationsThanTheKnownSeriesTableHoldsAreAllCountedExactly() {
    // One endpoint gives a table of 1,024 slots; 10 methods x 500 statuses are 5,000
    // combinations, so most of them find no room and take the slow path every time.
    HttpRecorder one = HttpRecorder.builder(metrics).agent("one").maxEndpoints(1).build();
    String[] methods = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH", "BREW"
    };
    for (int pass = 0; pass < 3; pass++) {
      for (String method : methods) {
        for (int status = 100; status < 600; status++) {
          // A new but equal string each time, as a framework may build its route names.
          one.end(one.start(), method, new String("/tasks/{id}"), null, status);
        }
      }
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactly("/tasks/{id}");
    assertThat(scrape.sum("http_requests_total", "agent", "one")).isEqualTo(3 * 10 * 500);
    assertThat(scrape.value("http_requests_total", "method", "_OTHER", "status", "599"))
        .isEqualTo(3);
    assertThat(scrape.value("http_requests_total", "method", "GET", "status", "200")).isEqualTo(3);
    assertThat(scrape.sum("http_request_duration_seconds_count", "agent", "one"))
        .isEqualTo(3 * 10 * 500);
    assertThat(scrape.value("http_request_duration_seconds_count", "method", "PATCH"))
        .isEqualTo(3 * 500);
  }

  @Test
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "label 'endpoint' reached its cap")
  void endpointsBeyondTheCapFoldIntoOverflowAndEachFoldIsCounted() {
    HttpRecorder capped = HttpRecorder.builder(metrics).agent("capped").maxEndpoints(5).build();
    for (int i = 0; i < 20; i++) {
      String route = "/route" + (char) ('a' + i);
      capped.end(capped.start(), "GET", route, null, 200);
      capped.end(capped.start(), "GET", route, null, 200);
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactly("/routea", "/routeb", "/routec", "/routed", "/routee", "overflow");
    assertThat(scrape.value("http_requests_total", "endpoint", "overflow")).isEqualTo(30);
    assertThat(scrape.value("kosmos_metrics_label_overflow_total", "label", "endpoint"))
        .isEqualTo(30);
    assertThat(scrape.sum("http_requests_total", "agent", "capped")).isEqualTo(40);
  }

  @Test
  void recordersOfOneAgentShareTheCapAndMustAgreeOnIt() {
    HttpRecorder.builder(metrics).agent("shared").maxEndpoints(7).build();
    assertThatThrownBy(() -> HttpRecorder.builder(metrics).agent("shared").maxEndpoints(8).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxEndpoints must match the other HttpRecorder of agent 'shared' on this registry (7),"
                + " but was 8");
    HttpRecorder.builder(metrics).agent("shared2").maxPathEndpoints(5).build();
    assertThatThrownBy(() -> HttpRecorder.builder(metrics).agent("shared2").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxPathEndpoints must match the other HttpRecorder of agent 'shared2' on this registry"
                + " (5), but was 0");
  }

  @Test
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "kosmos-metrics dropped a recording in http status")
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "kosmos-metrics dropped a recording in endpoint")
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "kosmos-metrics failed to record in HttpRecorder.start")
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "dropped a recording in http method")
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "dropped a recording in http duration")
  void invalidInputIsDroppedCountedAndNeverThrown() {
    HttpRecorder throwingClock =
        HttpRecorder.builder(metrics)
            .agent("broken")
            .clock(
                () -> {
                  throw new IllegalStateException("clock is broken");
                })
            .build();

    assertThatCode(
            () -> {
              request("GET", "/a", "/a", 99);
              request("GET", "/a", "/a", 600);
              request(null, "/a", "/a", 200);
              request("", "/a", "/a", 200);
              request("GET", "X".repeat(10_000), "/a", 200);
              request("GET", "/bad\uD800", "/a", 200);
              http.end(http.start() + 1_000, "GET", "/future", null, 200);
              throwingClock.end(throwingClock.start(), "GET", "/a", null, 200);
            })
        .doesNotThrowAnyException();

    Exposition scrape = Exposition.scrape(registry);
    assertThat(dropped(scrape, DropReason.INVALID_STATUS)).isEqualTo(2);
    assertThat(dropped(scrape, DropReason.NULL_LABEL)).isEqualTo(1);
    assertThat(dropped(scrape, DropReason.EMPTY_LABEL)).isEqualTo(1);
    assertThat(dropped(scrape, DropReason.LABEL_TOO_LONG)).isEqualTo(1);
    assertThat(dropped(scrape, DropReason.INVALID_LABEL)).isEqualTo(1);
    assertThat(dropped(scrape, DropReason.NEGATIVE_AMOUNT)).isEqualTo(1);
    assertThat(dropped(scrape, DropReason.INTERNAL_ERROR)).isEqualTo(2);
    assertThat(scrape.labelValues("http_requests_total", "endpoint")).containsExactly("/future");
    assertThat(scrape.value("http_request_duration_seconds_count", "endpoint", "/future")).isZero();
    assertThat(scrape.value("active_connections", "agent", "zeus")).isZero();
  }

  private static double dropped(Exposition scrape, DropReason reason) {
    return scrape.value("kosmos_metrics_dropped_total", "reason", reason.label());
  }

  @Test
  void anInvalidAgentFailsAtBuildTime() {
    assertThatThrownBy(() -> HttpRecorder.builder(metrics).agent("zeus prod").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "agent must be 1 to 64 characters of letters, digits, '_', '.' or '-', starting with a"
                + " letter or digit, but was 'zeus prod'");
    assertThatThrownBy(() -> HttpRecorder.builder(metrics).build())
        .hasMessage(
            "agent must be 1 to 64 characters of letters, digits, '_', '.' or '-', starting with a"
                + " letter or digit, but was null");
    assertThatThrownBy(() -> HttpRecorder.builder(metrics).maxEndpoints(0))
        .hasMessage("maxEndpoints must be at least 1, but was 0");
    assertThatThrownBy(() -> HttpRecorder.builder(metrics).maxPathEndpoints(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPathEndpoints must be between 0 and 1000, but was -1");
    assertThatThrownBy(() -> HttpRecorder.builder(metrics).maxPathEndpoints(1001))
        .hasMessage("maxPathEndpoints must be between 0 and 1000, but was 1001");
  }
}
