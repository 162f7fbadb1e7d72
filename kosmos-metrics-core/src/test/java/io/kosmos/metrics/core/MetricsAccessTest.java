package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The one credential check of every {@code /metrics} endpoint. */
class MetricsAccessTest {

  private static final String TOKEN = "s3cr3t-T0ken_value.~+/==";

  private static String basic(String userAndPassword) {
    return "Basic "
        + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void openAllowsEveryRequest() {
    MetricsAccess open = MetricsAccess.open();
    assertThat(open.isOpen()).isTrue();
    assertThat(open.allows(null)).isTrue();
    assertThat(open.allows("Bearer anything")).isTrue();
    assertThat(open.challenge()).isEmpty();
    assertThat(open).hasToString("MetricsAccess[open]");
  }

  @Test
  void aBearerTokenAllowsOnlyThatToken() {
    MetricsAccess access = MetricsAccess.bearerToken(TOKEN);
    assertThat(access.isOpen()).isFalse();
    assertThat(access.allows("Bearer " + TOKEN)).isTrue();
    assertThat(access.allows("bearer   " + TOKEN + " ")).as("scheme case, spaces").isTrue();
    assertThat(access.allows(null)).isFalse();
    assertThat(access.allows("")).isFalse();
    assertThat(access.allows("Bearer")).isFalse();
    assertThat(access.allows("Bearer " + TOKEN + "x")).isFalse();
    assertThat(access.allows("Bearer " + TOKEN.substring(1))).isFalse();
    assertThat(access.allows(TOKEN)).as("no scheme").isFalse();
    assertThat(access.allows("Basic " + TOKEN)).isFalse();
    assertThat(access.challenge()).isEqualTo("Bearer realm=\"metrics\"");
  }

  @Test
  void basicAllowsOnlyThatUserAndPassword() {
    MetricsAccess access = MetricsAccess.basic("prometheus", "pa:ss wörd");
    assertThat(access.allows(basic("prometheus:pa:ss wörd"))).isTrue();
    assertThat(access.allows(basic("prometheus:pa:ss word"))).isFalse();
    assertThat(access.allows(basic("Prometheus:pa:ss wörd"))).isFalse();
    assertThat(access.allows(basic("prometheus"))).isFalse();
    assertThat(access.allows("Basic not*base64")).isFalse();
    assertThat(access.allows("Bearer " + basic("prometheus:pa:ss wörd").substring(6))).isFalse();
    assertThat(access.allows(null)).isFalse();
    assertThat(access.challenge()).isEqualTo("Basic realm=\"metrics\", charset=\"UTF-8\"");
  }

  @Test
  void toStringNeverShowsACredential() {
    assertThat(MetricsAccess.bearerToken(TOKEN)).hasToString("MetricsAccess[bearer]");
    assertThat(MetricsAccess.basic("prometheus", "hunter2")).hasToString("MetricsAccess[basic]");
  }

  /**
   * The comparison cannot be timed honestly in a unit test; what makes it constant-time is its
   * structure: both sides are SHA-256 digests of 32 bytes whatever the secret's length, compared
   * with {@code MessageDigest.isEqual}.
   */
  @Test
  void comparesFixedLengthDigestsNotTheSecretItself() {
    byte[] shortDigest = MetricsAccess.bearerToken("a").expectedDigest();
    byte[] longDigest = MetricsAccess.bearerToken("a".repeat(4096)).expectedDigest();
    assertThat(shortDigest).hasSize(32);
    assertThat(longDigest).hasSize(32);
    assertThat(MetricsAccess.bearerToken("a").expectedDigest())
        .isEqualTo(MetricsAccess.sha256("a".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo("a".getBytes(StandardCharsets.UTF_8));
    assertThat(MetricsAccess.basic("u", "p").expectedDigest())
        .isEqualTo(MetricsAccess.sha256("u:p".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void anInvalidTokenIsRejectedWithoutShowingIt() {
    assertThatThrownBy(() -> MetricsAccess.bearerToken(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be null");
    assertThatThrownBy(() -> MetricsAccess.bearerToken(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("token must not be empty, but was ''");
    assertThatThrownBy(() -> MetricsAccess.bearerToken("   "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "token must consist of letters, digits and '-._~+/', optionally followed by '=', but"
                + " has another character at index 0");
    assertThatThrownBy(() -> MetricsAccess.bearerToken("secret token\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "token must consist of letters, digits and '-._~+/', optionally followed by '=', but"
                + " has another character at index 6");
    assertThatThrownBy(() -> MetricsAccess.bearerToken("ab=c")).hasMessageEndingWith("index 2");
    assertThatThrownBy(() -> MetricsAccess.bearerToken("==")).hasMessageEndingWith("index 0");
  }

  @Test
  void anInvalidUserOrPasswordIsRejected() {
    assertThatThrownBy(() -> MetricsAccess.basic(null, "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("user must not be null");
    assertThatThrownBy(() -> MetricsAccess.basic("", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("user must be non-empty and contain no ':' or control character, but was ''");
    assertThatThrownBy(() -> MetricsAccess.basic("prom:etheus", "p"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "user must be non-empty and contain no ':' or control character, but was"
                + " 'prom:etheus'");
    assertThatThrownBy(() -> MetricsAccess.basic("prom\r\n", "p"))
        .hasMessage(
            "user must be non-empty and contain no ':' or control character, but was 'prom??'");
    assertThatThrownBy(() -> MetricsAccess.basic("prom", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("password must not be null");
    assertThatThrownBy(() -> MetricsAccess.basic("prom", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("password must not be empty, but was ''");
    assertThatThrownBy(() -> MetricsAccess.basic("prom", "hunter2\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("password must contain no control character, but has one at index 7");
  }
}
