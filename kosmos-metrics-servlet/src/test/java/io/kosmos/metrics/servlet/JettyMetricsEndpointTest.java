package io.kosmos.metrics.servlet;

import io.kosmos.metrics.testsupport.HttpAdapterContract.App;
import jakarta.servlet.ServletContainerInitializer;

/** {@code /metrics} rules in embedded Jetty 12 (ee11). */
class JettyMetricsEndpointTest extends ServletMetricsEndpointContract {

  @Override
  App container(ServletContainerInitializer setup) throws Exception {
    return Containers.jetty(setup);
  }
}
