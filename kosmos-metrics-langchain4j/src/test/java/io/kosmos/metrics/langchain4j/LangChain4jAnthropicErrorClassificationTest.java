package io.kosmos.metrics.langchain4j;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.ChatModel;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.testsupport.llm.ErrorClassificationContract;
import java.time.Duration;
import java.util.List;

/** Row "LangChain4j Anthropic" of the README's table. */
class LangChain4jAnthropicErrorClassificationTest extends ErrorClassificationContract {

  @Override
  protected Wire wire() {
    return Wire.ANTHROPIC;
  }

  @Override
  protected String provider() {
    return "anthropic";
  }

  @Override
  protected Invoker client(LlmMetrics llm, String baseUrl, Duration timeout) {
    ChatModel model =
        AnthropicChatModel.builder()
            .baseUrl(baseUrl + "/v1/")
            .apiKey("sk-ant-fake")
            .modelName("claude-sonnet-4-5")
            .timeout(timeout)
            .maxRetries(0)
            .listeners(List.of(KosmosChatModelListener.of(llm)))
            .build();
    return () -> model.chat("Hi");
  }
}
