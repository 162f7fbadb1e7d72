// A README snippet of statements using the Anthropic Java SDK through kosmos-metrics-anthropic.
// Its own context: the SDK's client, not ReadmeFixtures' ChatClient, is `client` here.
package io.kosmos.metrics.readme;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import io.kosmos.metrics.anthropic.KosmosAnthropic;
import java.util.concurrent.CompletableFuture;

class SnippetClass extends ReadmeFixtures {

  AnthropicClient client;
  AnthropicClientAsync asyncClient;
  MessageCreateParams params;

  void render(RawMessageStreamEvent event) {}

  Object snippet() throws Exception {
    if (true) {
//SNIPPET
    }
    return null;
  }
}
