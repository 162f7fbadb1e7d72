package io.kosmos.metrics.vertx;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The client's view of one scrape. The request is copied on the event loop before the scrape runs
 * on a worker; the response is buffered on the worker and written to Vert.x on the event loop
 * afterwards, so no Vert.x object is touched off its thread.
 */
final class ScrapeExchange implements PrometheusHttpExchange {

  private final Request request;
  private final boolean head;
  private final Response response = new Response();
  private @Nullable Exception failure;

  ScrapeExchange(HttpServerRequest vertxRequest) {
    TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> header : vertxRequest.headers()) {
      headers.computeIfAbsent(header.getKey(), name -> new ArrayList<>(1)).add(header.getValue());
    }
    this.head = vertxRequest.method().name().equals("HEAD");
    // Asked as GET, so that the client writes the body a GET would get and this exchange decides
    // what a HEAD answer leaves out (the client writes a gzipped body even for HEAD).
    this.request =
        new Request(
            head ? "GET" : vertxRequest.method().name(),
            vertxRequest.path(),
            vertxRequest.query(),
            Collections.unmodifiableMap(headers));
  }

  @Override
  public PrometheusHttpRequest getRequest() {
    return request;
  }

  @Override
  public PrometheusHttpResponse getResponse() {
    return response;
  }

  @Override
  public void handleException(IOException e) {
    failure = e;
  }

  @Override
  public void handleException(RuntimeException e) {
    failure = e;
  }

  @Override
  public void close() {}

  @Nullable Exception failure() {
    return failure;
  }

  /** Sends what the scrape produced, or a plain 500 when it failed. Call on the event loop. */
  void writeTo(HttpServerResponse out) {
    if (failure != null || response.status == 0) {
      out.setStatusCode(500)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end(Buffer.buffer("An exception occurred while scraping metrics\n", "UTF-8"));
      return;
    }
    out.setStatusCode(response.status);
    response.headers.forEach(out::putHeader);
    if (head) {
      if (!response.headers.containsKey("Content-Length")) {
        out.putHeader("Content-Length", Integer.toString(response.body.size()));
      }
      out.end();
    } else {
      out.end(Buffer.buffer(response.body.toByteArray()));
    }
  }

  private record Request(
      String method,
      @Nullable String path,
      @Nullable String query,
      Map<String, List<String>> headers)
      implements PrometheusHttpRequest {

    @Override
    public @Nullable String getQueryString() {
      return query;
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      List<String> values = headers.get(name);
      return values == null ? Collections.emptyEnumeration() : Collections.enumeration(values);
    }

    @Override
    public String getMethod() {
      return method;
    }

    @Override
    public String getRequestPath() {
      return path == null ? "/" : path;
    }
  }

  private static final class Response implements PrometheusHttpResponse {
    final Map<String, String> headers = new LinkedHashMap<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int status;

    @Override
    public void setHeader(String name, String value) {
      headers.put(name, value);
    }

    @Override
    public OutputStream sendHeadersAndGetBody(int statusCode, int contentLength)
        throws IOException {
      if (status != 0) {
        throw new IOException("the scrape response was already started");
      }
      status = statusCode;
      return body;
    }
  }
}
