package io.kosmos.metrics.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.FakeOpenAiServer.Reported;
import io.kosmos.metrics.llm.OpenAiChatClient.ChatResponse;
import io.kosmos.metrics.llm.OpenAiChatClient.ChatStream;
import io.kosmos.metrics.llm.OpenAiChatClient.Chunk;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The tracker around a real java.net.http client of a local OpenAI-compatible server. */
class OpenAiChatTrackingTest {

  private static final String MODEL = "gpt-4o-mini";
  private static final ModelPrice GPT_4O_MINI =
      ModelPrice.perMillion(0.15, 0.60).withCacheReadPerMillion(0.075);

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();
  private final LlmMetrics llm =
      LlmMetrics.builder(metrics)
          .pricing(LlmPricing.builder().price("openai", MODEL, GPT_4O_MINI).build())
          .build();
  private final FakeOpenAiServer server;
  private final OpenAiChatClient client;

  OpenAiChatTrackingTest() throws IOException {
    server = new FakeOpenAiServer();
    client = new OpenAiChatClient(server.baseUri(), Duration.ofSeconds(30));
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.close();
  }

  private ChatResponse chat(String model) throws Exception {
    return llm.call("openai", model, () -> client.chat(model, "hello"), r -> r.usage().toUsage());
  }

  private static double value(Exposition scrape, String name, String... labels) {
    return scrape.value(name, labels);
  }

