package io.kosmos.metrics.servlet;

import io.kosmos.metrics.testsupport.HttpAdapterContract.App;
import jakarta.servlet.ServletContainerInitializer;
import java.util.logging.Level;

/** {@code /metrics} rules in embedded Jetty 12 (ee11). */
class JettyMetricsEndpointTest extends ServletMetricsEndpointContract {

  @Override
  App container(ServletContainerInitializer setup) throws Exception {
    return Containers.jetty(setup);
  }

  /**
   * At debug level (JUL {@code FINE}, through slf4j-jdk14) Jetty's HTTP parser logs every header it
   * parses, Authorization included: the container's own trace, off unless asked for. At info and
   * above nothing may show a credential.
   */
  @Override
  protected Level secretFreeLogLevel() {
    return Level.INFO;
  }
}
