/**
 * LLM call tracking for the Anthropic Java SDK ({@code com.anthropic:anthropic-java}): {@link
 * io.kosmos.metrics.anthropic.KosmosAnthropic}.
 */
@NullMarked
package io.kosmos.metrics.anthropic;

import org.jspecify.annotations.NullMarked;
