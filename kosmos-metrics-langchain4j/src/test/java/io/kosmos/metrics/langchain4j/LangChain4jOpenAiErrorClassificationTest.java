package io.kosmos.metrics.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.testsupport.llm.ErrorClassificationContract;
import java.time.Duration;
import java.util.List;

/** Row "LangChain4j OpenAI" of the README's table. */
class LangChain4jOpenAiErrorClassificationTest extends ErrorClassificationContract {

  @Override
  protected Wire wire() {
    return Wire.OPENAI;
  }

  @Override
  protected String provider() {
    return "openai";
  }

  @Override
  protected Invoker client(LlmMetrics llm, String baseUrl, Duration timeout) {
    ChatModel model =
        OpenAiChatModel.builder()
            .baseUrl(baseUrl + "/v1")
            .apiKey("sk-fake")
            .modelName("gpt-4o-mini")
            .timeout(timeout)
            .maxRetries(0)
            .listeners(List.of(KosmosChatModelListener.of(llm)))
            .build();
    return () -> model.chat("Hi");
  }
}
