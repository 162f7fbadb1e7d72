package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.MetricsAccess;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metrics servlet's configuration errors, with the exact messages, never showing a token. */
class KosmosMetricsServletTest {

  private static final String TOKEN = "servlet-unit-token";

  @Test
  void createRejectsNulls() {
    assertThatThrownBy(() -> KosmosMetricsServlet.create(null, MetricsAccess.open()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("registry must not be null");
    assertThatThrownBy(() -> KosmosMetricsServlet.create(new PrometheusRegistry(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metricsAccess must not be null");
  }

  @Test
  void theFilterBuilderRejectsANullAccess() {
    assertThatThrownBy(
            () ->
                KosmosMetricsFilter.builder(
                        io.kosmos.metrics.core.KosmosMetrics.builder()
                            .registry(new PrometheusRegistry())
                            .build())
                    .metricsAccess(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metricsAccess must not be null");
  }

  @Test
  void withoutInitParamsTheEndpointIsOpen() throws Exception {
    KosmosMetricsServlet servlet = new KosmosMetricsServlet();
    servlet.init(config(Map.of()));
    assertThat(servlet.access().isOpen()).isTrue();
  }

  @Test
  void theTokenInitParamTurnsBearerAuthenticationOn() throws Exception {
    KosmosMetricsServlet servlet = new KosmosMetricsServlet();
    servlet.init(config(Map.of("metrics-token", " " + TOKEN + " ")));
    assertThat(servlet.access().allows("Bearer " + TOKEN)).isTrue();
    assertThat(servlet.access().allows(null)).isFalse();
    assertThat(servlet.access()).hasToString("MetricsAccess[bearer]");
  }

  @Test
  void invalidInitParamsFailInitWithoutShowingTheToken() {
    assertThatThrownBy(() -> new KosmosMetricsServlet().init(config(Map.of("token", TOKEN))))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-param names must be one of [metrics-token, metrics-token-env], but was 'token'");
    assertThatThrownBy(
            () -> new KosmosMetricsServlet().init(config(Map.of("metrics-token", "two words"))))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-param metrics-token: token must consist of letters, digits and '-._~+/',"
                + " optionally followed by '=', but has another character at index 3");
    assertThatThrownBy(
            () ->
                new KosmosMetricsServlet()
                    .init(config(Map.of("metrics-token", TOKEN, "metrics-token-env", "X"))))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-params metrics-token and metrics-token-env must not both be set, but both were");
    assertThatThrownBy(
            () ->
                new KosmosMetricsServlet()
                    .init(config(Map.of("metrics-token-env", "KOSMOS_NO_SUCH_VARIABLE_4711"))))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-param metrics-token-env must name a set, non-empty environment variable, but"
                + " 'KOSMOS_NO_SUCH_VARIABLE_4711' is not set");
  }

  @Test
  void aCreatedServletRefusesInitParams() {
    KosmosMetricsServlet servlet =
        KosmosMetricsServlet.create(new PrometheusRegistry(), MetricsAccess.bearerToken(TOKEN));
    assertThatThrownBy(() -> servlet.init(config(Map.of("metrics-token", "other"))))
        .isInstanceOf(ServletException.class)
        .hasMessage(
            "init-params must be empty for a servlet made by KosmosMetricsServlet.create, but were"
                + " [metrics-token]");
  }

  private static ServletConfig config(Map<String, String> params) {
    Map<String, String> ordered = new LinkedHashMap<>(params);
    return new ServletConfig() {
      @Override
      public String getServletName() {
        return "metrics";
      }

      @Override
      public ServletContext getServletContext() {
        throw new UnsupportedOperationException("not needed by the servlet");
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
