package io.kosmos.metrics.rules;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds Debian's Prometheus binaries; skips where they are missing unless the run requires them.
 */
final class Binaries {

  private Binaries() {}

  static Path find(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    String message =
        name
            + " is not installed (Debian: apt-get install prometheus); .ci/run installs it and"
            + " sets KOSMOS_REQUIRE_PROMETHEUS=true";
    if (Boolean.parseBoolean(System.getenv("KOSMOS_REQUIRE_PROMETHEUS"))) {
      throw new IllegalStateException(message);
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  /** The folder holding prometheus.yml and rules/: this module's base directory. */
  static Path bundle() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
  }
}
