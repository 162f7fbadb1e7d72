package io.kosmos.metrics.spring.boot.tests;

/** {@link GracefulShutdownContract} on Spring Boot 3.5.7 with its client_java 1.3.10. */
class Boot3GracefulShutdownTest extends GracefulShutdownContract {}
