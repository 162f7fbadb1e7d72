package io.kosmos.metrics.vertx;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Matching a path again against a route's own template, as Vert.x Web matches it. */
class RouteTemplatesTest {

  @Test
  void parametersMatchOneNonEmptySegment() {
    assertThat(RouteTemplates.matchPath("/tasks/:id", true, "/tasks/42", 0)).isEqualTo(9);
    assertThat(RouteTemplates.matchPath("/tasks/:id", true, "/tasks/42/", 0)).isEqualTo(10);
    assertThat(RouteTemplates.matchPath("/tasks/:id", true, "/tasks/", 0)).isEqualTo(-1);
    assertThat(RouteTemplates.matchPath("/tasks/:id", true, "/tasks/42/x", 0)).isEqualTo(-1);
    assertThat(RouteTemplates.matchPath("/tasks/:id", true, "/taskz/42", 0)).isEqualTo(-1);
  }

  @Test
  void aPrefixTemplateMatchesWholeLeadingSegmentsOnly() {
    assertThat(RouteTemplates.matchPath("/api/v1/", false, "/api/v1/items/7", 0)).isEqualTo(7);
    assertThat(RouteTemplates.matchPath("/api/v1/", false, "/api/v1", 0)).isEqualTo(7);
    assertThat(RouteTemplates.matchPath("/api/v1/", false, "/api/v10/items", 0)).isEqualTo(-1);
    assertThat(RouteTemplates.matchPath("/t/:tenant/", false, "/t/acme/items", 0)).isEqualTo(7);
  }

  @Test
  void matchingStartsWhereTheMountPointEnded() {
    assertThat(RouteTemplates.matchPath("/items/:id", true, "/api/v1/items/7", 7)).isEqualTo(15);
    assertThat(RouteTemplates.matchPath("/", false, "/api/v1/items/7", 7)).isEqualTo(7);
  }
}
