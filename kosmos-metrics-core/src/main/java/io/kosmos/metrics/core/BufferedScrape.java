package io.kosmos.metrics.core;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The client's view of one scrape of the standalone server, answered into a buffer: the server then
 * sends the status, headers and body itself, so that a {@code HEAD} request gets the headers of the
 * {@code GET} answer without a body (also when gzipped) and a failure gets a plain 500.
 */
final class BufferedScrape implements PrometheusHttpExchange {

  private final Request request;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int status;
  private @Nullable Exception failure;

  BufferedScrape(
      String method,
      @Nullable String path,
      @Nullable String query,
      Map<String, List<String>> requestHeaders) {
    // Asked as GET, so the client writes the body that a GET would get and the server decides
    // what a HEAD answer leaves out.
    this.request = new Request(method.equals("HEAD") ? "GET" : method, path, query, requestHeaders);
  }

  @Override
  public PrometheusHttpRequest getRequest() {
    return request;
  }

  @Override
  public PrometheusHttpResponse getResponse() {
    return new PrometheusHttpResponse() {
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
    };
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

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }

  byte[] body() {
    return body.toByteArray();
  }

  @Nullable Exception failure() {
    return failure;
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
      // The JDK server's request headers look names up case-insensitively.
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
}
