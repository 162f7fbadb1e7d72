package io.kosmos.metrics.springai;

import io.kosmos.metrics.llm.ErrorType;
import io.kosmos.metrics.llm.LlmCall;
import io.kosmos.metrics.llm.LlmMetrics;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Locale;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.aop.ProxyMethodInvocation;
import reactor.core.publisher.Flux;

/** Turns the calls of one chat model into {@link LlmCall}s. */
final class ChatModelInterceptor implements MethodInterceptor {

  private final LlmMetrics llm;
  private final ChatModel model;
  private final String provider;

  ChatModelInterceptor(LlmMetrics llm, ChatModel model) {
    this.llm = llm;
    this.model = model;
    this.provider = provider(model.getClass().getSimpleName());
  }

  @Override
  public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
    Method method = invocation.getMethod();
    String name = method.getName();
    Object[] args = invocation.getArguments();
    boolean prompt = args.length == 1 && args[0] instanceof Prompt;
    if (name.equals("call")
        && prompt
        && ChatResponse.class.isAssignableFrom(method.getReturnType())) {
      return call(invocation, (Prompt) args[0]);
    }
    if (name.equals("stream") && prompt && Flux.class.isAssignableFrom(method.getReturnType())) {
      return stream(invocation, (Prompt) args[0]);
    }
    if ((name.equals("call") || name.equals("stream"))
        && method.isDefault()
        && invocation instanceof ProxyMethodInvocation) {
      // A convenience overload (call(String), call(Message...), the ModelRequest bridges): run
      // the interface's own body against the proxy, so that it reaches the tracked call(Prompt)
      // instead of the target's, where the proxy would never see it.
      Class<?> owner = method.getDeclaringClass();
      return MethodHandles.privateLookupIn(owner, MethodHandles.lookup())
          .findSpecial(
              owner,
              name,
              MethodType.methodType(method.getReturnType(), method.getParameterTypes()),
              owner)
          .bindTo(((ProxyMethodInvocation) invocation).getProxy())
          .invokeWithArguments(args);
    }
    return invocation.proceed();
  }

  private Object call(MethodInvocation invocation, Prompt prompt) throws Throwable {
    LlmCall call = llm.start(provider, model(prompt));
    try {
      Object result = invocation.proceed();
      if (result instanceof ChatResponse) {
        report(call, (ChatResponse) result);
      }
      call.success();
      return result;
    } catch (Throwable t) {
      call.failed(t);
      throw t;
    } finally {
      call.close();
    }
  }

  @SuppressWarnings("unchecked")
  private Object stream(MethodInvocation invocation, Prompt prompt) throws Throwable {
    Object result = invocation.proceed();
    if (!(result instanceof Flux)) {
      return result;
    }
    Flux<ChatResponse> responses = (Flux<ChatResponse>) result;
    String modelName = model(prompt);
    // One call per subscription, timed from the subscription, as the request is sent then.
    return Flux.defer(
        () -> {
          LlmCall call = llm.start(provider, modelName);
          return responses
              .doOnNext(
                  response -> {
                    if (hasContent(response)) {
                      call.firstToken();
                    }
                    report(call, response);
                  })
              // Recorded before the signal travels on, so that whoever waits for the end of
              // the stream sees the call recorded.
              .doOnComplete(
                  () -> {
                    call.success();
                    call.close();
                  })
              .doOnError(
                  error -> {
                    call.failed(error);
                    call.close();
                  })
              .doOnCancel(
                  () -> {
                    call.failed(ErrorType.OTHER);
                    call.close();
                  });
        });
  }

  private static boolean hasContent(ChatResponse response) {
    try {
      List<Generation> results = response.getResults();
      for (int i = 0; i < results.size(); i++) {
        AssistantMessage output = results.get(i).getOutput();
        String text = output.getText();
        if ((text != null && !text.isEmpty()) || output.hasToolCalls()) {
          return true;
        }
      }
    } catch (RuntimeException e) {
      // An odd response is the application's to read; it just does not count as a token.
    }
    return false;
  }

  /** Reports a usage only when the response carries one: streamed chunks carry an empty one. */
  private static void report(LlmCall call, ChatResponse response) {
    try {
      org.springframework.ai.chat.metadata.Usage usage = response.getMetadata().getUsage();
      io.kosmos.metrics.llm.Usage mapped = SpringAiUsage.of(usage);
      if (mapped != null) {
        call.usage(mapped);
      }
    } catch (RuntimeException e) {
      // No usage to record; the call's outcome does not depend on it.
    }
  }

  private String model(Prompt prompt) {
    String name = null;
    try {
      ChatOptions options = prompt.getOptions();
      name = options == null ? null : options.getModel();
      if (name == null || name.isEmpty()) {
        ChatOptions defaults = model.getDefaultOptions();
        name = defaults == null ? null : defaults.getModel();
      }
    } catch (RuntimeException e) {
      name = null;
    }
    return name == null || name.isEmpty() ? "unknown" : name;
  }

  /** LiteLLM's provider names, from Spring AI's class names ({@code OpenAiChatModel}, ...). */
  static String provider(String simpleClassName) {
    String base = simpleClassName;
    int cglib = base.indexOf("$$");
    if (cglib > 0) {
      base = base.substring(0, cglib);
    }
    if (base.endsWith("ChatModel")) {
      base = base.substring(0, base.length() - "ChatModel".length());
    }
    switch (base) {
      case "OpenAi":
        return "openai";
      case "AzureOpenAi":
        return "azure";
      case "VertexAiGemini":
        return "vertex_ai";
      case "GoogleGenAi":
        return "gemini";
      case "BedrockProxy":
      case "BedrockConverse":
        return "bedrock";
      case "MistralAi":
        return "mistral";
      case "DeepSeek":
        return "deepseek";
      case "ZhiPuAi":
        return "zhipuai";
      case "MiniMax":
        return "minimax";
      default:
        return base.isEmpty() ? "other" : base.toLowerCase(Locale.ROOT);
    }
  }
}
