package io.kosmos.samples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SampleSettingsTest {

  @Test
  void defaultsToLoopbackTheFakeProviderAndGpt4oMini() {
    SampleSettings settings = SampleSettings.fromEnvironment(Map.of(), 8000);
    assertThat(settings.port()).isEqualTo(8000);
    assertThat(settings.bindAddress()).isEqualTo("127.0.0.1");
    assertThat(settings.llmBaseUrl()).isNull();
    assertThat(settings.llmApiKey()).isEqualTo("none");
    assertThat(settings.llmProvider()).isEqualTo("openai");
    assertThat(settings.llmModel()).isEqualTo("gpt-4o-mini");
    assertThat(settings.llmPriceFile()).isNull();
  }

  @Test
  void readsEveryVariable() {
    SampleSettings settings =
        SampleSettings.fromEnvironment(
            Map.of(
                "PORT", "9001",
                "BIND_ADDRESS", "0.0.0.0",
                "LLM_BASE_URL", "http://localhost:11434/v1",
                "LLM_API_KEY", "secret",
                "LLM_PROVIDER", "ollama",
                "LLM_MODEL", "llama3.2",
                "LLM_PRICE_FILE", "/etc/prices.json"),
            8000);
    assertThat(settings.port()).isEqualTo(9001);
    assertThat(settings.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(settings.llmBaseUrl()).isEqualTo(URI.create("http://localhost:11434/v1"));
    assertThat(settings.llmApiKey()).isEqualTo("secret");
    assertThat(settings.llmProvider()).isEqualTo("ollama");
    assertThat(settings.llmModel()).isEqualTo("llama3.2");
    assertThat(settings.llmPriceFile()).isEqualTo("/etc/prices.json");
  }

  @Test
  void rejectsAPortThatIsNotAPortNumber() {
    assertThatThrownBy(() -> SampleSettings.fromEnvironment(Map.of("PORT", "80a"), 8000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("PORT must be a number from 0 to 65535, but was '80a'");
    assertThatThrownBy(() -> SampleSettings.fromEnvironment(Map.of("PORT", "70000"), 8000))
        .hasMessage("PORT must be a number from 0 to 65535, but was '70000'");
  }

  @Test
  void theShippedPricesCoverTheDefaultModelWithCacheReads() {
    var price =
        ChatService.pricing(SampleSettings.fromEnvironment(Map.of(), 8000))
            .find("openai", "gpt-4o-mini");
    assertThat(price).isNotNull();
    assertThat(price.inputPerToken()).isEqualByComparingTo("0.00000015");
    assertThat(price.outputPerToken()).isEqualByComparingTo("0.0000006");
    assertThat(price.cacheReadPerToken()).isEqualByComparingTo("0.000000075");
  }
}
