package io.kosmos.metrics.readme;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jspecify.annotations.Nullable;

/**
 * Finds every {@code ```java} block of a Markdown file and compiles it with {@code -Xlint:all
 * -Werror}, each in a context: a Java file under {@code snippet-contexts/} whose {@code //SNIPPET}
 * line the snippet replaces. A block whose first line starts with {@code @} is class members
 * ({@code members}), any other one statements ({@code statements}); an HTML comment {@code <!--
 * snippet: NAME -->} on the line just before the fence names another context. Problems are reported
 * at the README line they come from.
 */
final class ReadmeSnippets {

  private static final Pattern MARKER = Pattern.compile("<!--\\s*snippet:\\s*([\\w-]+)\\s*-->");
  private static final String PLACEHOLDER = "//SNIPPET";
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile(
          "^public\\s+(?:(?:final|abstract|sealed)\\s+)*(?:class|interface|record|enum)\\s+(\\w+)");

  /** One {@code ```java} block: the 1-based line of its fence, its context and its lines. */
  record Snippet(int fenceLine, String context, List<String> lines) {}

  private ReadmeSnippets() {}

  static List<Snippet> extract(List<String> markdown) {
    List<Snippet> snippets = new ArrayList<>();
    for (int i = 0; i < markdown.size(); i++) {
      if (!markdown.get(i).strip().equals("```java")) {
        continue;
      }
      int fence = i;
      List<String> lines = new ArrayList<>();
      for (i++; i < markdown.size() && !markdown.get(i).strip().equals("```"); i++) {
        lines.add(markdown.get(i));
      }
      Matcher marker = fence > 0 ? MARKER.matcher(markdown.get(fence - 1)) : MARKER.matcher("");
      String context;
      if (marker.find()) {
        context = marker.group(1);
      } else {
        boolean members =
            lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("").startsWith("@");
        context = members ? "members" : "statements";
      }
      snippets.add(new Snippet(fence + 1, context, List.copyOf(lines)));
    }
    return snippets;
  }

  /**
   * Compiles {@code snippets} of {@code readme} (named so in messages) against {@code classpath};
   * returns one message per problem, {@code "README.md:LINE: error: ..."}, empty when all compile
   * without a warning.
   */
  static List<String> compile(String readme, List<Snippet> snippets, String classpath, Path out)
      throws IOException {
    List<String> problems = new ArrayList<>();
    List<Unit> units = new ArrayList<>();
    for (Snippet snippet : snippets) {
      String template = context(snippet.context());
      if (template == null) {
        problems.add(
            readme
                + ":"
                + snippet.fenceLine()
                + ": error: no snippet context '"
                + snippet.context()
                + "': add src/test/resources/snippet-contexts/"
                + snippet.context()
                + ".java");
        continue;
      }
      units.add(new Unit(snippet, template));
    }
    if (units.isEmpty()) {
      return problems;
    }
    Files.createDirectories(out);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<String> options =
        List.of(
            "--release",
            "17",
            "-Xlint:all",
            "-Werror",
            "-proc:none",
            "-implicit:none",
            "-classpath",
            classpath,
            "-d",
            out.toString());
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8)) {
      // One task per snippet: javac stops before its lint passes once any unit has an error.
      for (Unit unit : units) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        javac.getTask(null, files, diagnostics, options, null, List.of(unit)).call();
        for (Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics()) {
          String problem = problem(readme, unit, diagnostic);
          if (problem != null) {
            problems.add(problem);
          }
        }
      }
    }
    return problems;
  }

  private static @Nullable String problem(
      String readme, Unit unit, Diagnostic<? extends JavaFileObject> diagnostic) {
    String message = diagnostic.getMessage(Locale.ROOT);
    if (diagnostic.getKind() == Diagnostic.Kind.NOTE || message.contains("-Werror")) {
      return null; // javac's summary of the warnings it reported one by one
    }
    String kind = diagnostic.getKind() == Diagnostic.Kind.ERROR ? "error" : "warning";
    long line =
        diagnostic.getSource() == unit
            ? unit.readmeLine(diagnostic.getLineNumber())
            : unit.snippet.fenceLine();
    return readme
        + ":"
        + line
        + ": "
        + kind
        + ": "
        + message
        + " [snippet at line "
        + unit.snippet.fenceLine()
        + ", context "
        + unit.snippet.context()
        + "]";
  }

  private static @Nullable String context(String name) throws IOException {
    try (InputStream in =
        ReadmeSnippets.class.getResourceAsStream("/snippet-contexts/" + name + ".java")) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** One snippet in its context, as a compilation unit named after the README line. */
  private static final class Unit extends SimpleJavaFileObject {
    final Snippet snippet;
    final String source;
    final int firstSnippetLine;

    Unit(Snippet snippet, String template) {
      super(URI.create("string:///" + fileName(snippet) + ".java"), Kind.SOURCE);
      this.snippet = snippet;
      List<String> lines = List.of(template.split("\n", -1));
      int placeholder = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).strip().equals(PLACEHOLDER)) {
          placeholder = i;
        }
      }
      if (placeholder < 0) {
        throw new IllegalStateException(
            "snippet context '" + snippet.context() + "' has no " + PLACEHOLDER + " line");
      }
      List<String> unit = new ArrayList<>(lines.subList(0, placeholder));
      unit.addAll(snippet.lines());
      unit.addAll(lines.subList(placeholder + 1, lines.size()));
      this.source = String.join("\n", unit).replace("SnippetClass", "Line" + snippet.fenceLine());
      this.firstSnippetLine = placeholder + 1;
    }

    /**
     * {@code LineN}, or the name of the snippet's public top-level type: a whole compilation unit
     * (context {@code unit}) must be in a file of that name.
     */
    private static String fileName(Snippet snippet) {
      for (String line : snippet.lines()) {
        Matcher type = PUBLIC_TYPE.matcher(line);
        if (type.find()) {
          return type.group(1);
        }
      }
      return "Line" + snippet.fenceLine();
    }

    /** The README line of line {@code unitLine} of this unit; the fence for the wrapper's lines. */
    long readmeLine(long unitLine) {
      long offset = unitLine - firstSnippetLine;
      return offset >= 0 && offset < snippet.lines().size()
          ? snippet.fenceLine() + 1 + offset
          : snippet.fenceLine();
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return source;
    }
  }
}
