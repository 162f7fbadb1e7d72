package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.OpenMetricsTextFormatWriter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

/**
 * The HTTP families in kosmos' own store (the default: classic buckets, no exemplars) against the
 * client's data points (what exemplars or native histograms record into).
 */
class HttpStoreTest {

  private final AtomicLong now = new AtomicLong();

  /** Durations on, just below and just above every bucket bound, and a few beyond the last. */
  private static long[] durations() {
    List<Long> nanos = new ArrayList<>();
    for (double bound : KosmosMetrics.HTTP_DURATION_BUCKETS) {
      long exact = Math.round(bound * 1e9);
      nanos.add(exact - 1);
      nanos.add(exact);
      nanos.add(exact + 1);
    }
    nanos.add(0L);
    nanos.add(12L);
    nanos.add(61_000_000_000L);
    return nanos.stream().mapToLong(Long::longValue).toArray();
  }

  private void recordAll(HttpRecorder http) {
    String[] methods = {"GET", "POST", "BREW"};
    int[] statuses = {200, 201, 204, 301, 304, 400, 401, 404, 429, 500, 502, 503};
    int i = 0;
    for (long duration : durations()) {
      for (String method : methods) {
        now.set(1_000_000L * i);
        long start = http.start();
        now.addAndGet(duration);
        http.end(start, method, i % 3 == 0 ? null : "/tasks/{id}", "/x", statuses[i % 12]);
        i++;
      }
    }
    // A clock that goes backwards: counted, no duration, dropped and counted as such.
    now.set(10);
    long start = http.start();
    now.set(5);
    http.end(start, "GET", "/tasks/{id}", null, 200);
  }

