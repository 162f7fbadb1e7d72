package io.kosmos.metrics.core;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kosmos.metrics.core.internal.BufferedScrape;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A standalone {@code /metrics} server for agents without a web framework, on the JDK's HTTP server
 * with the Prometheus client's scrape handler (so content negotiation, gzip and {@code name[]}
 * filtering come from the client).
 *
 * <pre>{@code
 * try (MetricsServer server = MetricsServer.builder(metrics)
 *     .port(8002)
 *     .access(MetricsAccess.bearerToken(System.getenv("KOSMOS_METRICS_TOKEN")))
 *     .start()) {
 *   runAgent();
 * }
 * }</pre>
 *
 * <p>Serves {@code /metrics} (the catalog's registry) and {@code /-/healthy}, both for {@code GET}
 * and {@code HEAD} only (other methods get 405 with {@code Allow: GET, HEAD}); any other path is a
 * 404. {@code /metrics} asks the configured {@link MetricsAccess} and answers 401 with {@code
 * WWW-Authenticate} when it refuses; {@code /-/healthy} stays open, because orchestrators' health
 * checks carry no credentials, and tells nothing but that the server runs. A failed scrape is a 500
 * without details (they are logged). Closing stops accepting connections, waits up to one second
 * for running scrapes and stops its threads.
 */
public final class MetricsServer implements AutoCloseable {

  static final String METRICS_PATH = "/metrics";
  static final String HEALTH_PATH = "/-/healthy";

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");
  private static final AtomicInteger SERVERS = new AtomicInteger();

  static {
    // The client's HTTPServer sets these JDK server limits for the same reason: without them a
    // client that sends its request slowly holds a scrape thread for ever. Kept if already set.
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", "60");
    }
    if (System.getProperty("sun.net.httpserver.maxRspTime") == null) {
      System.setProperty("sun.net.httpserver.maxRspTime", "600");
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private MetricsServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** A builder for a server exposing {@code metrics}' registry. */
  public static Builder builder(KosmosMetrics metrics) {
    return new Builder(KosmosMetrics.Checks.notNull("metrics", metrics));
  }

  /** The port the server listens on; the chosen one when configured with port 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops the server and its threads. Idempotent. */
  @Override
  public void close() {
    if (executor.isShutdown()) {
      return;
    }
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(1, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** Configures a {@link MetricsServer}. */
  public static final class Builder {
    private final KosmosMetrics metrics;
    private int port = 9400;
    private @Nullable String bindAddress;
    private int threads = 2;
    private MetricsAccess access = MetricsAccess.open();

    private Builder(KosmosMetrics metrics) {
      this.metrics = metrics;
    }

    /** The TCP port; 0 picks a free one. Default 9400. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The address to bind, such as {@code 127.0.0.1} to accept local scrapes only. Default: all
     * interfaces.
     */
    public Builder bindAddress(String bindAddress) {
      this.bindAddress = KosmosMetrics.Checks.notNull("bindAddress", bindAddress);
      return this;
    }

    /** Threads that serve scrapes; scrapes are rare, so few suffice. Default 2, at least 1. */
    public Builder threads(int threads) {
      this.threads = KosmosMetrics.Checks.atLeast("threads", 1, threads);
      return this;
    }

    /**
     * Who may read {@code /metrics} ({@code /-/healthy} is always open). Default {@link
     * MetricsAccess#open()}.
     *
     * @throws IllegalArgumentException when {@code access} is null
     */
    public Builder access(MetricsAccess access) {
      this.access = KosmosMetrics.Checks.notNull("access", access);
      return this;
    }

    /**
     * Binds the port and starts serving.
     *
     * @throws IOException when the port cannot be bound
     * @throws IllegalArgumentException when the bind address is not a valid address
     */
    public MetricsServer start() throws IOException {
      InetAddress address = null;
      if (bindAddress != null) {
        try {
          address = InetAddress.getByName(bindAddress);
        } catch (IOException e) {
          throw new IllegalArgumentException(
              "bindAddress must be an IP address or resolvable host name, but was '"
                  + bindAddress
                  + "'",
              e);
        }
      }
      Endpoints endpoints =
          new Endpoints(
              new PrometheusScrapeHandler(PrometheusProperties.get(), metrics.registry()), access);
      HttpServer http =
          HttpServer.create(
              address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port),
              3);
      int id = SERVERS.incrementAndGet();
      AtomicInteger threadIds = new AtomicInteger();
      ThreadPoolExecutor executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              60,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(),
              runnable -> {
                Thread thread =
                    new Thread(
                        runnable,
                        "kosmos-metrics-server-" + id + "-" + threadIds.incrementAndGet());
                thread.setDaemon(true);
                return thread;
              });
      executor.allowCoreThreadTimeOut(true);
      http.createContext("/", endpoints::handle);
      http.setExecutor(executor);
      try {
        // The JDK server's dispatcher thread inherits daemon status from the thread that starts
        // it: started from a pool thread, it never keeps the JVM alive.
        executor.submit(http::start).get();
      } catch (ExecutionException | RuntimeException e) {
        http.stop(0);
        executor.shutdownNow();
        throw new IOException("the metrics server did not start", e);
      } catch (InterruptedException e) {
        http.stop(0);
        executor.shutdownNow();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while starting the metrics server", e);
      }
      return new MetricsServer(http, executor);
    }
  }

  /** The routes: the method rule, the access rule and the scrape, in that order of checks. */
  private static final class Endpoints {
    private static final byte[] HEALTHY = "Exporter is healthy.\n".getBytes(StandardCharsets.UTF_8);

    private final PrometheusScrapeHandler scrapeHandler;
    private final MetricsAccess access;

    Endpoints(PrometheusScrapeHandler scrapeHandler, MetricsAccess access) {
      this.scrapeHandler = scrapeHandler;
      this.access = access;
    }

    void handle(HttpExchange exchange) throws IOException {
      try {
        String path = exchange.getRequestURI().getRawPath();
        boolean metrics = METRICS_PATH.equals(path);
        if (!metrics && !HEALTH_PATH.equals(path)) {
          send(exchange, 404, "Not Found\n");
          return;
        }
        if (metrics && !access.allows(exchange.getRequestHeaders().getFirst("Authorization"))) {
          exchange.getResponseHeaders().set("WWW-Authenticate", access.challenge());
          send(exchange, 401, "Unauthorized\n");
          return;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
          exchange.getResponseHeaders().set("Allow", "GET, HEAD");
          send(exchange, 405, "Method Not Allowed\n");
          return;
        }
        if (metrics) {
          scrape(exchange);
        } else {
          exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
          respond(exchange, 200, HEALTHY);
        }
      } finally {
        exchange.close();
      }
    }

    private void scrape(HttpExchange exchange) throws IOException {
      BufferedScrape scrape =
          new BufferedScrape(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              exchange.getRequestHeaders());
      scrapeHandler.handleRequest(scrape);
      if (!scrape.succeeded()) {
        if (scrape.failure() != null) {
          LOG.log(System.Logger.Level.WARNING, "kosmos-metrics: scrape failed", scrape.failure());
        }
        send(exchange, 500, BufferedScrape.FAILURE_BODY);
        return;
      }
      scrape.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      respond(exchange, scrape.status(), scrape.body());
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      respond(exchange, status, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A HEAD answer has the headers of the GET answer, Content-Length included, and no body. */
    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
