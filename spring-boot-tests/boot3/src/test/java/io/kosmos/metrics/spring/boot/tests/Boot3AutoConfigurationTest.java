package io.kosmos.metrics.spring.boot.tests;

/** {@link AutoConfigurationContract} on Spring Boot 3.5.7 with its client_java 1.3.10. */
class Boot3AutoConfigurationTest extends AutoConfigurationContract {

  @Override
  protected String clientJavaVersion() {
    return "1.3.10";
  }
}
