package io.kosmos.samples.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A minimal client for OpenAI-compatible chat completions (OpenAI, vLLM, Ollama, the fake
 * provider), on the JDK's HTTP client and Jackson.
 *
 * <pre>{@code
 * OpenAiChatClient client = OpenAiChatClient.create(URI.create("http://localhost:11434/v1"), key);
 * OpenAiChatClient.Completion answer = client.chat("llama3.2", "Hello");
 * }</pre>
 */
public final class OpenAiChatClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One answer and the usage the provider reported. */
  public record Completion(
      String content,
      long promptTokens,
      long cachedTokens,
      long completionTokens,
      long reasoningTokens) {}

  /** A provider answer with a non-2xx status. */
  public static final class ProviderException extends IOException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ProviderException(int status, String body) {
      super("LLM provider answered " + status + ": " + body);
      this.status = status;
    }

    /** The HTTP status the provider answered with. */
    public int status() {
      return status;
    }
  }

  private final HttpClient http;
  private final URI completions;
  private final String apiKey;
  private final Duration timeout;

  private OpenAiChatClient(URI baseUri, String apiKey, Duration timeout) {
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    String base = baseUri.toString();
    this.completions = URI.create((base.endsWith("/") ? base : base + "/") + "chat/completions");
    this.apiKey = apiKey;
    this.timeout = timeout;
  }

  /** A client for {@code baseUri} (ending in {@code /v1}) with a 60 s request timeout. */
  public static OpenAiChatClient create(URI baseUri, String apiKey) {
    return new OpenAiChatClient(baseUri, apiKey, Duration.ofSeconds(60));
  }

  /**
   * Sends one user message and waits for the answer.
   *
   * @throws ProviderException when the provider answers with an error status
   * @throws java.net.http.HttpTimeoutException when the answer takes longer than the timeout
   * @throws IOException when the provider cannot be reached
   */
  public Completion chat(String model, String message) throws IOException, InterruptedException {
    ObjectNode request = JSON.createObjectNode();
    request.put("model", model);
    request.putArray("messages").addObject().put("role", "user").put("content", message);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(completions)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new ProviderException(response.statusCode(), response.body());
    }
    JsonNode body = JSON.readTree(response.body());
    JsonNode usage = body.path("usage");
    return new Completion(
        body.path("choices").path(0).path("message").path("content").asText(""),
        usage.path("prompt_tokens").asLong(0),
        usage.path("prompt_tokens_details").path("cached_tokens").asLong(0),
        usage.path("completion_tokens").asLong(0),
        usage.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
  }
}
