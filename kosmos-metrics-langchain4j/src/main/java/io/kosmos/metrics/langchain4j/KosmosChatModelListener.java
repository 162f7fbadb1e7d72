package io.kosmos.metrics.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmMetrics;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Tracks every call of a LangChain4j chat model: add it to the model's builder, nothing changes at
 * call sites.
 *
 * <pre>{@code
 * KosmosChatModelListener kosmos = KosmosChatModelListener.of(llm);
 *
 * ChatModel model = OpenAiChatModel.builder()
 *     .apiKey(key).modelName("gpt-4o-mini")
 *     .listeners(List.of(kosmos))                                     // the one line
 *     .build();
 *
 * // streaming: the same listener, and the model wrapped once for time to first token
 * StreamingChatModel streaming = kosmos.timeToFirstToken(
 *     AnthropicStreamingChatModel.builder()
 *         .apiKey(key).modelName("claude-sonnet-4-5")
 *         .listeners(List.of(kosmos))
 *         .build());
 * }</pre>
 *
 * <p>The {@code provider} label comes from the model's {@link ModelProvider} ({@code openai},
 * {@code anthropic}, {@code azure}, {@code gemini}, {@code vertex_ai}, {@code bedrock}, {@code
 * mistral}, {@code ollama}, ...), the {@code model} label from the request's model name. Tokens
 * follow the provider's conventions ({@link io.kosmos.metrics.llm.ProviderUsage}): OpenAI's cached
 * and reasoning tokens and Anthropic's cache reads and writes are read from LangChain4j's
 * provider-specific token usage when its class is present. Errors are classified by the {@link
 * io.kosmos.metrics.llm.ErrorClassifier}; the listener never throws into LangChain4j.
 *
 * <p>A streamed call that completes is a success; one that fails is recorded with its error type;
 * one cancelled through its {@code StreamingHandle} (only seen on a model wrapped by {@link
 * #timeToFirstToken}) is an error of type {@code other}.
 */
public final class KosmosChatModelListener implements ChatModelListener {

  private static final String CALL = KosmosChatModelListener.class.getName() + ".call";

  private final LlmMetrics llm;

  private KosmosChatModelListener(LlmMetrics llm) {
    this.llm = llm;
  }

  /**
   * A listener that records into {@code llm}.
   *
   * @throws IllegalArgumentException when {@code llm} is null
   */
  public static KosmosChatModelListener of(LlmMetrics llm) {
    if (llm == null) {
      throw new IllegalArgumentException("llm must not be null");
    }
    return new KosmosChatModelListener(llm);
  }

  /**
   * {@code model}, which must have this listener among its listeners, with the arrival of the first
   * partial response, thinking or tool call recorded as the time to first token.
   *
   * @throws IllegalArgumentException when {@code model} is null
   */
  public StreamingChatModel timeToFirstToken(StreamingChatModel model) {
    if (model == null) {
      throw new IllegalArgumentException("model must not be null");
    }
    return new FirstTokenStreamingChatModel(model);
  }

  @Override
  public void onRequest(ChatModelRequestContext context) {
    try {
      LlmCall call =
          llm.start(provider(context.modelProvider()), model(context.chatRequest().modelName()));
      context.attributes().put(CALL, call);
      FirstTokenStreamingChatModel.link(call);
    } catch (RuntimeException e) {
      // LangChain4j would log and continue; nothing to record without a call.
    }
  }

  @Override
  public void onResponse(ChatModelResponseContext context) {
    LlmCall call = call(context.attributes().remove(CALL));
    if (call == null) {
      return;
    }
    try {
      ChatResponse response = context.chatResponse();
      call.usage(LangChain4jUsage.of(response.tokenUsage()));
      call.success();
    } catch (RuntimeException e) {
      call.success();
    } finally {
      call.close();
    }
  }

  @Override
  public void onError(ChatModelErrorContext context) {
    LlmCall call = call(context.attributes().remove(CALL));
    if (call == null) {
      return;
    }
    call.failed(context.error());
    call.close();
  }

  private static @Nullable LlmCall call(@Nullable Object attribute) {
    return attribute instanceof LlmCall ? (LlmCall) attribute : null;
  }

  private static String model(@Nullable String name) {
    return name == null || name.isEmpty() ? "unknown" : name;
  }

  /** LiteLLM's provider names where they exist, so that the pricing catalog matches. */
  static String provider(@Nullable ModelProvider provider) {
    if (provider == null) {
      return "other";
    }
    switch (provider.name()) {
      case "OPEN_AI":
        return "openai";
      case "ANTHROPIC":
        return "anthropic";
      case "AZURE_OPEN_AI":
        return "azure";
      case "GOOGLE_AI_GEMINI":
      case "GOOGLE_GENAI":
        return "gemini";
      case "GOOGLE_VERTEX_AI_GEMINI":
      case "GOOGLE_VERTEX_AI_ANTHROPIC":
        return "vertex_ai";
      case "AMAZON_BEDROCK":
        return "bedrock";
      case "MISTRAL_AI":
        return "mistral";
      case "GITHUB_MODELS":
        return "github";
      default:
        return provider.name().toLowerCase(Locale.ROOT);
    }
  }
}
