package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PathNormalizerTest {

  private final PathNormalizer normalizer = PathNormalizer.defaults();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/ | /",
        "'' | /",
        "/health | /health",
        "/tasks/42 | /tasks/{id}",
        "/tasks/42/ | /tasks/{id}",
        "/api/v1/users/1234567/orders | /api/v1/users/{id}/orders",
        "/orders/7f9c2ba4-e88f-11ee-a951-0242ac120002 | /orders/{uuid}",
        "/commits/9fceb02d0ae598e95dc970b74767f19372d61af8 | /commits/{hex}",
        "/objects/507f1f77bcf86cd799439011 | /objects/{hex}",
        "/reports/2024-01-05 | /reports/{id}",
        "/s/aZ3kQ9xLmP2vB7 | /s/{token}",
        "/invite/user1234 | /invite/{token}",
        "/models/gpt-4o-mini/chat | /models/gpt-4o-mini/chat",
        "/oauth2/callback | /oauth2/callback",
        "/search?q=secret&page=2 | /search",
        "/docs#section | /docs",
        "/files/my%20report.pdf | /files/{value}",
        "/users/alice@example.com | /users/{value}",
        "/a/./b/../c | /a/c",
        "/../../etc/passwd | /etc/passwd",
        "//double//slashes/ | /double/slashes",
        "/cart;jsessionid=ABC123/items | /cart/items",
        "/x/qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq | /x/{token}",
        "/--- | /{value}",
      })
  void replacesIdLikeSegmentsWithPlaceholders(String path, String expected) {
    assertThat(normalizer.normalize(path)).isEqualTo(expected);
  }

  @Test
  void longPathsAreCutAtASegmentBoundary() {
    assertThat(normalizer.normalize("/a/b/c/d/e/f/g/h/i/j/k/l/m"))
        .isEqualTo("/a/b/c/d/e/f/g/h/i/j/...");
    assertThat(normalizer.normalize("/a/b/c/d/e/f/g/h/i/j/k/../.."))
        .isEqualTo("/a/b/c/d/e/f/g/h/i");

    String tenKilobytes = "/" + "word/".repeat(2_000);
    String cut = PathNormalizer.builder().maxSegments(64).build().normalize(tenKilobytes);
    assertThat(cut).hasSizeLessThanOrEqualTo(128 + 4).endsWith("/...");
    assertThat(PathNormalizer.builder().maxLength(16).build().normalize("/abcdefgh/ijklmnop/q"))
        .isEqualTo("/abcdefgh/...");
  }

  @Test
  void nullIsTheRoot() {
    assertThat(normalizer.normalize(null)).isEqualTo("/");
  }

  @Test
  void limitsOutsideTheirRangeFailAtBuildTime() {
    assertThatThrownBy(() -> PathNormalizer.builder().maxLength(253))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxLength must be between 16 and 252, but was 253");
    assertThatThrownBy(() -> PathNormalizer.builder().maxSegments(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxSegments must be between 1 and 64, but was 0");
  }
}
