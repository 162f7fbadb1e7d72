package io.kosmos.metrics.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local server speaking the OpenAI chat-completions protocol ({@code POST /v1/chat/completions},
 * plain JSON or SSE with {@code stream_options.include_usage}), on 127.0.0.1 and an ephemeral port.
 * What it answers is set with {@link #respondWith}.
 */
final class FakeOpenAiServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The usage the server reports, in OpenAI's terms. */
  record Reported(long promptTokens, long completionTokens, long cachedTokens, long reasoning) {}

  /** What the server does with the next requests. */
  sealed interface Reply {}

  record Ok(String content, Reported usage) implements Reply {}

  record Status(int status, String body) implements Reply {}

  /** Accepts the request and never answers, until the server closes. */
  record Hang() implements Reply {}

  /** Streams {@code pieces} as content chunks, then the usage chunk and {@code [DONE]}. */
  record Stream(List<String> pieces, Reported usage) implements Reply {}

  /** Streams {@code pieces}, then neither usage nor {@code [DONE]}: it stalls until closed. */
  record StreamThenStall(List<String> pieces) implements Reply {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicInteger requests = new AtomicInteger();
  private volatile Reply reply = new Ok("hi", new Reported(10, 5, 0, 0));

  FakeOpenAiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/v1/chat/completions", this::handle);
    server.start();
  }

  URI baseUri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/");
  }

  void respondWith(Reply reply) {
    this.reply = reply;
  }

  int requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      requests.incrementAndGet();
      if (!exchange.getRequestMethod().equals("POST")) {
        send(exchange, 405, error("method not allowed", "invalid_request_error", null));
        return;
      }
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      String model = request.path("model").asText();
      boolean stream = request.path("stream").asBoolean(false);
      boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
      Reply current = reply;
      if (current instanceof Status s) {
        send(exchange, s.status(), s.body());
      } else if (current instanceof Hang) {
        await();
      } else if (current instanceof Ok ok) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-" + requests.get()).put("object", "chat.completion");
        body.put("created", 1_700_000_000L).put("model", model);
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", ok.content());
        body.set("usage", usage(ok.usage()));
        send(exchange, 200, body.toString());
      } else if (current instanceof Stream s && stream) {
        OutputStream out = startStream(exchange);
        for (String piece : s.pieces()) {
          event(out, chunk(model, piece));
        }
        if (includeUsage) {
          ObjectNode last = chunkBase(model);
          last.putArray("choices");
          last.set("usage", usage(s.usage()));
          event(out, last.toString());
        }
        event(out, "[DONE]");
      } else if (current instanceof StreamThenStall s && stream) {
        OutputStream out = startStream(exchange);
        for (String piece : s.pieces()) {
          event(out, chunk(model, piece));
        }
        await();
      } else {
        send(exchange, 400, error("stream must be true", "invalid_request_error", null));
      }
    } catch (IOException e) {
      // The client went away (a timeout or an abandoned stream); nothing to answer.
    }
  }

  static String error(String message, String type, String code) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message).put("type", type).put("param", (String) null);
    error.put("code", code);
    return body.toString();
  }

  private static ObjectNode usage(Reported reported) {
    ObjectNode usage = JSON.createObjectNode();
    usage.put("prompt_tokens", reported.promptTokens());
    usage.put("completion_tokens", reported.completionTokens());
    usage.put("total_tokens", reported.promptTokens() + reported.completionTokens());
    usage.putObject("prompt_tokens_details").put("cached_tokens", reported.cachedTokens());
    usage.putObject("completion_tokens_details").put("reasoning_tokens", reported.reasoning());
    return usage;
  }

  private static ObjectNode chunkBase(String model) {
    ObjectNode chunk = JSON.createObjectNode();
    chunk.put("id", "chatcmpl-stream").put("object", "chat.completion.chunk");
    chunk.put("created", 1_700_000_000L).put("model", model);
    return chunk;
  }

  private static String chunk(String model, String piece) {
    ObjectNode chunk = chunkBase(model);
    ArrayNode choices = chunk.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.putObject("delta").put("content", piece);
    chunk.putNull("usage");
    return chunk.toString();
  }

  private static OutputStream startStream(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    return exchange.getResponseBody();
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private void await() {
    try {
      closing.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }
}
