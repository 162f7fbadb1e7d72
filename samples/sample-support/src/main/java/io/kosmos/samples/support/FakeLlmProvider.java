package io.kosmos.samples.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An embedded stand-in for an OpenAI-compatible provider, so the demo runs offline: {@code POST
 * /v1/chat/completions} answers deterministically, with token usage derived from the prompt, a
 * little latency, and a 429 for every tenth request.
 *
 * <pre>{@code
 * try (FakeLlmProvider provider = FakeLlmProvider.start()) {
 *   OpenAiChatClient client = OpenAiChatClient.create(provider.baseUri(), "none");
 * }
 * }</pre>
 */
public final class FakeLlmProvider implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicLong requests = new AtomicLong();

  private FakeLlmProvider(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts the provider on a free loopback port. */
  public static FakeLlmProvider start() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    ExecutorService executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread thread = new Thread(r, "fake-llm-provider");
              thread.setDaemon(true);
              return thread;
            });
    FakeLlmProvider provider = new FakeLlmProvider(server, executor);
    server.createContext("/v1/chat/completions", provider::chat);
    server.setExecutor(executor);
    server.start();
    return provider;
  }

  /** The base URI to configure a client with, e.g. {@code http://127.0.0.1:41234/v1}. */
  public URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  private void chat(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        respond(exchange, 405, error("method not allowed", "invalid_request_error"));
        return;
      }
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      long n = requests.incrementAndGet();
      if (n % 10 == 0) {
        respond(exchange, 429, error("Rate limit reached; try again later", "rate_limit_exceeded"));
        return;
      }
      String prompt = lastUserMessage(request);
      int promptTokens = 12 + prompt.length() / 4;
      int cachedTokens = promptTokens >= 20 ? 8 : 0;
      String answer = "Noted: " + prompt;
      int completionTokens = 5 + answer.length() / 4;
      // A little latency, deterministic per prompt: 20 to 80 ms.
      pause(20 + Math.floorMod(prompt.hashCode(), 61));
      String model = request.path("model").asText("fake-model");
      if (request.path("stream").asBoolean(false)) {
        stream(exchange, model, answer, promptTokens, cachedTokens, completionTokens);
      } else {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-" + n);
        body.put("object", "chat.completion");
        body.put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", answer);
        choice.put("finish_reason", "stop");
        body.set("usage", usage(promptTokens, cachedTokens, completionTokens));
        respond(exchange, 200, body);
      }
    }
  }

  private static void stream(
      HttpExchange exchange,
      String model,
      String answer,
      int promptTokens,
      int cachedTokens,
      int completionTokens)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    for (String word : answer.split(" ")) {
      ObjectNode chunk = JSON.createObjectNode();
      chunk.put("object", "chat.completion.chunk");
      chunk.put("model", model);
      chunk.putArray("choices").addObject().putObject("delta").put("content", word + " ");
      out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    ObjectNode last = JSON.createObjectNode();
    last.put("object", "chat.completion.chunk");
    last.put("model", model);
    last.putArray("choices");
    last.set("usage", usage(promptTokens, cachedTokens, completionTokens));
    out.write(("data: " + last + "\n\ndata: [DONE]\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static ObjectNode usage(int promptTokens, int cachedTokens, int completionTokens) {
    ObjectNode usage = JSON.createObjectNode();
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    usage.putObject("prompt_tokens_details").put("cached_tokens", cachedTokens);
    usage.putObject("completion_tokens_details").put("reasoning_tokens", 0);
    return usage;
  }

  private static String lastUserMessage(JsonNode request) {
    String prompt = "";
    for (JsonNode message : request.path("messages")) {
      if (message.path("role").asText().equals("user")) {
        prompt = message.path("content").asText("");
      }
    }
    return prompt;
  }

  private static ObjectNode error(String message, String code) {
    ObjectNode body = JSON.createObjectNode();
    body.putObject("error").put("message", message).put("type", code).put("code", code);
    return body;
  }

  private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void pause(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
