package io.kosmos.metrics.spring.boot.tests;

import org.springframework.boot.micrometer.metrics.test.autoconfigure.AutoConfigureMetrics;

/**
 * {@link StarterAppContract} on Spring Boot 4.0.7 with its client_java 1.4.3. Metrics export is on,
 * as in the application (a {@code @SpringBootTest} turns it off by default).
 */
@AutoConfigureMetrics
class Boot4StarterAppTest extends StarterAppContract {}
