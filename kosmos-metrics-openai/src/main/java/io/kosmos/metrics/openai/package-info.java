/**
 * LLM call tracking for the OpenAI Java SDK ({@code com.openai:openai-java}): {@link
 * io.kosmos.metrics.openai.KosmosOpenAi}.
 */
@NullMarked
package io.kosmos.metrics.openai;

import org.jspecify.annotations.NullMarked;
