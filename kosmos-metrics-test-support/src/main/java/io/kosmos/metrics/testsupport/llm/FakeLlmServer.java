package io.kosmos.metrics.testsupport.llm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local LLM provider on a free port: every request gets the current {@link Reply}, whatever its
 * path, so one server serves the OpenAI ({@code /v1/chat/completions}) and Anthropic ({@code
 * /v1/messages}) clients alike.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.start()) {
 *   server.reply(Reply.json(200, OpenAiWire.completion("gpt-4o-mini", 1200, 300, 1024, 128)));
 *   OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.url() + "/v1")...
 * }
 * }</pre>
 */
public final class FakeLlmServer implements AutoCloseable {

  /** One received request. */
  public record Request(String method, String path, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final CountDownLatch closing = new CountDownLatch(1);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Reply reply = Reply.json(500, "{\"error\":\"no reply set\"}");

  private FakeLlmServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts a server on a free loopback port. */
  public static FakeLlmServer start() {
    try {
      return new FakeLlmServer();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The reply to every later request. */
  public void reply(Reply reply) {
    this.reply = reply;
  }

  /** The requests received so far, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      requests.add(
          new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
      Reply current = reply;
      switch (current.kind) {
        case HANG:
          // Never answers: the client's own timeout ends the call. Released when closing.
          awaitClosing();
          return;
        case JSON:
          byte[] bytes = current.body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.getResponseHeaders().add("x-request-id", "req_fake");
          exchange.getResponseHeaders().add("request-id", "req_fake");
          exchange.sendResponseHeaders(current.status, bytes.length);
          exchange.getResponseBody().write(bytes);
          return;
        case SSE:
          exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
          exchange.getResponseHeaders().add("Cache-Control", "no-cache");
          exchange.sendResponseHeaders(200, 0);
          OutputStream out = exchange.getResponseBody();
          for (Object step : current.steps) {
            if (step instanceof Runnable action) {
              action.run();
            } else {
              out.write(((String) step).getBytes(StandardCharsets.UTF_8));
              out.write("\n\n".getBytes(StandardCharsets.UTF_8));
              out.flush();
            }
          }
          return;
      }
    } catch (IOException e) {
      // The client went away (abandoned stream, timeout): nothing left to answer.
    }
  }

  private void awaitClosing() {
    try {
      closing.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  /** What the server answers. */
  public static final class Reply {
    enum Kind {
      JSON,
      SSE,
      HANG
    }

    final Kind kind;
    final int status;
    final String body;
    final List<Object> steps;

    private Reply(Kind kind, int status, String body, List<Object> steps) {
      this.kind = kind;
      this.status = status;
      this.body = body;
      this.steps = steps;
    }

    /** A JSON body with {@code status}. */
    public static Reply json(int status, String body) {
      return new Reply(Kind.JSON, status, body, List.of());
    }

    /** A 200 event stream of {@code events}, each a whole SSE event without the blank line. */
    public static Reply sse(List<String> events) {
      return new Reply(Kind.SSE, 200, "", List.copyOf(events));
    }

    /** A reply that never comes: the request hangs until the client gives up. */
    public static Reply hang() {
      return new Reply(Kind.HANG, 0, "", List.of());
    }

    /** A 200 event stream built step by step, with actions between events. */
    public static SseBuilder sseBuilder() {
      return new SseBuilder();
    }
  }

  /** Events and actions (e.g. advancing a test clock) in the order the server performs them. */
  public static final class SseBuilder {
    private final List<Object> steps = new ArrayList<>();

    private SseBuilder() {}

    /** Sends {@code events}. */
    public SseBuilder events(List<String> events) {
      steps.addAll(events);
      return this;
    }

    /** Runs {@code action} on the server thread before the next event is sent. */
    public SseBuilder then(Runnable action) {
      steps.add(action);
      return this;
    }

    /** The reply. */
    public Reply build() {
      return new Reply(Reply.Kind.SSE, 200, "", List.copyOf(steps));
    }
  }
}
