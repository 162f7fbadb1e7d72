package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.testsupport.HttpAdapterHardeningContract;
import java.io.IOException;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The HTTP adapter contract plus what is specific to servlets, run for every way of recording a
 * servlet application (the filter in each container, the Jetty handler): async timeouts, errors and
 * dispatches, committed responses, the endpoint sources, skip paths and {@code name[]} filtering on
 * {@code /metrics}. The application is {@link FixtureServlets}, with {@code /healthz} and {@code
 * /static/*} skipped.
 */
abstract class ServletRecordingContract extends HttpAdapterHardeningContract {

  @Override
  protected App start(KosmosMetrics metrics) throws Exception {
    return start(metrics, 0);
  }

  private double recorded(Exposition scrape, String endpoint) {
    return scrape.sum("http_requests_total", "endpoint", endpoint);
  }

  @Test
  void anAsyncTimeoutIsRecordedOnceWithTheStatusTheContainerSent() throws Exception {
    HttpResponse<String> response = send("GET", "/async-timeout");
    assertThat(response.statusCode()).isEqualTo(500);

    Exposition scrape = scrape();
    assertThat(recorded(scrape, "/async-timeout")).isEqualTo(1);
    assertThat(scrape.value("http_requests_total", "endpoint", "/async-timeout", "status", "500"))
        .isEqualTo(1);
  }

  @Test
  void anAsyncDispatchThatThrowsIsRecordedOnceAs500() throws Exception {
    assertThat(send("GET", "/async-error").statusCode()).isEqualTo(500);

    Exposition scrape = scrape();
    assertThat(recorded(scrape, "/async-error")).isEqualTo(1);
    assertThat(scrape.value("http_requests_total", "endpoint", "/async-error", "status", "500"))
        .isEqualTo(1);
  }

  @Test
  void anAsyncDispatchIsRecordedOnceWithTheStatusOfTheDispatch() throws Exception {
    HttpResponse<String> response = send("GET", "/async-dispatch");
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(response.body()).isEqualTo("dispatched");

    Exposition scrape = scrape();
    assertThat(recorded(scrape, "/async-dispatch")).isEqualTo(1);
    assertThat(scrape.value("http_requests_total", "endpoint", "/async-dispatch", "status", "202"))
        .isEqualTo(1);
  }

  @Test
  void aSecondAsyncCycleIsFollowedToTheEnd() throws Exception {
    HttpResponse<String> response = send("GET", "/async-twice");
    assertThat(response.statusCode()).isEqualTo(203);
    assertThat(response.body()).isEqualTo("second cycle");

    Exposition scrape = scrape(); // fails by timeout if the second cycle's end went unheard
    assertThat(recorded(scrape, "/async-twice")).isEqualTo(1);
    assertThat(scrape.value("http_requests_total", "endpoint", "/async-twice", "status", "203"))
        .isEqualTo(1);
  }

  @Test
  void anExceptionAfterTheResponseWasCommittedKeepsTheStatusSent() throws Exception {
    try {
      assertThat(send("GET", "/commit-then-throw").statusCode()).isEqualTo(200);
    } catch (IOException e) {
      // The container may cut the body short; the status line with 200 was sent either way.
    }

    Exposition scrape = scrape();
    assertThat(recorded(scrape, "/commit-then-throw")).isEqualTo(1);
    assertThat(
            scrape.value("http_requests_total", "endpoint", "/commit-then-throw", "status", "200"))
        .isEqualTo(1);
  }

  @Test
  void theServletMappingPatternIsTheEndpointWhenTheAppNamesNoRoute() throws Exception {
    assertThat(send("GET", "/exact").body()).isEqualTo("exact");
    assertThat(send("GET", "/exact/x").body()).isEqualTo("under exact");
    assertThat(send("GET", "/files/a/b.txt").body()).isEqualTo("file");
    assertThat(send("GET", "/files/c").body()).isEqualTo("file");
    assertThat(send("GET", "/files/d.report").body()).isEqualTo("file");
    assertThat(send("GET", "/api/v1/items/3").body()).isEqualTo("api");
    assertThat(send("GET", "/api/v1").body()).isEqualTo("api");
    assertThat(send("GET", "/q/r.report").body()).isEqualTo("report");
    assertThat(send("GET", "/s.report").body()).isEqualTo("report");

    Exposition scrape = scrape();
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactlyInAnyOrder("/exact", "/exact/*", "/files/*", "/api/v1/*", "/*.report");
    assertThat(recorded(scrape, "/exact")).isEqualTo(1);
    assertThat(recorded(scrape, "/exact/*")).isEqualTo(1);
    assertThat(recorded(scrape, "/files/*")).isEqualTo(3);
    assertThat(recorded(scrape, "/api/v1/*")).isEqualTo(2);
    // Core writes every route with a leading slash.
    assertThat(recorded(scrape, "/*.report")).isEqualTo(2);
  }

  @Test
  void springsBestMatchingPatternIsTheEndpointUnlessTheAppNamesOne() throws Exception {
    assertThat(send("GET", "/spring/orders/7").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/both/8").statusCode()).isEqualTo(200);

    Exposition scrape = scrape();
    assertThat(scrape.labelValues("http_requests_total", "endpoint"))
        .containsExactlyInAnyOrder(FixtureServlets.SPRING_ROUTE, FixtureServlets.EXPLICIT_ROUTE);
  }

  @Test
  void springsCatchAllResourcePatternAnswering404IsUnmatched() throws Exception {
    assertThat(send("GET", "/assets/7f3a9c.js").statusCode()).isEqualTo(404);
    assertThat(send("GET", "/assets/other.css").statusCode()).isEqualTo(404);

    Exposition scrape = scrape();
    assertThat(scrape.labelValues("http_requests_total", "endpoint")).containsExactly("unmatched");
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched", "status", "404"))
        .isEqualTo(2);
  }

  @Test
  void aMatchedRouteThatAnswers404KeepsItsRoute() throws Exception {
    assertThat(send("GET", "/orders/9").statusCode()).isEqualTo(404);

    Exposition scrape = scrape();
    assertThat(scrape.value("http_requests_total", "endpoint", "/orders/{id}", "status", "404"))
        .isEqualTo(1);
    assertThat(recorded(scrape, "unmatched")).isZero();
  }

  @Test
  void aForwardedRequestIsRecordedOnceUnderItsOwnMapping() throws Exception {
    HttpResponse<String> response = send("GET", "/forward");
    assertThat(response.body()).isEqualTo("exact");

    Exposition scrape = scrape();
    assertThat(scrape.labelValues("http_requests_total", "endpoint")).containsExactly("/forward");
    assertThat(recorded(scrape, "/forward")).isEqualTo(1);
  }

  @Test
  void skipPathsAreNotRecordedButTheirNeighboursAre() throws Exception {
    send("GET", "/healthz");
    send("GET", "/static/app.js");
    send("GET", "/static");
    send("GET", "/staticky");

    Exposition scrape = scrape();
    assertThat(scrape.sum("http_requests_total")).isEqualTo(1);
    assertThat(scrape.value("http_requests_total", "endpoint", "unmatched", "status", "404"))
        .isEqualTo(1);
  }

  @Test
  void metricsFiltersFamiliesByName() throws Exception {
    send("GET", "/tasks/1");
    scrape(); // settles the recording of /tasks/1

    HttpResponse<String> response = send("GET", "/metrics?name%5B%5D=active_connections");
    assertThat(response.statusCode()).isEqualTo(200);
    Exposition filtered = Exposition.parse(response.body());
    assertThat(filtered.has("active_connections")).isTrue();
    assertThat(filtered.has("http_requests_total")).isFalse();
    assertThat(filtered.has("http_request_duration_seconds")).isFalse();
  }
}
