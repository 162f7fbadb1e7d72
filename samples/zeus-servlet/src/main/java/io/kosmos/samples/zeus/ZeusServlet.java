package io.kosmos.samples.zeus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.llm.LlmMetrics;
import io.kosmos.metrics.servlet.KosmosJettyHandler;
import io.kosmos.metrics.servlet.KosmosMetricsFilter;
import io.kosmos.samples.support.ChatService;
import io.kosmos.samples.support.OpenAiChatClient;
import io.kosmos.samples.support.SampleLogging;
import io.kosmos.samples.support.SampleSettings;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Sample agent {@code zeus}: embedded Jetty 12 with {@link KosmosJettyHandler}. Routes: {@code GET
 * /health}, {@code GET /tasks/{id}}, {@code POST /chat}, {@code GET /boom} (throws) and {@code
 * /metrics}.
 *
 * <pre>{@code
 * PORT=8000 java -jar samples/zeus-servlet/target/zeus-servlet.jar
 * }</pre>
 */
public final class ZeusServlet implements AutoCloseable {

  static final String AGENT = "zeus";
  static final int DEFAULT_PORT = 8000;

  private static final System.Logger LOG = System.getLogger(ZeusServlet.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Server server;
  private final ChatService chat;

  private ZeusServlet(Server server, ChatService chat) {
    this.server = server;
    this.chat = chat;
  }

  /** Starts zeus with the settings of the environment, on the default registry. */
  public static void main(String[] args) throws Exception {
    SampleLogging.oneLinePerRecord();
    SampleSettings settings = SampleSettings.fromEnvironment(System.getenv(), DEFAULT_PORT);
    ZeusServlet zeus = start(settings, KosmosMetrics.builder().build());
    Runtime.getRuntime().addShutdownHook(new Thread(zeus::close, "zeus-shutdown"));
    System.out.printf(
        "agent %s on port %d (%s): metrics at http://%s:%d/metrics%n",
        AGENT, zeus.port(), zeus.chat.describe(), settings.bindAddress(), zeus.port());
    zeus.server.join();
  }

  /** Starts the service; {@link #close()} stops it. */
  public static ZeusServlet start(SampleSettings settings, KosmosMetrics metrics) throws Exception {
    LlmMetrics llm = LlmMetrics.builder(metrics).pricing(ChatService.pricing(settings)).build();
    ChatService chat = ChatService.start(llm, settings);

    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost(settings.bindAddress());
    connector.setPort(settings.port());
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler("/");
    // The handler inside the context, around every filter (it records the 500 that OneLineErrors
    // answers), and the registry on /metrics behind the settings' access rule.
    KosmosJettyHandler.install(
        context,
        KosmosMetricsFilter.builder(metrics).agent(AGENT).metricsAccess(settings.metricsAccess()));
    context.addFilter(
        new FilterHolder(new OneLineErrors()), "/*", EnumSet.of(DispatcherType.REQUEST));
    // Exact mappings name their own endpoint; /tasks/* names its template itself.
    context.addServlet(new ServletHolder(new Health()), "/health");
    context.addServlet(new ServletHolder(new Tasks()), "/tasks/*");
    context.addServlet(new ServletHolder(new Chat(chat)), "/chat");
    context.addServlet(new ServletHolder(new Boom()), "/boom");
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      chat.close();
      server.stop();
      throw e;
    }
    return new ZeusServlet(server, chat);
  }

  /** The port bound, useful with {@code PORT=0}. */
  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      System.err.println("zeus: stopping Jetty failed: " + e);
    } finally {
      chat.close();
    }
  }

  private static void json(HttpServletResponse response, int status, Object body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("application/json");
    response.getOutputStream().write(JSON.writeValueAsBytes(body));
  }

  private static final class Health extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      json(response, 200, Map.of("status", "up"));
    }
  }

  private static final class Tasks extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String id = request.getPathInfo() == null ? "" : request.getPathInfo().substring(1);
      if (id.isEmpty() || id.contains("/")) {
        response.sendError(404);
        return;
      }
      // One endpoint value for every id, whatever the id.
      request.setAttribute(KosmosMetricsFilter.ENDPOINT_ATTRIBUTE, "/tasks/{id}");
      json(response, 200, new TaskStatus(id, "done"));
    }
  }

  record TaskStatus(String id, String status) {}

  private static final class Chat extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient ChatService chat;

    Chat(ChatService chat) {
      this.chat = chat;
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response)
        throws IOException {
      String message;
      try {
        JsonNode body = JSON.readTree(request.getInputStream());
        message = body == null ? null : body.path("message").textValue();
      } catch (IOException e) {
        message = null;
      }
      if (message == null) {
        json(response, 400, Map.of("error", "expected {\"message\": \"...\"}"));
        return;
      }
      try {
        json(response, 200, Map.of("answer", chat.ask(message)));
      } catch (OpenAiChatClient.ProviderException e) {
        // A provider's 429 is passed on (the client may retry); any other failure is a 502.
        json(response, e.status() == 429 ? 429 : 502, Map.of("error", e.getMessage()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        json(response, 503, Map.of("error", "interrupted"));
      } catch (IOException e) {
        json(response, 502, Map.of("error", "LLM provider unreachable: " + e));
      }
    }
  }

  /**
   * The application's own error handling: a request whose servlet throws answers 500 and logs one
   * line, instead of Jetty's warning with the whole stack trace.
   */
  private static final class OneLineErrors extends HttpFilter {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doFilter(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      try {
        chain.doFilter(request, response);
      } catch (RuntimeException | ServletException e) {
        SampleLogging.failed(LOG, request.getMethod(), request.getRequestURI(), e);
        if (response.isCommitted()) {
          throw e;
        }
        response.reset();
        json(response, 500, Map.of("error", "internal error"));
      }
    }
  }

  private static final class Boom extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
      throw new IllegalStateException("boom: a handler that fails");
    }
  }
}
