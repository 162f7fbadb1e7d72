package io.kosmos.metrics.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Who may read {@code /metrics}: anyone, the holder of a bearer token, or one HTTP Basic user. The
 * standalone {@link MetricsServer}, the servlet and the Vert.x adapters all ask the same question
 * of it, with the raw {@code Authorization} header of the request.
 *
 * <pre>{@code
 * MetricsAccess access = MetricsAccess.bearerToken(System.getenv("KOSMOS_METRICS_TOKEN"));
 * if (!access.allows(request.getHeader("Authorization"))) {
 *   response.setHeader("WWW-Authenticate", access.challenge());
 *   response.sendError(401);
 * }
 * }</pre>
 *
 * <p>The expected credential is kept only as its SHA-256 digest, and a presented credential is
 * hashed the same way before the two digests are compared with {@link MessageDigest#isEqual}: the
 * comparison always looks at 32 bytes, so neither where the first wrong character is nor how long
 * the secret is shows in the time an answer takes. {@link #toString()} never shows a credential,
 * and nothing here logs. Immutable and thread-safe.
 */
public final class MetricsAccess {

  private static final MetricsAccess OPEN = new MetricsAccess(Kind.OPEN, new byte[0]);

  /** The realm of every challenge: one protection space, the metrics endpoint. */
  static final String REALM = "metrics";

  private enum Kind {
    OPEN("", ""),
    BEARER("bearer", "Bearer realm=\"" + REALM + "\""),
    BASIC("basic", "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");

    final String scheme;
    final String challenge;

    Kind(String scheme, String challenge) {
      this.scheme = scheme;
      this.challenge = challenge;
    }
  }

  private final Kind kind;
  private final byte[] expectedDigest;

  private MetricsAccess(Kind kind, byte[] expectedDigest) {
    this.kind = kind;
    this.expectedDigest = expectedDigest;
  }

  /** No authentication: every request may read the metrics. The default of every endpoint. */
  public static MetricsAccess open() {
    return OPEN;
  }

  /**
   * Requests must carry {@code Authorization: Bearer <token>}.
   *
   * @param token the shared secret: RFC 6750 token characters only (letters, digits, {@code
   *     -._~+/}, optionally ending in {@code =}), so that it can be sent in a header as it is
   * @throws IllegalArgumentException when {@code token} is null, empty or contains another
   *     character; the message gives the index of the character, never the token
   */
  public static MetricsAccess bearerToken(String token) {
    if (token == null) {
      throw new IllegalArgumentException("token must not be null");
    }
    if (token.isEmpty()) {
      throw new IllegalArgumentException("token must not be empty, but was ''");
    }
    int bad = firstNonTokenCharacter(token);
    if (bad >= 0) {
      throw new IllegalArgumentException(
          "token must consist of letters, digits and '-._~+/', optionally followed by '=', but has"
              + " another character at index "
              + bad);
    }
    return new MetricsAccess(Kind.BEARER, sha256(token.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Requests must carry {@code Authorization: Basic <base64(user:password)>}, encoded in UTF-8.
   *
   * @param user not empty, without {@code ':'} (Basic authentication cannot express one) or control
   *     characters
   * @param password not empty, without control characters; may contain {@code ':'}
   * @throws IllegalArgumentException when a rule is broken; the message shows the user name, never
   *     the password
   */
  public static MetricsAccess basic(String user, String password) {
    if (user == null) {
      throw new IllegalArgumentException("user must not be null");
    }
    if (user.isEmpty() || user.indexOf(':') >= 0 || firstControlCharacter(user) >= 0) {
      throw new IllegalArgumentException(
          "user must be non-empty and contain no ':' or control character, but was '"
              + user.replaceAll("\\p{Cntrl}", "?")
              + "'");
    }
    if (password == null) {
      throw new IllegalArgumentException("password must not be null");
    }
    if (password.isEmpty()) {
      throw new IllegalArgumentException("password must not be empty, but was ''");
    }
    int control = firstControlCharacter(password);
    if (control >= 0) {
      throw new IllegalArgumentException(
          "password must contain no control character, but has one at index " + control);
    }
    return new MetricsAccess(
        Kind.BASIC, sha256((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /** Whether this is {@link #open()}: every request is allowed. */
  public boolean isOpen() {
    return kind == Kind.OPEN;
  }

  /**
   * Whether a request with this {@code Authorization} header value may read the metrics. Always
   * true when {@link #isOpen() open}; otherwise the scheme must match (case-insensitively) and the
   * credential must be the configured one. Never throws.
   *
   * @param authorization the raw header value, or null when the request has none
   */
  public boolean allows(@Nullable String authorization) {
    if (kind == Kind.OPEN) {
      return true;
    }
    byte[] presented = credential(authorization);
    return presented != null && MessageDigest.isEqual(sha256(presented), expectedDigest);
  }

  /**
   * The {@code WWW-Authenticate} value to send with a 401: {@code Bearer realm="metrics"} or {@code
   * Basic realm="metrics", charset="UTF-8"}. Empty for {@link #open()}, which never refuses.
   */
  public String challenge() {
    return kind.challenge;
  }

  /** The kind of access, never the credential: {@code MetricsAccess[bearer]} for instance. */
  @Override
  public String toString() {
    return "MetricsAccess[" + (kind == Kind.OPEN ? "open" : kind.scheme) + "]";
  }

  /** The digest that {@link #allows} compares with; for tests of the comparison's structure. */
  byte[] expectedDigest() {
    return expectedDigest.clone();
  }

  /** The credential bytes of a header of this kind's scheme, or null. */
  private byte @Nullable [] credential(@Nullable String authorization) {
    if (authorization == null) {
      return null;
    }
    String value = authorization.trim();
    int space = value.indexOf(' ');
    if (space <= 0 || !value.substring(0, space).toLowerCase(Locale.ROOT).equals(kind.scheme)) {
      return null;
    }
    String credential = value.substring(space + 1).trim();
    if (kind == Kind.BEARER) {
      return credential.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(credential);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException(e);
    }
  }

  private static int firstNonTokenCharacter(String token) {
    int end = token.length();
    while (end > 1 && token.charAt(end - 1) == '=') {
      end--;
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      boolean allowed =
          i < end
              ? c >= 'a' && c <= 'z'
                  || c >= 'A' && c <= 'Z'
                  || c >= '0' && c <= '9'
                  || "-._~+/".indexOf(c) >= 0
              : c == '=';
      if (!allowed) {
        return i;
      }
    }
    return -1;
  }

  private static int firstControlCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
