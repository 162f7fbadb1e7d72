package io.kosmos.metrics.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A minimal client of an OpenAI-compatible chat-completions API on {@code java.net.http} and
 * Jackson: the kind of client an agent writes, and what the tracker wraps in these tests. HTTP
 * errors become {@link LlmHttpException}; a timeout is the JDK's {@code HttpTimeoutException}.
 */
final class OpenAiChatClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** OpenAI's usage block: prompt tokens include the cached ones, completion the reasoning ones. */
  record TokenUsage(long promptTokens, long completionTokens, long cachedTokens, long reasoning) {

    /** The same usage in the tracker's terms, which follow OpenAI's inclusion rules. */
    Usage toUsage() {
      return Usage.of(promptTokens, completionTokens)
          .withCacheRead(cachedTokens)
          .withReasoning(reasoning);
    }
  }

  record ChatResponse(String content, TokenUsage usage) {}

  /** One streamed chunk: a piece of content, or the final usage. */
  record Chunk(String content, @Nullable TokenUsage usage) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final URI base;
  private final Duration timeout;

  OpenAiChatClient(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
  }

  ChatResponse chat(String model, String prompt) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request(model, prompt, false), HttpResponse.BodyHandlers.ofString());
    return parse(response);
  }

  CompletableFuture<ChatResponse> chatAsync(String model, String prompt) {
    return http.sendAsync(request(model, prompt, false), HttpResponse.BodyHandlers.ofString())
        .thenApply(
            response -> {
              try {
                return parse(response);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  /** Starts a streamed completion; read it with {@link ChatStream#next()} and close it. */
  ChatStream stream(String model, String prompt) throws IOException, InterruptedException {
    HttpResponse<InputStream> response =
        http.send(request(model, prompt, true), HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() >= 400) {
      try (InputStream body = response.body()) {
        throw new LlmHttpException(
            response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
      }
    }
    return new ChatStream(response.body());
  }

  /** Server-sent events of a streamed completion. */
  static final class ChatStream implements AutoCloseable {
    private final BufferedReader reader;

    private ChatStream(InputStream body) {
      this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next chunk, or {@code null} after {@code data: [DONE]}. */
    @Nullable Chunk next() throws IOException {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.startsWith("data: ")) {
          continue;
        }
        String data = line.substring(6);
        if (data.equals("[DONE]")) {
          return null;
        }
        JsonNode chunk = JSON.readTree(data);
        JsonNode delta = chunk.path("choices").path(0).path("delta");
        return new Chunk(delta.path("content").asText(""), usage(chunk.path("usage")));
      }
      throw new IOException("stream ended without [DONE]");
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  private HttpRequest request(String model, String prompt, boolean stream) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    body.putArray("messages").addObject().put("role", "user").put("content", prompt);
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    return HttpRequest.newBuilder(base.resolve("chat/completions"))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer test-key")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  private static ChatResponse parse(HttpResponse<String> response) throws IOException {
    if (response.statusCode() >= 400) {
      throw new LlmHttpException(response.statusCode(), response.body());
    }
    JsonNode body = JSON.readTree(response.body());
    TokenUsage usage = usage(body.path("usage"));
    return new ChatResponse(
        body.path("choices").path(0).path("message").path("content").asText(),
        usage == null ? new TokenUsage(0, 0, 0, 0) : usage);
  }

  private static @Nullable TokenUsage usage(JsonNode usage) {
    if (!usage.isObject()) {
      return null;
    }
    return new TokenUsage(
        usage.path("prompt_tokens").asLong(),
        usage.path("completion_tokens").asLong(),
        usage.path("prompt_tokens_details").path("cached_tokens").asLong(),
        usage.path("completion_tokens_details").path("reasoning_tokens").asLong());
  }
}
