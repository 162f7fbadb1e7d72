package io.kosmos.metrics.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmMetrics;
import java.util.concurrent.CompletableFuture;

/**
 * Tracks messages of the Anthropic Java SDK: one line per call site, streaming included.
 *
 * <pre>{@code
 * KosmosAnthropic anthropic = KosmosAnthropic.of(llm);               // once
 *
 * Message message = anthropic.create(client, params);                // instead of
 * // client.messages().create(params)
 *
 * CompletableFuture<Message> later = anthropic.createAsync(asyncClient, params);
 *
 * try (StreamResponse<RawMessageStreamEvent> stream = anthropic.createStreaming(client, params)) {
 *   stream.stream().forEach(event -> render(event));
 * }
 * }</pre>
 *
 * <p>The call is labelled with the provider ({@code anthropic} unless {@link Builder#provider} says
 * otherwise, e.g. for Bedrock or Vertex AI) and the model of the request. Tokens follow Anthropic's
 * conventions ({@link io.kosmos.metrics.llm.ProviderUsage#anthropic}): {@code input_tokens}
 * excludes cache reads and writes, so all three make the input total. Exceptions of the SDK reach
 * the caller unchanged and are classified by the {@link io.kosmos.metrics.llm.ErrorClassifier}.
 *
 * <p>Streaming: the input and cache tokens come from {@code message_start}, the output tokens from
 * the last {@code message_delta} (and its input and cache counts where it carries them). The time
 * to first token is taken at the first text, thinking or tool-input delta, not at {@code
 * message_start}. A stream read to its end is a success; a stream closed before its end is recorded
 * as an error of type {@code other} with the tokens reported so far; an exception while reading
 * (including an {@code error} event) is recorded with its type.
 */
public final class KosmosAnthropic {

  private final LlmMetrics llm;
  private final String provider;

  private KosmosAnthropic(LlmMetrics llm, String provider) {
    this.llm = llm;
    this.provider = provider;
  }

  /**
   * Tracking with provider {@code anthropic}.
   *
   * @throws IllegalArgumentException when {@code llm} is null
   */
  public static KosmosAnthropic of(LlmMetrics llm) {
    return builder(llm).build();
  }

  /**
   * A builder for tracking into {@code llm}.
   *
   * @throws IllegalArgumentException when {@code llm} is null
   */
  public static Builder builder(LlmMetrics llm) {
    if (llm == null) {
      throw new IllegalArgumentException("llm must not be null");
    }
    return new Builder(llm);
  }

  /**
   * {@code client.messages().create(params)}, tracked.
   *
   * @throws RuntimeException whatever the SDK throws, unchanged
   */
  public Message create(AnthropicClient client, MessageCreateParams params) {
    return llm.call(
        provider,
        params.model().asString(),
        () -> client.messages().create(params),
        message -> AnthropicUsage.of(message.usage()));
  }

  /**
   * {@code client.messages().create(params)} of the asynchronous client, tracked: the call is
   * recorded when the SDK's future completes, before the returned future completes with the same
   * message or the same exception.
   */
  public CompletableFuture<Message> createAsync(
      AnthropicClientAsync client, MessageCreateParams params) {
    return llm.callAsync(
            provider,
            params.model().asString(),
            () -> client.messages().create(params),
            (Message message) -> AnthropicUsage.of(message.usage()))
        .toCompletableFuture();
  }

  /**
   * {@code client.messages().createStreaming(params)}, tracked. Close the result
   * (try-with-resources) to record the call.
   *
   * @throws RuntimeException whatever the SDK throws, unchanged
   */
  public StreamResponse<RawMessageStreamEvent> createStreaming(
      AnthropicClient client, MessageCreateParams params) {
    LlmCall call = llm.start(provider, params.model().asString());
    StreamResponse<RawMessageStreamEvent> response;
    try {
      response = client.messages().createStreaming(params);
    } catch (RuntimeException e) {
      call.failed(e);
      call.close();
      throw e;
    }
    return new TrackedEvents(response, call);
  }

  /** Configures {@link KosmosAnthropic}. */
  public static final class Builder {
    private final LlmMetrics llm;
    private String provider = "anthropic";

    private Builder(LlmMetrics llm) {
      this.llm = llm;
    }

    /**
     * The {@code provider} label, e.g. {@code bedrock} or {@code vertex_ai} when the client goes
     * through them. Default {@code anthropic}.
     *
     * @throws IllegalArgumentException when null or blank
     */
    public Builder provider(String provider) {
      if (provider == null || provider.isBlank()) {
        throw new IllegalArgumentException(
            "provider must not be blank, but was "
                + (provider == null ? "null" : "'" + provider + "'"));
      }
      this.provider = provider;
      return this;
    }

    /** The tracking. */
    public KosmosAnthropic build() {
      return new KosmosAnthropic(llm, provider);
    }
  }
}
