package io.kosmos.metrics.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds Debian's binaries (Prometheus, Alertmanager, PostgreSQL, postgres_exporter); skips where
 * they are missing unless the run requires them.
 */
final class Binaries {

  private Binaries() {}

  /** A binary of Debian's {@code prometheus} package on the PATH. */
  static Path find(String name) {
    return find(name, "prometheus");
  }

  /** A binary on the PATH, installed by Debian package {@code debianPackage}. */
  static Path find(String name, String debianPackage) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return missing(name, debianPackage);
  }

  /**
   * A PostgreSQL server binary ({@code initdb}, {@code pg_ctl}, ...): Debian keeps them in {@code
   * /usr/lib/postgresql/<major>/bin}, off the PATH; the newest major wins.
   */
  static Path findPostgres(String name) {
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> majors = Files.list(root)) {
        List<Path> candidates =
            majors
                .map(major -> major.resolve("bin").resolve(name))
                .filter(Files::isExecutable)
                .sorted(
                    Comparator.comparing(
                            (Path p) -> majorVersion(p.getParent().getParent().getFileName()))
                        .reversed())
                .toList();
        if (!candidates.isEmpty()) {
          return candidates.get(0);
        }
      } catch (IOException e) {
        throw new IllegalStateException("cannot list " + root, e);
      }
    }
    return find(name, "postgresql");
  }

  private static int majorVersion(Path dir) {
    try {
      return Integer.parseInt(dir.toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Path missing(String name, String debianPackage) {
    String message =
        name
            + " is not installed (Debian: apt-get install "
            + debianPackage
            + "); .ci/run installs it and sets KOSMOS_REQUIRE_PROMETHEUS=true";
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

  /** The repository's root, one level above this module. */
  static Path repository() {
    return bundle().resolve("..").normalize();
  }
}