  private static String httpFamilies(PrometheusRegistry registry, boolean openMetrics)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (openMetrics) {
      OpenMetricsTextFormatWriter.create().write(out, registry.scrape());
    } else {
      PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }
    return out.toString(StandardCharsets.UTF_8)
        .lines()
        .filter(line -> line.startsWith("http_") || line.matches("# [A-Z]+ http_.*"))
        // OpenMetrics' _created lines hold each registry's own creation times.
        .filter(line -> !line.contains("_created"))
        // The sums are compared by value: the store adds whole nanoseconds, the client doubles.
        .filter(line -> !line.startsWith("http_request_duration_seconds_sum"))
        .collect(Collectors.joining("\n"));
  }

  /**
   * The nanoseconds {@link #recordAll} records (with a clock that runs forwards) for a method label
   * and an endpoint, replayed.
   */
  private static long recordedNanos(String methodLabel, String endpoint) {
    String[] labels = {"GET", "POST", "_OTHER"};
    long total = 0;
    int i = 0;
    for (long duration : durations()) {
      for (String label : labels) {
        if (label.equals(methodLabel)
            && endpoint.equals(i % 3 == 0 ? HttpRecorder.UNMATCHED : "/tasks/{id}")) {
          total += duration;
        }
        i++;
      }
    }
    return total;
  }

  @Test
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "an amount (tokens, cost or duration) was negative")
  void theStoreExposesExactlyWhatTheClientsDataPointsWould() throws IOException {
    PrometheusRegistry stored = new PrometheusRegistry();
    recordAll(
        HttpRecorder.builder(KosmosMetrics.builder().registry(stored).build())
            .agent("zeus")
            .clock(now::get)
            .build());
    // Exemplars need no span to switch the catalog to the client's data points; none is current,
    // so none is attached.
    PrometheusRegistry client = new PrometheusRegistry();
    recordAll(
        HttpRecorder.builder(KosmosMetrics.builder().registry(client).exemplars(true).build())
            .agent("zeus")
            .clock(now::get)
            .build());

    String text = httpFamilies(stored, false);
    assertThat(text).isEqualTo(httpFamilies(client, false));
    assertThat(text)
        .contains("# TYPE http_requests_total counter")
        .contains("# TYPE http_request_duration_seconds histogram")
        .contains(
            "http_requests_total{agent=\"zeus\",endpoint=\"/tasks/{id}\",method=\"GET\","
                + "status=\"200\"} 1");
    assertThat(httpFamilies(stored, true)).isEqualTo(httpFamilies(client, true));
    Exposition scrape = Exposition.scrape(stored);
    assertThat(scrape.sum("http_requests_total", "agent", "zeus"))
        .isEqualTo(3 * durations().length + 1);
    assertThat(scrape.sum("http_request_duration_seconds_count", "agent", "zeus"))
        .isEqualTo(3 * durations().length);
    // 0, 12 ns, 10 ms - 1 ns and 10 ms are within 0.01 s; 10 ms + 1 ns is not: 4 per method.
    assertThat(scrape.sum("http_request_duration_seconds_bucket", "le", "0.01")).isEqualTo(12);
    assertThat(scrape.sum("http_request_duration_seconds_bucket", "le", "0.025")).isEqualTo(21);
    assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", "negative_amount"))
        .isEqualTo(1);
    // The sums: exact in the store, the client's within its rounding of each addition.
    Exposition clientScrape = Exposition.scrape(client);
    assertThat(scrape.samples("http_request_duration_seconds_sum")).hasSize(4);
    for (Exposition.Sample sum : scrape.samples("http_request_duration_seconds_sum")) {
      String method = sum.labels().get("method");
      String endpoint = sum.labels().get("endpoint");
      assertThat(sum.value()).isEqualTo(recordedNanos(method, endpoint) / 1e9);
      assertThat(sum.value())
          .isCloseTo(
              clientScrape.value(
                  "http_request_duration_seconds_sum",
                  "method",
                  method,
                  "endpoint",
                  endpoint,
                  "agent",
                  "zeus"),
              Percentage.withPercentage(1e-12));
    }
  }

  @Test
  void concurrentScrapesSeeEveryCountOnlyGrowAndTheLastOneSeesThemAll() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    // Every request lasts exactly one second, so that sums are exact in binary.
    ThreadLocal<Boolean> started = ThreadLocal.withInitial(() -> false);
    HttpRecorder http =
        HttpRecorder.builder(metrics)
            .agent("zeus")
            .clock(
                () -> {
                  boolean end = started.get();
                  started.set(!end);
                  return end ? 1_000_000_000L : 0L;
                })
            .build();
    int threads = 6;
    int perThread = 42_000; // each thread records each of the 6 combinations 7,000 times
    String[] routes = {"/a", "/b"};
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    CountDownLatch go = new CountDownLatch(1);
    AtomicBoolean recording = new AtomicBoolean(true);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(
          pool.submit(
              () -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                  http.end(http.start(), "GET", routes[i % 2], null, 200 + (i / 2) % 3);
                }
                return null;
              }));
    }
    Future<Integer> scraper =
        pool.submit(
            () -> {
              go.await();
              double lastTotal = 0;
              double lastInf = 0;
              double lastSum = 0;
              int scrapes = 0;
              while (recording.get()) {
                Exposition scrape = Exposition.scrape(registry);
                double total = scrape.sum("http_requests_total", "agent", "zeus");
                double inf =
                    scrape.sum(
                        "http_request_duration_seconds_bucket", "agent", "zeus", "le", "+Inf");
                double sum = scrape.sum("http_request_duration_seconds_sum", "agent", "zeus");
                assertThat(total).isGreaterThanOrEqualTo(lastTotal);
                assertThat(inf).isGreaterThanOrEqualTo(lastInf);
                assertThat(sum).isGreaterThanOrEqualTo(lastSum);
                assertThat(scrape.sum("http_request_duration_seconds_count", "agent", "zeus"))
                    .isEqualTo(inf);
                lastTotal = total;
                lastInf = inf;
                lastSum = sum;
                scrapes++;
              }
              return scrapes;
            });
    go.countDown();
    for (Future<?> f : done) {
      f.get();
    }
    recording.set(false);
    assertThat(scraper.get()).isPositive();
    pool.shutdown();

    Exposition scrape = Exposition.scrape(registry);
    int total = threads * perThread;
    assertThat(scrape.sum("http_requests_total", "agent", "zeus")).isEqualTo(total);
    assertThat(scrape.sum("http_request_duration_seconds_sum", "agent", "zeus")).isEqualTo(total);
    assertThat(scrape.sum("http_request_duration_seconds_bucket", "agent", "zeus", "le", "1.0"))
        .isEqualTo(total);
    assertThat(scrape.sum("http_request_duration_seconds_bucket", "agent", "zeus", "le", "0.5"))
        .isZero();
    for (String route : routes) {
      for (int status = 200; status < 203; status++) {
        assertThat(
                scrape.value(
                    "http_requests_total", "endpoint", route, "status", String.valueOf(status)))
            .isEqualTo(total / 2 / 3);
      }
    }
  }

  @Test
  void theRegistryRefusesAnotherMetricOfAStoredFamilysName() {
    PrometheusRegistry registry = new PrometheusRegistry();
    KosmosMetrics.builder().registry(registry).build();

    // client_java 1.5+ throws IllegalArgumentException, 1.3 and 1.4 IllegalStateException.
    assertThatThrownBy(() -> Counter.builder().name("http_requests_total").register(registry))
        .isInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class);
    assertThatThrownBy(
            () ->
                Histogram.builder()
                    .name("http_request_duration_seconds")
                    .labelNames("method", "endpoint", "agent")
                    .register(registry))
        .isInstanceOfAny(IllegalArgumentException.class, IllegalStateException.class);
  }

  @Test
  void aRegistryHoldingAForeignHttpCounterRefusesTheCatalog() {
    PrometheusRegistry taken = new PrometheusRegistry();
    Counter.builder().name("http_requests_total").help("mine").register(taken);

    assertThatThrownBy(() -> KosmosMetrics.builder().registry(taken).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "Cannot register the kosmos-metrics catalog: the registry already holds a metric that"
                + " kosmos-metrics did not register");
    assertThat(taken.scrape().stream().map(s -> s.getMetadata().getPrometheusName()))
        .containsExactly("http_requests");
  }
}
