package io.kosmos.metrics.vertx;

import io.kosmos.metrics.core.internal.Labels;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * Finds the template of the route that answered a request, as one path across sub-routers.
 *
 * <p>Vert.x Web exposes the matched route only while its handler runs, and only on the routing
 * context of the router that holds it: the root context sees a sub-router's mount route, and a
 * failure ({@code ctx.fail} or a throwing handler) resets the current route before the failure
 * handlers run. So the answering route is taken from the root context when it is known, and
 * otherwise (inside a sub-router, or after a synchronous failure) the request's path is matched
 * again, in router order, against the routes' own templates. That second match considers the path
 * and the method only, which is what decides a route in practice; a route that a {@code consumes},
 * {@code produces} or virtual host condition skipped may then be named in its place.
 */
final class RouteTemplates {

  private static final int MAX_DEPTH = 16;
  private static final int MAX_CACHED_PATTERNS = 256;
  private static final ConcurrentHashMap<String, Optional<Pattern>> PATTERNS =
      new ConcurrentHashMap<>();

  private RouteTemplates() {}

  /**
   * The endpoint template of a request, or {@code null} when no route with a path answered it.
   *
   * @param answered the route the root context last ran, if it has a path or regex
   * @param router the root router, to match again when {@code answered} is unknown
   * @param path the path the router matched (the normalised one)
   */
  static @Nullable String of(
      @Nullable Route answered, Router router, HttpMethod method, @Nullable String path) {
    if (path == null || path.isEmpty()) {
      return answered == null || answered.getSubRouter() != null ? null : bounded(own(answered));
    }
    if (answered == null) {
      return bounded(match(router.getRoutes(), method, path, 0, 0));
    }
    Router sub = answered.getSubRouter();
    String mount = answered.getPath();
    if (sub == null || mount == null) {
      return bounded(own(answered));
    }
    int end = matchPath(mount, false, path, 0);
    if (end < 0) {
      return null;
    }
    String rest = match(sub.getRoutes(), method, path, end, 1);
    return rest == null ? null : bounded(join(mount, rest));
  }

  /** Whether {@code route} carries a template: a path or a regex. */
  static boolean hasTemplate(Route route) {
    return route.getPath() != null || route.isRegexPath();
  }

  /**
   * The route's own template: its path ({@code /tasks/:id}); for a regex route the name given with
   * {@link Route#setName}, or else the regex itself.
   */
  private static @Nullable String own(Route route) {
    String path = route.getPath();
    return path != null ? path : route.getName();
  }

  /**
   * Keeps a template within the label length rule: a longer one (a long regex) would be dropped by
   * core, losing the request, so it yields {@code null} and the request is recorded by its
   * normalised path instead. Each {@code :name} may grow by one character when rendered.
   */
  private static @Nullable String bounded(@Nullable String template) {
    if (template == null) {
      return null;
    }
    if (2 * template.length() + 1 <= Labels.MAX_LENGTH) {
      // Even if every character were a ':' and the leading '/' were missing, it would fit: no
      // need to count on every request.
      return template;
    }
    int growth = template.startsWith("/") ? 0 : 1;
    for (int i = 0; i < template.length(); i++) {
      if (template.charAt(i) == ':') {
        growth++;
      }
    }
    return template.length() + growth > Labels.MAX_LENGTH ? null : template;
  }

  private static @Nullable String match(
      List<Route> routes, HttpMethod method, String path, int from, int depth) {
    if (depth > MAX_DEPTH) {
      return null;
    }
    for (Route route : routes) {
      Set<HttpMethod> methods = route.methods();
      if (methods != null && !methods.isEmpty() && !methods.contains(method)) {
        continue;
      }
      String template = route.getPath();
      if (template == null) {
        if (route.isRegexPath() && regexMatches(route, path, from)) {
          return own(route);
        }
        continue;
      }
      Router sub = route.getSubRouter();
      int end = matchPath(template, sub == null && route.isExactPath(), path, from);
      if (end < 0) {
        continue;
      }
      if (sub == null) {
        return template;
      }
      String rest = match(sub.getRoutes(), method, path, end, depth + 1);
      if (rest != null) {
        return join(template, rest);
      }
    }
    return null;
  }

  private static boolean regexMatches(Route route, String path, int from) {
    String regex = route.getName();
    if (regex == null) {
      return false;
    }
    Optional<Pattern> pattern = PATTERNS.get(regex);
    if (pattern == null) {
      pattern = compile(regex);
      if (PATTERNS.size() < MAX_CACHED_PATTERNS) {
        PATTERNS.putIfAbsent(regex, pattern);
      }
    }
    return pattern.isPresent() && pattern.get().matcher(path.substring(from)).matches();
  }

  private static Optional<Pattern> compile(String regex) {
    try {
      return Optional.of(Pattern.compile(regex));
    } catch (PatternSyntaxException e) {
      // A name given with setName, not a regex: such a route cannot be matched again.
      return Optional.empty();
    }
  }

  /**
   * Matches {@code template} segment by segment against {@code path} from index {@code from};
   * {@code :name} segments match any non-empty segment. Returns the index in {@code path} after the
   * matched part, or -1. An exact template must cover the whole path (a trailing slash aside); a
   * prefix template (written with a trailing {@code *}) only its leading segments.
   */
  static int matchPath(String template, boolean exact, String path, int from) {
    int templateEnd = template.length();
    while (templateEnd > 0 && template.charAt(templateEnd - 1) == '/') {
      templateEnd--;
    }
    int t = 0;
    int p = from;
    while (t < templateEnd) {
      if (template.charAt(t) != '/' || p >= path.length() || path.charAt(p) != '/') {
        return -1;
      }
      t++;
      p++;
      int templateSegmentEnd = segmentEnd(template, t, templateEnd);
      int pathSegmentEnd = segmentEnd(path, p, path.length());
      int length = templateSegmentEnd - t;
      boolean parameter = length > 1 && template.charAt(t) == ':';
      if (parameter
          ? pathSegmentEnd == p
          : pathSegmentEnd - p != length || !template.regionMatches(t, path, p, length)) {
        return -1;
      }
      t = templateSegmentEnd;
      p = pathSegmentEnd;
    }
    if (!exact) {
      return p;
    }
    boolean rest = p < path.length() && !(p == path.length() - 1 && path.charAt(p) == '/');
    return rest ? -1 : path.length();
  }

  private static int segmentEnd(String s, int start, int end) {
    int slash = s.indexOf('/', start);
    return slash < 0 || slash > end ? end : slash;
  }

  /** Joins a mount path ({@code /api/v1/}) and a route template within it into one path. */
  private static String join(String mount, String template) {
    int end = mount.length();
    while (end > 0 && mount.charAt(end - 1) == '/') {
      end--;
    }
    String prefix = mount.substring(0, end);
    if (template.equals("/")) {
      return prefix.isEmpty() ? "/" : prefix;
    }
    return template.startsWith("/") ? prefix + template : prefix + "/" + template;
  }
}
