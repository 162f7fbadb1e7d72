package io.kosmos.metrics.testsupport.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One row of the table SDK x failure -> {@code error_type}: each SDK integration extends this with
 * its real client, pointed at a {@link FakeLlmServer} that answers as the provider does.
 *
 * <pre>{@code
 * class OpenAiErrorClassificationTest extends ErrorClassificationContract {
 *   protected Wire wire() { return Wire.OPENAI; }
 *   protected String provider() { return "openai"; }
 *   protected Invoker client(LlmMetrics llm, String baseUrl, Duration timeout) {
 *     OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(baseUrl + "/v1")
 *         .apiKey("sk-fake").maxRetries(0).timeout(timeout).build();
 *     return () -> KosmosOpenAi.of(llm).create(client, params);
 *   }
 * }
 * }</pre>
 */
public abstract class ErrorClassificationContract {

  /** Client timeout of the timeout cell; short so that its ten repeats stay fast. */
  protected static final Duration TIMEOUT = Duration.ofMillis(200);

  /**
   * Client timeout of the status cells: long, because a cold SDK on a busy machine can take longer
   * than {@link #TIMEOUT} to load its classes and would turn a 429 into a timeout.
   */
  protected static final Duration STATUS_TIMEOUT = Duration.ofSeconds(30);

  /** The protocol the SDK speaks. */
  public enum Wire {
    OPENAI,
    ANTHROPIC
  }

  /** One call of the instrumented SDK, throwing whatever the SDK throws. */
  @FunctionalInterface
  public interface Invoker {
    /** Performs the call. */
    void call() throws Exception;
  }

  private FakeLlmServer server;
  private PrometheusRegistry registry;
  private LlmMetrics llm;

  /** The protocol of the SDK under test. */
  protected abstract Wire wire();

  /** The {@code provider} label the integration records. */
  protected abstract String provider();

  /**
   * A client of {@code baseUrl} (the server's root, no path) instrumented with {@code llm}, with
   * {@code timeout} as its timeout and retries off.
   */
  protected abstract Invoker client(LlmMetrics llm, String baseUrl, Duration timeout)
      throws Exception;

  @BeforeEach
  void startServer() {
    server = FakeLlmServer.start();
    registry = new PrometheusRegistry();
    llm = LlmMetrics.builder(KosmosMetrics.builder().registry(registry).build()).build();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(LlmFailure.class)
  void recordsTheFailureWithItsErrorType(LlmFailure failure) throws Exception {
    if (failure == LlmFailure.CLIENT_TIMEOUT) {
      server.reply(FakeLlmServer.Reply.hang());
    } else {
      String body =
          wire() == Wire.OPENAI ? OpenAiWire.error(failure) : AnthropicWire.error(failure);
      server.reply(FakeLlmServer.Reply.json(failure.status(), body));
    }
    Invoker client =
        client(llm, server.url(), failure == LlmFailure.CLIENT_TIMEOUT ? TIMEOUT : STATUS_TIMEOUT);
    Throwable thrown = null;
    for (int i = 0; i < failure.repeats(); i++) {
      thrown = catchThrowable(client::call);
      assertThat(thrown).as("the SDK's own exception").isNotNull();
    }
    Exposition scrape = Exposition.scrape(registry);
    assertThat(
            scrape.value(
                "llm_errors_total", "provider", provider(), "error_type", failure.errorType()))
        .as(
            "llm_errors_total{error_type=\"%s\"} after %s; recorded: %s",
            failure.errorType(), thrown, scrape.matching("llm_errors_total"))
        .isEqualTo(failure.repeats());
    assertThat(scrape.sum("llm_errors_total")).isEqualTo(failure.repeats());
    assertThat(scrape.value("llm_requests_total", "provider", provider(), "status", "error"))
        .isEqualTo(failure.repeats());
    assertThat(scrape.value("llm_requests_total", "status", "success")).isZero();
    if (failure == LlmFailure.CLIENT_TIMEOUT) {
      // Retries off: at most one request per call. A client that gave up before the server read
      // its request leaves none, which is still a client timeout.
      assertThat(server.requests()).hasSizeLessThanOrEqualTo(failure.repeats());
    } else {
      assertThat(server.requests()).hasSize(failure.repeats());
    }
  }
}
