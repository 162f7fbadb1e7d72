package io.kosmos.metrics.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every HTTP adapter must do, checked through a real server on port 0 and a real HTTP client.
 * An adapter's test extends this class and starts its server in {@link #start} with the fixture
 * routes below, recording with agent {@value #AGENT} into the given catalog and serving its
 * registry on {@code /metrics}:
 *
 * <table>
 *   <caption>Fixture routes</caption>
 *   <tr><th>route</th><th>behaviour</th></tr>
 *   <tr><td>{@code GET|HEAD|OPTIONS|any /tasks/{id}} (as the framework writes a parameter)</td>
 *       <td>200, body {@code task <id>}; any method is served</td></tr>
 *   <tr><td>{@code GET /boom}</td><td>the handler throws {@link IllegalStateException}</td></tr>
 *   <tr><td>{@code GET /async}</td><td>answers 200 {@code done} from another thread, after the
 *       handler returned (servlet async, Vert.x timer)</td></tr>
 *   <tr><td>{@code GET /stream}</td><td>200, writes {@value #STREAM_CHUNKS} chunks of 8 KiB,
 *       flushing each, until done or the client is gone</td></tr>
 *   <tr><td>{@code GET /metrics}</td><td>the adapter's scrape endpoint on the catalog's
 *       registry</td></tr>
 * </table>
 *
 * <p>The fixture's server also reports every request it passes to its handlers to {@link
 * #arrived(String, String)}, from outside the adapter, so that tests sending paths of no route can
 * tell what the server really received.
 */
public abstract class HttpAdapterContract {

  /** The agent label the fixture records with. */
  public static final String AGENT = "contract";

  /** How many 8 KiB chunks {@code /stream} writes when the client reads them all. */
  public static final int STREAM_CHUNKS = 2_000;

  /** A running fixture server. */
  public interface App extends AutoCloseable {
    /** Where the server listens, e.g. {@code http://127.0.0.1:41234}. */
    URI baseUri();

    /** Stops the server and releases its port. */
    @Override
    void close() throws Exception;
  }

  /** Starts the adapter's fixture server on port 0, recording into {@code metrics}. */
  protected abstract App start(KosmosMetrics metrics) throws Exception;

  /**
   * How many times the fixture's server received each request, by method and request target (the
   * raw path and query, as on the request line): what the client really caused, which it cannot
   * tell. The JDK 17 client resends a GET once, on a new connection and without telling the caller,
   * when the pooled connection it sent it on fails before any byte of the answer arrived
   * (JDK-8357639); the server has then received that GET twice. Reset before every test; tests of
   * one class run one at a time.
   */
  private static final Map<String, Integer> ARRIVED = new ConcurrentHashMap<>();

  /**
   * Called by the fixture's server for each request it passes to its handlers, before the adapter
   * sees it: {@code target} is the request target as sent, {@code /a%20b?q=1}.
   */
  public static void arrived(String method, String target) {
    ARRIVED.merge(method + ' ' + target, 1, Integer::sum);
  }

  /** How many times the server has received {@code method target} since this test started. */
  protected static int timesArrived(String method, String target) {
    return ARRIVED.getOrDefault(method + ' ' + target, 0);
  }

  /**
   * How many times the server received {@code method target}, which the test sent once: once, or
   * twice when the JDK client resent it (see {@link #arrived}).
   */
  protected static int receivedOnce(String method, String target) {
    int times = timesArrived(method, target);
    assertThat(times).as("times the server received %s %s", method, target).isBetween(1, 2);
    return times;
  }

  /**
   * How many requests the server received for {@code GET /tasks/0} to {@code /tasks/<total - 1>},
   * each sent once: the requests sent plus the GETs the JDK client resent on its own. What an
   * adapter must count.
   */
  protected static long tasksServed(int total) {
    long served = 0;
    for (int id = 0; id < total; id++) {
      served += receivedOnce("GET", "/tasks/" + id);
    }
    return served;
  }

  protected PrometheusRegistry registry;
  protected App app;
  protected final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void startApp() throws Exception {
    ARRIVED.clear();
    registry = new PrometheusRegistry();
    app = start(KosmosMetrics.builder().registry(registry).build());
  }

  @AfterEach
  void stopApp() throws Exception {
    app.close();
  }

  /** Sends {@code method path} and returns the response. */
  protected HttpResponse<String> send(String method, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(app.baseUri().resolve(path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(20))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Scrapes the app's own {@code /metrics} endpoint over HTTP and parses it, once no request of the
   * fixture is in flight. Adapters record a request when its exchange completes, and a server may
   * send the last bytes of a response (e.g. when the declared content length is reached, or before
   * async completion listeners run) just before that: waiting for {@code active_connections} to
   * reach 0 makes every request the client has seen countable, and fails (by timeout) an adapter
   * that leaks one.
   */
  protected Exposition scrape() throws Exception {
    return Exposition.settled(
        () -> {
          HttpResponse<String> response = send("GET", "/metrics");
          assertThat(response.statusCode()).as("GET /metrics").isEqualTo(200);
          return response.body();
        },
        AGENT);
  }

  /** The count of {@code http_requests_total} matching the label pairs, from a real scrape. */
  protected double requests(String... labelPairs) throws Exception {
    return scrape().sum("http_requests_total", labelPairs);
  }

  @Test
  void recordsTheRouteTemplateAsOneSeriesFor300DistinctIds() throws Exception {
    for (int id = 0; id < 300; id++) {
      HttpResponse<String> response = send("GET", "/tasks/" + id);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("task " + id);
    }
    long served = tasksServed(300);
    Exposition scrape = scrape();
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
                AGENT))
        .isEqualTo(served);
    assertThat(
            scrape.value(
                "http_request_duration_seconds_count",
                "method",
                "GET",
                "endpoint",
                "/tasks/{id}",
                "agent",
                AGENT))
        .isEqualTo(served);
  }

  @Test
  void unmatchedPathsShareOneEndpointValueAndAddNoSeries() throws Exception {
    send("GET", "/tasks/1");
    int seriesBefore = scrape().samples("http_requests_total").size();
    for (int i = 0; i < 50; i++) {
      String path = "/no/such/" + Long.toString(Double.doubleToLongBits(Math.random()), 36);
      assertThat(send("GET", path).statusCode()).isEqualTo(404);
    }
    Exposition scrape = scrape();
    assertThat(scrape.samples("http_requests_total")).hasSize(seriesBefore + 1);
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched", "status", "404"))
        .isEqualTo(50);
    assertThat(scrape.text()).doesNotContain("/no/such");
  }

  @Test
  void aHandlerThatThrowsIsRecordedAs500AndTheClientStillGetsA500() throws Exception {
    HttpResponse<String> response = send("GET", "/boom");
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(requests("endpoint", "/boom", "status", "500", "method", "GET")).isEqualTo(1);
    assertThat(scrape().value("active_connections", "agent", AGENT)).isZero();
  }

  @Test
  void anAsyncRequestIsRecordedWhenItCompletesWithItsFinalStatus() throws Exception {
    HttpResponse<String> response = send("GET", "/async");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("done");
    Exposition scrape = scrape();
    assertThat(scrape.value("http_requests_total", "endpoint", "/async", "status", "200"))
        .isEqualTo(1);
    assertThat(scrape.value("active_connections", "agent", AGENT)).isZero();
  }

  @Test
  void headOptionsAndMadeUpMethodsAreRecordedWithBoundedMethodValues() throws Exception {
    assertThat(send("HEAD", "/tasks/1").statusCode()).isEqualTo(200);
    assertThat(send("OPTIONS", "/tasks/1").statusCode()).isLessThan(500);
    send("FROBNICATE", "/tasks/1");
    send("WHATEVER", "/tasks/2");

    Exposition scrape = scrape();
    assertThat(scrape.sum("http_requests_total", "method", "HEAD", "endpoint", "/tasks/{id}"))
        .isEqualTo(1);
    assertThat(scrape.sum("http_requests_total", "method", "OPTIONS")).isEqualTo(1);
    assertThat(scrape.sum("http_requests_total", "method", "_OTHER")).isEqualTo(2);
    assertThat(scrape.labelValues("http_requests_total", "method"))
        .containsExactlyInAnyOrder("HEAD", "OPTIONS", "_OTHER");
  }

  @Test
  void aClientThatDisconnectsMidResponseLeavesNoConnectionActive() throws Exception {
    try (Socket socket = new Socket(app.baseUri().getHost(), app.baseUri().getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /stream HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[16 * 1024];
      int read = 0;
      while (read < 32 * 1024) {
        int n = in.read(buffer);
        assertThat(n).as("bytes of /stream before disconnecting").isPositive();
        read += n;
      }
      socket.setSoLinger(true, 0); // reset the connection rather than closing it politely
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              Exposition scrape = scrape();
              assertThat(scrape.value("active_connections", "agent", AGENT)).isZero();
              assertThat(scrape.sum("http_requests_total", "endpoint", "/stream")).isEqualTo(1);
            });
  }

  @Test
  void concurrentRequestsFromEightThreadsAreCountedExactly() throws Exception {
    int threads = 8;
    int perThread = 250;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  int ok = 0;
                  for (int i = 0; i < perThread; i++) {
                    if (send("GET", "/tasks/" + (thread * perThread + i)).statusCode() == 200) {
                      ok++;
                    }
                  }
                  return ok;
                }));
      }
      for (Future<Integer> result : results) {
        assertThat(result.get()).isEqualTo(perThread);
      }
    } finally {
      pool.shutdown();
    }
    long served = tasksServed(threads * perThread);
    Exposition scrape = scrape();
    assertThat(scrape.value("http_requests_total", "endpoint", "/tasks/{id}", "status", "200"))
        .isEqualTo(served);
    assertThat(scrape.value("http_request_duration_seconds_count", "endpoint", "/tasks/{id}"))
        .isEqualTo(served);
    assertThat(
            scrape.value(
                "http_request_duration_seconds_bucket", "endpoint", "/tasks/{id}", "le", "+Inf"))
        .isEqualTo(served);
    assertThat(scrape.value("active_connections", "agent", AGENT)).isZero();
  }

  @Test
  void metricsAnswersInPrometheusTextAndOpenMetricsAndIsNotCountedItself() throws Exception {
    send("GET", "/tasks/1");
    HttpResponse<String> text =
        client.send(
            HttpRequest.newBuilder(app.baseUri().resolve("/metrics"))
                .header("Accept", "text/plain")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(text.statusCode()).isEqualTo(200);
    // Whitespace around ';' is optional in HTTP (RFC 9110), and Tomcat drops it.
    assertThat(text.headers().firstValue("Content-Type").map(type -> type.replace(" ", "")))
        .hasValue("text/plain;version=0.0.4;charset=utf-8");
    assertThat(text.body()).contains("# TYPE http_requests_total counter");

    HttpResponse<String> openMetrics =
        client.send(
            HttpRequest.newBuilder(app.baseUri().resolve("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0; charset=utf-8")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(openMetrics.statusCode()).isEqualTo(200);
    assertThat(openMetrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/openmetrics-text"));
    assertThat(openMetrics.body()).contains("# TYPE http_requests counter").endsWith("# EOF\n");

    Exposition scrape = scrape();
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactly("/tasks/{id}");
  }

  @Test
  void metricsIsGzippedWhenTheClientAsksForIt() throws Exception {
    send("GET", "/tasks/1");
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(app.baseUri().resolve("/metrics"))
                .header("Accept-Encoding", "gzip")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String body = gunzip(response.body());
    assertThat(Exposition.parse(body).value("http_requests_total", "endpoint", "/tasks/{id}"))
        .isEqualTo(1);
  }

  /** Decompresses exactly one gzip layer. */
  protected static String gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
