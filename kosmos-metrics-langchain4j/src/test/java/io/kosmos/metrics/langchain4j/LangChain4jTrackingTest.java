package io.kosmos.metrics.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.llm.ModelPrice;
import io.kosmos.metrics.testsupport.llm.AnthropicWire;
import io.kosmos.metrics.testsupport.llm.FakeLlmServer;
import io.kosmos.metrics.testsupport.llm.FakeLlmServer.Reply;
import io.kosmos.metrics.testsupport.llm.OpenAiWire;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LangChain4jTrackingTest {

  private static final long MS = 1_000_000L;
  private static final String CLAUDE = "claude-sonnet-4-5";

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
                      "anthropic",
                      CLAUDE,
                      ModelPrice.perMillion(3.00, 15.00)
                          .withCacheReadPerMillion(0.30)
                          .withCacheWritePerMillion(3.75))
                  .build())
          .build();
  private final KosmosChatModelListener kosmos = KosmosChatModelListener.of(llm);

  @AfterEach
  void close() {
    server.close();
  }

  @Test
  void openAiChatModelRecordsCachedAndReasoningTokensAndTheExactCost() {
    server.reply(Reply.json(200, OpenAiWire.completion("gpt-4o-mini", 1200, 300, 1024, 128)));
    ChatModel model =
        OpenAiChatModel.builder()
            .baseUrl(server.url() + "/v1")
            .apiKey("sk-fake")
            .modelName("gpt-4o-mini")
            .maxRetries(0)
            .listeners(List.of(kosmos))
            .build();

    assertThat(model.chat("Hi")).isEqualTo("Hello");

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
    assertTokens(scrape, 1200, 300, 1024, 0, 128);
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.0002832);
  }

  @Test
  void anthropicChatModelAddsCacheReadsAndWritesToTheInput() {
    server.reply(Reply.json(200, AnthropicWire.message(CLAUDE, 50, 400, 1800, 600)));
    ChatModel model =
        AnthropicChatModel.builder()
            .baseUrl(server.url() + "/v1/")
            .apiKey("sk-ant-fake")
            .modelName(CLAUDE)
            .maxRetries(0)
            .listeners(List.of(kosmos))
            .build();

    assertThat(model.chat("Hi")).isEqualTo("Hello");

    Exposition scrape = Exposition.scrape(registry);
    assertThat(
            scrape.value(
                "llm_requests_total",
                "provider",
                "anthropic",
                "model",
                CLAUDE,
                "status",
                "success"))
        .isEqualTo(1);
    assertTokens(scrape, 2450, 400, 1800, 600, 0);
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.00894);
  }

  @Test
  void openAiStreamingTimesTheFirstContentChunk() throws Exception {
    List<String> chunks =
        OpenAiWire.chunks("gpt-4o-mini", List.of("Hel", "lo"), true, 1200, 300, 1024, 128);
    server.reply(
        Reply.sseBuilder()
            .events(chunks.subList(0, 1))
            .then(() -> clock.addAndGet(150 * MS))
            .events(chunks.subList(1, 3))
            .then(this::afterTheFirstToken)
            .events(chunks.subList(3, chunks.size()))
            .build());
    StreamingChatModel model =
        kosmos.timeToFirstToken(
            OpenAiStreamingChatModel.builder()
                .baseUrl(server.url() + "/v1")
                .apiKey("sk-fake")
                .modelName("gpt-4o-mini")
                .listeners(List.of(kosmos))
                .build());

    assertThat(stream(model).get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("Hello");

    Exposition scrape = awaitRequests(1);
    assertThat(server.requests().get(0).body().replace(" ", "")).contains("\"include_usage\":true");
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.value("llm_time_to_first_token_seconds_sum")).isEqualTo(0.15);
    assertThat(scrape.value("llm_request_duration_seconds_sum")).isEqualTo(0.2);
    assertTokens(scrape, 1200, 300, 1024, 0, 128);
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.0002832);
  }

  @Test
  void anthropicStreamingTimesTheFirstTextDeltaAndKeepsTheInputOfMessageStart() throws Exception {
    List<String> events = AnthropicWire.events(CLAUDE, List.of("Hel", "lo"), 50, 400, 1800, 600);
    server.reply(
        Reply.sseBuilder()
            .events(events.subList(0, 3))
            .then(() -> clock.addAndGet(150 * MS))
            .events(events.subList(3, 5))
            .then(this::afterTheFirstToken)
            .events(events.subList(5, events.size()))
            .build());
    StreamingChatModel model =
        kosmos.timeToFirstToken(
            AnthropicStreamingChatModel.builder()
                .baseUrl(server.url() + "/v1/")
                .apiKey("sk-ant-fake")
                .modelName(CLAUDE)
                .listeners(List.of(kosmos))
                .build());

    assertThat(stream(model).get(10, TimeUnit.SECONDS).aiMessage().text()).isEqualTo("Hello");

    Exposition scrape = awaitRequests(1);
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.value("llm_time_to_first_token_seconds_sum")).isEqualTo(0.15);
    assertThat(scrape.value("llm_request_duration_seconds_sum")).isEqualTo(0.2);
    assertTokens(scrape, 2450, 400, 1800, 600, 0);
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.00894);
  }

  @Test
  void aStreamCompletedWithoutUsageChunkIsASuccessWithoutTokens() throws Exception {
    server.reply(Reply.sse(OpenAiWire.chunks("gpt-4o-mini", List.of("Hi"), false, 0, 0, 0, 0)));
    StreamingChatModel model =
        kosmos.timeToFirstToken(
            OpenAiStreamingChatModel.builder()
                .baseUrl(server.url() + "/v1")
                .apiKey("sk-fake")
                .modelName("gpt-4o-mini")
                .listeners(List.of(kosmos))
                .build());

    stream(model).get(10, TimeUnit.SECONDS);

    Exposition scrape = awaitRequests(1);
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.sum("llm_tokens_total")).isZero();
    assertThat(scrape.value("llm_time_to_first_token_seconds_count")).isEqualTo(1);
  }

  @Test
  void aStreamCancelledMidwayIsAnErrorOfTypeOther() throws Exception {
    server.reply(
        Reply.sse(
            OpenAiWire.chunks("gpt-4o-mini", List.of("Hel", "lo"), true, 1200, 300, 1024, 128)));
    StreamingChatModel model =
        kosmos.timeToFirstToken(
            OpenAiStreamingChatModel.builder()
                .baseUrl(server.url() + "/v1")
                .apiKey("sk-fake")
                .modelName("gpt-4o-mini")
                .listeners(List.of(kosmos))
                .build());
    CompletableFuture<String> first = new CompletableFuture<>();

    model.chat(
        "Hi",
        new StreamingChatResponseHandler() {
          @Override
          public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
            context.streamingHandle().cancel();
            first.complete(partial.text());
          }

          @Override
          public void onCompleteResponse(ChatResponse response) {}

          @Override
          public void onError(Throwable error) {
            first.completeExceptionally(error);
          }
        });

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("Hel");
    Exposition scrape = awaitRequests(1);
    assertThat(scrape.value("llm_requests_total", "status", "error")).isEqualTo(1);
    assertThat(scrape.value("llm_errors_total", "error_type", "other")).isEqualTo(1);
  }

  @Test
  void providerLabelsFollowLiteLlmNames() {
    assertThat(KosmosChatModelListener.provider(dev.langchain4j.model.ModelProvider.OPEN_AI))
        .isEqualTo("openai");
    assertThat(
            KosmosChatModelListener.provider(
                dev.langchain4j.model.ModelProvider.GOOGLE_VERTEX_AI_GEMINI))
        .isEqualTo("vertex_ai");
    assertThat(KosmosChatModelListener.provider(dev.langchain4j.model.ModelProvider.OLLAMA))
        .isEqualTo("ollama");
    assertThat(KosmosChatModelListener.provider(null)).isEqualTo("other");
  }

  @Test
  void aPlainTokenUsageOfAnyOtherProviderGivesPlainCounts() {
    io.kosmos.metrics.llm.Usage usage =
        LangChain4jUsage.of(new dev.langchain4j.model.output.TokenUsage(70, 20));
    assertThat(usage).isNotNull();
    assertThat(usage.input()).isEqualTo(70);
    assertThat(usage.output()).isEqualTo(20);
    assertThat(usage.cacheRead()).isZero();
    assertThat(LangChain4jUsage.of(null)).isNull();
  }

  private static CompletableFuture<ChatResponse> stream(StreamingChatModel model) {
    CompletableFuture<ChatResponse> done = new CompletableFuture<>();
    model.chat(
        "Hi",
        new StreamingChatResponseHandler() {
          @Override
          public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
          }

          @Override
          public void onError(Throwable error) {
            done.completeExceptionally(error);
          }
        });
    return done;
  }

  /**
   * Runs on the server between events: the client handles events on its own thread, so the clock
   * moves on only once the first token has been seen there.
   */
  private void afterTheFirstToken() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> Exposition.scrape(registry).value("llm_time_to_first_token_seconds_count") == 1);
    clock.addAndGet(50 * MS);
  }

  private Exposition awaitRequests(int count) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Exposition.scrape(registry).sum("llm_requests_total") == count);
    return Exposition.scrape(registry);
  }

  static void assertTokens(
      Exposition scrape, long input, long output, long cacheRead, long cacheWrite, long reasoning) {
    assertThat(scrape.value("llm_tokens_total", "type", "input")).isEqualTo(input);
    assertThat(scrape.value("llm_tokens_total", "type", "output")).isEqualTo(output);
    assertThat(scrape.value("llm_tokens_total", "type", "cache_read")).isEqualTo(cacheRead);
    assertThat(scrape.value("llm_tokens_total", "type", "cache_write")).isEqualTo(cacheWrite);
    assertThat(scrape.value("llm_tokens_total", "type", "reasoning")).isEqualTo(reasoning);
  }
}
