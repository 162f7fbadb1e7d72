package io.kosmos.metrics.servlet;

import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.internal.SelfMetrics;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** What a configured filter records with: the recorder, the paths it skips, the endpoint rules. */
final class Recording {

  /**
   * Most prefix mappings whose pattern is kept; an application declares a handful. Past it a
   * pattern is built per request, as before the cache.
   */
  static final int MAX_PREFIX_PATTERNS = 64;

  private final HttpRecorder recorder;
  private final SelfMetrics self;
  private final String[] exactSkips;
  private final String[] prefixSkips;

  /**
   * A prefix mapping's servlet path ({@code /api}) to its pattern ({@code /api/*}), so that a
   * request does not build the same string again; Jetty even hands the same servlet path instance
   * to every request of a mapping, which makes the lookup an identity hit.
   */
  private final ConcurrentHashMap<String, String> prefixPatterns = new ConcurrentHashMap<>();

  Recording(HttpRecorder recorder, SelfMetrics self, List<String> skipPaths) {
    this.recorder = recorder;
    this.self = self;
    this.exactSkips = skipPaths.stream().filter(p -> !p.endsWith("/*")).toArray(String[]::new);
    this.prefixSkips =
        skipPaths.stream()
            .filter(p -> p.endsWith("/*"))
            .map(p -> p.substring(0, p.length() - 2))
            .toArray(String[]::new);
  }

  /** The request path without the context path, as received (not decoded). */
  static String path(HttpServletRequest request) {
    String uri = request.getRequestURI();
    String context = request.getContextPath();
    return context != null && !context.isEmpty() && uri.startsWith(context)
        ? uri.substring(context.length())
        : uri;
  }

  boolean skips(String path) {
    for (String exact : exactSkips) {
      if (path.equals(exact)) {
        return true;
      }
    }
    for (String prefix : prefixSkips) {
      if (path.startsWith(prefix)
          && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/')) {
        return true;
      }
    }
    return false;
  }

  long start() {
    return recorder.start();
  }

  /** {@link HttpRecorder#startedAt}: a request the server saw arrive at that reading. */
  long startedAt(long systemNanoTime) {
    return recorder.startedAt(systemNanoTime);
  }

  /**
   * Ends the recording of a request whose first dispatch returned, or hands it to an {@link
   * AsyncRecording} when the request went async. Never throws.
   */
  void afterDispatch(
      long start,
      HttpServletRequest request,
      HttpServletResponse response,
      String path,
      boolean threw) {
    try {
      if (request.isAsyncStarted()) {
        // The cycle cannot complete before this dispatch returns to the container, so a listener
        // added here always hears the completion.
        request
            .getAsyncContext()
            .addListener(
                new AsyncRecording(
                    this, start, request, response, path, FirstDispatch.of(request)));
        return;
      }
    } catch (RuntimeException e) {
      // The async cycle ended in the meantime (IllegalStateException): record what we know now.
      internalError("KosmosMetricsFilter.afterDispatch", e);
    }
    end(start, request, path, finalStatus(response, threw));
  }

  /**
   * The status to record for a request that is over; {@code failed}: its dispatch threw or its
   * response could not be completed. A failure becomes the container's 500, unless a response was
   * already on its way.
   */
  static int finalStatus(HttpServletResponse response, boolean failed) {
    return failed && !committed(response) ? 500 : safeStatus(response);
  }

  void end(long start, HttpServletRequest request, String path, int status) {
    end(start, request, path, status, null);
  }

  /**
   * Ends the recording; {@code first} is what the first dispatch of an async request matched, which
   * wins over what a later dispatch left on the request.
   */
  void end(
      long start,
      HttpServletRequest request,
      String path,
      int status,
      @Nullable FirstDispatch first) {
    String method = null;
    String route = null;
    try {
      method = request.getMethod();
      route = route(request, status, first);
    } catch (RuntimeException e) {
      internalError("KosmosMetricsFilter.end", e);
    }
    if (HttpRecorder.UNMATCHED.equals(route)) {
      // Named unmatched on purpose (e.g. a request turned away before routing): with neither a
      // route nor a path the recorder can only count it as unmatched, whatever its status.
      recorder.end(start, method, null, null, status);
      return;
    }
    recorder.end(start, method, route, path, status);
  }

