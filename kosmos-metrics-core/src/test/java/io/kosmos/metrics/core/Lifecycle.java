package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Counting what a server leaves behind: live threads and open ports. Requests go over a plain
 * socket with {@code Connection: close}, so that the client starts no thread of its own (the JDK's
 * HTTP clients keep selector and keep-alive threads). Shared through core's test-jar.
 */
public final class Lifecycle {

  private Lifecycle() {}

  /** The threads alive now. */
  public static Set<Thread> liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .collect(Collectors.toSet());
  }

  /** The names of threads alive now that were not in {@code before}. */
  public static Set<String> newThreads(Set<Thread> before) {
    return liveThreads().stream()
        .filter(thread -> !before.contains(thread))
        .map(Thread::getName)
        .collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  /**
   * Waits (polling in this thread, so that the wait itself starts no thread) until every thread
   * started since {@code before} has died, and until the live thread count is back to at most its
   * count then.
   */
  public static void awaitThreadsGone(Set<Thread> before, Duration atMost) {
    await()
        .pollInSameThread()
        .atMost(atMost)
        .untilAsserted(
            () -> {
              assertThat(newThreads(before)).as("threads started and still alive").isEmpty();
              assertThat(liveThreads()).hasSizeLessThanOrEqualTo(before.size());
            });
  }

  /** Asserts that nothing accepts connections on {@code address:port} any more. */
  public static void assertPortClosed(InetAddress address, int port) {
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
