package io.kosmos.metrics.spring.boot.tests;

import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;

/**
 * {@link StarterAppContract} on Spring Boot 3.5.7 with its client_java 1.3.10. Metrics export is
 * on, as in the application (a {@code @SpringBootTest} turns it off by default).
 */
@AutoConfigureObservability(tracing = false)
class Boot3StarterAppTest extends StarterAppContract {}
