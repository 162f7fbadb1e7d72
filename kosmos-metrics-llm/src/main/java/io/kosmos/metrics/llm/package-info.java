/**
 * Tracking of LLM calls for KOSMOS agents: latency, outcomes, tokens, exact cost, time to first
 * token and errors, recorded into the families of {@code kosmos-metrics-core}.
 *
 * <p>Start with {@link io.kosmos.metrics.llm.LlmMetrics}. Recording never throws into the
 * application and never changes its results or exceptions; misconfiguration (a bad price, a bad
 * cap) fails when the configuration is built.
 */
@NullMarked
package io.kosmos.metrics.llm;

import org.jspecify.annotations.NullMarked;
