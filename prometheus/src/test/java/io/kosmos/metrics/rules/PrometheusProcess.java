package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** A real Prometheus server (Debian's binary) on a free loopback port, with a throwaway TSDB. */
final class PrometheusProcess implements AutoCloseable {

  /** One instant-vector element of a query result. */
  record Series(Map<String, String> labels, double value) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusProcess(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Starts Prometheus in {@code workDir} with {@code config} and waits until it is ready.
   *
   * @param config a prometheus.yml whose rule_files are relative to {@code workDir}
   */
  static PrometheusProcess start(Path workDir, String config) throws Exception {
    return start(workDir, config, freePort());
  }

  /** As {@link #start(Path, String)}, listening on {@code port}. */
  static PrometheusProcess start(Path workDir, String config, int port) throws Exception {
    Path configFile = workDir.resolve("prometheus.yml");
    Files.writeString(configFile, config);
    Path log = workDir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                Binaries.find("prometheus").toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusProcess prometheus =
        new PrometheusProcess(process, URI.create("http://127.0.0.1:" + port), log);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> prometheus.get("/-/ready").statusCode() == 200);
    } catch (RuntimeException e) {
      prometheus.close();
      throw new IllegalStateException("Prometheus did not become ready:\n" + prometheus.log(), e);
    }
    return prometheus;
  }

  /** A loopback port that was free a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Copies the shipped rule files into {@code workDir}/rules with every group's evaluation interval
   * shortened to {@code interval}, so that a test sees results in seconds.
   */
  static void copyRules(Path workDir, String interval) throws IOException {
    copyRules(workDir, interval, null);
  }

  /**
   * As {@link #copyRules(Path, String)}, and when {@code forDuration} is not null every alert's
   * {@code for:} becomes {@code forDuration}: the rules stay the shipped ones, only faster.
   */
  static void copyRules(Path workDir, String interval, @Nullable String forDuration)
      throws IOException {
    Path target = Files.createDirectories(workDir.resolve("rules"));
    try (Stream<Path> files = Files.list(Binaries.bundle().resolve("rules"))) {
      for (Path file : files.toList()) {
        String rules =
            Files.readString(file).replaceAll("interval: \\d+[smh]", "interval: " + interval);
        if (forDuration != null) {
          rules = rules.replaceAll("(?m)^(\\s+)for: \\d+[smh]$", "$1for: " + forDuration);
        }
        Files.writeString(target.resolve(file.getFileName()), rules);
      }
    }
  }

  /**
   * The shipped {@code prometheus.yml} with every {@code localhost:<port>} target moved: to the
   * port {@code ports} maps it to, or else to a free port where nothing listens, so that a test
   * never reaches another process on the shared fixed ports (8000-8002, 9090, 9093, 9187). Scrape
   * and evaluation intervals become {@code interval}.
   */
  static String shippedConfig(Map<Integer, Integer> ports, String interval) throws IOException {
    Map<Integer, Integer> moved = new java.util.HashMap<>(ports);
    String config = Files.readString(Binaries.bundle().resolve("prometheus.yml"));
    Matcher target = Pattern.compile("localhost:(\\d+)").matcher(config);
    StringBuilder result = new StringBuilder();
    while (target.find()) {
      int port = Integer.parseInt(target.group(1));
      if (!moved.containsKey(port)) {
        moved.put(port, freePort());
      }
      target.appendReplacement(result, "localhost:" + moved.get(port));
    }
    target.appendTail(result);
    return result
        .toString()
        .replaceAll("(scrape_interval|evaluation_interval): \\d+s", "$1: " + interval);
  }

  /** Every {@code record:} name in the shipped rule files. */
  static List<String> recordingRules() throws IOException {
    List<String> names = new ArrayList<>();
    Pattern record = Pattern.compile("^\\s*- record: (\\S+)\\s*$", Pattern.MULTILINE);
    try (Stream<Path> files = Files.list(Binaries.bundle().resolve("rules"))) {
      for (Path file : files.sorted().toList()) {
        Matcher matcher = record.matcher(Files.readString(file));
        while (matcher.find()) {
          names.add(matcher.group(1));
        }
      }
    }
    return names;
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Runs an instant query through the HTTP API. */
  List<Series> query(String promql) throws Exception {
    HttpResponse<String> response =
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as("query %s: %s", promql, response.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.path("status").asText()).isEqualTo("success");
    List<Series> result = new ArrayList<>();
    for (JsonNode element : body.path("data").path("result")) {
      Map<String, String> labels = new LinkedHashMap<>();
      element
          .path("metric")
          .fields()
          .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
      result.add(new Series(labels, Double.parseDouble(element.path("value").get(1).asText())));
    }
    return result;
  }

  /** The health of every active target, by scrape URL. */
  Map<String, String> targetHealth() throws Exception {
    JsonNode body = JSON.readTree(get("/api/v1/targets").body());
    Map<String, String> health = new LinkedHashMap<>();
    for (JsonNode target : body.path("data").path("activeTargets")) {
      health.put(target.path("scrapeUrl").asText(), target.path("health").asText());
    }
    return health;
  }

  /** The health of the active targets of scrape job {@code job}, by scrape URL. */
  Map<String, String> targetHealth(String job) throws Exception {
    JsonNode body = JSON.readTree(get("/api/v1/targets").body());
    Map<String, String> health = new LinkedHashMap<>();
    for (JsonNode target : body.path("data").path("activeTargets")) {
      if (job.equals(target.path("labels").path("job").asText())) {
        health.put(target.path("scrapeUrl").asText(), target.path("health").asText());
      }
    }
    return health;
  }

  /** The body of {@code /api/v1/targets}, parsed. */
  JsonNode targets() throws Exception {
    return JSON.readTree(get("/api/v1/targets").body());
  }

  /** The body of {@code /api/v1/alerts}, parsed. */
  JsonNode alerts() throws Exception {
    return JSON.readTree(get("/api/v1/alerts").body());
  }

  URI base() {
    return base;
  }

  /** What Prometheus logged, for failure messages. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
