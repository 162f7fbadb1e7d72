package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
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
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real Prometheus server (Debian's binary) on a loopback port it chose, with a throwaway TSDB.
 */
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
    return start(workDir, port -> config);
  }

  /**
   * As {@link #start(Path, String)}, for a configuration that names Prometheus's own port (its
   * self-scrape target): Prometheus binds port 0, so that no other process can take the port
   * between our choosing it and Prometheus binding it, and reports the port it got in its log; the
   * configuration for that port is then loaded with {@code /-/reload}.
   */
  static PrometheusProcess start(Path workDir, IntFunction<String> configForPort) throws Exception {
    Path configFile = workDir.resolve("prometheus.yml");
    Files.writeString(configFile, configForPort.apply(0));
    Path log = workDir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                Binaries.find("prometheus").toString(),
                "--config.file=" + configFile,
                "--storage.tsdb.path=" + workDir.resolve("data"),
                "--web.listen-address=127.0.0.1:0",
                "--web.enable-lifecycle",
                // info: the "Listening on" line carries the port bound.
                "--log.level=info")
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusProcess prometheus = null;
    try {
      int port = awaitPort(process, log, LISTENING, Duration.ofSeconds(60));
      prometheus = new PrometheusProcess(process, URI.create("http://127.0.0.1:" + port), log);
      PrometheusProcess started = prometheus;
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> started.get("/-/ready").statusCode() == 200);
      String config = configForPort.apply(port);
      if (!config.equals(configForPort.apply(0))) {
        Files.writeString(configFile, config);
        HttpResponse<String> reload =
            started.client.send(
                HttpRequest.newBuilder(started.base.resolve("/-/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reload.statusCode()).as("reload: %s", reload.body()).isEqualTo(200);
      }
      return prometheus;
    } catch (Exception | AssertionError e) {
      String output = prometheus == null ? Files.readString(log) : prometheus.log();
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException("Prometheus did not become ready:\n" + output, e);
    }
  }

  /**
   * A port that was free a moment ago, for the daemons that must be told their port before they
   * start and do not report one they bound themselves (Alertmanager, postgres_exporter, the
   * PostgreSQL socket name). Prometheus and the samples bind port 0 and report it instead.
   */
  static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static final Pattern LISTENING =
      Pattern.compile("msg=\"Listening on\" address=127\\.0\\.0\\.1:(\\d+)");

  /**
   * Waits until {@code process} writes the port it bound to {@code log}, in the first group of
   * {@code line}: the port is what our own child process reports, not one we hope is still free.
   */
  static int awaitPort(Process process, Path log, Pattern line, Duration atMost) {
    int[] port = new int[1];
    await()
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException("exited with " + process.exitValue());
              }
              Matcher matcher = line.matcher(Files.readString(log));
              if (matcher.find()) {
                port[0] = Integer.parseInt(matcher.group(1));
                return true;
              }
              return false;
            });
    return port[0];
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
