package io.kosmos.metrics.benchmarks;

import io.kosmos.metrics.core.HttpRecorder;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.core.spi.observability.HttpResponse;
import org.jspecify.annotations.Nullable;

/**
 * A probe, not an adapter: what recording a Vert.x request costs when the server itself reports it
 * through Vert.x's metrics SPI ({@code Vertx.builder().withMetrics(...)}), instead of a first route
 * on the router. It records what the route handler records on a hello world (start, method, the
 * last route name Vert.x Web reports, status) and nothing a real adapter would also need
 * (sub-router mount points, failed requests' routes, ignored paths), so it is a lower bound on that
 * design.
 */
final class VertxMetricsSpiProbe {

  private VertxMetricsSpiProbe() {}

  static VertxMetricsFactory factory(HttpRecorder recorder) {
    return options ->
        new VertxMetrics() {
          @Override
          public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(
              HttpServerOptions serverOptions, SocketAddress localAddress) {
            return new ServerMetrics(recorder);
          }
        };
  }

  /** One request in flight. */
  static final class Request {
    final long start;
    final String method;
    final String path;
    @Nullable String route;

    Request(long start, String method, String path) {
      this.start = start;
      this.method = method;
      this.path = path;
    }
  }

  private static final class ServerMetrics implements HttpServerMetrics<Request, Void, Void> {
    private final HttpRecorder recorder;

    ServerMetrics(HttpRecorder recorder) {
      this.recorder = recorder;
    }

    @Override
    public Request requestBegin(Void socketMetric, HttpRequest request) {
      return new Request(recorder.start(), request.method().name(), request.uri());
    }

    @Override
    public void requestRouted(Request request, String route) {
      if (route != null) {
        request.route = route;
      }
    }

    @Override
    public void responseEnd(Request request, HttpResponse response, long bytesWritten) {
      recorder.end(
          request.start, request.method, request.route, request.path, response.statusCode());
    }

    @Override
    public void requestReset(Request request) {
      recorder.end(request.start, request.method, request.route, request.path, 499);
    }
  }
}
