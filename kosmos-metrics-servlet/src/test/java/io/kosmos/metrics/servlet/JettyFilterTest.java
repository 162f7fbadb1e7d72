package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.ExpectedLog;
import jakarta.servlet.ServletContainerInitializer;

/** The servlet filter in embedded Jetty 12 (ee11, Servlet 6.1). */
@ExpectedLog(logger = "org.eclipse.jetty.ee11.servlet.ServletChannel")
class JettyFilterTest extends ServletFilterContract {

  @Override
  App serve(ServletContainerInitializer setup) throws Exception {
    return Containers.jetty(setup);
  }

  @Override
  String container() {
    return "jetty";
  }

  @Override
  void initFailure(Throwable startFailure) {
    // Jetty fails the start with the filter's exception in the chain.
    assertThat(startFailure).hasStackTraceContaining(MAX_ENDPOINTS_ZERO);
  }

  @Override
  protected int statusOfARequestAbandonedByItsClient() {
    // Jetty's EofException reaches the servlet reading the body, which throws it: 500.
    return 500;
  }
}
