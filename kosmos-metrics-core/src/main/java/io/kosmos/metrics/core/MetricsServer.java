package io.kosmos.metrics.core;

import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A standalone {@code /metrics} server for agents without a web framework, on the Prometheus
 * client's {@code HTTPServer} (so content negotiation, gzip and {@code name[]} filtering come from
 * the client).
 *
 * <pre>{@code
 * try (MetricsServer server = MetricsServer.builder(metrics).port(8002).start()) {
 *   runAgent();
 * }
 * }</pre>
 *
 * <p>Serves {@code GET /metrics} (the catalog's registry) and {@code GET /-/healthy}. Closing stops
 * accepting connections, waits up to one second for running scrapes and stops its threads.
 */
public final class MetricsServer implements AutoCloseable {

  private static final AtomicInteger SERVERS = new AtomicInteger();

  private final HTTPServer server;
  private final ExecutorService executor;

  private MetricsServer(HTTPServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** A builder for a server exposing {@code metrics}' registry. */
  public static Builder builder(KosmosMetrics metrics) {
    return new Builder(KosmosMetrics.Checks.notNull("metrics", metrics));
  }

  /** The port the server listens on; the chosen one when configured with port 0. */
  public int port() {
    return server.getPort();
  }

  /** Stops the server and its threads. Idempotent. */
  @Override
  public void close() {
    server.close();
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
      HTTPServer.Builder builder =
          HTTPServer.builder()
              .port(port)
              .registry(metrics.registry())
              .executorService(executor)
              .registerHealthHandler(true);
      if (address != null) {
        builder.inetAddress(address);
      }
      try {
        return new MetricsServer(builder.buildAndStart(), executor);
      } catch (IOException | RuntimeException e) {
        executor.shutdownNow();
        throw e;
      }
    }
  }
}
