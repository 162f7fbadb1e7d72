package io.kosmos.samples.support;

import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.llm.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The part of an agent service that talks to its LLM, as a user would write it: an
 * OpenAI-compatible client, every call tracked by {@link LlmMetrics}. Without {@code LLM_BASE_URL}
 * it starts the embedded {@link FakeLlmProvider}, so the samples run offline.
 *
 * <pre>{@code
 * LlmMetrics llm = LlmMetrics.builder(metrics).pricing(ChatService.pricing(settings)).build();
 * try (ChatService chat = ChatService.start(llm, settings)) {
 *   String answer = chat.ask("Summarise the incident");
 * }
 * }</pre>
 */
public final class ChatService implements AutoCloseable {

  /** The price file shipped with the samples, in LiteLLM's format. */
  public static final String PRICE_RESOURCE = "/kosmos-prices.json";

  private final LlmMetrics llm;
  private final OpenAiChatClient client;
  private final String provider;
  private final String model;
  private final @Nullable FakeLlmProvider fake;

  private ChatService(
      LlmMetrics llm,
      OpenAiChatClient client,
      SampleSettings settings,
      @Nullable FakeLlmProvider fake) {
    this.llm = llm;
    this.client = client;
    this.provider = settings.llmProvider();
    this.model = settings.llmModel();
    this.fake = fake;
  }

  /**
   * The shipped prices, then those of {@code LLM_PRICE_FILE} if set.
   *
   * @throws UncheckedIOException when a price file cannot be read
   * @throws IllegalArgumentException when a price file is invalid
   */
  public static LlmPricing pricing(SampleSettings settings) {
    LlmPricing.Builder pricing = LlmPricing.builder();
    try (InputStream shipped = ChatService.class.getResourceAsStream(PRICE_RESOURCE)) {
      if (shipped == null) {
        throw new IllegalStateException(PRICE_RESOURCE + " is missing from the classpath");
      }
      pricing.liteLlm(shipped);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String file = settings.llmPriceFile();
    if (file != null) {
      pricing.liteLlm(Path.of(file));
    }
    return pricing.build();
  }

  /**
   * Connects to {@code LLM_BASE_URL}, or starts the fake provider when it is unset.
   *
   * @throws IOException when the fake provider cannot start
   */
  public static ChatService start(LlmMetrics llm, SampleSettings settings) throws IOException {
    URI base = settings.llmBaseUrl();
    FakeLlmProvider fake = null;
    if (base == null) {
      fake = FakeLlmProvider.start();
      base = fake.baseUri();
    }
    return new ChatService(
        llm, OpenAiChatClient.create(base, settings.llmApiKey()), settings, fake);
  }

  /** Where the calls go, for the start-up log line. */
  public String describe() {
    return (fake == null ? "LLM " : "fake LLM ") + provider + "/" + model;
  }

  /**
   * Asks the model and returns its answer; the call's latency, outcome, tokens and cost are
   * recorded whatever happens.
   *
   * @throws OpenAiChatClient.ProviderException when the provider answers with an error status
   * @throws IOException when the provider cannot be reached or times out
   */
  public String ask(String message) throws IOException, InterruptedException {
    try (LlmCall call = llm.start(provider, model)) {
      try {
        OpenAiChatClient.Completion completion = client.chat(model, message);
        // OpenAI's prompt_tokens include the cached ones, which is what Usage expects.
        call.usage(
            Usage.of(completion.promptTokens(), completion.completionTokens())
                .withCacheRead(completion.cachedTokens())
                .withReasoning(completion.reasoningTokens()));
        return completion.content();
      } catch (OpenAiChatClient.ProviderException e) {
        call.failed(e.status()); // 429 is rate_limited, 5xx server_error, ...
        throw e;
      } catch (IOException | RuntimeException e) {
        call.failed(e); // timeouts are recognised as such
        throw e;
      }
    }
  }

  @Override
  public void close() {
    if (fake != null) {
      fake.close();
    }
  }
}
