package io.kosmos.metrics.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmMetrics;
import java.util.concurrent.CompletableFuture;

/**
 * Tracks chat completions of the OpenAI Java SDK: one line per call site, streaming included.
 *
 * <pre>{@code
 * KosmosOpenAi openAi = KosmosOpenAi.of(llm);                       // once
 *
 * ChatCompletion completion = openAi.create(client, params);        // instead of
 * // client.chat().completions().create(params)
 *
 * CompletableFuture<ChatCompletion> later = openAi.createAsync(asyncClient, params);
 *
 * try (StreamResponse<ChatCompletionChunk> stream = openAi.createStreaming(client, params)) {
 *   stream.stream().forEach(chunk -> render(chunk));
 * }
 * }</pre>
 *
 * <p>The call is labelled with the provider ({@code openai} unless {@link Builder#provider} says
 * otherwise) and the model of the request. Tokens follow OpenAI's conventions ({@link
 * io.kosmos.metrics.llm.ProviderUsage#openAi}): cached prompt tokens and reasoning tokens are
 * recorded as such, never added twice. Exceptions of the SDK reach the caller unchanged and are
 * classified by the {@link io.kosmos.metrics.llm.ErrorClassifier}.
 *
 * <p>Streaming: unless the request sets {@code stream_options} itself, {@code include_usage} is
 * turned on so that the final chunk carries the usage. The time to first token is taken at the
 * first chunk with content, a tool call or a refusal (not the role-only first chunk). A stream read
 * to its end is a success, with its usage if the provider sent one; a stream closed before its end
 * is recorded as an error of type {@code other}; an exception while reading is recorded with its
 * type.
 */
public final class KosmosOpenAi {

  private static final ChatCompletionStreamOptions INCLUDE_USAGE =
      ChatCompletionStreamOptions.builder().includeUsage(true).build();

  private final LlmMetrics llm;
  private final String provider;

  private KosmosOpenAi(LlmMetrics llm, String provider) {
    this.llm = llm;
    this.provider = provider;
  }

  /**
   * Tracking with provider {@code openai}.
   *
   * @throws IllegalArgumentException when {@code llm} is null
   */
  public static KosmosOpenAi of(LlmMetrics llm) {
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
   * {@code client.chat().completions().create(params)}, tracked.
   *
   * @throws RuntimeException whatever the SDK throws, unchanged
   */
  public ChatCompletion create(OpenAIClient client, ChatCompletionCreateParams params) {
    return llm.call(
        provider,
        params.model().asString(),
        () -> client.chat().completions().create(params),
        OpenAiUsage::of);
  }

  /**
   * {@code client.chat().completions().create(params)} of the asynchronous client, tracked: the
   * call is recorded when the SDK's future completes, before the returned future completes with the
   * same completion or the same exception.
   */
  public CompletableFuture<ChatCompletion> createAsync(
      OpenAIClientAsync client, ChatCompletionCreateParams params) {
    return llm.callAsync(
            provider,
            params.model().asString(),
            () -> client.chat().completions().create(params),
            OpenAiUsage::of)
        .toCompletableFuture();
  }

  /**
   * {@code client.chat().completions().createStreaming(params)}, tracked, with {@code
   * stream_options.include_usage} turned on when the request does not set {@code stream_options}.
   * Close the result (try-with-resources) to record the call.
   *
   * @throws RuntimeException whatever the SDK throws, unchanged
   */
  public StreamResponse<ChatCompletionChunk> createStreaming(
      OpenAIClient client, ChatCompletionCreateParams params) {
    ChatCompletionCreateParams request =
        params.streamOptions().isPresent()
            ? params
            : params.toBuilder().streamOptions(INCLUDE_USAGE).build();
    LlmCall call = llm.start(provider, params.model().asString());
    StreamResponse<ChatCompletionChunk> response;
    try {
      response = client.chat().completions().createStreaming(request);
    } catch (RuntimeException e) {
      call.failed(e);
      call.close();
      throw e;
    }
    return new TrackedChunks(response, call);
  }

  /** Configures {@link KosmosOpenAi}. */
  public static final class Builder {
    private final LlmMetrics llm;
    private String provider = "openai";

    private Builder(LlmMetrics llm) {
      this.llm = llm;
    }

    /**
     * The {@code provider} label, e.g. {@code azure} for Azure OpenAI or the name of another
     * provider that speaks OpenAI's protocol. Default {@code openai}.
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
    public KosmosOpenAi build() {
      return new KosmosOpenAi(llm, provider);
    }
  }
}
