package io.kosmos.metrics.core;

import org.jspecify.annotations.Nullable;

/**
 * Turns a raw request path into a bounded {@code endpoint} label value, for requests whose route
 * template is unknown.
 *
 * <pre>{@code
 * PathNormalizer normalizer = PathNormalizer.builder().maxLength(96).build();
 * normalizer.normalize("/users/42/orders/7f9c2ba4-e88f-11ee-a951-0242ac120002?x=1");
 * // "/users/{id}/orders/{uuid}"
 * }</pre>
 *
 * <p>The ops guide's middleware labels requests with the raw path, so every user id, order number
 * or random token becomes its own time series: memory grows without bound in the agent and in
 * Prometheus. This normaliser keeps static segments and replaces the rest:
 *
 * <ul>
 *   <li>{@code {id}}: digits, optionally with {@code - . _} separators ({@code 42}, {@code
 *       2024-01-05});
 *   <li>{@code {uuid}}: a UUID;
 *   <li>{@code {hex}}: 16 or more hex digits (hashes, object ids);
 *   <li>{@code {token}}: letters mixed with digits that look generated (12 or more characters, or 4
 *       or more digits), and any segment longer than 32 characters;
 *   <li>{@code {value}}: a segment with characters outside {@code A-Z a-z 0-9 - . _ ~}, such as
 *       percent-encoded text or e-mail addresses.
 * </ul>
 *
 * <p>The query, fragment and {@code ;} parameters are removed, {@code .} and {@code ..} segments
 * are resolved, repeated and trailing slashes are dropped, and the result is cut at a segment
 * boundary to {@link Builder#maxSegments} segments and {@link Builder#maxLength} characters, with
 * {@code /...} marking the cut. {@link HttpRecorder} uses it only when {@link
 * HttpRecorder.Builder#maxPathEndpoints} is above 0 (by default a request without a route is {@code
 * unmatched}), and that budget bounds what this heuristic lets through. Thread-safe and immutable.
 */
public final class PathNormalizer {

  private static final String ELLIPSIS = "/...";

  private final int maxLength;
  private final int maxSegments;

  private PathNormalizer(Builder builder) {
    this.maxLength = builder.maxLength;
    this.maxSegments = builder.maxSegments;
  }

  /** A normaliser with the defaults: 128 characters, 10 segments. */
  public static PathNormalizer defaults() {
    return builder().build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The endpoint label value for {@code path}; {@code "/"} for a null or empty path. Never throws.
   */
  public String normalize(@Nullable String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    int end = path.length();
    for (int i = 0; i < end; i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        end = i;
      }
    }
    String[] kept = new String[maxSegments + 1];
    int count = 0;
    int start = 0;
    while (start <= end) {
      int slash = path.indexOf('/', start);
      int segmentEnd = slash < 0 || slash > end ? end : slash;
      int semicolon = path.indexOf(';', start);
      int valueEnd = semicolon >= 0 && semicolon < segmentEnd ? semicolon : segmentEnd;
      if (valueEnd > start) {
        String segment = path.substring(start, valueEnd);
        if (segment.equals("..")) {
          count = Math.max(0, count - 1);
        } else if (!segment.equals(".")) {
          // Past the last slot only the count moves on; a later ".." may bring it back.
          if (count < kept.length) {
            kept[count] = classify(segment);
          }
          count++;
        }
      }
      start = segmentEnd + 1;
    }
    if (count == 0) {
      return "/";
    }
    StringBuilder out = new StringBuilder(Math.min(path.length(), maxLength) + ELLIPSIS.length());
    int used = Math.min(count, maxSegments);
    for (int i = 0; i < used; i++) {
      if (out.length() + 1 + kept[i].length() > maxLength) {
        return out.append(ELLIPSIS).toString();
      }
      out.append('/').append(kept[i]);
    }
    if (count > maxSegments) {
      out.append(ELLIPSIS);
    }
    return out.toString();
  }

  private static String classify(String segment) {
    int length = segment.length();
    int digits = 0;
    int letters = 0;
    int hex = 0;
    int separators = 0;
    for (int i = 0; i < length; i++) {
      char c = segment.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
        hex++;
      } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        letters++;
        if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
          hex++;
        }
      } else if (c == '-' || c == '.' || c == '_' || c == '~') {
        separators++;
      } else {
        return "{value}";
      }
    }
    if (digits > 0 && letters == 0) {
      return "{id}";
    }
    if (isUuid(segment)) {
      return "{uuid}";
    }
    if (hex == length && length >= 16) {
      return "{hex}";
    }
    if (length > 32 || (digits > 0 && letters > 0 && (length >= 12 || digits >= 4))) {
      return "{token}";
    }
    return separators == length ? "{value}" : segment;
  }

  private static boolean isUuid(String s) {
    if (s.length() != 36) {
      return false;
    }
    for (int i = 0; i < 36; i++) {
      char c = s.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : Character.digit(c, 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /** Configures a {@link PathNormalizer}. */
  public static final class Builder {
    private int maxLength = 128;
    private int maxSegments = 10;

    private Builder() {}

    /**
     * Longest result, in characters, before the {@code /...} marker. Default 128; at least 16 and
     * at most 252, so that a value stays within the 256 characters a label value may take.
     *
     * @throws IllegalArgumentException outside 16..252
     */
    public Builder maxLength(int maxLength) {
      if (maxLength < 16 || maxLength > 252) {
        throw new IllegalArgumentException(
            "maxLength must be between 16 and 252, but was " + maxLength);
      }
      this.maxLength = maxLength;
      return this;
    }

    /**
     * Most path segments kept before the {@code /...} marker. Default 10; at least 1 and at most
     * 64.
     *
     * @throws IllegalArgumentException outside 1..64
     */
    public Builder maxSegments(int maxSegments) {
      if (maxSegments < 1 || maxSegments > 64) {
        throw new IllegalArgumentException(
            "maxSegments must be between 1 and 64, but was " + maxSegments);
      }
      this.maxSegments = maxSegments;
      return this;
    }

    /** An immutable normaliser. */
    public PathNormalizer build() {
      return new PathNormalizer(this);
    }
  }
}
