/**
 * LLM call tracking for every Spring AI {@code ChatModel} bean, registered by {@link
 * io.kosmos.metrics.springai.KosmosSpringAiAutoConfiguration}.
 */
@NullMarked
package io.kosmos.metrics.springai;

import org.jspecify.annotations.NullMarked;
