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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A long-running binary (postgres_exporter, Alertmanager) on a free loopback port, started with its
 * output in a log file and considered started once {@code readyPath} answers 200.
 */
final class DaemonProcess implements AutoCloseable {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String name;
  private final Process process;
  private final URI base;
  private final Path log;

  private DaemonProcess(String name, Process process, URI base, Path log) {
    this.name = name;
    this.process = process;
    this.base = base;
    this.log = log;
  }

  static DaemonProcess start(
      String name,
      List<String> command,
      Map<String, String> environment,
      int port,
      String readyPath,
      Path workDir)
      throws Exception {
    Path log = workDir.resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    DaemonProcess daemon =
        new DaemonProcess(name, builder.start(), URI.create("http://127.0.0.1:" + port), log);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> daemon.get(readyPath).statusCode() == 200);
    } catch (RuntimeException e) {
      daemon.close();
      throw new IllegalStateException(name + " did not start:\n" + daemon.log(), e);
    }
    return daemon;
  }

  URI base() {
    return base;
  }

  HttpResponse<String> get(String path) throws Exception {
    return CLIENT.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  String log() {
    try {
      return "--- " + name + " ---\n" + Files.readString(log);
    } catch (IOException e) {
      return "(no log of " + name + ": " + e + ")";
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
