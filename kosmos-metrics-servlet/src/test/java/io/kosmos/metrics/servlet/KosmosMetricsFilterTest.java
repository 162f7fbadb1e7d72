package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration errors, with the exact messages users see. */
class KosmosMetricsFilterTest {

  private final KosmosMetrics metrics =
      KosmosMetrics.builder().registry(new PrometheusRegistry()).build();

  @Test
  void buildRequiresAnAgent() {
    assertThatThrownBy(() -> KosmosMetricsFilter.builder(metrics).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "agent must be 1 to 64 characters of letters, digits, '_', '.' or '-', starting with a"
                + " letter or digit, but was null");
  }

  @Test
  void builderRejectsNullMetrics() {
    assertThatThrownBy(() -> KosmosMetricsFilter.builder(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metrics must not be null");
  }

  @Test
  void buildRejectsMaxEndpointsBelowOne() {
    assertThatThrownBy(
            () -> KosmosMetricsFilter.builder(metrics).agent("zeus").maxEndpoints(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEndpoints must be at least 1, but was 0");
  }

  @Test
  void buildRejectsMaxPathEndpointsOutsideItsRange() {
    assertThatThrownBy(
            () -> KosmosMetricsFilter.builder(metrics).agent("zeus").maxPathEndpoints(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPathEndpoints must be between 0 and 1000, but was -1");
    assertThatThrownBy(
            () -> KosmosMetricsFilter.builder(metrics).agent("zeus").maxPathEndpoints(1001).build())
        .hasMessage("maxPathEndpoints must be between 0 and 1000, but was 1001");
  }

  @Test
  void initRejectsAMaxPathEndpointsThatIsNotAnIntegerFrom0To1000() {
    for (String value : new String[] {"-1", "1001", "many", ""}) {
      assertThatThrownBy(
              () ->
                  new KosmosMetricsFilter()
                      .init(config(Map.of("agent", "zeus", "max-path-endpoints", value))))
          .isInstanceOf(ServletException.class)
          .hasMessage(
              "init-param max-path-endpoints must be an integer between 0 and 1000, but was '"
                  + value
                  + "'");
    }
  }

  @Test
  void buildRejectsAMetricsPathWithoutLeadingSlashOrWithAWildcard() {
    assertThatThrownBy(
            () -> KosmosMetricsFilter.builder(metrics).agent("zeus").metricsPath("metrics").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metricsPath must start with '/' and contain no '*', but was 'metrics'");
    assertThatThrownBy(
            () -> KosmosMetricsFilter.builder(metrics).agent("zeus").metricsPath("/m/*").build())
        .hasMessage("metricsPath must start with '/' and contain no '*', but was '/m/*'");
  }

  @Test
  void buildRejectsSkipPathsThatAreNotPathsOrPrefixes() {
    assertThatThrownBy(
            () -> KosmosMetricsFilter.builder(metrics).agent("zeus").skipPaths("healthz").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "skipPaths must each start with '/' and contain no '*' except a trailing '/*', but was"
                + " 'healthz'");
    assertThatThrownBy(
            () -> KosmosMetricsFilter.builder(metrics).agent("zeus").skipPaths("/a*").build())
        .hasMessage(
            "skipPaths must each start with '/' and contain no '*' except a trailing '/*', but was"
                + " '/a*'");
    assertThatCode(
            () -> KosmosMetricsFilter.builder(metrics).agent("zeus").skipPaths("/a/*").build())
        .doesNotThrowAnyException();
  }

  @Test
  void buildRejectsANullClockOrNormalizer() {
    assertThatThrownBy(() -> KosmosMetricsFilter.builder(metrics).agent("zeus").clock(null).build())
        .hasMessage("clock must not be null");
    assertThatThrownBy(
            () -> KosmosMetricsFilter.builder(metrics).agent("zeus").pathNormalizer(null).build())
        .hasMessage("pathNormalizer must not be null");
  }

  @Test
  void initRequiresTheAgentInitParam() {
    assertThatThrownBy(() -> new KosmosMetricsFilter().init(config(Map.of())))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-param agent must be 1 to 64 characters of letters, digits, '_', '.' or '-',"
                + " starting with a letter or digit, but was null");
    assertThatThrownBy(() -> new KosmosMetricsFilter().init(config(Map.of("agent", "two words"))))
        .hasMessage(
            "init-param agent must be 1 to 64 characters of letters, digits, '_', '.' or '-',"
                + " starting with a letter or digit, but was 'two words'");
  }

  @Test
  void initRejectsUnknownInitParams() {
    assertThatThrownBy(
            () -> new KosmosMetricsFilter().init(config(Map.of("agent", "zeus", "agnet", "x"))))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-param names must be one of [agent, max-endpoints, metrics-path, skip-paths,"
                + " max-path-endpoints], but was 'agnet'");
  }

  @Test
  void initRejectsAMaxEndpointsThatIsNotAPositiveInteger() {
    assertThatThrownBy(
            () ->
                new KosmosMetricsFilter()
                    .init(config(Map.of("agent", "zeus", "max-endpoints", "ten"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("init-param max-endpoints must be an integer of at least 1, but was 'ten'");
    assertThatThrownBy(
            () ->
                new KosmosMetricsFilter()
                    .init(config(Map.of("agent", "zeus", "max-endpoints", "0"))))
        .hasMessage(ServletFilterContract.MAX_ENDPOINTS_ZERO);
  }

  @Test
  void initRejectsInvalidPaths() {
    assertThatThrownBy(
            () ->
                new KosmosMetricsFilter()
                    .init(config(Map.of("agent", "zeus", "metrics-path", "metrics"))))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-param metrics-path must start with '/' and contain no '*', but was 'metrics'");
    assertThatThrownBy(
            () ->
                new KosmosMetricsFilter()
                    .init(config(Map.of("agent", "zeus", "skip-paths", "/healthz, static/*"))))
        .hasMessage(
            "init-param skip-paths must each start with '/' and contain no '*' except a trailing"
                + " '/*', but was 'static/*'");
  }

  @Test
  void aBuiltFilterRefusesInitParams() throws Exception {
    KosmosMetricsFilter filter = KosmosMetricsFilter.builder(metrics).agent("zeus").build();
    filter.init(config(Map.of()));
    assertThatThrownBy(() -> filter.init(config(Map.of("agent", "hermes"))))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-params must be empty for a filter made by KosmosMetricsFilter.builder, but were"
                + " [agent]");
  }

  @Test
  void aDestroyedFilterPassesRequestsThroughUnrecorded() throws Exception {
    KosmosMetricsFilter filter = KosmosMetricsFilter.builder(metrics).agent("zeus").build();
    filter.destroy();
    boolean[] passed = {false};
    // Not even the request's type is looked at once the recorder is gone.
    filter.doFilter(null, null, (request, response) -> passed[0] = true);
    assertThat(passed[0]).isTrue();
  }

  @Test
  void endpointAttributeNamesArePublishedValues() {
    // Applications and other frameworks hard-code these names: they must not drift.
    assertThat(KosmosMetricsFilter.ENDPOINT_ATTRIBUTE)
        .isEqualTo("io.kosmos.metrics.servlet.endpoint");
    assertThat(KosmosMetricsFilter.SPRING_PATTERN_ATTRIBUTE)
        .isEqualTo("org.springframework.web.servlet.HandlerMapping.bestMatchingPattern");
  }

  private static FilterConfig config(Map<String, String> params) {
    Map<String, String> ordered = new LinkedHashMap<>(params);
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "kosmos-metrics";
      }

      @Override
      public ServletContext getServletContext() {
        throw new UnsupportedOperationException("not needed by the filter");
      }

      @Override
      public String getInitParameter(String name) {
        return ordered.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(ordered.keySet());
      }
    };
  }
}
