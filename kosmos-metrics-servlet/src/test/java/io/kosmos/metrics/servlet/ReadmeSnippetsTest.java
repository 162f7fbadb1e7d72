package io.kosmos.metrics.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.testsupport.HttpAdapterContract.App;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContainerInitializer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.catalina.Context;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.eclipse.jetty.ee11.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every registration style the README shows is code that compiles and runs here, and the README
 * shows it verbatim.
 */
class ReadmeSnippetsTest {

  /** Surefire runs in the module directory. */
  private static final Path README = Path.of("..", "README.md");

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();

  @ParameterizedTest
  @CsvSource({
    "src/test/java/io/kosmos/metrics/servlet/RegistrationExamples.java, jetty",
    "src/test/java/io/kosmos/metrics/servlet/RegistrationExamples.java, tomcat",
    "src/test/java/io/kosmos/metrics/servlet/RegistrationExamples.java, spring-boot",
    "src/test/java/io/kosmos/metrics/servlet/RegistrationExamples.java, protected-servlet",
    "src/test/java/io/kosmos/metrics/servlet/RegistrationExamples.java, protected-jetty",
    "src/test/resources/webapp/WEB-INF/web.xml, web.xml"
  })
  void theReadmeShowsTheSnippetVerbatim(String source, String name) throws IOException {
    String snippet = snippet(Path.of(source), name);
    assertThat(snippet).isNotBlank();
    assertThat(Files.readString(README, StandardCharsets.UTF_8)).contains(snippet);
  }

  @Test
  void theEmbeddedJettySnippetRecordsAndServesMetrics() throws Exception {
    ServletContextHandler context = RegistrationExamples.embeddedJetty(metrics);
    context.addServletContainerInitializer((classes, sc) -> FixtureServlets.register(sc));
    try (App app = Containers.jetty(context)) {
      assertRecordsTasksAsZeus(app);
    }
  }

  @Test
  void theEmbeddedTomcatSnippetRecordsAndServesMetrics() throws Exception {
    try (App app =
        Containers.tomcat(
            (tomcat, docBase) -> {
              Context context = RegistrationExamples.embeddedTomcat(tomcat, docBase, metrics);
              context.addServletContainerInitializer(
                  (classes, sc) -> FixtureServlets.register(sc), null);
              return context;
            })) {
      assertRecordsTasksAsZeus(app);
    }
  }

  @Test
  void theProtectedSnippetsRefuseAScrapeWithoutTheToken() throws Exception {
    String token = "readme-token";
    ServletContainerInitializer setup =
        (classes, context) -> RegistrationExamples.protectedInstall(context, metrics, token);
    try (App app = Containers.tomcat(setup)) {
      assertThat(get(app.baseUri(), "/metrics").statusCode()).isEqualTo(401);
    }
    try (App app = Containers.jetty(RegistrationExamples.protectedJetty(metrics, token))) {
      assertThat(get(app.baseUri(), "/metrics").statusCode()).isEqualTo(401);
      HttpResponse<String> allowed =
          client.send(
              HttpRequest.newBuilder(app.baseUri().resolve("/metrics"))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(20))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(allowed.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void theSpringBootRegistrationBeansRecordAndServeMetrics() throws Exception {
    // Spring Boot's embedded container hands each registration bean the ServletContext.
    RegistrationExamples.SpringBootConfiguration configuration =
        new RegistrationExamples.SpringBootConfiguration();
    try (App app =
        Containers.tomcat(
            (classes, context) -> {
              configuration.kosmosMetricsFilter(metrics).onStartup(context);
              configuration.metricsServlet(metrics).onStartup(context);
              FixtureServlets.register(context);
            })) {
      assertRecordsTasksAsZeus(app);
    }
  }

  @Test
  void theWebXmlSnippetDeploysInTomcat() throws Exception {
    // web.xml's filter and servlet use the default registry; only this test records "zeus" there.
    Path webapp = Path.of("target/test-classes/webapp").toAbsolutePath();
    try (App app =
        Containers.tomcat(
            (tomcat, docBase) -> {
              tomcat.setAddDefaultWebXmlToWebapp(false);
              Context context = tomcat.addWebapp("", webapp.toString());
              StandardJarScanner scanner = new StandardJarScanner();
              scanner.setScanClassPath(false);
              context.setJarScanner(scanner);
              return context;
            })) {
      assertThat(get(app.baseUri(), "/no/such/page").statusCode()).isEqualTo(404);
      assertThat(get(app.baseUri(), "/healthz").statusCode()).isEqualTo(404);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                Exposition scrape = Exposition.parse(get(app.baseUri(), "/metrics").body());
                assertThat(scrape.matching("http_requests_total", "agent", "zeus"))
                    .singleElement()
                    .satisfies(
                        sample -> {
                          assertThat(sample.labels())
                              .containsEntry("endpoint", "unmatched")
                              .containsEntry("status", "404");
                          assertThat(sample.value()).isEqualTo(1);
                        });
              });
    }
  }

  private void assertRecordsTasksAsZeus(App app) throws Exception {
    assertThat(get(app.baseUri(), "/tasks/7").statusCode()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              HttpResponse<String> response = get(app.baseUri(), "/metrics");
              assertThat(response.statusCode()).isEqualTo(200);
              Exposition scrape = Exposition.parse(response.body());
              assertThat(
                      scrape.value(
                          "http_requests_total",
                          "endpoint",
                          "/tasks/{id}",
                          "agent",
                          "zeus",
                          "status",
                          "200"))
                  .isEqualTo(1);
              assertThat(scrape.sum("http_requests_total")).isEqualTo(1);
            });
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * The lines between {@code readme:<name>:begin} and {@code readme:<name>:end}, without their
   * common indentation.
   */
  static String snippet(Path source, String name) throws IOException {
    List<String> lines = Files.readAllLines(source, StandardCharsets.UTF_8);
    List<String> kept = new ArrayList<>();
    boolean inside = false;
    for (String line : lines) {
      if (line.contains("readme:" + name + ":end")) {
        break;
      }
      if (inside) {
        kept.add(line);
      }
      if (line.contains("readme:" + name + ":begin")) {
        inside = true;
      }
    }
    int indent =
        kept.stream()
            .filter(line -> !line.isBlank())
            .mapToInt(line -> line.length() - line.stripLeading().length())
            .min()
            .orElse(0);
    return String.join(
        "\n", kept.stream().map(line -> line.isBlank() ? "" : line.substring(indent)).toList());
  }
}
