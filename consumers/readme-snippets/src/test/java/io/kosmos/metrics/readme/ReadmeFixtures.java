package io.kosmos.metrics.readme;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.llm.LlmPricing;
import io.kosmos.metrics.llm.Usage;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.util.concurrent.CompletionStage;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;

/**
 * What the README's snippets take for granted that the reader already has: every snippet is
 * compiled in a subclass, so these are the free names a snippet may use. A snippet that declares
 * the same name shadows the field. Add a name here when a README snippet needs a new one.
 */
abstract class ReadmeFixtures {

  protected KosmosMetrics metrics;
  protected PrometheusRegistry registry;
  protected ServletContext servletContext;
  protected ServletContextHandler context;
  protected Tomcat tomcat;
  protected String docBase;
  protected Vertx vertx;
  protected Router router;
  protected String token;
  protected String user;
  protected String password;
  protected LlmMetrics llm;
  protected LlmPricing codePrices;
  protected ChatClient client;
  protected ChatRequest request;
  protected String document;
  protected String method;
  protected String rawPath;
  protected int status;

  protected void summarize(String document) {}

  protected void runAgent() {}

  protected void render(Chunk chunk) {}

  /** The reader's own LLM client, as the LLM snippets use it. */
  interface ChatClient {
    ChatResponse chat(ChatRequest request) throws IOException;

    CompletionStage<ChatResponse> chatAsync(ChatRequest request);

    ChatStream stream(ChatRequest request) throws IOException;
  }

  interface ChatRequest {}

  interface ChatResponse {
    ChatUsage usage();

    long inputTokens();

    long outputTokens();
  }

  interface ChatUsage {
    long promptTokens();

    long completionTokens();

    long cachedTokens();

    long reasoningTokens();

    Usage toUsage();
  }

  interface ChatStream extends AutoCloseable {
    Chunk next() throws IOException;

    @Override
    void close() throws IOException;
  }

  interface Chunk {
    boolean hasContent();

    ChatUsage usage();
  }
}
