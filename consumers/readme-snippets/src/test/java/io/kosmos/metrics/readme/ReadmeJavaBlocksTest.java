package io.kosmos.metrics.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of README.md compiles with {@code -Xlint:all -Werror} against the
 * classpath of this project, which imports only kosmos-metrics-bom.
 */
class ReadmeJavaBlocksTest {

  /** Surefire runs in the module directory, consumers/readme-snippets. */
  private static final Path README = Path.of("..", "..", "README.md");

  private static String classpath() throws Exception {
    String dependencies =
        Files.readString(Path.of("target", "snippet-classpath.txt"), StandardCharsets.UTF_8)
            .strip();
    // The fixtures the snippets extend are this module's test classes.
    return dependencies + java.io.File.pathSeparator + Path.of("target", "test-classes");
  }

  @Test
  void everyReadmeSnippetCompilesWithEveryLintWarningAnError() throws Exception {
    List<ReadmeSnippets.Snippet> snippets =
        ReadmeSnippets.extract(Files.readAllLines(README, StandardCharsets.UTF_8));
    assertThat(snippets).hasSizeGreaterThan(15);

    List<String> problems =
        ReadmeSnippets.compile(
            "README.md", snippets, classpath(), Path.of("target", "snippet-classes"));

    assertThat(problems).as("README snippets that do not compile cleanly").isEmpty();
  }

  @Test
  void aSnippetThatDoesNotCompileIsReportedAtItsReadmeLine() throws Exception {
    List<String> markdown =
        List.of(
            "# Title", // 1
            "", // 2
            "```java", // 3
            "KosmosMetrics fine = KosmosMetrics.builder().build();", // 4
            "fine.http(agentName);", // 5: no such variable
            "```", // 6
            "<!-- snippet: members -->", // 7
            "```java", // 8
            "@Bean", // 9
            "KosmosMetrics kosmosMetrics() {", // 10
            "  return KosmosMetrics.builder().build();", // 11
            "}", // 12
            "```", // 13
            "```java", // 14
            "try (MetricsServer server = MetricsServer.builder(metrics).start()) {", // 15
            "  runAgent();", // 16
            "}", // 17
            "```"); // 18

    List<ReadmeSnippets.Snippet> snippets = ReadmeSnippets.extract(markdown);
    assertThat(snippets)
        .extracting(ReadmeSnippets.Snippet::fenceLine, ReadmeSnippets.Snippet::context)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, "statements"),
            org.assertj.core.groups.Tuple.tuple(8, "members"),
            org.assertj.core.groups.Tuple.tuple(14, "statements"));

    List<String> problems =
        ReadmeSnippets.compile("DOC.md", snippets, classpath(), Path.of("target", "broken"));

    assertThat(problems)
        .containsExactly(
            "DOC.md:5: error: cannot find symbol\n"
                + "  symbol:   variable agentName\n"
                + "  location: class io.kosmos.metrics.readme.Line3"
                + " [snippet at line 3, context statements]",
            "DOC.md:15: warning: auto-closeable resource server is never referenced in"
                + " body of corresponding try statement [snippet at line 14, context statements]");
  }

  @Test
  void aWholeCompilationUnitCompilesAsItIs() throws Exception {
    List<String> markdown =
        List.of(
            "<!-- snippet: unit -->", // 1
            "```java", // 2
            "import io.kosmos.metrics.core.KosmosMetrics;", // 3
            "", // 4
            "public final class MetricsConfig {", // 5
            "  static KosmosMetrics metrics() {", // 6
            "    return KosmosMetrics.builder().bild();", // 7: a typo
            "  }", // 8
            "}", // 9
            "```");

    List<String> problems =
        ReadmeSnippets.compile(
            "README.md", ReadmeSnippets.extract(markdown), classpath(), Path.of("target", "unit"));

    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith("README.md:7: error: cannot find symbol\n")
        .endsWith("[snippet at line 2, context unit]");
  }

  @Test
  void aSnippetNamingAnUnknownContextSaysWhichFileToAdd() throws Exception {
    List<String> markdown =
        List.of("<!-- snippet: spring-boot-starter -->", "```java", "int x = 1;", "```");

    List<String> problems =
        ReadmeSnippets.compile(
            "README.md",
            ReadmeSnippets.extract(markdown),
            classpath(),
            Path.of("target", "unknown"));

    assertThat(problems)
        .containsExactly(
            "README.md:2: error: no snippet context 'spring-boot-starter': add"
                + " src/test/resources/snippet-contexts/spring-boot-starter.java");
  }
}
