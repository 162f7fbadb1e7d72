/**
 * Fake LLM providers for the SDK integration tests: one local JDK {@code HttpServer} that speaks
 * the OpenAI and Anthropic wire protocols (JSON, SSE and error bodies as the providers send them),
 * and the error-classification contract every SDK integration runs. Test code only.
 */
@NullMarked
package io.kosmos.metrics.testsupport.llm;

import org.jspecify.annotations.NullMarked;
