/**
 * LLM call tracking for LangChain4j: {@link io.kosmos.metrics.langchain4j.KosmosChatModelListener}.
 */
@NullMarked
package io.kosmos.metrics.langchain4j;

import org.jspecify.annotations.NullMarked;
