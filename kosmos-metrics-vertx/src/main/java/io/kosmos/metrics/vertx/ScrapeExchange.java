package io.kosmos.metrics.vertx;

import io.kosmos.metrics.core.internal.BufferedScrape;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One scrape through Vert.x. The request is copied on the event loop into core's buffered exchange
 * before the scrape runs on a worker; the answer is written to Vert.x on the event loop afterwards,
 * so no Vert.x object is touched off its thread.
 */
final class ScrapeExchange {

  private final BufferedScrape scrape;
  private final boolean head;

  ScrapeExchange(HttpServerRequest vertxRequest) {
    TreeMap<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, String> header : vertxRequest.headers()) {
      headers.computeIfAbsent(header.getKey(), name -> new ArrayList<>(1)).add(header.getValue());
    }
    this.head = vertxRequest.method().name().equals("HEAD");
    this.scrape =
        new BufferedScrape(
            vertxRequest.method().name(),
            vertxRequest.path(),
            vertxRequest.query(),
            Collections.unmodifiableMap(headers));
  }

  /** What the client's scrape handler answers into. */
  BufferedScrape scrape() {
    return scrape;
  }

  @Nullable Exception failure() {
    return scrape.failure();
  }

  /** Sends what the scrape produced, or a plain 500 when it failed. Call on the event loop. */
  void writeTo(HttpServerResponse out) {
    if (!scrape.succeeded()) {
      out.setStatusCode(500)
          .putHeader("Content-Type", "text/plain; charset=utf-8")
          .end(Buffer.buffer(BufferedScrape.FAILURE_BODY, "UTF-8"));
      return;
    }
    out.setStatusCode(scrape.status());
    scrape.headers().forEach(out::putHeader);
    byte[] body = scrape.body();
    if (head) {
      if (!scrape.headers().containsKey("Content-Length")) {
        out.putHeader("Content-Length", Integer.toString(body.length));
      }
      out.end();
    } else {
      out.end(Buffer.buffer(body));
    }
  }
}
