package io.kosmos.metrics.spring.boot.tests;

/** {@link AutoConfigurationContract} on Spring Boot 4.0.7 with its client_java 1.4.3. */
class Boot4AutoConfigurationTest extends AutoConfigurationContract {

  @Override
  protected String clientJavaVersion() {
    return "1.4.3";
  }
}
