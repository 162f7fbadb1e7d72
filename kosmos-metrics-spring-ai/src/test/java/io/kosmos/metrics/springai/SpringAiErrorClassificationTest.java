package io.kosmos.metrics.springai;

import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.testsupport.llm.ErrorClassificationContract;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.context.ConfigurableApplicationContext;

/** Row "Spring AI (OpenAI)" of the README's table: the auto-configured, non-streaming client. */
class SpringAiErrorClassificationTest extends ErrorClassificationContract {

  private ConfigurableApplicationContext context;

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
  }

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
    context = SpringAiApps.start(baseUrl, llm, timeout);
    ChatModel model = context.getBean(ChatModel.class);
    return () -> model.call(new Prompt("Hi"));
  }
}
