package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.LogCapture;
import io.kosmos.metrics.core.internal.DropReason;
import io.kosmos.metrics.testsupport.HttpAdapterContract.App;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input matrix through the filter in Jetty: bad endpoint attributes set by the application
 * and hostile request paths. Each request, sent three times to a fresh catalog, gets exactly the
 * response an uninstrumented twin gives, records nothing of its bad value, and its drop (if any) is
 * counted under its exact reason and logged once.
 */
class BadInputTest {

  /** The endpoint attribute values {@code /bad/*} sets, by the {@code case} query parameter. */
  static final Map<String, Object> ATTRIBUTES =
      Map.of(
          "empty",
          "",
          "long",
          "/" + "x".repeat(10 * 1024),
          "surrogate",
          "/bad/\uD800oops",
          "number",
          42);

  record Case(String name, String method, String path, @Nullable DropReason reason) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case("no endpoint attribute", "GET", "/bad/1?case=none", null),
        new Case("empty endpoint attribute", "GET", "/bad/1?case=empty", null),
        new Case("non-string endpoint attribute", "GET", "/bad/1?case=number", null),
        new Case("10 KB endpoint attribute", "GET", "/bad/1?case=long", DropReason.LABEL_TOO_LONG),
        new Case(
            "unpaired surrogate endpoint attribute",
            "GET",
            "/bad/1?case=surrogate",
            DropReason.INVALID_LABEL),
        new Case("unknown method", "XFROB", "/bad/1?case=none", null),
        new Case("percent-encoded garbage", "GET", "/bad/%C0%AE%FF%00zz?case=none", null),
        new Case("dot-dot segments", "GET", "/bad/../bad/a/../../bad/b?case=none", null),
        new Case("dot-dot above the root", "GET", "/../../etc/passwd", null),
        new Case("10 KB URL", "GET", "/bad/" + "y".repeat(10 * 1024), null));
  }

  private static App twin;
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startTwin() throws Exception {
    twin = Containers.jetty((classes, context) -> register(context));
  }

  @AfterAll
  static void stopTwin() throws Exception {
    twin.close();
  }

  private static void register(ServletContext context) {
    context.addServlet("bad", new Bad()).addMapping("/bad/*");
  }

  /** Names its route with the attribute the {@code case} parameter selects; answers 200. */
  static final class Bad extends HttpServlet {
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String name = String.valueOf(request.getParameter("case"));
      Object attribute = ATTRIBUTES.get(name);
      if (attribute != null) {
        request.setAttribute(KosmosMetricsFilter.ENDPOINT_ATTRIBUTE, attribute);
      }
      byte[] body = (request.getMethod() + " ok " + name).getBytes(StandardCharsets.UTF_8);
      response.setContentType("text/plain;charset=utf-8");
      response.getOutputStream().write(body);
    }
  }

  private static HttpResponse<String> send(App app, Case bad) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(URI.create(app.baseUri() + bad.path()))
            .method(bad.method(), HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void badInputLeavesTheResponseAloneAndIsDroppedCountedAndLoggedOnce(Case bad) throws Exception {
    HttpResponse<String> expected = send(twin, bad);
    PrometheusRegistry registry = new PrometheusRegistry();
    KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
    try (LogCapture log = LogCapture.start();
        App app =
            Containers.jetty(
                (classes, context) -> {
                  KosmosMetricsFilter.builder(metrics).agent("zeus").install(context);
                  register(context);
                })) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> response = send(app, bad);
        assertThat(response.statusCode()).isEqualTo(expected.statusCode());
        assertThat(response.body()).isEqualTo(expected.body());
      }
      Exposition scrape = Exposition.scrape(registry);
      for (DropReason reason : DropReason.values()) {
        assertThat(scrape.value("kosmos_metrics_dropped_total", "reason", reason.label()))
            .as("dropped{reason=%s}", reason.label())
            .isEqualTo(reason == bad.reason() ? 3 : 0);
      }
      if (bad.reason() != null) {
        assertThat(log.count("reason=\"" + bad.reason().label() + "\"")).isEqualTo(1);
        assertThat(scrape.sum("http_requests_total")).isZero();
      }
      assertThat(log.messages()).hasSizeLessThanOrEqualTo(1);
      assertThat(scrape.value("active_connections", "agent", "zeus")).isZero();
      assertThat(scrape.text()).doesNotContain("xxxxxxxxxx", "yyyyyyyyyy", "oops", "XFROB");
      assertThat(scrape.text()).doesNotContain("passwd", "%C0", "..");
    }
  }
}
