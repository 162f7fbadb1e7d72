package io.kosmos.metrics.rules;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * One sample agent started as a user would, {@code java -jar samples/<name>/target/<name>.jar}, on
 * a loopback port of its own choosing (PORT=0); its output is kept for failure messages.
 */
final class SampleProcess implements AutoCloseable {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;

  private SampleProcess(String name, Process process, int port, Path log) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** The shaded jar of sample {@code name}, built by the samples' package phase. */
  static Path jar(String name) {
    Path jar =
        Binaries.bundle()
            .resolve("..")
            .resolve("samples")
            .resolve(name)
            .resolve("target")
            .resolve(name + ".jar")
            .normalize();
    if (!Files.isRegularFile(jar)) {
      String message =
          jar
              + " is missing: the samples' jars are built in the package phase (mvn -B verify"
              + " builds them before this module)";
      if (Boolean.parseBoolean(System.getenv("KOSMOS_REQUIRE_PROMETHEUS"))) {
        throw new IllegalStateException(message);
      }
      Assumptions.abort(message);
    }
    return jar;
  }

  /** Starts sample {@code name} on a free port and waits until its {@code /metrics} answers. */
  static SampleProcess start(String name, Path workDir) throws Exception {
    return start(name, workDir, Map.of());
  }

  /** As {@link #start(String, Path)}, with {@code environment} added to the sample's. */
  static SampleProcess start(String name, Path workDir, Map<String, String> environment)
      throws Exception {
    Path jar = jar(name);
    Path log = workDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    // Port 0: the sample binds a port no other process holds and prints it ("on port N").
    builder.environment().put("PORT", "0");
    builder.environment().put("BIND_ADDRESS", "127.0.0.1");
    // The embedded fake provider and the default labels, whatever the caller's environment says.
    builder.environment().remove("LLM_BASE_URL");
    builder.environment().remove("LLM_PROVIDER");
    builder.environment().remove("LLM_MODEL");
    builder.environment().remove("LLM_PRICE_FILE");
    builder.environment().putAll(environment);
    Process process = builder.start();
    int port;
    try {
      port =
          PrometheusProcess.awaitPort(
              process,
              log,
              Pattern.compile("^agent \\S+ on port (\\d+) ", Pattern.MULTILINE),
              Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(name + " did not start:\n" + Files.readString(log), e);
    }
    SampleProcess sample = new SampleProcess(name, process, port, log);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> sample.get("/metrics").statusCode() == 200);
    } catch (RuntimeException e) {
      sample.close();
      throw new IllegalStateException(name + " did not start:\n" + sample.log(), e);
    }
    return sample;
  }

  int port() {
    return port;
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + port);
  }

  HttpResponse<String> get(String path) throws Exception {
    return send("GET", path, "");
  }

  HttpResponse<String> send(String method, String path, String body) throws Exception {
    return CLIENT.send(request(method, path, body), HttpResponse.BodyHandlers.ofString());
  }

  HttpRequest request(String method, String path, String body) {
    return HttpRequest.newBuilder(base().resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .method(
            method,
            body.isEmpty()
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  static HttpClient client() {
    return CLIENT;
  }

  /** What the sample printed, for failure messages. */
  String log() {
    try {
      return "--- " + name + " ---\n" + Files.readString(log);
    } catch (IOException e) {
      return "(no log of " + name + ": " + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: the sample's shutdown hook stops its server and provider
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
