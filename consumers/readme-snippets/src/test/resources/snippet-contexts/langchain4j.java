// A README snippet of statements building LangChain4j models with kosmos-metrics-langchain4j. Its
// own context: LangChain4j's ChatModel is not the only ChatModel a reader may have imported.
package io.kosmos.metrics.readme;

import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.kosmos.metrics.langchain4j.KosmosChatModelListener;
import java.util.List;

class SnippetClass extends ReadmeFixtures {

  /** The provider's API key. */
  String key;

  Object snippet() throws Exception {
    if (true) {
//SNIPPET
    }
    return null;
  }
}
