package io.kosmos.metrics.langchain4j;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

  @Test
  void misconfigurationFailsFastNamingTheParameter() {
    assertThatThrownBy(() -> KosmosChatModelListener.of(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("llm must not be null");
    LlmMetrics llm =
        LlmMetrics.builder(KosmosMetrics.builder().registry(new PrometheusRegistry()).build())
            .build();
    assertThatThrownBy(() -> KosmosChatModelListener.of(llm).timeToFirstToken(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model must not be null");
  }
}
