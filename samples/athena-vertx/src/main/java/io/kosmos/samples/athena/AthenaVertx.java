package io.kosmos.samples.athena;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.vertx.KosmosVertxMetrics;
import io.kosmos.samples.support.ChatService;
import io.kosmos.samples.support.OpenAiChatClient;
import io.kosmos.samples.support.SampleLogging;
import io.kosmos.samples.support.SampleSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sample agent {@code athena}: Vert.x 5 Web with {@link KosmosVertxMetrics}. Routes: {@code GET
 * /health}, {@code GET /tasks/:id}, {@code POST /chat}, {@code GET /boom} (throws) and {@code GET
 * /metrics}.
 *
 * <pre>{@code
 * PORT=8001 java -jar samples/athena-vertx/target/athena-vertx.jar
 * }</pre>
 */
public final class AthenaVertx implements AutoCloseable {

  static final String AGENT = "athena";
  static final int DEFAULT_PORT = 8001;

  private static final System.Logger LOG = System.getLogger(AthenaVertx.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Vertx vertx;
  private final HttpServer server;
  private final ChatService chat;

  private AthenaVertx(Vertx vertx, HttpServer server, ChatService chat) {
    this.vertx = vertx;
    this.server = server;
    this.chat = chat;
  }

  /** Starts athena with the settings of the environment, on the default registry. */
  public static void main(String[] args) throws Exception {
    SampleLogging.oneLinePerRecord();
    SampleSettings settings = SampleSettings.fromEnvironment(System.getenv(), DEFAULT_PORT);
    AthenaVertx athena = start(settings, KosmosMetrics.builder().build());
    Runtime.getRuntime().addShutdownHook(new Thread(athena::close, "athena-shutdown"));
    System.out.printf(
        "agent %s on port %d (%s): metrics at http://%s:%d/metrics%n",
        AGENT, athena.port(), athena.chat.describe(), settings.bindAddress(), athena.port());
  }

  /** Starts the service; {@link #close()} stops it. */
  public static AthenaVertx start(SampleSettings settings, KosmosMetrics metrics) throws Exception {
    LlmMetrics llm = LlmMetrics.builder(metrics).pricing(ChatService.pricing(settings)).build();
    ChatService chat = ChatService.start(llm, settings);
    Vertx vertx = Vertx.vertx();
    try {
      Router router = Router.router(vertx);
      // First: records every route below, and serves /metrics (behind KOSMOS_METRICS_TOKEN if set).
      KosmosVertxMetrics.install(router, metrics, AGENT, settings.metricsAccess());
      router.get("/health").handler(ctx -> json(ctx, 200, Map.of("status", "up")));
      router
          .get("/tasks/:id")
          .handler(ctx -> json(ctx, 200, new TaskStatus(ctx.pathParam("id"), "done")));
      router.post("/chat").handler(BodyHandler.create()).handler(ctx -> chat(ctx, vertx, chat));
      router
          .get("/boom")
          .handler(
              ctx -> {
                throw new IllegalStateException("boom: a handler that fails");
              });
      // Last: a failed route answers 500 with one log line, instead of Vert.x's stack trace.
      router
          .route()
          .failureHandler(
              ctx -> {
                if (ctx.failure() == null || ctx.response().ended()) {
                  ctx.next(); // a plain status (404, 405...): Vert.x answers it, logging nothing
                  return;
                }
                SampleLogging.failed(
                    LOG, ctx.request().method().name(), ctx.request().path(), ctx.failure());
                json(ctx, 500, Map.of("error", "internal error"));
              });
      HttpServer server =
          vertx
              .createHttpServer()
              .requestHandler(router)
              .listen(settings.port(), settings.bindAddress())
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      return new AthenaVertx(vertx, server, chat);
    } catch (Exception e) {
      vertx.close();
      chat.close();
      throw e;
    }
  }

  private static void chat(RoutingContext ctx, Vertx vertx, ChatService chat) {
    String message;
    try {
      JsonNode body = JSON.readTree(ctx.body().asString());
      message = body == null ? null : body.path("message").textValue();
    } catch (IOException | RuntimeException e) {
      message = null;
    }
    if (message == null) {
      json(ctx, 400, Map.of("error", "expected {\"message\": \"...\"}"));
      return;
    }
    String question = message;
    // The client blocks: off the event loop, unordered so that calls run side by side.
    vertx
        .executeBlocking(() -> chat.ask(question), false)
        .onComplete(
            answer -> {
              if (answer.succeeded()) {
                json(ctx, 200, Map.of("answer", answer.result()));
              } else if (answer.cause() instanceof OpenAiChatClient.ProviderException e) {
                // A provider's 429 is passed on (the client may retry); anything else is a 502.
                json(ctx, e.status() == 429 ? 429 : 502, Map.of("error", e.getMessage()));
              } else {
                json(ctx, 502, Map.of("error", "LLM call failed: " + answer.cause()));
              }
            });
  }

  record TaskStatus(String id, String status) {}

  private static void json(RoutingContext ctx, int status, Object body) {
    String text;
    try {
      text = JSON.writeValueAsString(body);
    } catch (IOException e) {
      ctx.fail(e);
      return;
    }
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
  }

  /** The port bound, useful with {@code PORT=0}. */
  public int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("athena: stopping Vert.x failed: " + e);
    } finally {
      chat.close();
    }
  }
}
