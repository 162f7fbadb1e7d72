package io.kosmos.metrics.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.llm.ModelPrice;
import io.kosmos.metrics.llm.ServiceTier;
import io.kosmos.metrics.testsupport.llm.AnthropicWire;
import io.kosmos.metrics.testsupport.llm.FakeLlmServer;
import io.kosmos.metrics.testsupport.llm.FakeLlmServer.Reply;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnthropicTrackingTest {

  private static final long MS = 1_000_000L;
  private static final String MODEL = "claude-sonnet-4-5";

  private final FakeLlmServer server = FakeLlmServer.start();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final AtomicLong clock = new AtomicLong();
  private final LlmMetrics llm =
      LlmMetrics.builder(KosmosMetrics.builder().registry(registry).build())
          .clock(clock::get)
          .pricing(
              LlmPricing.builder()
                  .price(
                      "anthropic",
                      MODEL,
                      ModelPrice.perMillion(3.00, 15.00)
                          .withCacheReadPerMillion(0.30)
                          .withCacheWritePerMillion(3.75)
                          .withCacheWrite1hPerMillion(6.00)
                          // Not a published rate: there only to see the reported tier priced.
                          .forServiceTier(
                              ServiceTier.PRIORITY,
                              ModelPrice.perMillion(6.00, 30.00)
                                  .withCacheReadPerMillion(0.60)
                                  .withCacheWritePerMillion(7.50)))
                  .build())
          .build();
  private final AnthropicClient client =
      AnthropicOkHttpClient.builder()
          .baseUrl(server.url())
          .apiKey("sk-ant-fake")
          .maxRetries(0)
          .build();
  private final KosmosAnthropic anthropic = KosmosAnthropic.of(llm);
  private final MessageCreateParams params =
      MessageCreateParams.builder().model(MODEL).maxTokens(1024).addUserMessage("Hi").build();

  @AfterEach
  void close() {
    client.close();
    server.close();
  }

  @Test
  void addsCacheReadsAndWritesToTheInputAndCostsEveryTypeExactly() {
    server.reply(Reply.json(200, AnthropicWire.message(MODEL, 50, 400, 1800, 600)));

    Message message = anthropic.create(client, params);

    assertThat(message.content().get(0).asText().text()).isEqualTo("Hello");
    Exposition scrape = Exposition.scrape(registry);
    assertThat(
            scrape.value(
                "llm_requests_total", "provider", "anthropic", "model", MODEL, "status", "success"))
        .isEqualTo(1);
    assertTokens(scrape, 2450, 400, 1800, 600);
    // 50 x $3 + 400 x $15 + 1800 x $0.30 + 600 x $3.75, per million
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.00894);
    assertThat(AnthropicUsage.serviceTier(message.usage())).isEqualTo("standard");
    assertThat(AnthropicUsage.cacheWrite1h(message.usage())).isZero();
  }

  @Test
  void oneHourCacheWritesArePricedAtTheOneHourRate() {
    server.reply(
        Reply.json(200, AnthropicWire.message(MODEL, 50, 400, 1800, 600, 200, "standard")));

    Message message = anthropic.create(client, params);

    assertThat(message.usage().cacheCreation().orElseThrow().ephemeral1hInputTokens())
        .isEqualTo(200);
    Exposition scrape = Exposition.scrape(registry);
    assertTokens(scrape, 2450, 400, 1800, 600);
    // 50 x $3 + 1800 x $0.30 + 400 five-minute writes x $3.75 + 200 one-hour writes x $6
    // + 400 x $15, per million: (150 + 540 + 1500 + 1200 + 6000) / 10^6, exact to the picodollar.
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.00939);
  }

  @Test
  void oneHourCacheWritesOfAStreamArePricedAtTheOneHourRate() {
    server.reply(
        Reply.sse(AnthropicWire.events(MODEL, List.of("Hi"), 50, 400, 1800, 600, 200, "standard")));

    try (StreamResponse<RawMessageStreamEvent> stream = anthropic.createStreaming(client, params)) {
      stream.stream().forEach(event -> {});
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertTokens(scrape, 2450, 400, 1800, 600);
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.00939);
  }

  @Test
  void theServiceTierAMessageReportsSelectsThatTiersPrices() {
    server.reply(Reply.json(200, AnthropicWire.message(MODEL, 50, 400, 1800, 600, 0, "priority")));

    anthropic.create(client, params);

    // 50 x $6 + 1800 x $0.60 + 600 x $7.50 + 400 x $30, per million (the standard rates: 0.00894)
    assertThat(Exposition.scrape(registry).value("llm_cost_dollars_total")).isEqualTo(0.01788);
  }

  @Test
  void theAsynchronousClientIsRecordedBeforeItsFutureCompletes() throws Exception {
    server.reply(Reply.json(200, AnthropicWire.message(MODEL, 50, 400, 1800, 600)));
    com.anthropic.client.AnthropicClientAsync async =
        com.anthropic.client.okhttp.AnthropicOkHttpClientAsync.builder()
            .baseUrl(server.url())
            .apiKey("sk-ant-fake")
            .maxRetries(0)
            .build();
    try {
      Message message =
          anthropic.createAsync(async, params).get(10, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(message.id()).isEqualTo("msg_fake");
      Exposition scrape = Exposition.scrape(registry);
      assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
      assertTokens(scrape, 2450, 400, 1800, 600);
      assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.00894);
    } finally {
      async.close();
    }
  }

  @Test
  void timesTheFirstTextDeltaNotMessageStartAndKeepsTheStartInputTokens() {
    server.reply(Reply.sse(AnthropicWire.events(MODEL, List.of("Hel", "lo"), 50, 400, 1800, 600)));

    try (StreamResponse<RawMessageStreamEvent> stream = anthropic.createStreaming(client, params)) {
      Iterator<RawMessageStreamEvent> events = stream.stream().iterator();
      assertThat(events.next().isMessageStart()).isTrue();
      clock.addAndGet(150 * MS);
      RawMessageStreamEvent event = events.next();
      while (!event.isContentBlockDelta()) {
        event = events.next();
      }
      clock.addAndGet(50 * MS);
      events.forEachRemaining(e -> {});
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_time_to_first_token_seconds_sum")).isEqualTo(0.15);
    assertThat(scrape.value("llm_request_duration_seconds_sum")).isEqualTo(0.2);
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertThat(scrape.value("llm_requests_total", "status", "error")).isZero();
    assertTokens(scrape, 2450, 400, 1800, 600);
    assertThat(scrape.value("llm_cost_dollars_total")).isEqualTo(0.00894);
  }

  @Test
  void aStreamClosedMidwayIsAnErrorWithTheTokensBilledSoFar() {
    server.reply(Reply.sse(AnthropicWire.events(MODEL, List.of("Hel", "lo"), 50, 400, 1800, 600)));

    try (StreamResponse<RawMessageStreamEvent> stream = anthropic.createStreaming(client, params)) {
      Iterator<RawMessageStreamEvent> events = stream.stream().iterator();
      RawMessageStreamEvent event = events.next();
      while (!event.isContentBlockDelta()) {
        event = events.next();
      }
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_requests_total", "status", "error")).isEqualTo(1);
    assertThat(scrape.value("llm_errors_total", "error_type", "other")).isEqualTo(1);
    // message_start's usage: all input, one output token so far
    assertTokens(scrape, 2450, 1, 1800, 600);
  }

  @Test
  void aStreamEndingWithoutMessageDeltaIsASuccessWithTheStartUsage() {
    List<String> events =
        new ArrayList<>(AnthropicWire.events(MODEL, List.of("Hi"), 50, 400, 1800, 600));
    events.removeIf(e -> e.startsWith("event: message_delta"));
    server.reply(Reply.sse(events));

    try (StreamResponse<RawMessageStreamEvent> stream = anthropic.createStreaming(client, params)) {
      stream.stream().forEach(e -> {});
    }

    Exposition scrape = Exposition.scrape(registry);
    assertThat(scrape.value("llm_requests_total", "status", "success")).isEqualTo(1);
    assertTokens(scrape, 2450, 1, 1800, 600);
  }

  static void assertTokens(
      Exposition scrape, long input, long output, long cacheRead, long cacheWrite) {
    assertThat(scrape.value("llm_tokens_total", "type", "input")).isEqualTo(input);
    assertThat(scrape.value("llm_tokens_total", "type", "output")).isEqualTo(output);
    assertThat(scrape.value("llm_tokens_total", "type", "cache_read")).isEqualTo(cacheRead);
    assertThat(scrape.value("llm_tokens_total", "type", "cache_write")).isEqualTo(cacheWrite);
    assertThat(scrape.value("llm_tokens_total", "type", "reasoning")).isZero();
  }
}
