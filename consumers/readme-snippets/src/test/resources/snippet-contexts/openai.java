// A README snippet of statements using the OpenAI Java SDK through kosmos-metrics-openai. Its own
// context: the SDK's client, not ReadmeFixtures' ChatClient, is `client` here.
package io.kosmos.metrics.readme;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.kosmos.metrics.openai.KosmosOpenAi;
import java.util.concurrent.CompletableFuture;

class SnippetClass extends ReadmeFixtures {

  OpenAIClient client;
  OpenAIClientAsync asyncClient;
  ChatCompletionCreateParams params;

  void render(ChatCompletionChunk chunk) {}

  Object snippet() throws Exception {
    if (true) {
//SNIPPET
    }
    return null;
  }
}
