package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.ExpectedLog;
import jakarta.servlet.ServletContainerInitializer;

/** The servlet filter in embedded Tomcat 11 (Servlet 6.1). */
@ExpectedLog(logger = "org.apache.catalina.core", level = "SEVERE", contains = "threw exception")
@ExpectedLog(
    logger = "org.apache.catalina.core",
    level = "SEVERE",
    contains = "Exception starting filter [kosmos-metrics]")
@ExpectedLog(
    logger = "org.apache.catalina.core",
    level = "SEVERE",
    contains = "One or more Filters failed to start")
@ExpectedLog(
    logger = "org.apache.catalina.core",
    level = "SEVERE",
    contains = "Context [] startup failed due to previous errors")
class TomcatFilterTest extends ServletFilterContract {

  @Override
  App serve(ServletContainerInitializer setup) throws Exception {
    return Containers.tomcat(setup);
  }

  @Override
  String container() {
    return "tomcat";
  }

  @Override
  void initFailure(Throwable startFailure) {
    // Tomcat logs the filter's exception and leaves the context unstarted.
    assertThat(startFailure).hasMessageStartingWith("the Tomcat context did not start");
  }

  @Override
  protected int statusOfARequestAbandonedByItsClient() {
    // Tomcat marks the response 400 when reading the body fails; the filter records what it sees.
    return 400;
  }
}
