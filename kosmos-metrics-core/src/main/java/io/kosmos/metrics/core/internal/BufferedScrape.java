package io.kosmos.metrics.core.internal;

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
 * The client's view of one scrape, answered into a buffer. The standalone server and the Vert.x
 * handler hand it to client_java's {@code PrometheusScrapeHandler} and then send the status,
 * headers and body themselves: so that a {@code HEAD} request gets the headers of the {@code GET}
 * answer without a body (also when gzipped), a failure gets a plain 500 without details, and (for
 * Vert.x) no framework object is touched off its thread.
 */
public final class BufferedScrape implements PrometheusHttpExchange {

  /** The body of the 500 sent when a scrape fails; the details go to the log only. */
  public static final String FAILURE_BODY = "An exception occurred while scraping metrics\n";

  private final Request request;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int status;
  private @Nullable Exception failure;

  /**
   * @param method the request method; {@code HEAD} is asked of the client as {@code GET}
   * @param requestHeaders the request headers, looked up by the client with its own spelling of
   *     names: pass a case-insensitive map
   */
  public BufferedScrape(
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

  /** The status the client answered, or 0 when it answered nothing. */
  public int status() {
    return status;
  }

  /** Whether the scrape produced an answer to send: a status and no failure. */
  public boolean succeeded() {
    return failure == null && status != 0;
  }

  /** The response headers the client set. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The response body the client wrote (the body of a GET, also for a HEAD request). */
  public byte[] body() {
    return body.toByteArray();
  }

  /** What the client reported as failed, if anything. */
  public @Nullable Exception failure() {
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
