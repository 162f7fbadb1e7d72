package io.kosmos.metrics.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.llm.ModelPrice;
import io.kosmos.metrics.llm.ServiceTier;
import io.kosmos.metrics.testsupport.llm.FakeLlmServer;
import io.kosmos.metrics.testsupport.llm.FakeLlmServer.Reply;
import io.kosmos.metrics.testsupport.llm.OpenAiWire;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiTrackingTest {

  private static final long MS = 1_000_000L;

  private final FakeLlmServer server = FakeLlmServer.start();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicLong clock = new AtomicLong();
  private final LlmMetrics llm =
      LlmMetrics.builder(KosmosMetrics.builder().registry(registry).build())
          .clock(clock::get)
          .pricing(
              LlmPricing.builder()
                  .price(
                      "openai",
                      "gpt-4o-mini",
                      ModelPrice.perMillion(0.15, 0.60).withCacheReadPerMillion(0.075))
                  .price(
                      "openai",
                      "gpt-5.4",
                      ModelPrice.perMillion(2.50, 15.00)
                          .withCacheReadPerMillion(0.25)
                          .forServiceTier(
                              ServiceTier.PRIORITY,
                              ModelPrice.perMillion(5.00, 30.00).withCacheReadPerMillion(0.50)))
                  .build())
          .build();
  private final OpenAIClient client =
      OpenAIOkHttpClient.builder()
          .baseUrl(server.url() + "/v1")
          .apiKey("sk-fake")
          .maxRetries(0)
          .build();
  private final KosmosOpenAi openAi = KosmosOpenAi.of(llm);
  private final ChatCompletionCreateParams params =
      ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Hi").build();

  @AfterEach
  void close() {
    client.close();
    server.close();
  }

  @Test
  void recordsEveryTokenTypeAndTheExactCostOfACompletion() {
    server.reply(Reply.json(200, OpenAiWire.completion("gpt-4o-mini", 1200, 300, 1024, 128)));

    ChatCompletion completion = openAi.create(client, params);

    assertThat(completion.choices().get(0).message().content()).hasValue("Hello");
    Exposition scrape = Exposition.scrape(registry);
    assertThat(
            scrape.value(
                "llm_requests_total",
                "provider",
                "openai",
                "model",
                "gpt-4o-mini",
                "status",
                "success"))
        .isEqualTo(1);
    assertTokens(scrape, 1200, 300, 1024, 128);
    // 176 uncached input at $0.15/M, 1024 cached at $0.075/M, 300 output at $0.60/M
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.0002832);
    assertThat(OpenAiUsage.serviceTier(completion)).isEqualTo("default");
  }

  @Test
  void aCompletionServedByThePriorityTierIsPricedAtThePriorityRates() {
    ChatCompletionCreateParams gpt54 = params.toBuilder().model("gpt-5.4").build();
    server.reply(
        Reply.json(200, OpenAiWire.completion("gpt-5.4", 50_000, 1_000, 20_000, 0, "priority")));

    openAi.create(client, gpt54);

    // 30k uncached input at $5/M, 20k cached at $0.50/M, 1k output at $30/M: 0.15 + 0.01 + 0.03.
    // A double this size resolves well below a picodollar, so equality is exact to the picodollar.
    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_cost_dollars_total", "model", "gpt-5.4")).isEqualTo(0.19);

    server.reply(
        Reply.json(200, OpenAiWire.completion("gpt-5.4", 50_000, 1_000, 20_000, 0, "default")));
    openAi.create(client, gpt54);

    // The same usage at the standard rates, $2.50 / $0.25 / $15: 0.075 + 0.005 + 0.015 = 0.095.
    assertThat(Exposition.scrape(registry).value("llm_cost_dollars_total", "model", "gpt-5.4"))
        .isEqualTo(0.285);
  }

  @Test
  void aStreamServedByThePriorityTierIsPricedAtThePriorityRates() {
    server.reply(
        Reply.sse(
            OpenAiWire.chunks(
                "gpt-5.4", List.of("Hi"), true, 50_000, 1_000, 20_000, 0, "priority")));

    try (StreamResponse<ChatCompletionChunk> stream =
        openAi.createStreaming(client, params.toBuilder().model("gpt-5.4").build())) {
      stream.stream().forEach(chunk -> {});
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_requests_total", "model", "gpt-5.4", "status", "success"))
        .isEqualTo(1);
    assertThat(scrape.value("llm_cost_dollars_total", "model", "gpt-5.4")).isEqualTo(0.19);
  }

  @Test
  void theAsynchronousClientIsRecordedBeforeItsFutureCompletes() throws Exception {
    server.reply(Reply.json(200, OpenAiWire.completion("gpt-4o-mini", 1200, 300, 1024, 128)));
    com.openai.client.OpenAIClientAsync async =
        com.openai.client.okhttp.OpenAIOkHttpClientAsync.builder()
            .baseUrl(server.url() + "/v1")
            .apiKey("sk-fake")
            .maxRetries(0)
            .build();
    try {
      ChatCompletion completion =
          openAi.createAsync(async, params).get(10, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(completion.id()).isEqualTo("chatcmpl-fake");
      Exposition scrape = Exposition.scrape(registry);
      assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
      assertTokens(scrape, 1200, 300, 1024, 128);
      assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.0002832);
    } finally {
      async.close();
    }
  }

  @Test
  void timesTheFirstContentChunkAsksForTheUsageChunkAndCountsItOnce() {
    server.reply(
        Reply.sse(
            OpenAiWire.chunks("gpt-4o-mini", List.of("Hel", "lo"), true, 1200, 300, 1024, 128)));

    try (StreamResponse<ChatCompletionChunk> stream = openAi.createStreaming(client, params)) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      assertThat(chunks.next().choices().get(0).delta().content()).hasValue("");
      clock.addAndGet(150 * MS);
      assertThat(chunks.next().choices().get(0).delta().content()).hasValue("Hel");
      clock.addAndGet(50 * MS);
      chunks.forEachRemaining(chunk -> {});
    }

    assertThat(server.requests().get(0).body()).contains("\"include_usage\":true");
    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_time_to_first_token_seconds_sum")).isEqualTo(0.15);
    assertThat(scrape.value("llm_request_duration_seconds_sum")).isEqualTo(0.2);
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.value("llm_requests_total", "status", "error")).isZero();
    assertTokens(scrape, 1200, 300, 1024, 128);
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.0002832);
  }

  @Test
  void aStreamCompletedWithoutUsageChunkIsASuccessWithoutTokens() {
    server.reply(Reply.sse(OpenAiWire.chunks("gpt-4o-mini", List.of("Hi"), false, 0, 0, 0, 0)));

    try (StreamResponse<ChatCompletionChunk> stream = openAi.createStreaming(client, params)) {
      // role, content, finish: no usage chunk, then [DONE]
      assertThat(stream.stream().count()).isEqualTo(3);
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.value("llm_requests_total", "status", "error")).isZero();
    assertThat(scrape.sum("llm_tokens_total")).isZero();
    assertThat(scrape.samples("llm_cost_dollars_total")).isEmpty();
    assertThat(scrape.value("llm_time_to_first_token_seconds_count")).isEqualTo(1);
  }

  @Test
  void aStreamClosedMidwayIsAnErrorOfTypeOther() {
    server.reply(
        Reply.sse(
            OpenAiWire.chunks("gpt-4o-mini", List.of("Hel", "lo"), true, 1200, 300, 1024, 128)));

    try (StreamResponse<ChatCompletionChunk> stream = openAi.createStreaming(client, params)) {
      Iterator<ChatCompletionChunk> chunks = stream.stream().iterator();
      chunks.next();
      clock.addAndGet(30 * MS);
      chunks.next();
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_requests_total", "status", "error")).isEqualTo(1);
    assertThat(scrape.value("llm_errors_total", "error_type", "other")).isEqualTo(1);
    assertThat(scrape.value("llm_time_to_first_token_seconds_sum")).isEqualTo(0.03);
    assertThat(scrape.sum("llm_tokens_total")).isZero();
    assertThat(scrape.samples("llm_cost_dollars_total")).isEmpty();
  }

  @Test
  void aRequestThatSetsItsOwnStreamOptionsKeepsThem() {
    server.reply(Reply.sse(OpenAiWire.chunks("gpt-4o-mini", List.of("Hi"), false, 0, 0, 0, 0)));
    ChatCompletionCreateParams own =
        params.toBuilder()
            .streamOptions(
                com.openai.models.chat.completions.ChatCompletionStreamOptions.builder()
                    .includeUsage(false)
                    .build())
            .build();

    try (StreamResponse<ChatCompletionChunk> stream = openAi.createStreaming(client, own)) {
      stream.stream().forEach(chunk -> {});
    }

    assertThat(server.requests().get(0).body()).contains("\"include_usage\":false");
  }

  static void assertTokens(
      Exposition scrape, long input, long output, long cacheRead, long reasoning) {
    assertThat(scrape.value("llm_tokens_total", "type", "input")).isEqualTo(input);
    assertThat(scrape.value("llm_tokens_total", "type", "output")).isEqualTo(output);
    assertThat(scrape.value("llm_tokens_total", "type", "cache_read")).isEqualTo(cacheRead);
    assertThat(scrape.value("llm_tokens_total", "type", "reasoning")).isEqualTo(reasoning);
    assertThat(scrape.value("llm_tokens_total", "type", "cache_write")).isZero();
  }
}
