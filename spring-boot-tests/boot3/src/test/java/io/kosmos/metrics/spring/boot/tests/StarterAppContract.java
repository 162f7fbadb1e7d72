package io.kosmos.metrics.spring.boot.tests;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.Exposition;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The app with only the starter and properties, behind Spring Security, sharing Actuator's
 * registry, under a context path.
 */
@SpringBootTest(
    classes = Fixtures.StarterApp.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "kosmos.metrics.agent=" + Fixtures.AGENT,
      "kosmos.metrics.token=" + Fixtures.TOKEN,
      "kosmos.metrics.use-actuator-registry=true",
      "server.servlet.context-path=/svc",
      "management.endpoints.web.exposure.include=health,prometheus",
      "spring.main.banner-mode=off"
    })
public abstract class StarterAppContract extends SpringAppContract {

  /** Paths anonymous scanners try, with a marker that must never reach a label. */
  private static final List<String> PROBES =
      List.of("/.env", "/wp-admin/setup-config.php", "/.git/config", "/cgi-bin/luci");

  @Override
  protected boolean sharesActuatorRegistry() {
    return true;
  }

  @Test
  void recordsSecurityRejectionsUnderTheRouteTemplate() throws Exception {
    Exposition before = scrape();
    assertThat(get("/secure/tasks/report-2026").statusCode()).isEqualTo(401);
    String user =
        "Basic "
            + Base64.getEncoder().encodeToString("user:password".getBytes(StandardCharsets.UTF_8));
    assertThat(get("/admin/tasks/7", "Authorization", user).statusCode()).isEqualTo(403);
    assertThat(get("/secure/tasks/8", "Authorization", user).body()).isEqualTo("secure 8");
    Exposition after = scrape();
    assertThat(
            requests(after, "/secure/tasks/{id}", 401)
                - requests(before, "/secure/tasks/{id}", 401))
        .isEqualTo(1);
    assertThat(
            requests(after, "/admin/tasks/{id}", 403) - requests(before, "/admin/tasks/{id}", 403))
        .isEqualTo(1);
    assertThat(
            requests(after, "/secure/tasks/{id}", 200)
                - requests(before, "/secure/tasks/{id}", 200))
        .isEqualTo(1);
    assertThat(after.text()).doesNotContain("report-2026").doesNotContain("{token}");
  }

  @Test
  void recordsAFilterRejectionUnderTheRouteTemplate() throws Exception {
    Exposition before = scrape();
    assertThat(get("/tasks/9", "X-Reject", "yes").statusCode()).isEqualTo(400);
    Exposition after = scrape();
    assertThat(requests(after, "/tasks/{id}", 400) - requests(before, "/tasks/{id}", 400))
        .isEqualTo(1);
  }

  @Test
  void anonymousProbesAddNoEndpointValueAndLeaveRealRoutesTheirTemplate() throws Exception {
    Exposition before = scrape();
    Set<String> endpointsBefore = before.labelValues("http_requests_total", "endpoint");
    Random random = new Random(12);
    int probes = 1_000;
    for (int i = 0; i < probes; i++) {
      String path =
          i < PROBES.size()
              ? PROBES.get(i)
              : "/probe" + Long.toHexString(random.nextLong()) + "/" + random.nextInt(100_000);
      assertThat(get(path).statusCode()).as(path).isEqualTo(401);
    }
    Exposition after = scrape();
    Set<String> added = new HashSet<>(after.labelValues("http_requests_total", "endpoint"));
    added.removeAll(endpointsBefore);
    assertThat(added).isSubsetOf("unmatched");
    assertThat(requests(after, "unmatched", 401) - requests(before, "unmatched", 401))
        .isEqualTo(probes);
    assertThat(after.text())
        .doesNotContain("probe")
        .doesNotContain(".env")
        .doesNotContain("wp-admin")
        .doesNotContain(".git")
        .doesNotContain("cgi-bin");
    assertThat(after.labelValues("http_requests_total", "endpoint")).doesNotContain("overflow");
    assertThat(after.value("kosmos_metrics_label_overflow_total", "label", "endpoint")).isZero();
    assertThat(get("/fresh/1").body()).isEqualTo("fresh 1");
    assertThat(requests(scrape(), "/fresh/{id}", 200)).isEqualTo(1);
  }
}
