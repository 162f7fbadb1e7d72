package io.kosmos.metrics.spring.boot;

import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.servlet.KosmosMetricsFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.UrlPathHelper;

/**
 * Names the route of a request that Spring MVC's {@code DispatcherServlet} was to serve but never
 * saw, because a filter answered first (Spring Security's 401 and 403, a 400 from a validating
 * filter): it asks the application's {@link RequestMappingInfoHandlerMapping}s, the way the
 * dispatcher would have, which mapping takes the request, and sets that mapping's pattern, or
 * {@value HttpRecorder#UNMATCHED}, as {@link KosmosMetricsFilter#ENDPOINT_ATTRIBUTE}. So a client
 * that is turned away can neither create endpoint values from its paths nor push a real route's
 * template out of the endpoint budget. Never throws into the application and changes nothing it
 * sees: the lookup runs after the chain returned, and the attributes it sets are removed again.
 */
final class SpringRouteFilter implements Filter {

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");

  private final ObjectProvider<RequestMappingInfoHandlerMapping> mappingsProvider;
  private volatile @Nullable List<RequestMappingInfoHandlerMapping> mappings;
  private final ConcurrentMap<String, Boolean> dispatcherServlets = new ConcurrentHashMap<>();

  SpringRouteFilter(ObjectProvider<RequestMappingInfoHandlerMapping> mappings) {
    this.mappingsProvider = mappings;
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    try {
      chain.doFilter(request, response);
    } finally {
      if (request instanceof HttpServletRequest http) {
        nameRoute(http);
      }
    }
  }

  private void nameRoute(HttpServletRequest request) {
    try {
      if (request.isAsyncStarted()
          || request.getAttribute(KosmosMetricsFilter.ENDPOINT_ATTRIBUTE) != null
          || request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) != null
          || !forDispatcherServlet(request)) {
        // Spring MVC ran (and named the route), or another servlet serves the path.
        return;
      }
      String template = template(request);
      request.setAttribute(
          KosmosMetricsFilter.ENDPOINT_ATTRIBUTE,
          template == null ? HttpRecorder.UNMATCHED : template);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.DEBUG, "kosmos-metrics could not name a route", e);
    }
  }

  private boolean forDispatcherServlet(HttpServletRequest request) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    String name = mapping == null ? null : mapping.getServletName();
    if (name == null) {
      return false;
    }
    return dispatcherServlets.computeIfAbsent(
        name,
        n -> {
          ServletRegistration registration = request.getServletContext().getServletRegistration(n);
          String className = registration == null ? null : registration.getClassName();
          if (className == null) {
            return false;
          }
          try {
            return DispatcherServlet.class.isAssignableFrom(
                Class.forName(className, false, DispatcherServlet.class.getClassLoader()));
          } catch (ClassNotFoundException | LinkageError e) {
            return false;
          }
        });
  }

  /**
   * The pattern of the first handler mapping that takes the request, or null when none does, or one
   * matches the path but not the method or media types (Spring MVC would answer 405, 415 or 406: no
   * route).
   */
  private @Nullable String template(HttpServletRequest request) {
    Set<String> before = new HashSet<>(Collections.list(request.getAttributeNames()));
    Object parsedPath = request.getAttribute(ServletRequestPathUtils.PATH_ATTRIBUTE);
    Object lookupPath = request.getAttribute(UrlPathHelper.PATH_ATTRIBUTE);
    try {
      ServletRequestPathUtils.parseAndCache(request);
      for (RequestMappingInfoHandlerMapping mapping : mappings()) {
        HandlerExecutionChain chain;
        try {
          chain = mapping.getHandler(request);
        } catch (Exception e) {
          return null;
        }
        if (chain != null) {
          Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
          return pattern instanceof String s && !s.isEmpty() ? s : null;
        }
      }
      return null;
    } finally {
      for (String name : Collections.list(request.getAttributeNames())) {
        if (!before.contains(name)) {
          request.removeAttribute(name);
        }
      }
      restore(request, ServletRequestPathUtils.PATH_ATTRIBUTE, parsedPath);
      restore(request, UrlPathHelper.PATH_ATTRIBUTE, lookupPath);
    }
  }

  private static void restore(HttpServletRequest request, String name, @Nullable Object value) {
    if (value == null) {
      request.removeAttribute(name);
    } else {
      request.setAttribute(name, value);
    }
  }

  private List<RequestMappingInfoHandlerMapping> mappings() {
    List<RequestMappingInfoHandlerMapping> known = mappings;
    if (known == null) {
      // Looked up on first use: every mapping bean exists by the time requests arrive.
      known = mappingsProvider.orderedStream().toList();
      mappings = known;
    }
    return known;
  }
}
