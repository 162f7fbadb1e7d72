/**
 * Spring Boot auto-configuration for kosmos-metrics: with {@code
 * kosmos-metrics-spring-boot-starter} on the classpath and {@code kosmos.metrics.agent} set, a
 * servlet application records every request, serves {@code /metrics} and offers {@link
 * io.kosmos.metrics.core.AgentTasks} (and {@code LlmMetrics} when {@code kosmos-metrics-llm} is
 * present) as beans. See {@link io.kosmos.metrics.spring.boot.KosmosMetricsAutoConfiguration}.
 */
@NullMarked
package io.kosmos.metrics.spring.boot;

import org.jspecify.annotations.NullMarked;
