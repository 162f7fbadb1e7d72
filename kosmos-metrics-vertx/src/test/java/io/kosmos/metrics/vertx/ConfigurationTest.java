package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kosmos.metrics.core.KosmosMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Misconfiguration fails at set-up, with a message naming the parameter, rule and value. */
class ConfigurationTest {

  private final KosmosMetrics metrics =
      KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
  private final Vertx vertx = Vertx.vertx();
  private final Router router = Router.router(vertx);

  @AfterEach
  void closeVertx() {
    vertx.close();
  }

  @Test
  void anIgnoredPathMustStartWithASlash() {
    assertThatThrownBy(() -> KosmosMetricsHandler.builder(metrics.http("a")).ignorePath("metrics"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ignorePath must start with '/', but was 'metrics'");
  }

  @Test
  void atMostSixteenPathsAreIgnored() {
    KosmosMetricsHandler.Builder builder = KosmosMetricsHandler.builder(metrics.http("a"));
    for (int i = 0; i < 16; i++) {
      builder.ignorePath("/p" + i);
    }
    assertThatThrownBy(() -> builder.ignorePath("/p16"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ignorePath must be called at most 16 times, but was called for '/p16'");
  }

  @Test
  void nullArgumentsAreNamed() {
    assertThatThrownBy(() -> KosmosMetricsHandler.builder(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("recorder must not be null");
    assertThatThrownBy(() -> KosmosMetricsHandler.builder(metrics.http("a")).ignorePath(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ignorePath must not be null");
    assertThatThrownBy(() -> KosmosMetricsHandler.builder(metrics.http("a")).installOn(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("router must not be null");
    assertThatThrownBy(() -> MetricsHandler.create(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("registry must not be null");
    assertThatThrownBy(() -> KosmosVertxMetrics.install(null, metrics, "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("router must not be null");
    assertThatThrownBy(() -> KosmosVertxMetrics.install(router, null, "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("metrics must not be null");
  }

  @Test
  void anInvalidAgentFailsWithCoresMessageAndInstallsNothing() {
    assertThatThrownBy(() -> KosmosVertxMetrics.install(router, metrics, "no spaces"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "agent must be 1 to 64 characters of letters, digits, '_', '.' or '-', starting with a"
                + " letter or digit, but was 'no spaces'");
    assertThat(router.getRoutes()).isEmpty();
  }
}
