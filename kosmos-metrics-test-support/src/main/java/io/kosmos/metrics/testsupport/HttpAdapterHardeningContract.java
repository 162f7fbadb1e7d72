package io.kosmos.metrics.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The hardening half of the adapter contract: hostile traffic, faults and load through the real
 * server. Besides {@link HttpAdapterContract}'s fixture routes, the fixture serves:
 *
 * <table>
 *   <caption>Hardening fixture routes</caption>
 *   <tr><th>route</th><th>behaviour</th></tr>
 *   <tr><td>{@code POST /upload}</td><td>reads the whole body, then answers 200 {@code read
 *       <bytes>}</td></tr>
 *   <tr><td>{@code GET /files/...}</td><td>200 {@code file} from a route without a template
 *       (servlet: the mapping {@code /files/*}; Vert.x: a regex route)</td></tr>
 *   <tr><td>any request with the header {@value #ANSWER_HEADER}{@code : <status>}</td><td>answered
 *       with that status and the body {@value #ANSWERED_BEFORE_ROUTING} by a handler that runs
 *       after the recording one and before any route (servlet: a filter; Vert.x: a route without
 *       a path), as a security filter or a catch-all does; a 302 carries {@code Location: /login},
 *       a 401 {@code WWW-Authenticate: Bearer}</td></tr>
 * </table>
 *
 * <p>{@link #start(KosmosMetrics, int)} starts the same fixture with {@code maxPathEndpoints} set,
 * the opt-in to endpoint values taken from paths without a route.
 *
 * <p>Sizes are scaled for CI; {@code -Dkosmos.hardening.full=true} runs the issue's full sizes
 * (100,000 attack requests). Both print their figures (requests/s, series, heap) to standard out,
 * reported rather than asserted.
 */
public abstract class HttpAdapterHardeningContract extends HttpAdapterContract {

  /** The request header that makes the fixture answer before routing, with its value as status. */
  public static final String ANSWER_HEADER = "X-Fixture-Answer";

  /** The body of a response answered before routing. */
  public static final String ANSWERED_BEFORE_ROUTING = "answered before routing";

  /** Whether to run the full sizes rather than the CI-scaled ones. */
  protected static final boolean FULL = Boolean.getBoolean("kosmos.hardening.full");

  private static final int ENDPOINT_CAP = 200;
  private static final int CLOSED_WITHOUT_RESPONSE = -1;
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

  /** A client that speaks HTTP/1.1 directly: no h2c upgrade attempt on every connection. */
  private final HttpClient http11 =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** The status the adapter records for a client that resets mid-request, before any answer. */
  protected abstract int statusOfARequestAbandonedByItsClient();

  /**
   * Starts the fixture as {@link #start(KosmosMetrics)} does, with the adapter's recorder built
   * with {@code maxPathEndpoints(maxPathEndpoints)}.
   */
  protected abstract App start(KosmosMetrics metrics, int maxPathEndpoints) throws Exception;

  /**
   * Scanners' paths, answered 200 by a catch-all, 401, 403 or 302 by a filter before routing, or
   * 404 by no route at all: none becomes a label value, and the application's routes called
   * afterwards keep their own templates. Clients choose these paths, so recording them would let
   * anyone write label values (and, under the old shared cap, take every endpoint slot).
   */
  @Test
  void pathsNoRouteTookAreUnmatchedWhateverAnsweredThemAndRoutesKeepTheirTemplates()
      throws Exception {
    int requests = FULL ? 10_000 : 1_000;
    int[] answers = {200, 401, 403, 302, 0};
    Random random = new Random(12);
    Map<Integer, Integer> sent = new TreeMap<>();
    List<String> tokens = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      String token = token(random, 8, 40);
      tokens.add(token);
      paths.add(probePath(i, token));
      int answer = answers[i % answers.length];
      HttpResponse<String> response = sendAnswered(answer, paths.get(i));
      assertThat(response.statusCode()).isEqualTo(answer == 0 ? 404 : answer);
      sent.merge(response.statusCode(), 1, Integer::sum);
    }
    // What the server received of each status: the requests sent and the GETs the client resent.
    Map<Integer, Integer> received = new TreeMap<>();
    for (int i = 0; i < requests; i++) {
      int answer = answers[i % answers.length];
      received.merge(answer == 0 ? 404 : answer, receivedOnce("GET", paths.get(i)), Integer::sum);
    }

    callTheRealRoutes();
    Exposition scrape = scrape();
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactlyInAnyOrder("unmatched", "/tasks/{id}", "/async", "/boom", "/upload");
    received.forEach(
        (status, count) ->
            assertThat(
                    scrape.value(
                        "http_requests_total",
                        "endpoint",
                        "unmatched",
                        "status",
                        Integer.toString(status)))
                .as("unmatched with status %d", status)
                .isEqualTo(count.doubleValue()));
    assertThat(scrape.sum("http_requests_total", "endpoint", "unmatched"))
        .isEqualTo(received.values().stream().mapToInt(Integer::intValue).sum());
    assertTheRealRoutesKeptTheirTemplates(scrape);
    String text = scrape.text();
    assertThat(text.toLowerCase(Locale.ROOT))
        .doesNotContain("zq", "wp-admin", "setup-config", "login");
    for (String token : tokens) {
      if (text.contains(token)) {
        assertThat(text).as("the exposition").doesNotContain(token);
      }
    }
    System.out.printf(
        "[hardening] %s routeless: %d requests answered by status %s, all recorded as unmatched%n",
        getClass().getSimpleName(), requests, sent);
  }

  /**
   * With path values opted in ({@code maxPathEndpoints} 20), more distinct routeless 2xx paths than
   * the whole route cap still leave every route template its own value: path values have a budget
   * of their own and fold into {@code unmatched}, never {@code overflow}.
   */
  @ExpectedLog(logger = "io.kosmos.metrics", contains = "paths without a route (maxPathEndpoints)")
  @Test
  void pathValuesCannotPushARouteTemplateIntoOverflow() throws Exception {
    int budget = 20;
    app.close();
    registry = new PrometheusRegistry();
    app = start(KosmosMetrics.builder().registry(registry).build(), budget);
    int requests = FULL ? 10_000 : 1_000;
    for (int i = 0; i < requests; i++) {
      // Letters only, so that the normaliser keeps each path as it is: 1,000 distinct values.
      int answer = i % 4 == 3 ? 401 : 200;
      assertThat(sendAnswered(answer, "/zq" + letters(i) + "/page").statusCode()).isEqualTo(answer);
    }
    assertThat(requests).isGreaterThan(3 * ENDPOINT_CAP);
    // What the server received of each: the requests sent and the GETs the client resent.
    int served = 0;
    int refused = 0;
    for (int i = 0; i < requests; i++) {
      int times = receivedOnce("GET", "/zq" + letters(i) + "/page");
      if (i % 4 == 3) {
        refused += times;
      } else {
        served += times;
      }
    }

    callTheRealRoutes();
    Exposition scrape = scrape();
    Set<String> endpoints = scrape.labelValues("http_requests_total", "endpoint");
    assertThat(endpoints)
        .contains("unmatched", "/tasks/{id}", "/async", "/boom", "/upload")
        .doesNotContain("overflow");
    List<String> pathValues = endpoints.stream().filter(e -> e.startsWith("/zq")).toList();
    assertThat(pathValues).hasSize(budget);
    int ownValues = 0;
    for (String path : pathValues) {
      int times = timesArrived("GET", path);
      assertThat(scrape.value("http_requests_total", "endpoint", path, "status", "200"))
          .as("requests to %s, which has a value of its own", path)
          .isEqualTo(times);
      ownValues += times;
    }
    int realRoutes = assertTheRealRoutesKeptTheirTemplates(scrape);
    assertThat(scrape.sum("http_requests_total", "status", "200"))
        .as("routeless 200s, the real routes' 200s")
        .isEqualTo(served + realRoutes);
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched", "status", "200"))
        .isEqualTo(served - ownValues);
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched", "status", "401"))
        .isEqualTo(refused);
  }

  private void callTheRealRoutes() throws Exception {
    assertThat(send("GET", "/tasks/7").body()).isEqualTo("task 7");
    assertThat(send("GET", "/async").body()).isEqualTo("done");
    assertThat(send("GET", "/boom").statusCode()).isEqualTo(500);
    assertThat(send("POST", "/upload").body()).isEqualTo("read 0");
  }

  /** Asserts each real route counted under its template what it served, and returns its 200s. */
  private static int assertTheRealRoutesKeptTheirTemplates(Exposition scrape) {
    int tasks = receivedOnce("GET", "/tasks/7");
    int async = receivedOnce("GET", "/async");
    assertThat(scrape.value("http_requests_total", "endpoint", "/tasks/{id}", "status", "200"))
        .isEqualTo(tasks);
    assertThat(scrape.value("http_requests_total", "endpoint", "/async", "status", "200"))
        .isEqualTo(async);
    assertThat(scrape.value("http_requests_total", "endpoint", "/boom", "status", "500"))
        .isEqualTo(receivedOnce("GET", "/boom"));
    // The JDK client resends no POST.
    assertThat(timesArrived("POST", "/upload")).isEqualTo(1);
    assertThat(scrape.value("http_requests_total", "endpoint", "/upload", "status", "200"))
        .isEqualTo(1);
    assertThat(scrape.labelValues("http_requests_total", "endpoint")).doesNotContain("overflow");
    assertThat(scrape.value("kosmos_metrics_label_overflow_total", "label", "endpoint")).isZero();
    return tasks + async + 1;
  }

  /**
   * Sends {@code GET path} over HTTP/1.1, with {@value #ANSWER_HEADER} set to {@code answer} unless
   * it is 0.
   */
  private HttpResponse<String> sendAnswered(int answer, String path) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(app.baseUri() + path)).timeout(Duration.ofSeconds(20));
    if (answer != 0) {
      request.header(ANSWER_HEADER, Integer.toString(answer));
    }
    return http11.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A path that no fixture route takes, as scanners send them. */
  private static String probePath(int i, String token) {
    String first = "/zq" + letters(i);
    switch (i % 4) {
      case 0:
        return first;
      case 1:
        return first + "/wp-admin/setup-config.php";
      case 2:
        return first + "/.env";
      default:
        return first + "/" + token + "?q=" + token;
    }
  }

  /** A distinct run of lowercase letters for each {@code i}. */
  private static String letters(int i) {
    StringBuilder out = new StringBuilder();
    int rest = i;
    do {
      out.append((char) ('a' + rest % 26));
      rest /= 26;
    } while (rest > 0);
    return out.toString();
  }

  @Test
  void randomPathsAndMadeUpMethodsCannotGrowSeriesOrLeakIntoLabels() throws Exception {
    int requests = FULL ? 100_000 : 10_000;
    Random random = new Random(42);
    List<String> madeUp = new ArrayList<>();
    while (madeUp.size() < 20) {
      String method = "X" + token(random, 3, 10).replaceAll("[^A-Za-z]", "Q").toUpperCase();
      if (!madeUp.contains(method)) {
        madeUp.add(method);
      }
    }
    List<String> tokens = new ArrayList<>(requests);
    List<String> paths = new ArrayList<>(requests);
    Set<String> distinct = new HashSet<>();
    while (tokens.size() < requests) {
      String token = token(random, 8, 40);
      if (distinct.add(token)) { // each request its own path, to tell the server's resends apart
        paths.add(attackPath(tokens.size(), token, random));
        tokens.add(token);
      }
    }
    // A few URLs of 10 KB: the container refuses them before any filter or handler runs.
    String longPath = "/" + "a".repeat(10 * 1024);

    long heapBefore = heapAfterGc();
    long started = System.nanoTime();
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int i = thread; i < requests; i += threads) {
                    String method = method(i, madeUp);
                    int status;
                    try {
                      status = sendRaw(method, paths.get(i)).statusCode();
                    } catch (IOException e) {
                      status = CLOSED_WITHOUT_RESPONSE; // the container dropped the connection
                    }
                    statuses.merge(status, 1, Integer::sum);
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    for (int i = 0; i < 3; i++) {
      int status = sendRaw("GET", longPath).statusCode();
      assertThat(status).as("a 10 KB URL").isIn(400, 414, 431);
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    assertThat(send("GET", "/tasks/1").body()).isEqualTo("task 1");
    Exposition scrape = scrape();
    long heapAfter = heapAfterGc();

    Set<String> endpoints = scrape.labelValues("http_requests_total", "endpoint");
    Set<String> statusLabels = scrape.labelValues("http_requests_total", "status");
    int series = scrape.samples("http_requests_total").size();
    assertThat(endpoints).hasSizeLessThanOrEqualTo(ENDPOINT_CAP + 2);
    assertThat(scrape.labelValues("http_requests_total", "method"))
        .allMatch(m -> METHODS.contains(m) || m.equals("_OTHER"))
        .contains("_OTHER");
    Set<String> sentStatuses = new TreeSet<>();
    statuses.keySet().forEach(s -> sentStatuses.add(Integer.toString(s)));
    sentStatuses.add("200"); // the /tasks/1 above
    assertThat(statusLabels).isSubsetOf(sentStatuses);
    assertThat(series)
        .as("series <= endpoints x (standard methods + 1) x statuses")
        .isLessThanOrEqualTo(endpoints.size() * (METHODS.size() + 1) * statusLabels.size());
    // Requests the container refused itself (bad encodings, 10 KB URLs) never reach the adapter,
    // and the adapter counts each one that does once: at most what was sent, the /tasks/1 above,
    // and the GETs the JDK client resent on its own, which the server received twice.
    int resent = 0;
    int arrived = 0;
    for (int i = 0; i < requests; i++) {
      int times = timesArrived(method(i, madeUp), paths.get(i));
      arrived += Math.min(times, 1);
      resent += Math.max(0, times - 1);
    }
    // Each request a route answered passed the server's report of arrivals, under what was sent.
    assertThat(arrived)
        .as("attack requests the server reported")
        .isGreaterThanOrEqualTo(statuses.getOrDefault(200, 0))
        .isPositive();
    assertThat(scrape.sum("http_requests_total"))
        .isPositive()
        .isLessThanOrEqualTo(requests + 1.0 + resent);

    int maxLabel = 0;
    for (String name : List.of("http_requests_total", "http_request_duration_seconds_bucket")) {
      for (Exposition.Sample sample : scrape.samples(name)) {
        for (String value : sample.labels().values()) {
          maxLabel = Math.max(maxLabel, value.length());
        }
      }
    }
    assertThat(maxLabel).isLessThanOrEqualTo(256);
    String text = scrape.text();
    for (String token : tokens) {
      if (text.contains(token)) {
        assertThat(text).as("the exposition").doesNotContain(token);
      }
    }
    for (String method : madeUp) {
      assertThat(text).doesNotContain(method);
    }

    System.out.printf(
        "[hardening] %s cardinality: %d requests in %.1f s (%.0f req/s), responses by status %s,"
            + " %d reached the server, %d resent by the client, http_requests_total series %d,"
            + " endpoints %d, max label length %d, heap used before %d MiB after %d MiB%n",
        getClass().getSimpleName(),
        requests,
        seconds,
        requests / seconds,
        new java.util.TreeMap<>(statuses),
        arrived,
        resent,
        series,
        endpoints.size(),
        maxLabel,
        heapBefore >> 20,
        heapAfter >> 20);
  }

  @Test
  void aClientThatResetsMidRequestIsRecordedOnce() throws Exception {
    try (Socket socket = new Socket(app.baseUri().getHost(), app.baseUri().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                  + "Content-Length: 1000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[500]);
      out.flush();
      // Reset only once the handler is reading the body, so that the request is surely seen.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(scrapeNow().value("active_connections", "agent", AGENT)).isEqualTo(1));
      socket.setSoLinger(true, 0);
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Exposition scrape = scrape();
              assertThat(scrape.matching("http_requests_total", "endpoint", "/upload"))
                  .singleElement()
                  .satisfies(
                      sample -> {
                        assertThat(sample.labels())
                            .containsEntry(
                                "status", Integer.toString(statusOfARequestAbandonedByItsClient()));
                        assertThat(sample.value()).isEqualTo(1);
                      });
            });
    HttpResponse<String> whole =
        client.send(
            HttpRequest.newBuilder(app.baseUri().resolve("/upload"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1000]))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(whole.body()).isEqualTo("read 1000");
  }

  @Test
  void concurrentLoadIsCountedExactlyAndEveryScrapeDuringItIsConsistent() throws Exception {
    int threads = 16;
    int perThread = 1_250;
    AtomicBoolean loading = new AtomicBoolean(true);
    AtomicInteger scrapes = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    long started = System.nanoTime();
    try {
      Future<?> scraper =
          pool.submit(
              () -> {
                do {
                  checkHistogramsAreConsistent(scrapeNow());
                  scrapes.incrementAndGet();
                } while (loading.get());
                return null;
              });
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int i = 0; i < perThread; i++) {
                    String path = "/tasks/" + (thread * perThread + i);
                    if (sendRaw("GET", path).statusCode() == 200) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      try {
        for (Future<Integer> result : results) {
          assertThat(result.get()).isEqualTo(perThread);
        }
      } finally {
        loading.set(false);
      }
      scraper.get();
    } finally {
      pool.shutdown();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    int total = threads * perThread;
    // The adapter must count what the server served, resent GETs included.
    long served = tasksServed(total);
    Exposition scrape = scrape();
    checkHistogramsAreConsistent(scrape);
    assertThat(scrape.value("http_requests_total", "endpoint", "/tasks/{id}", "status", "200"))
        .isEqualTo(served);
    assertThat(scrape.value("http_request_duration_seconds_count", "endpoint", "/tasks/{id}"))
        .isEqualTo(served);
    assertThat(scrapes.get()).isPositive();
    System.out.printf(
        "[hardening] %s concurrency: %d requests from %d threads in %.1f s (%.0f req/s),"
            + " %d resent by the client, %d consistent scrapes during the load%n",
        getClass().getSimpleName(),
        total,
        threads,
        seconds,
        total / seconds,
        served - total,
        scrapes.get());
  }

  /** For every histogram series: buckets never decrease and {@code +Inf} equals the count. */
  protected static void checkHistogramsAreConsistent(Exposition scrape) {
    for (String name : List.of("http_request_duration_seconds")) {
      Map<Map<String, String>, List<Exposition.Sample>> buckets = new HashMap<>();
      for (Exposition.Sample bucket : scrape.samples(name + "_bucket")) {
        Map<String, String> series = new HashMap<>(bucket.labels());
        series.remove("le");
        buckets.computeIfAbsent(series, s -> new ArrayList<>()).add(bucket);
      }
      for (Exposition.Sample count : scrape.samples(name + "_count")) {
        List<Exposition.Sample> own = buckets.get(count.labels());
        assertThat(own).as("buckets of %s", count.labels()).isNotEmpty();
        own.sort(Comparator.comparingDouble(b -> le(b.labels().get("le"))));
        double previous = 0;
        for (Exposition.Sample bucket : own) {
          assertThat(bucket.value())
              .as("bucket %s", bucket.labels())
              .isGreaterThanOrEqualTo(previous);
          previous = bucket.value();
        }
        assertThat(own.get(own.size() - 1).labels()).containsEntry("le", "+Inf");
        assertThat(previous).as("+Inf bucket of %s", count.labels()).isEqualTo(count.value());
      }
    }
  }

  private static double le(String le) {
    return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
  }

  /** One scrape over HTTP, parsed, without waiting for requests in flight. */
  protected Exposition scrapeNow() throws Exception {
    HttpResponse<String> response = sendRaw("GET", "/metrics");
    assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
    return Exposition.parse(response.body());
  }

  /** Sends {@code path} exactly as given (no normalisation of {@code ..}) over HTTP/1.1. */
  protected HttpResponse<String> sendRaw(String method, String path) throws Exception {
    return http11.send(
        HttpRequest.newBuilder(URI.create(app.baseUri() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The method of the {@code i}th request of the cardinality attack. */
  private static String method(int i, List<String> madeUp) {
    return i % 2 == 0 ? "GET" : madeUp.get(i % madeUp.size());
  }

  private static String attackPath(int i, String token, Random random) {
    switch (i % 6) {
      case 0:
        return "/" + token;
      case 1:
        return "/" + percentGarbage(random) + token;
      case 2:
        return "/a/../" + token + "/../" + token;
      case 3:
        return "/files/" + token;
      case 4:
        return "/files/%C0%AE%C0%AE/" + percentGarbage(random) + token;
      default:
        return "/tasks/" + token + "/" + token;
    }
  }

  private static String percentGarbage(Random random) {
    StringBuilder out = new StringBuilder();
    int n = 1 + random.nextInt(6);
    for (int i = 0; i < n; i++) {
      out.append(String.format("%%%02X", random.nextInt(256)));
    }
    return out.toString();
  }

  private static String token(Random random, int min, int max) {
    int length = min + random.nextInt(max - min + 1);
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return out.toString();
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