  @Test
  void recordsTheServersUsageAndItsCostAtTheCatalogPrice() throws Exception {
    server.respondWith(new FakeOpenAiServer.Ok("hi", new Reported(1000, 300, 400, 100)));

    ChatResponse response = chat(MODEL);

    assertThat(response.content()).isEqualTo("hi");
    Exposition scrape = Exposition.scrape(registry);
    String[] series = {"provider", "openai", "model", MODEL};
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "input")).isEqualTo(1000);
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "output")).isEqualTo(300);
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "cache_read"))
        .isEqualTo(400);
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "reasoning"))
        .isEqualTo(100);
    assertThat(scrape.labelValues("llm_tokens_total", "type"))
        .containsExactly("cache_read", "input", "output", "reasoning");
    // 600 uncached input, 400 cached input, 300 output (reasoning included), at the catalog price.
    BigDecimal expected =
        GPT_4O_MINI
            .inputPerToken()
            .multiply(BigDecimal.valueOf(600))
            .add(GPT_4O_MINI.cacheReadPerToken().multiply(BigDecimal.valueOf(400)))
            .add(GPT_4O_MINI.outputPerToken().multiply(BigDecimal.valueOf(300)));
    assertThat(expected).isEqualByComparingTo("0.0003");
    assertThat(value(scrape, "llm_cost_dollars_total", series)).isEqualTo(expected.doubleValue());
    assertThat(value(scrape, "llm_requests_total", "model", MODEL, "status", "success"))
        .isEqualTo(1);
    assertThat(value(scrape, "llm_request_duration_seconds_count", series)).isEqualTo(1);
    assertThat(scrape.samples("llm_errors_total")).isEmpty();
    assertThat(scrape.samples("llm_cost_unpriced_total")).isEmpty();
  }

  @Test
  void httpErrorsAreRecordedWithTheirTypeAndTheCallerSeesTheOriginalException() {
    int[] statuses = {429, 401, 500, 400};
    String[] types = {"rate_limited", "auth", "server_error", "context_length"};
    for (int status : statuses) {
      String body =
          status == 400
              ? FakeOpenAiServer.error(
                  "This model's maximum context length is 128000 tokens.",
                  "invalid_request_error",
                  "context_length_exceeded")
              : FakeOpenAiServer.error("failed", "error", "code_" + status);
      server.respondWith(new FakeOpenAiServer.Status(status, body));
      AtomicReference<Exception> thrown = new AtomicReference<>();

      assertThatThrownBy(
              () ->
                  llm.call(
                      "openai",
                      MODEL,
                      () -> {
                        try {
                          return client.chat(MODEL, "hello");
                        } catch (RuntimeException e) {
                          thrown.set(e);
                          throw e;
                        }
                      },
                      r -> r.usage().toUsage()))
          .isSameAs(thrown.get())
          .isInstanceOfSatisfying(
              LlmHttpException.class, e -> assertThat(e.status()).isEqualTo(status));
    }

    Exposition scrape = Exposition.scrape(registry);
    for (String type : types) {
      assertThat(value(scrape, "llm_errors_total", "model", MODEL, "error_type", type))
          .as(type)
          .isEqualTo(1);
    }
    assertThat(value(scrape, "llm_requests_total", "model", MODEL, "status", "error")).isEqualTo(4);
    assertThat(value(scrape, "llm_requests_total", "model", MODEL, "status", "success")).isZero();
    assertThat(value(scrape, "llm_request_duration_seconds_count", "model", MODEL)).isEqualTo(4);
    assertThat(scrape.samples("llm_cost_dollars_total")).isEmpty();
  }

  @Test
  void aClientTimeoutIsRecordedAsTimeoutWithItsLatency() {
    server.respondWith(new FakeOpenAiServer.Hang());
    OpenAiChatClient impatient = new OpenAiChatClient(server.baseUri(), Duration.ofMillis(200));
    AtomicReference<Exception> thrown = new AtomicReference<>();

    assertThatThrownBy(
            () ->
                llm.call(
                    "openai",
                    MODEL,
                    () -> {
                      try {
                        return impatient.chat(MODEL, "hello");
                      } catch (IOException e) {
                        thrown.set(e);
                        throw e;
                      }
                    },
                    r -> r.usage().toUsage()))
        .isInstanceOf(HttpTimeoutException.class)
        .isSameAs(thrown.get());

    Exposition scrape = Exposition.scrape(registry);
    assertThat(value(scrape, "llm_errors_total", "model", MODEL, "error_type", "timeout"))
        .isEqualTo(1);
    assertThat(value(scrape, "llm_request_duration_seconds_count", "model", MODEL)).isEqualTo(1);
    // The client gave up after its 200 ms timeout, so the call took at least that long.
    assertThat(value(scrape, "llm_request_duration_seconds_sum", "model", MODEL))
        .isGreaterThanOrEqualTo(0.2);
  }

  @Test
  void aStreamRecordsTimeToFirstTokenAndTheUsageSentAtItsEnd() throws Exception {
    server.respondWith(
        new FakeOpenAiServer.Stream(List.of("Hel", "lo", "!"), new Reported(20, 3, 0, 0)));
    StringBuilder text = new StringBuilder();

    try (LlmCall call = llm.start("openai", MODEL);
        ChatStream stream = client.stream(MODEL, "hello")) {
      for (Chunk chunk = stream.next(); chunk != null; chunk = stream.next()) {
        call.firstToken();
        text.append(chunk.content());
        if (chunk.usage() != null) {
          call.usage(chunk.usage().toUsage());
        }
      }
    }

    assertThat(text).hasToString("Hello!");
    Exposition scrape = Exposition.scrape(registry);
    assertThat(value(scrape, "llm_time_to_first_token_seconds_count", "model", MODEL)).isEqualTo(1);
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "input")).isEqualTo(20);
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "output")).isEqualTo(3);
    assertThat(value(scrape, "llm_requests_total", "model", MODEL, "status", "success"))
        .isEqualTo(1);
    assertThat(value(scrape, "llm_cost_dollars_total", "model", MODEL))
        .isEqualTo(new BigDecimal("0.0000048").doubleValue());
    // The time to first token is part of the call's duration.
    assertThat(value(scrape, "llm_time_to_first_token_seconds_sum", "model", MODEL))
        .isLessThanOrEqualTo(value(scrape, "llm_request_duration_seconds_sum", "model", MODEL));
  }

  @Test
  void anAbandonedStreamStillRecordsItsDurationAndTimeToFirstToken() throws Exception {
    server.respondWith(new FakeOpenAiServer.StreamThenStall(List.of("Once", " upon")));

    try (LlmCall call = llm.start("openai", MODEL);
        ChatStream stream = client.stream(MODEL, "tell me a story")) {
      Chunk first = stream.next();
      call.firstToken();
      assertThat(first).isNotNull();
      // The reader stops here: no usage was sent, and the stream is closed unfinished.
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(value(scrape, "llm_request_duration_seconds_count", "model", MODEL)).isEqualTo(1);
    assertThat(value(scrape, "llm_time_to_first_token_seconds_count", "model", MODEL)).isEqualTo(1);
    assertThat(value(scrape, "llm_requests_total", "model", MODEL, "status", "error")).isEqualTo(1);
    assertThat(value(scrape, "llm_errors_total", "model", MODEL, "error_type", "other"))
        .isEqualTo(1);
    assertThat(scrape.samples("llm_cost_unpriced_total")).isEmpty();
  }

  @Test
  @ExpectedLog(
      logger = "io.kosmos.metrics",
      contains = "model 'gpt-unreleased' of provider 'openai' has no price")
  void anUnknownModelCountsAsUnpricedAndRecordsNoCost() throws Exception {
    server.respondWith(new FakeOpenAiServer.Ok("hi", new Reported(50, 10, 0, 0)));

    chat("gpt-unreleased");
    chat("gpt-unreleased");

    Exposition scrape = Exposition.scrape(registry);
    assertThat(value(scrape, "llm_cost_unpriced_total", "model", "gpt-unreleased")).isEqualTo(2);
    assertThat(scrape.labelValues("llm_cost_dollars_total", "model")).isEmpty();
    assertThat(value(scrape, "llm_tokens_total", "model", "gpt-unreleased", "type", "input"))
        .isEqualTo(100);
  }

  @Test
  void aPriceFileInLiteLlmFormatPricesACall() throws Exception {
    LlmPricing pricing;
    try (InputStream file = getClass().getResourceAsStream("/litellm-prices.json")) {
      pricing = LlmPricing.builder().liteLlm(file).build();
    }
    LlmMetrics priced = LlmMetrics.builder(metrics).pricing(pricing).build();
    server.respondWith(new FakeOpenAiServer.Ok("hi", new Reported(2000, 500, 1000, 0)));

    priced.call("azure", "gpt-4o", () -> client.chat("gpt-4o", "hi"), r -> r.usage().toUsage());
    priced.call("openai", MODEL, () -> client.chat(MODEL, "hi"), r -> r.usage().toUsage());

    Exposition scrape = Exposition.scrape(registry);
    // azure/gpt-4o has no cache price: cached input costs the input price.
    assertThat(value(scrape, "llm_cost_dollars_total", "provider", "azure", "model", "gpt-4o"))
        .isEqualTo(new BigDecimal("0.01").doubleValue());
    // 1000 uncached at 1.5e-7, 1000 cached at 7.5e-8, 500 output at 6e-7.
    assertThat(value(scrape, "llm_cost_dollars_total", "provider", "openai", "model", MODEL))
        .isEqualTo(new BigDecimal("0.000525").doubleValue());
  }

  @Test
  void anAsynchronousCallIsRecordedBeforeItsStageCompletes() throws Exception {
    server.respondWith(new FakeOpenAiServer.Ok("hi", new Reported(7, 3, 0, 0)));

    CompletionStage<ChatResponse> stage =
        llm.callAsync(
            "openai", MODEL, () -> client.chatAsync(MODEL, "hi"), r -> r.usage().toUsage());
    ChatResponse response = stage.toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(response.content()).isEqualTo("hi");
    Exposition scrape = Exposition.scrape(registry);
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "input")).isEqualTo(7);
    assertThat(value(scrape, "llm_requests_total", "model", MODEL, "status", "success"))
        .isEqualTo(1);
  }

  @Test
  void anAsynchronousFailureKeepsTheClientsExceptionAndItsType() throws Exception {
    server.respondWith(
        new FakeOpenAiServer.Status(429, FakeOpenAiServer.error("slow down", "x", "y")));
    AtomicReference<Throwable> original = new AtomicReference<>();

    CompletionStage<ChatResponse> stage =
        llm.callAsync(
            "openai",
            MODEL,
            () -> client.chatAsync(MODEL, "hi").whenComplete((r, e) -> original.set(e)),
            r -> r.usage().toUsage());
    Throwable seen = stage.handle((r, e) -> e).toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertThat(seen).isSameAs(original.get()).isInstanceOf(CompletionException.class);
    assertThat(seen.getCause()).isInstanceOf(LlmHttpException.class);
    assertThat(
            value(
                Exposition.scrape(registry),
                "llm_errors_total",
                "model",
                MODEL,
                "error_type",
                "rate_limited"))
        .isEqualTo(1);
  }

  @Test
  void concurrentCallsFromEightThreadsGiveExactTokenTotals() throws Exception {
    server.respondWith(new FakeOpenAiServer.Ok("hi", new Reported(13, 7, 5, 2)));
    int threads = 8;
    int callsPerThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < callsPerThread; i++) {
                    chat(MODEL);
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    int calls = threads * callsPerThread;
    Exposition scrape = Exposition.scrape(registry);
    assertThat(server.requests()).isEqualTo(calls);
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "input"))
        .isEqualTo(13.0 * calls);
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "output"))
        .isEqualTo(7.0 * calls);
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "cache_read"))
        .isEqualTo(5.0 * calls);
    assertThat(value(scrape, "llm_tokens_total", "model", MODEL, "type", "reasoning"))
        .isEqualTo(2.0 * calls);
    assertThat(value(scrape, "llm_requests_total", "model", MODEL, "status", "success"))
        .isEqualTo(calls);
    BigDecimal perCall =
        GPT_4O_MINI
            .inputPerToken()
            .multiply(BigDecimal.valueOf(8))
            .add(GPT_4O_MINI.cacheReadPerToken().multiply(BigDecimal.valueOf(5)))
            .add(GPT_4O_MINI.outputPerToken().multiply(BigDecimal.valueOf(7)));
    assertThat(value(scrape, "llm_cost_dollars_total", "model", MODEL))
        .isEqualTo(perCall.multiply(BigDecimal.valueOf(calls)).doubleValue());
  }
}
