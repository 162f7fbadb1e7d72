package io.kosmos.metrics.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.testsupport.llm.ErrorClassificationContract;
import java.time.Duration;

/** Row "OpenAI Java SDK" of the README's table. */
class OpenAiErrorClassificationTest extends ErrorClassificationContract {

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
    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .baseUrl(baseUrl + "/v1")
            .apiKey("sk-fake")
            .maxRetries(0)
            .timeout(timeout)
            .build();
    KosmosOpenAi openAi = KosmosOpenAi.of(llm);
    ChatCompletionCreateParams params =
        ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Hi").build();
    return () -> openAi.create(client, params);
  }
}