  void internalError(String where, RuntimeException e) {
    self.internalError(where, e);
  }

  /**
   * The route template of the request, first that applies: the explicit attribute, Spring MVC's
   * best matching pattern, the servlet mapping pattern unless it is the default servlet's; the last
   * two as the first dispatch left them when {@code first} is given.
   */
  private @Nullable String route(
      HttpServletRequest request, int status, @Nullable FirstDispatch first) {
    // Each source is read only when the ones before it said nothing: a container may build the
    // mapping on every call (Jetty does for a prefix pattern such as /api/*).
    String explicit = explicit(request);
    if (explicit != null) {
      return explicit;
    }
    Object springPattern =
        first != null
            ? first.springPattern()
            : request.getAttribute(KosmosMetricsFilter.SPRING_PATTERN_ATTRIBUTE);
    if (springPattern instanceof String spring && !spring.isEmpty()) {
      return spring(spring, status);
    }
    return first != null ? pattern(first.mapping()) : servletPattern(request);
  }

  /**
   * The pattern of the servlet mapping that took the request. A prefix match ({@code /api/*}) is
   * the only kind with a path info after a non-empty servlet path, and its pattern is that servlet
   * path and {@code /*}: read so, without the mapping object, which Jetty builds on every call with
   * the substrings of the path. Every other kind (exact, extension, default, the context root,
   * {@code /*}) asks the mapping.
   */
  private @Nullable String servletPattern(HttpServletRequest request) {
    if (request.getPathInfo() != null) {
      String servletPath = request.getServletPath();
      if (servletPath != null && !servletPath.isEmpty()) {
        return prefixPattern(servletPath);
      }
    }
    return pattern(request.getHttpServletMapping());
  }

  /** {@code servletPath} and {@code /*}, built once per prefix mapping. */
  String prefixPattern(String servletPath) {
    String pattern = prefixPatterns.get(servletPath);
    if (pattern == null) {
      pattern = servletPath.concat("/*");
      if (prefixPatterns.size() < MAX_PREFIX_PATTERNS) {
        prefixPatterns.putIfAbsent(servletPath, pattern);
      }
    }
    return pattern;
  }

  private static @Nullable String explicit(HttpServletRequest request) {
    return request.getAttribute(KosmosMetricsFilter.ENDPOINT_ATTRIBUTE) instanceof String explicit
            && !explicit.isEmpty()
        ? explicit
        : null;
  }

  private static @Nullable String spring(String spring, int status) {
    // Spring Boot maps every path no controller takes to its static resources on "/**": a 404
    // there matched no route.
    return status == 404 && spring.equals("/**") ? null : spring;
  }

  private static @Nullable String pattern(@Nullable HttpServletMapping mapping) {
    MappingMatch match = mapping == null ? null : mapping.getMappingMatch();
    if (match == null || match == MappingMatch.DEFAULT) {
      // The default servlet serves every path nobody mapped: its pattern "/" says nothing.
      return null;
    }
    if (match == MappingMatch.CONTEXT_ROOT) {
      return "/";
    }
    String pattern = mapping.getPattern();
    return pattern == null || pattern.isEmpty() ? null : pattern;
  }

  /**
   * What the first dispatch of an async request matched, taken when that dispatch returns: a
   * failing async request is dispatched again, to the container's error page (Spring Boot's {@code
   * /error}), which overwrites Spring MVC's pattern attribute before the request completes.
   */
  record FirstDispatch(@Nullable Object springPattern, @Nullable HttpServletMapping mapping) {
    static @Nullable FirstDispatch of(HttpServletRequest request) {
      try {
        return new FirstDispatch(
            request.getAttribute(KosmosMetricsFilter.SPRING_PATTERN_ATTRIBUTE),
            request.getHttpServletMapping());
      } catch (RuntimeException e) {
        return null;
      }
    }
  }

  static int safeStatus(HttpServletResponse response) {
    try {
      return response.getStatus();
    } catch (RuntimeException e) {
      return 0; // dropped and counted as an invalid status by the recorder
    }
  }

  private static boolean committed(HttpServletResponse response) {
    try {
      return response.isCommitted();
    } catch (RuntimeException e) {
      return false;
    }
  }
}
