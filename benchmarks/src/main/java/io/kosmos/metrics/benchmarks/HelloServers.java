package io.kosmos.metrics.benchmarks;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.servlet.KosmosMetricsFilter;
import io.kosmos.metrics.vertx.KosmosVertxMetrics;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee11.servlet.FilterHolder;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.eclipse.jetty.ee11.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A hello-world endpoint, {@code GET /hello/{name}}, in embedded Jetty 12 (ee11) or Vert.x 5, plain
 * or instrumented the way the README tells users to; {@code http-overhead.sh} drives it with {@code
 * wrk}. Prints {@code port=<port>} once listening on loopback, then serves until killed.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.kosmos.metrics.benchmarks.HelloServers vertx instrumented
 * }</pre>
 *
 * <p>Instrumented Jetty has the {@link KosmosMetricsFilter} on {@code /*} and the client's metrics
 * servlet on {@code /metrics}; instrumented Vert.x has {@link KosmosVertxMetrics#install}. Both
 * record into a fresh registry with agent {@code bench}. An optional third argument sets the port
 * (default 0, any free port).
 */
public final class HelloServers {

  private static final byte[] HELLO = "hello\n".getBytes(StandardCharsets.US_ASCII);

  private HelloServers() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2
        || !(args[0].equals("jetty") || args[0].equals("vertx"))
        || !(args[1].equals("plain") || args[1].equals("instrumented"))) {
      System.err.println("usage: HelloServers jetty|vertx plain|instrumented [port]");
      System.exit(2);
    }
    boolean instrumented = args[1].equals("instrumented");
    int port = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    KosmosMetrics metrics = KosmosMetrics.builder().registry(new PrometheusRegistry()).build();
    AutoCloseable server =
        args[0].equals("jetty")
            ? jetty(metrics, instrumented, port)
            : vertx(metrics, instrumented, port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                  stopped.countDown();
                }));
    stopped.await();
  }

  private static AutoCloseable jetty(KosmosMetrics metrics, boolean instrumented, int port)
      throws Exception {
    ServletContextHandler context = new ServletContextHandler("/");
    context.addServlet(new ServletHolder(new Hello()), "/hello/*");
    if (instrumented) {
      FilterHolder filter =
          new FilterHolder(KosmosMetricsFilter.builder(metrics).agent("bench").build());
      filter.setAsyncSupported(true);
      context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(
          new ServletHolder(new PrometheusMetricsServlet(metrics.registry())), "/metrics");
    }
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(context);
    server.start();
    listening(connector.getLocalPort());
    return server::stop;
  }

  private static AutoCloseable vertx(KosmosMetrics metrics, boolean instrumented, int port)
      throws Exception {
    // One event loop: the script pins the server to one core.
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    Router router = Router.router(vertx);
    if (instrumented) {
      KosmosVertxMetrics.install(router, metrics, "bench");
    }
    router
        .get("/hello/:name")
        .handler(ctx -> ctx.response().putHeader("content-type", "text/plain").end("hello\n"));
    HttpServer server =
        vertx
            .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
            .requestHandler(router)
            .listen()
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    listening(server.actualPort());
    return () -> vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static void listening(int port) {
    System.out.println("port=" + port);
    System.out.flush();
  }

  /** The hello-world servlet. */
  static final class Hello extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.setContentLength(HELLO.length);
      resp.getOutputStream().write(HELLO);
    }
  }
}
