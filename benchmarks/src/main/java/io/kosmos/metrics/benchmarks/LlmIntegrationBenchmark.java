package io.kosmos.metrics.benchmarks;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.services.blocking.MessageService;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.services.blocking.ChatService;
import com.openai.services.blocking.chat.ChatCompletionService;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import io.kosmos.metrics.anthropic.KosmosAnthropic;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.langchain4j.KosmosChatModelListener;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.llm.ModelPrice;
import io.kosmos.metrics.llm.ProviderUsage;
import io.kosmos.metrics.openai.KosmosOpenAi;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.DefaultUsage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * What each SDK integration adds per call over recording the same call with {@link LlmMetrics}
 * alone. Every pair does the same work except the integration: the "sdk" is a stand-in that returns
 * a response parsed once in setup (no network), the usage has cached and reasoning (or cache read
 * and write) tokens, and the model is priced.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar LlmIntegrationBenchmark -prof gc
 * }</pre>
 *
 * <p>The OpenAI and Anthropic stand-in clients are JDK dynamic proxies, whose own cost (an argument
 * array per hop) is counted against the integration: an upper bound. The LangChain4j side calls the
 * listener as LangChain4j does, with request and response contexts built once; the Spring AI side
 * calls a ChatModel bean wrapped by the auto-configuration.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class LlmIntegrationBenchmark {

  static LlmMetrics llm() {
    KosmosMetrics metrics = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
    return LlmMetrics.builder(metrics)
        .pricing(
            LlmPricing.builder()
                .price(
                    "openai",
                    "gpt-4o-mini",
                    ModelPrice.perMillion(0.15, 0.60).withCacheReadPerMillion(0.075))
                .price(
                    "anthropic",
                    "claude-sonnet-4-5",
                    ModelPrice.perMillion(3.00, 15.00)
                        .withCacheReadPerMillion(0.30)
                        .withCacheWritePerMillion(3.75))
                .build())
        .build();
  }

  @SuppressWarnings("unchecked")
  static <T> T returning(Class<T> type, Map<String, Object> answers) {
    return (T)
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> answers.get(method.getName()));
  }

  /** openai-java: a completion with 1024 cached prompt tokens and 128 reasoning tokens. */
  @State(Scope.Benchmark)
  public static class OpenAi {
    LlmMetrics llm;
    KosmosOpenAi openAi;
    OpenAIClient client;
    ChatCompletionCreateParams params;
    ChatCompletion completion;

    @Setup
    public void setUp() throws Exception {
      llm = llm();
      openAi = KosmosOpenAi.of(llm);
      params =
          ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Hi").build();
      completion =
          com.openai.core.ObjectMappers.jsonMapper()
              .readValue(
                  io.kosmos.metrics.benchmarks.LlmWire.OPENAI_COMPLETION, ChatCompletion.class);
      ChatCompletionService completions =
          returning(ChatCompletionService.class, Map.of("create", completion));
      ChatService chat = returning(ChatService.class, Map.of("completions", completions));
      client = returning(OpenAIClient.class, Map.of("chat", chat));
    }
  }

  /** anthropic-java: a message with 1800 cache-read and 600 cache-write tokens. */
  @State(Scope.Benchmark)
  public static class Anthropic {
    LlmMetrics llm;
    KosmosAnthropic anthropic;
    AnthropicClient client;
    MessageCreateParams params;
    Message message;

    @Setup
    public void setUp() throws Exception {
      llm = llm();
      anthropic = KosmosAnthropic.of(llm);
      params =
          MessageCreateParams.builder()
              .model("claude-sonnet-4-5")
              .maxTokens(1024)
              .addUserMessage("Hi")
              .build();
      message =
          com.anthropic.core.ObjectMappers.jsonMapper()
              .readValue(io.kosmos.metrics.benchmarks.LlmWire.ANTHROPIC_MESSAGE, Message.class);
      MessageService messages = returning(MessageService.class, Map.of("create", message));
      client = returning(AnthropicClient.class, Map.of("messages", messages));
    }
  }

  /** LangChain4j: the listener's two callbacks, as an OpenAI chat model makes them. */
  @State(Scope.Benchmark)
  public static class LangChain4j {
    LlmMetrics llm;
    KosmosChatModelListener listener;
    ChatModelRequestContext request;
    ChatModelResponseContext response;
    OpenAiTokenUsage usage;

    @Setup
    public void setUp() {
      llm = llm();
      listener = KosmosChatModelListener.of(llm);
      ChatRequest chatRequest =
          ChatRequest.builder().messages(UserMessage.from("Hi")).modelName("gpt-4o-mini").build();
      usage =
          OpenAiTokenUsage.builder()
              .inputTokenCount(1200)
              .outputTokenCount(300)
              .inputTokensDetails(
                  OpenAiTokenUsage.InputTokensDetails.builder().cachedTokens(1024).build())
              .outputTokensDetails(
                  OpenAiTokenUsage.OutputTokensDetails.builder().reasoningTokens(128).build())
              .build();
      dev.langchain4j.model.chat.response.ChatResponse chatResponse =
          dev.langchain4j.model.chat.response.ChatResponse.builder()
              .aiMessage(AiMessage.from("Hello"))
              .modelName("gpt-4o-mini")
              .tokenUsage(usage)
              .build();
      Map<Object, Object> attributes = new HashMap<>();
      request = new ChatModelRequestContext(chatRequest, ModelProvider.OPEN_AI, attributes);
      response =
          new ChatModelResponseContext(
              chatResponse, chatRequest, ModelProvider.OPEN_AI, attributes);
    }
  }

  /** Spring AI: a ChatModel bean wrapped by KosmosSpringAiAutoConfiguration. */
  @State(Scope.Benchmark)
  public static class SpringAi {
    LlmMetrics llm;
    AnnotationConfigApplicationContext context;
    ChatModel tracked;
    ChatModel plain;
    Prompt prompt;

    @Setup
    public void setUp() {
      llm = llm();
      plain = new OpenAiChatModel();
      context = new AnnotationConfigApplicationContext();
      context.getBeanFactory().registerSingleton("llm", llm);
      context.registerBean(ChatModel.class, OpenAiChatModel::new);
      context.register(io.kosmos.metrics.springai.KosmosSpringAiAutoConfiguration.class);
      context.refresh();
      tracked = context.getBean(ChatModel.class);
      prompt = new Prompt("Hi");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      context.close();
    }
  }

  /** A Spring AI chat model answering from memory; named so that its provider is openai. */
  public static class OpenAiChatModel implements ChatModel {
    static final ChatResponse RESPONSE =
        new ChatResponse(
            List.of(new Generation(new AssistantMessage("Hello"))),
            ChatResponseMetadata.builder()
                .model("gpt-4o-mini")
                .usage(
                    new DefaultUsage(
                        1200,
                        300,
                        1500,
                        new OpenAiApi.Usage(
                            300,
                            1200,
                            1500,
                            new OpenAiApi.Usage.PromptTokensDetails(0, 1024),
                            new OpenAiApi.Usage.CompletionTokenDetails(128, 0, 0, 0))))
                .build());
    static final ChatOptions OPTIONS = ChatOptions.builder().model("gpt-4o-mini").build();

    @Override
    public ChatResponse call(Prompt prompt) {
      return RESPONSE;
    }

    @Override
    public ChatOptions getDefaultOptions() {
      return OPTIONS;
    }
  }

  @Benchmark
  public ChatCompletion openAiBaseline(OpenAi state) {
    ChatCompletion completion = state.completion;
    try (LlmCall call = state.llm.start("openai", "gpt-4o-mini")) {
      call.usage(ProviderUsage.openAi(1200, 300, 1024, 128));
    }
    return completion;
  }

  @Benchmark
  public ChatCompletion openAiIntegration(OpenAi state) {
    return state.openAi.create(state.client, state.params);
  }

  @Benchmark
  public Message anthropicBaseline(Anthropic state) {
    Message message = state.message;
    try (LlmCall call = state.llm.start("anthropic", "claude-sonnet-4-5")) {
      call.usage(ProviderUsage.anthropic(50, 400, 1800, 600));
    }
    return message;
  }

  @Benchmark
  public Message anthropicIntegration(Anthropic state) {
    return state.anthropic.create(state.client, state.params);
  }

  @Benchmark
  public Object langChain4jBaseline(LangChain4j state) {
    try (LlmCall call = state.llm.start("openai", "gpt-4o-mini")) {
      call.usage(ProviderUsage.openAi(1200, 300, 1024, 128));
    }
    return state.response;
  }

  @Benchmark
  public Object langChain4jIntegration(LangChain4j state) {
    state.listener.onRequest(state.request);
    state.listener.onResponse(state.response);
    return state.response;
  }

  @Benchmark
  public ChatResponse springAiBaseline(SpringAi state) {
    ChatResponse response;
    try (LlmCall call = state.llm.start("openai", "gpt-4o-mini")) {
      response = state.plain.call(state.prompt);
      call.usage(ProviderUsage.openAi(1200, 300, 1024, 128));
    }
    return response;
  }

  @Benchmark
  public ChatResponse springAiIntegration(SpringAi state) {
    return state.tracked.call(state.prompt);
  }
}
