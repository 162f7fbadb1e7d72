package io.kosmos.samples.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Forwards requests to the agent named by the first path segment; 502 when it is down. */
@RestController
class Forwarding {

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, URI> agents;

  Forwarding(
      @Value("${gateway.zeus-url}") String zeus,
      @Value("${gateway.athena-url}") String athena,
      @Value("${gateway.hermes-url}") String hermes) {
    this.agents =
        Map.of(
            "zeus", URI.create(zeus), "athena", URI.create(athena), "hermes", URI.create(hermes));
  }

  @GetMapping("/{agent}/tasks/{id}")
  ResponseEntity<String> task(@PathVariable("agent") String agent, @PathVariable("id") String id)
      throws InterruptedException {
    return forward(agent, "GET", "/tasks/" + URLEncoder.encode(id, StandardCharsets.UTF_8), null);
  }

  @GetMapping("/{agent}/health")
  ResponseEntity<String> health(@PathVariable("agent") String agent) throws InterruptedException {
    return forward(agent, "GET", "/health", null);
  }

  @PostMapping("/{agent}/chat")
  ResponseEntity<String> chat(@PathVariable("agent") String agent, @RequestBody String body)
      throws InterruptedException {
    return forward(agent, "POST", "/chat", body);
  }

  private ResponseEntity<String> forward(
      String agent, String method, String path, @Nullable String body) throws InterruptedException {
    URI base = agents.get(agent);
    if (base == null) {
      return ResponseEntity.status(404).contentType(MediaType.TEXT_PLAIN).body("no such agent\n");
    }
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      ResponseEntity.BodyBuilder answer = ResponseEntity.status(response.statusCode());
      response
          .headers()
          .firstValue(HttpHeaders.CONTENT_TYPE)
          .ifPresent(type -> answer.header(HttpHeaders.CONTENT_TYPE, type));
      return answer.body(response.body());
    } catch (IOException e) {
      return ResponseEntity.status(502)
          .contentType(MediaType.TEXT_PLAIN)
          .body(agent + " is unreachable\n");
    }
  }
}
