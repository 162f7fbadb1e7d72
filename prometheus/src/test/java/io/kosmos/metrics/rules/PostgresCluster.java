package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL primary and a streaming standby of it (Debian's {@code postgresql}), each in a
 * throwaway data directory, listening on a Unix socket in a temporary directory only (no TCP). As
 * root, as CI runs, the servers run as the {@code postgres} user: PostgreSQL refuses to run as
 * root.
 */
final class PostgresCluster implements AutoCloseable {

  /** Low, so that the connection ratio is well above 0 with a handful of connections. */
  static final int MAX_CONNECTIONS = 20;

  private final Path base;
  private final Path socketDir;
  private final int primaryPort;
  private final List<Path> running = new ArrayList<>();

  private PostgresCluster(Path base, Path socketDir, int primaryPort) {
    this.base = base;
    this.socketDir = socketDir;
    this.primaryPort = primaryPort;
  }

  /** Starts a primary and a standby that streams from it, under {@code workDir}. */
  static PostgresCluster start(Path workDir) throws Exception {
    Binaries.findPostgres("initdb");
    Path base = workDir.resolve("pg");
    Files.createDirectories(base);
    if (asRoot()) {
      // The postgres user must reach its directories through the root-owned temp folder.
      Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwxr-xr-x"));
      UserPrincipal postgres =
          workDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(base, postgres);
    }
    Path socketDir = base.resolve("sock");
    PostgresCluster cluster = new PostgresCluster(base, socketDir, PrometheusProcess.freePort());
    try {
      cluster.run(List.of("mkdir", socketDir.toString()));
      Path primary = base.resolve("primary");
      cluster.run(
          List.of(
              Binaries.findPostgres("initdb").toString(),
              "-D",
              primary.toString(),
              "-U",
              "postgres",
              "--auth=trust",
              "-E",
              "UTF8",
              "--no-sync"));
      cluster.startServer(primary, cluster.primaryPort);
      Path standby = base.resolve("standby");
      cluster.run(
          List.of(
              Binaries.findPostgres("pg_basebackup").toString(),
              "-D",
              standby.toString(),
              "-h",
              socketDir.toString(),
              "-p",
              Integer.toString(cluster.primaryPort),
              "-U",
              "postgres",
              "-R"));
      cluster.startServer(standby, PrometheusProcess.freePort());
      return cluster;
    } catch (Exception | AssertionError e) {
      cluster.close();
      throw e;
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void startServer(Path dataDir, int port) throws Exception {
    run(
        List.of(
            Binaries.findPostgres("pg_ctl").toString(),
            "-D",
            dataDir.toString(),
            "-l",
            dataDir + ".log",
            "-w",
            "-t",
            "60",
            "-o",
            "-p "
                + port
                + " -k "
                + socketDir
                + " -c listen_addresses='' -c max_connections="
                + MAX_CONNECTIONS,
            "start"));
    running.add(dataDir);
  }

  /** A lib/pq data source for the primary, as postgres_exporter reads it from DATA_SOURCE_NAME. */
  String dataSourceName() {
    return "host=" + socketDir + " port=" + primaryPort + " user=postgres sslmode=disable";
  }

  /** Runs {@code sql} on the primary with psql and returns its unaligned output. */
  String psql(String sql) throws Exception {
    return run(
        List.of(
            Binaries.findPostgres("psql").toString(),
            "-h",
            socketDir.toString(),
            "-p",
            Integer.toString(primaryPort),
            "-U",
            "postgres",
            "-AtX",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            sql));
  }

  private String run(List<String> command) throws Exception {
    List<String> full = new ArrayList<>();
    if (asRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process process =
        new ProcessBuilder(full).directory(base.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s timed out", full).isTrue();
    assertThat(process.exitValue()).as("%s:%n%s%s", full, output, logs()).isZero();
    return output.strip();
  }

  /** The servers' logs, for failure messages. */
  String logs() {
    StringBuilder logs = new StringBuilder();
    for (Path dataDir : running) {
      try {
        logs.append("\n--- ").append(dataDir.getFileName()).append(" ---\n");
        logs.append(Files.readString(Path.of(dataDir + ".log")));
      } catch (java.io.IOException e) {
        logs.append("(no log: ").append(e).append(')');
      }
    }
    return logs.toString();
  }

  /** Stops the standby, then the primary (fast shutdown: open connections are ended). */
  @Override
  public void close() throws Exception {
    List<Path> toStop = new ArrayList<>(running);
    java.util.Collections.reverse(toStop);
    Exception failure = null;
    for (Path dataDir : toStop) {
      try {
        run(
            List.of(
                Binaries.findPostgres("pg_ctl").toString(),
                "-D",
                dataDir.toString(),
                "-m",
                "fast",
                "-w",
                "stop"));
        running.remove(dataDir);
      } catch (Exception e) {
        failure = e;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
