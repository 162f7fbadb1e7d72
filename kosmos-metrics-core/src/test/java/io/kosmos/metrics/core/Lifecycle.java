package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Counting what a server leaves behind: the threads it started and the sockets it listens on.
 * Requests go over a plain socket with {@code Connection: close}, so that the client starts no
 * thread of its own (the JDK's HTTP clients keep selector and keep-alive threads). Shared through
 * core's test-jar.
 *
 * <p>Every check is about what the test owns, never about the whole machine or the whole JVM: the
 * machine is shared, and another process may bind a port the moment our server frees it (ports from
 * {@code bind(0)} come from one ephemeral range for every process), so "nothing accepts a
 * connection on that port" is not ours to assert. "No socket of this JVM listens on that port" is.
 */
public final class Lifecycle {

  private static final Path PROC_FD = Path.of("/proc/self/fd");
  private static final List<Path> PROC_TCP =
      List.of(Path.of("/proc/self/net/tcp"), Path.of("/proc/self/net/tcp6"));
  private static final String TCP_LISTEN = "0A";

  private Lifecycle() {}

  /** A TCP socket of this JVM in the LISTEN state. */
  public record Listener(InetAddress address, int port) {}

  /** The threads alive now. */
  public static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .collect(Collectors.toSet());
  }

  /** The threads alive now that were not in {@code before}: what the test has started since. */
  public static Set<Thread> startedSince(Set<Thread> before) {
    return liveThreads().stream()
        .filter(thread -> !before.contains(thread))
        .collect(Collectors.toSet());
  }

  /** The names of the threads alive now that were not in {@code before}. */
  public static Set<String> newThreads(Set<Thread> before) {
    return startedSince(before).stream()
        .map(Thread::getName)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Waits (polling in this thread, so that the wait itself starts no thread) until every one of
   * {@code owned} has died. Only the threads the test saw its server start are awaited: a thread
   * that something else in the JVM starts meanwhile is none of the server's business.
   */
  public static void awaitDead(Set<Thread> owned, Duration atMost) {
    await()
        .pollInSameThread()
        .atMost(atMost)
        .untilAsserted(
            () -> {
              Set<String> alive = new TreeSet<>();
              owned.stream().filter(Thread::isAlive).forEach(t -> alive.add(t.getName()));
              assertThat(alive).as("threads the server started that are still alive").isEmpty();
            });
  }

  /**
   * The TCP sockets this JVM listens on, from Linux's {@code /proc}: the listening entries of
   * {@code /proc/self/net/tcp{,6}} whose inode is one of this process's file descriptors. Empty
   * where there is no {@code /proc} (the checks below then fall back to connecting).
   */
  public static Optional<List<Listener>> ownListeners() {
    if (!Files.isDirectory(PROC_FD) || !Files.isReadable(PROC_TCP.get(0))) {
      return Optional.empty();
    }
    try {
      Set<String> inodes = socketInodes();
      List<Listener> listeners = new ArrayList<>();
      for (Path table : PROC_TCP) {
        if (!Files.isReadable(table)) {
          continue;
        }
        List<String> lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
        for (String line : lines.subList(1, lines.size())) {
          // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout
          // inode
          String[] fields = line.trim().split("\\s+");
          if (fields[3].equals(TCP_LISTEN) && inodes.contains(fields[9])) {
            String[] local = fields[1].split(":");
            listeners.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
          }
        }
      }
      return Optional.of(listeners);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The inodes of this process's sockets: {@code /proc/self/fd/N -> socket:[inode]}. */
  private static Set<String> socketInodes() throws IOException {
    Set<String> inodes = new HashSet<>();
    try (Stream<Path> fds = Files.list(PROC_FD)) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (NoSuchFileException closedMeanwhile) {
          continue;
        }
        if (target.startsWith("socket:[")) {
          inodes.add(target.substring("socket:[".length(), target.length() - 1));
        }
      }
    }
    return inodes;
  }

  /** Decodes {@code /proc}'s address: 32-bit words in host (little-endian) byte order. */
  private static InetAddress address(String hex) throws IOException {
    byte[] bytes = new byte[hex.length() / 2];
    for (int word = 0; word < bytes.length; word += 4) {
      for (int i = 0; i < 4; i++) {
        int at = (word + 3 - i) * 2;
        bytes[word + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    return InetAddress.getByAddress(bytes);
  }

  /** The addresses on which a socket of this JVM listens on {@code port}. */
  private static Set<String> ownListenersOn(List<Listener> listeners, int port) {
    return listeners.stream()
        .filter(listener -> listener.port() == port)
        .map(listener -> listener.address().getHostAddress())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** Asserts that a socket of this JVM listens on {@code port}, so that the checks can fail. */
  public static void assertListening(int port) {
    ownListeners()
        .ifPresent(
            listeners ->
                assertThat(ownListenersOn(listeners, port))
                    .as("addresses this JVM listens on at port %d", port)
                    .isNotEmpty());
  }

  /**
   * Asserts that no socket of this JVM listens on {@code port} any more. Without {@code /proc}, it
   * falls back to asserting that a connection to {@code address:port} is refused, which another
   * process binding the freed port can defeat.
   */
  public static void assertPortClosed(InetAddress address, int port) {
    Optional<List<Listener>> listeners = ownListeners();
    if (listeners.isPresent()) {
      assertThat(ownListenersOn(listeners.get(), port))
          .as("addresses this JVM still listens on at port %d", port)
          .isEmpty();
    } else {
      assertConnectionRefused(address, port);
    }
  }

  /**
   * Asserts that this JVM listens on {@code port} only at {@code address} (say loopback), so that
   * {@code other} addresses do not reach it. Without {@code /proc}, it falls back to asserting that
   * a connection to {@code other:port} is refused.
   */
  public static void assertListensOnlyOn(InetAddress address, InetAddress other, int port) {
    Optional<List<Listener>> listeners = ownListeners();
    if (listeners.isPresent()) {
      Set<String> bound = ownListenersOn(listeners.get(), port);
      // A dual-stack socket shows an IPv4 address as ::ffff:a.b.c.d, which Java maps back to IPv4.
      assertThat(bound)
          .as("addresses this JVM listens on at port %d", port)
          .containsExactly(address.getHostAddress());
    } else {
      assertConnectionRefused(other, port);
    }
  }

  private static void assertConnectionRefused(InetAddress address, int port) {
    assertThatThrownBy(
            () -> {
              try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), 2000);
              }
            })
        .as("connecting to %s:%d", address.getHostAddress(), port)
        .isInstanceOf(ConnectException.class);
  }

  /** Sends one request with {@code Connection: close} and returns the status code. */
  public static int status(InetAddress address, int port, String method, String path)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          (method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      // "HTTP/1.1 200 OK"
      return Integer.parseInt(response.substring(9, 12));
    }
  }
}
