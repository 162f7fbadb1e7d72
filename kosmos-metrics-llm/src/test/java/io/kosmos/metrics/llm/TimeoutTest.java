package io.kosmos.metrics.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An LLM call against a local server that never answers, with a java.net.http client timeout. */
class TimeoutTest {

  private HttpServer silent;

  @BeforeEach
  void startSilentServer() throws Exception {
    silent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    silent.createContext("/v1/chat/completions", exchange -> {}); // reads, never answers
    silent.start();
  }

  @AfterEach
  void stopSilentServer() {
    silent.stop(0);
  }

  @Test
  void aTimedOutCallIsRecordedOnceAsATimeoutAndTheCallerGetsTheSameException() {
    PrometheusRegistry registry = new PrometheusRegistry();
    LlmMetrics llm = LlmMetrics.builder(KosmosMetrics.builder().registry(registry).build()).build();
    HttpClient client = HttpClient.newHttpClient();
    URI uri =
        URI.create("http://127.0.0.1:" + silent.getAddress().getPort() + "/v1/chat/completions");
    AtomicReference<HttpTimeoutException> original = new AtomicReference<>();

    Throwable thrown =
        catchThrowable(
            () ->
                llm.call(
                    "openai",
                    "gpt-4o-mini",
                    () -> {
                      try {
                        return client.send(
                            HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofMillis(200))
                                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                      } catch (HttpTimeoutException e) {
                        original.set(e);
                        throw e;
                      }
                    },
                    response -> Usage.of(1, 1)));

    assertThat(original.get()).isNotNull();
    assertThat(thrown).isSameAs(original.get());
    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_errors_total", "error_type", "timeout")).isEqualTo(1);
    assertThat(scrape.sum("llm_errors_total")).isEqualTo(1);
    assertThat(scrape.value("llm_requests_total", "status", "error")).isEqualTo(1);
    assertThat(scrape.sum("llm_requests_total")).isEqualTo(1);
    assertThat(scrape.sum("llm_tokens_total")).isZero();
    assertThat(scrape.value("llm_request_duration_seconds_count", "model", "gpt-4o-mini"))
        .isEqualTo(1);
  }
}
