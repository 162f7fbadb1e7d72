package io.kosmos.metrics.spring.boot.tests;

/** {@link GracefulShutdownContract} on Spring Boot 4.0.7 with its client_java 1.4.3. */
class Boot4GracefulShutdownTest extends GracefulShutdownContract {}
