package io.kosmos.samples.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs Debian's {@code promtool check metrics}; skips where it is missing unless {@code
 * KOSMOS_REQUIRE_PROMETHEUS=true}.
 */
public final class Promtool {

  private Promtool() {}

  /** Fails the test unless promtool finds no problem in the exposition {@code text}. */
  public static void checkMetrics(String text) throws Exception {
    Process process =
        new ProcessBuilder(find().toString(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = process.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(output).as("promtool check metrics").isEmpty();
    assertThat(process.exitValue()).as("promtool check metrics: %s", output).isZero();
  }

  private static Path find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message =
        "promtool is not installed (Debian: apt-get install prometheus); .ci/run installs it and"
            + " sets KOSMOS_REQUIRE_PROMETHEUS=true";
    if (Boolean.parseBoolean(System.getenv("KOSMOS_REQUIRE_PROMETHEUS"))) {
      throw new IllegalStateException(message);
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }
}
