package io.kosmos.metrics.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.testsupport.llm.ErrorClassificationContract;
import java.time.Duration;

/** Row "Anthropic Java SDK" of the README's table. */
class AnthropicErrorClassificationTest extends ErrorClassificationContract {

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
    AnthropicClient client =
        AnthropicOkHttpClient.builder()
            .baseUrl(baseUrl)
            .apiKey("sk-ant-fake")
            .maxRetries(0)
            .timeout(timeout)
            .build();
    KosmosAnthropic anthropic = KosmosAnthropic.of(llm);
    MessageCreateParams params =
        MessageCreateParams.builder()
            .model("claude-sonnet-4-5")
            .maxTokens(1024)
            .addUserMessage("Hi")
            .build();
    return () -> anthropic.create(client, params);
  }
}
