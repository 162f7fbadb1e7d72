package io.kosmos.metrics.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What Maven resolved for each recipe of the README's "Versions" section (each a project that
 * imports kosmos-metrics-bom and nothing else of ours; the files come from
 * maven-dependency-plugin's {@code list} goal, run by each recipe in the same build).
 */
class BomRecipesTest {

  /** groupId:artifactId to version, of every artifact a recipe resolved. */
  private static Map<String, String> resolved(String recipe) throws IOException {
    Path file = Path.of("..", recipe, "target", "resolved.txt");
    Map<String, String> versions = new TreeMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String coordinates = line.strip().split("\\s+")[0];
      String[] parts = coordinates.split(":");
      if (parts.length >= 5) { // group:artifact:type[:classifier]:version:scope
        versions.put(parts[0] + ":" + parts[1], parts[parts.length - 2]);
      }
    }
    return versions;
  }

  /** The versions of the artifacts of {@code group}, keyed by artifact. */
  private static Map<String, String> group(Map<String, String> versions, String group) {
    return versions.entrySet().stream()
        .filter(e -> e.getKey().startsWith(group + ":"))
        .collect(
            Collectors.toMap(
                e -> e.getKey().substring(group.length() + 1), Map.Entry::getValue,
                (a, b) -> a, TreeMap::new));
  }

  /**
   * Jackson's release of each artifact: since 2.20, jackson-annotations is versioned "2.20" without
   * a patch number, so a release is compared by major.minor.
   */
  private static Map<String, String> jacksonReleases(Map<String, String> versions) {
    Map<String, String> releases = new TreeMap<>();
    versions.forEach(
        (artifact, version) -> {
          if (artifact.startsWith("com.fasterxml.jackson")) {
            String[] parts = version.split("\\.");
            releases.put(artifact, parts[0] + "." + parts[1]);
          }
        });
    return releases;
  }

  @Test
  void plainMavenGetsOneClientJavaAndOneJacksonRelease() throws IOException {
    Map<String, String> versions = resolved("recipe-maven");
    assertThat(group(versions, "io.prometheus").values()).isNotEmpty().containsOnly("1.10.0");
    assertThat(group(versions, "com.fasterxml.jackson.core"))
        .containsEntry("jackson-databind", "2.23.0")
        .containsEntry("jackson-core", "2.23.0")
        .containsEntry("jackson-annotations", "2.23");
  }

  @Test
  void vertxWithJacksonsBomFirstGetsOneJacksonRelease() throws IOException {
    Map<String, String> versions = resolved("recipe-vertx");
    assertThat(jacksonReleases(versions).values()).hasSize(3).containsOnly("2.23");
    assertThat(group(versions, "com.fasterxml.jackson.core"))
        .containsEntry("jackson-databind", "2.23.0")
        .containsEntry("jackson-core", "2.23.0");
    assertThat(versions).containsEntry("io.vertx:vertx-core", "5.0.7");
    assertThat(group(versions, "io.prometheus").values()).isNotEmpty().containsOnly("1.10.0");
  }

  @Test
  void vertxWithAJacksonArtifactVersionedOnItsOwnMixesReleases() throws IOException {
    // What the recipe prevents: databind from the declaration, core from Vert.x's depchain.
    Map<String, String> versions = resolved("recipe-vertx-pitfall");
    assertThat(group(versions, "com.fasterxml.jackson.core"))
        .containsEntry("jackson-databind", "2.23.0")
        .containsEntry("jackson-core", "2.18.2")
        .containsEntry("jackson-annotations", "2.18.2");
  }

  @Test
  void springBoot3GetsTheTestedClientJavaAndKeepsBootsJackson() throws IOException {
    Map<String, String> versions = resolved("recipe-spring-boot-3");
    assertThat(versions).containsEntry("org.springframework.boot:spring-boot", "3.5.7");
    // Boot 3.5.7 manages client_java 1.3.10; the recipe's import before Boot's wins.
    assertThat(group(versions, "io.prometheus").values()).isNotEmpty().containsOnly("1.10.0");
    assertThat(jacksonReleases(versions).values()).isNotEmpty().containsOnly("2.19");
  }

  @Test
  void springBoot3WithTheStarterParentGetsTheTestedClientJavaFromOneProperty() throws IOException {
    Map<String, String> versions = resolved("recipe-spring-boot-3-parent");
    assertThat(versions).containsEntry("org.springframework.boot:spring-boot", "3.5.7");
    assertThat(group(versions, "io.prometheus").values()).isNotEmpty().containsOnly("1.10.0");
    assertThat(jacksonReleases(versions).values()).isNotEmpty().containsOnly("2.19");
  }

  @Test
  void springBoot4GetsTheTestedClientJavaAndKeepsBootsJackson2() throws IOException {
    Map<String, String> versions = resolved("recipe-spring-boot-4");
    assertThat(versions).containsEntry("org.springframework.boot:spring-boot", "4.0.7");
    // Boot 4.0.7 manages client_java 1.4.3.
    assertThat(group(versions, "io.prometheus").values()).isNotEmpty().containsOnly("1.10.0");
    // kosmos-metrics-llm reads price files with Jackson 2, which Boot 4 manages next to Jackson 3.
    assertThat(jacksonReleases(versions).values()).isNotEmpty().containsOnly("2.21");
  }
}
