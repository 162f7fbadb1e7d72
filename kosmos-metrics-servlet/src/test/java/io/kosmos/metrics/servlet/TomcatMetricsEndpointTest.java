package io.kosmos.metrics.servlet;

import io.kosmos.metrics.testsupport.HttpAdapterContract.App;
import jakarta.servlet.ServletContainerInitializer;

/** {@code /metrics} rules in embedded Tomcat 11. */
class TomcatMetricsEndpointTest extends ServletMetricsEndpointContract {

  @Override
  App container(ServletContainerInitializer setup) throws Exception {
    return Containers.tomcat(setup);
  }
}
