package io.kosmos.metrics.springai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.llm.ModelPrice;
import io.kosmos.metrics.testsupport.llm.FakeLlmServer;
import io.kosmos.metrics.testsupport.llm.FakeLlmServer.Reply;
import io.kosmos.metrics.testsupport.llm.OpenAiWire;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ConfigurableApplicationContext;

class SpringAiTrackingTest {

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
                  .build())
          .build();
  private ConfigurableApplicationContext context;

  @AfterEach
  void close() {
    if (context != null) {
      context.close();
    }
    server.close();
  }

  private ChatModel start(String... properties) {
    context = SpringAiApps.start(server.url(), llm, Duration.ofSeconds(30), properties);
    return context.getBean(ChatModel.class);
  }

  @Test
  void everyChatModelBeanIsInstrumentedAndKeepsItsConcreteType() {
    start();
    OpenAiChatModel model = context.getBean(OpenAiChatModel.class);
    assertThat(AopUtils.isCglibProxy(model)).isTrue();
    assertThat(context.getBeansOfType(ChatModelMetricsPostProcessor.class)).hasSize(1);
  }

  @Test
  void withoutAnLlmMetricsBeanTheChatModelIsLeftAlone() {
    context = SpringAiApps.start(server.url(), null, Duration.ofSeconds(30));
    assertThat(AopUtils.isAopProxy(context.getBean(ChatModel.class))).isFalse();
  }

  @Test
  void aChatClientCallRecordsEveryTokenTypeAndTheExactCost() {
    server.reply(Reply.json(200, OpenAiWire.completion("gpt-4o-mini", 1200, 300, 1024, 128)));
    ChatModel model = start();

    assertThat(ChatClient.create(model).prompt("Hi").call().content()).isEqualTo("Hello");

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
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.0002832);
  }

  @Test
  void theStringConvenienceCallIsTrackedOnce() {
    server.reply(Reply.json(200, OpenAiWire.completion("gpt-4o-mini", 1200, 300, 1024, 128)));
    ChatModel model = start();

    assertThat(model.call("Hi")).isEqualTo("Hello");

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.sum("llm_requests_total")).isEqualTo(1);
    assertTokens(scrape, 1200, 300, 1024, 128);
  }

  @Test
  void aStreamTimesItsFirstContentAndRecordsTheUsageChunk() {
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
    ChatModel model = start("spring.ai.openai.chat.options.stream-usage=true");

    List<ChatResponse> responses = model.stream(new Prompt("Hi")).collectList().block();

    assertThat(responses).isNotEmpty();
    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.value("llm_time_to_first_token_seconds_sum")).isEqualTo(0.15);
    assertThat(scrape.value("llm_request_duration_seconds_sum")).isEqualTo(0.2);
    assertTokens(scrape, 1200, 300, 1024, 128);
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.0002832);
  }

  @Test
  void aStreamCompletedWithoutUsageChunkIsASuccessWithoutTokens() {
    server.reply(Reply.sse(OpenAiWire.chunks("gpt-4o-mini", List.of("Hi"), false, 0, 0, 0, 0)));
    ChatModel model = start();

    model.stream(new Prompt("Hi")).blockLast();

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.sum("llm_tokens_total")).isZero();
    assertThat(scrape.samples("llm_cost_dollars_total")).isEmpty();
    assertThat(scrape.value("llm_time_to_first_token_seconds_count")).isEqualTo(1);
  }

  @Test
  void aStreamCancelledMidwayIsAnErrorOfTypeOther() {
    server.reply(
        Reply.sse(
            OpenAiWire.chunks("gpt-4o-mini", List.of("Hel", "lo"), true, 1200, 300, 1024, 128)));
    ChatModel model = start("spring.ai.openai.chat.options.stream-usage=true");

    ChatResponse first =
        model.stream(new Prompt("Hi"))
            .filter(
                r -> !r.getResults().isEmpty() && "Hel".equals(r.getResult().getOutput().getText()))
            .take(1)
            .blockFirst();

    assertThat(first).isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Exposition.scrape(registry).sum("llm_requests_total") == 1);
    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_requests_total", "status", "error")).isEqualTo(1);
    assertThat(scrape.value("llm_errors_total", "error_type", "other")).isEqualTo(1);
  }

  @Test
  void providerLabelsFollowLiteLlmNames() {
    assertThat(ChatModelInterceptor.provider("OpenAiChatModel")).isEqualTo("openai");
    assertThat(ChatModelInterceptor.provider("OpenAiChatModel$$SpringCGLIB$$0"))
        .isEqualTo("openai");
    assertThat(ChatModelInterceptor.provider("AnthropicChatModel")).isEqualTo("anthropic");
    assertThat(ChatModelInterceptor.provider("VertexAiGeminiChatModel")).isEqualTo("vertex_ai");
    assertThat(ChatModelInterceptor.provider("OllamaChatModel")).isEqualTo("ollama");
  }

  private void afterTheFirstToken() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> Exposition.scrape(registry).value("llm_time_to_first_token_seconds_count") == 1);
    clock.addAndGet(50 * MS);
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
