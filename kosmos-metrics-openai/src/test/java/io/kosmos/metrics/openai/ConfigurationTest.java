package io.kosmos.metrics.openai;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

  private final LlmMetrics llm =
      LlmMetrics.builder(KosmosMetrics.builder().registry(new PrometheusRegistry()).build())
          .build();

  @Test
  void misconfigurationFailsFastNamingTheParameter() {
    assertThatThrownBy(() -> KosmosOpenAi.of(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("llm must not be null");
    assertThatThrownBy(() -> KosmosOpenAi.builder(llm).provider(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("provider must not be blank, but was ' '");
    assertThatThrownBy(() -> KosmosOpenAi.builder(llm).provider(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("provider must not be blank, but was null");
  }
}
