package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.junit.jupiter.api.Test;

/** The prefix mappings' patterns, kept per mapping up to a bound. */
class RecordingTest {

  private final Recording recording =
      KosmosMetricsFilter.builder(
              KosmosMetrics.builder().registry(new PrometheusRegistry()).build())
          .agent("zeus")
          .recording("metricsPath", "skipPaths");

  @Test
  void aPrefixMappingsPatternIsBuiltOnceThenReused() {
    String first = recording.prefixPattern("/api");

    assertThat(first).isEqualTo("/api/*");
    assertThat(recording.prefixPattern(new String("/api"))).isSameAs(first);
    assertThat(recording.prefixPattern("/files")).isEqualTo("/files/*");
  }

  @Test
  void pastTheBoundPatternsAreStillRightButBuiltPerCall() {
    for (int i = 0; i < Recording.MAX_PREFIX_PATTERNS; i++) {
      assertThat(recording.prefixPattern("/p" + i)).isEqualTo("/p" + i + "/*");
    }
    String past = recording.prefixPattern("/past");

    assertThat(past).isEqualTo("/past/*");
    assertThat(recording.prefixPattern("/past")).isEqualTo("/past/*").isNotSameAs(past);
    assertThat(recording.prefixPattern("/p0")).isSameAs(recording.prefixPattern("/p0"));
  }
}
