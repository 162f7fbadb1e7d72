package io.kosmos.metrics.servlet;

import io.kosmos.metrics.core.HttpRecorder;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsAccess;
import io.kosmos.metrics.core.NanoClock;
import io.kosmos.metrics.core.PathNormalizer;
import io.kosmos.metrics.core.internal.Catalog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A Jakarta Servlet filter that counts, times and labels every request with {@code
 * http_requests_total}, {@code http_request_duration_seconds} and {@code active_connections}.
 *
 * <pre>{@code
 * // In a ServletContainerInitializer or ServletContextListener: the filter on /*, and the
 * // catalog's registry on /metrics through a KosmosMetricsServlet.
 * KosmosMetricsFilter.builder(metrics)
 *     .agent("zeus")
 *     .metricsAccess(MetricsAccess.bearerToken(System.getenv("KOSMOS_METRICS_TOKEN")))
 *     .install(servletContext);
 *
 * // In a servlet mapped with a wildcard, name the route template yourself:
 * request.setAttribute(KosmosMetricsFilter.ENDPOINT_ATTRIBUTE, "/tasks/{id}");
 * }</pre>
 *
 * <p>The {@code endpoint} label is the first of these that applies:
 *
 * <ol>
 *   <li>the request attribute {@value #ENDPOINT_ATTRIBUTE}, set by the application or another
 *       framework to the route template ({@code /tasks/{id}}; {@code :id} is written {@code {id}});
 *   <li>Spring MVC's {@code HandlerMapping.bestMatchingPattern} request attribute, except for a 404
 *       under Spring Boot's catch-all static resource pattern {@code /**}, which matched no route;
 *       for an async request, as its first dispatch left it (an async failure is dispatched again
 *       to the error page, whose pattern does not name the route);
 *   <li>the pattern of the servlet mapping that served the request ({@code /boom}, {@code
 *       /tasks/*}), unless it is the default servlet ({@code /});
 *   <li>otherwise {@value HttpRecorder#UNMATCHED}, whatever the status: the client chose the path
 *       (core's rule, see {@link HttpRecorder}). With {@link Builder#maxPathEndpoints} above 0, a
 *       2xx takes the path without the context path through the {@link PathNormalizer}, within a
 *       budget of its own that never counts against the route templates.
 * </ol>
 *
 * <p>Each request is recorded exactly once, when it is over: a synchronous request when the filter
 * chain returns, an async request when its last async cycle completes (with the status the
 * container finally sent, also after an async timeout or error). An exception from the chain is
 * recorded as status 500, or as the status already sent if the response was committed, and is
 * rethrown unchanged. Only the first {@link DispatcherType#REQUEST} pass is recorded; forwards,
 * includes, async and error dispatches pass through. Register the filter for {@code REQUEST} with
 * async support on, first in the chain, on {@code /*}; requests of paths in {@link
 * Builder#skipPaths} and the {@link Builder#metricsPath} are not recorded.
 *
 * <p>A client that resets the connection before the response is recorded once with the status the
 * container leaves on the response (Jetty: 500, as the servlet's body read throws; Tomcat: 400).
 * Unlike the Vert.x adapter, the filter does not record 499 ("client closed request"): the Servlet
 * API has no portable way to tell the client's disconnect from the application's own {@code
 * IOException}.
 *
 * <p>Tomcat runs filters only for requests that some servlet is mapped to: keep its default servlet
 * so that requests for unknown paths are counted (as {@code unmatched}).
 *
 * <p><b>The public constructor</b> exists only because {@code web.xml} (and other declarative
 * registrations) instantiate filters reflectively; such a filter reads its configuration from
 * init-params in {@link #init}. Code should use {@link #builder}.
 */
public final class KosmosMetricsFilter implements Filter {

  /**
   * The request attribute that names the route template of a request, e.g. {@code /tasks/{id}}. It
   * wins over every other source of the {@code endpoint} label. Set it any time before the request
   * completes. The value {@value HttpRecorder#UNMATCHED} records the request as matching no route,
   * whatever its status (for a request turned away before routing).
   */
  public static final String ENDPOINT_ATTRIBUTE = "io.kosmos.metrics.servlet.endpoint";

  /** Where {@link Builder#install} serves the registry unless told otherwise. */
  public static final String DEFAULT_METRICS_PATH = "/metrics";

  /** Spring MVC's {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE}. */
  static final String SPRING_PATTERN_ATTRIBUTE =
      "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

  /**
   * Set on the thread while a filter records the request it is dispatching, so that a second
   * registration (or the same filter mapped twice) adds nothing. A REQUEST dispatch runs on one
   * thread from the first filter to its return, so the thread tells the first pass without a
   * request attribute, whose first set can make the container allocate the request's attribute map
   * (Jetty 12 creates it lazily). Holds only {@code Boolean.TRUE} or null, never an object of this
   * class loader.
   */
  private static final ThreadLocal<@Nullable Boolean> RECORDING = new ThreadLocal<>();

  static final String PARAM_AGENT = "agent";
  static final String PARAM_MAX_ENDPOINTS = "max-endpoints";
  static final String PARAM_MAX_PATH_ENDPOINTS = "max-path-endpoints";
  static final String PARAM_METRICS_PATH = "metrics-path";
  static final String PARAM_SKIP_PATHS = "skip-paths";
  private static final List<String> PARAMS =
      List.of(
          PARAM_AGENT,
          PARAM_MAX_ENDPOINTS,
          PARAM_METRICS_PATH,
          PARAM_SKIP_PATHS,
          PARAM_MAX_PATH_ENDPOINTS);

  private final boolean fromBuilder;
  private volatile @Nullable Recording recording;

  /**
   * For containers only: a filter configured by init-params in {@link #init}, recording into {@link
   * io.prometheus.metrics.model.registry.PrometheusRegistry#defaultRegistry}. Code should use
   * {@link #builder}.
   */
  public KosmosMetricsFilter() {
    this.fromBuilder = false;
  }

  private KosmosMetricsFilter(Recording recording) {
    this.fromBuilder = true;
    this.recording = recording;
  }

  /**
   * A builder for a filter recording into {@code metrics}' registry.
   *
   * @throws IllegalArgumentException when {@code metrics} is null
   */
  public static Builder builder(KosmosMetrics metrics) {
    if (metrics == null) {
      throw new IllegalArgumentException("metrics must not be null");
    }
    return new Builder(metrics);
  }

  /**
   * Reads the init-params of a filter made by the container ({@code web.xml}): {@code agent}
   * (required, see {@link Builder#agent}), {@code max-endpoints} (default 200), {@code
   * metrics-path} (default {@value #DEFAULT_METRICS_PATH}), {@code skip-paths} (comma-separated,
   * default none) and {@code max-path-endpoints} (default 0, see {@link Builder#maxPathEndpoints}).
   * It records into the default registry. A filter from {@link #builder} takes no init-params.
   *
   * @throws ServletException naming the parameter, the rule and the value, when an init-param is
   *     missing, unknown or invalid
   */
  @Override
  public void init(FilterConfig config) throws ServletException {
    InitParams.check(
        config.getInitParameterNames(),
        PARAMS,
        fromBuilder,
        "a filter made by KosmosMetricsFilter.builder");
    if (fromBuilder) {
      return;
    }
    Builder builder = builder(KosmosMetrics.builder().build());
    String agent = config.getInitParameter(PARAM_AGENT);
    builder.agent = agent == null ? null : agent.trim();
    String maxEndpoints = config.getInitParameter(PARAM_MAX_ENDPOINTS);
    if (maxEndpoints != null) {
      builder.maxEndpoints = parsePositive(PARAM_MAX_ENDPOINTS, maxEndpoints);
    }
    String maxPathEndpoints = config.getInitParameter(PARAM_MAX_PATH_ENDPOINTS);
    if (maxPathEndpoints != null) {
      builder.maxPathEndpoints = parsePathBudget(maxPathEndpoints);
    }
    String metricsPath = config.getInitParameter(PARAM_METRICS_PATH);
    if (metricsPath != null) {
      builder.metricsPath = metricsPath.trim();
    }
    String skipPaths = config.getInitParameter(PARAM_SKIP_PATHS);
    if (skipPaths != null) {
      List<@Nullable String> paths = new ArrayList<>();
      for (String path : skipPaths.split(",")) {
        if (!path.isBlank()) {
          paths.add(path.trim());
        }
      }
      builder.skipPaths = paths;
    }
    try {
      this.recording = builder.recording(PARAM_METRICS_PATH, PARAM_SKIP_PATHS);
    } catch (IllegalArgumentException e) {
      throw new ServletException("init-param " + e.getMessage(), e);
    }
  }

  private static int parsePositive(String param, String value) throws ServletException {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= 1) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the rule
    }
    throw new ServletException(
        "init-param " + param + " must be an integer of at least 1, but was '" + value + "'");
  }

  private static int parsePathBudget(String value) throws ServletException {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed >= 0 && parsed <= 1000) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below with the rule
    }
    throw new ServletException(
        "init-param "
            + PARAM_MAX_PATH_ENDPOINTS
            + " must be an integer between 0 and 1000, but was '"
            + value
            + "'");
  }

  /**
   * Records the request unless it is not the first {@code REQUEST} pass or its path is skipped.
   * Exceptions from the chain are rethrown unchanged; recording itself never throws.
   */
  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    Recording recording = this.recording;
    if (recording == null
        || !(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)
        || request.getDispatcherType() != DispatcherType.REQUEST
        || RECORDING.get() != null) {
      chain.doFilter(req, res);
      return;
    }
    String path = Recording.path(request);
    if (recording.skips(path)) {
      chain.doFilter(req, res);
      return;
    }
    RECORDING.set(Boolean.TRUE);
    long start = recording.start();
    boolean threw = true;
    try {
      chain.doFilter(req, res);
      threw = false;
    } finally {
      RECORDING.set(null);
      recording.afterDispatch(start, request, response, path, threw);
    }
  }

  /**
   * Lets go of the recorder: the filter holds no thread or other resource, and after {@code
   * destroy} it passes requests through unrecorded.
   */
  @Override
  public void destroy() {
    recording = null;
  }

  /** Configures a {@link KosmosMetricsFilter}. Not thread-safe; build once at startup. */
  public static final class Builder {
    private final KosmosMetrics metrics;
    private @Nullable String agent;
    private int maxEndpoints = 200;
    private int maxPathEndpoints;
    private NanoClock clock = NanoClock.system();
    private PathNormalizer normalizer = PathNormalizer.defaults();
    private @Nullable String metricsPath = DEFAULT_METRICS_PATH;
    private List<@Nullable String> skipPaths = List.of();
    private MetricsAccess metricsAccess = MetricsAccess.open();

    private Builder(KosmosMetrics metrics) {
      this.metrics = metrics;
    }

    /**
     * The {@code agent} label of every series. Required: 1 to 64 letters, digits, {@code _ . -},
     * starting with a letter or digit; checked by {@link #build()}.
     */
    public Builder agent(String agent) {
      this.agent = agent;
      return this;
    }

    /**
     * Most distinct {@code endpoint} values kept for this agent; later values are recorded as
     * {@code overflow}. Default 200, at least 1 (checked by {@link #build()}). Recorders of the
     * same agent on one registry share the cap and must agree on it.
     */
    public Builder maxEndpoints(int maxEndpoints) {
      this.maxEndpoints = maxEndpoints;
      return this;
    }

    /**
     * Most distinct {@code endpoint} values taken from raw paths, for requests that no route
     * template names and that were answered 2xx; see {@link HttpRecorder.Builder#maxPathEndpoints}.
     * Default 0: such requests are {@value HttpRecorder#UNMATCHED}, as clients choose their paths.
     * Between 0 and 1000 (checked by {@link #build()}). Recorders of the same agent on one registry
     * must agree on it.
     */
    public Builder maxPathEndpoints(int maxPathEndpoints) {
      this.maxPathEndpoints = maxPathEndpoints;
      return this;
    }

    /** The clock that times requests. Default {@link NanoClock#system()}; not null. */
    public Builder clock(NanoClock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * How raw paths become endpoint values when no route is known. Default {@link
     * PathNormalizer#defaults()}; not null.
     */
    public Builder pathNormalizer(PathNormalizer normalizer) {
      this.normalizer = normalizer;
      return this;
    }

    /**
     * The path of the scrape endpoint, relative to the context path: {@link #install} serves the
     * registry there, and the filter does not record it. Default {@value #DEFAULT_METRICS_PATH};
     * must start with {@code /} and contain no {@code *} (checked by {@link #build()}).
     */
    public Builder metricsPath(String metricsPath) {
      this.metricsPath = metricsPath;
      return this;
    }

    /**
     * Further paths (relative to the context path) that are not recorded, besides the {@link
     * #metricsPath}: exact paths ({@code /healthz}) or prefixes ending in {@code /*} ({@code
     * /static/*} skips {@code /static} and everything below it). Default none; each must start with
     * {@code /} (checked by {@link #build()}). Replaces earlier calls.
     */
    public Builder skipPaths(String... skipPaths) {
      this.skipPaths = skipPaths == null ? List.of() : new ArrayList<>(List.of(skipPaths));
      return this;
    }

    /**
     * Who may read the metrics endpoint that {@link #install} registers: {@link
     * MetricsAccess#bearerToken}, {@link MetricsAccess#basic} or {@link MetricsAccess#open()}.
     * Default open. Requests without the right credentials get 401 with {@code WWW-Authenticate}.
     * Only {@link #install} uses it; a servlet you register yourself is {@link
     * KosmosMetricsServlet#create}.
     *
     * @throws IllegalArgumentException when {@code metricsAccess} is null
     */
    public Builder metricsAccess(MetricsAccess metricsAccess) {
      if (metricsAccess == null) {
        throw new IllegalArgumentException("metricsAccess must not be null");
      }
      this.metricsAccess = metricsAccess;
      return this;
    }

    /**
     * A filter; register it with async support for the {@code REQUEST} dispatcher type on {@code
     * /*}, or use {@link #install}.
     *
     * @throws IllegalArgumentException when the agent is missing or invalid, maxEndpoints is below
     *     1, maxPathEndpoints is outside 0..1000, either disagrees with another recorder of the
     *     agent, the clock or path normaliser is null, or a path is invalid
     */
    public KosmosMetricsFilter build() {
      return new KosmosMetricsFilter(recording("metricsPath", "skipPaths"));
    }

    /**
     * Builds the filter and installs it on {@code context} together with a {@link
     * KosmosMetricsServlet} (client_java's {@code PrometheusMetricsServlet} behind the {@link
     * #metricsAccess} rule and {@code GET}/{@code HEAD} only) on the {@link #metricsPath}, serving
     * the registry of the {@code KosmosMetrics}: the filter as {@code kosmos-metrics} on {@code /*}
     * for {@code REQUEST} dispatches, async supported, before the filters declared in {@code
     * web.xml}; the servlet as {@code kosmos-metrics-endpoint}. Call it while the context
     * initializes (from a {@code ServletContainerInitializer} or a {@code ServletContextListener}
     * declared in {@code web.xml}).
     *
     * @return the installed filter
     * @throws IllegalArgumentException as {@link #build()}
     * @throws IllegalStateException when the context already has a filter or servlet of these
     *     names, or the metrics path is mapped to another servlet
     */
    public KosmosMetricsFilter install(ServletContext context) {
      KosmosMetricsFilter filter = build();
      String path = metricsPath;
      FilterRegistration.Dynamic filterRegistration = context.addFilter("kosmos-metrics", filter);
      if (filterRegistration == null) {
        throw new IllegalStateException(
            "install needs a context without a filter named 'kosmos-metrics', but one is registered");
      }
      filterRegistration.setAsyncSupported(true);
      filterRegistration.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
      ServletRegistration.Dynamic servletRegistration =
          context.addServlet(
              "kosmos-metrics-endpoint",
              KosmosMetricsServlet.create(metrics.registry(), metricsAccess));
      if (servletRegistration == null) {
        throw new IllegalStateException(
            "install needs a context without a servlet named 'kosmos-metrics-endpoint', but one is"
                + " registered");
      }
      Set<String> conflicts = servletRegistration.addMapping(path);
      if (!conflicts.isEmpty()) {
        throw new IllegalStateException(
            "metricsPath must not be mapped to another servlet, but " + conflicts + " is");
      }
      return filter;
    }

    /** The metrics path as configured; checked by {@link #recording}. */
    @Nullable String configuredMetricsPath() {
      return metricsPath;
    }

    PrometheusRegistry registry() {
      return metrics.registry();
    }

    MetricsAccess configuredMetricsAccess() {
      return metricsAccess;
    }

    Recording recording(String metricsPathName, String skipPathsName) {
      if (metricsPath == null || !metricsPath.startsWith("/") || metricsPath.contains("*")) {
        throw new IllegalArgumentException(
            metricsPathName
                + " must start with '/' and contain no '*', but was "
                + (metricsPath == null ? "null" : "'" + metricsPath + "'"));
      }
      List<String> skips = new ArrayList<>();
      skips.add(metricsPath);
      for (String path : skipPaths) {
        if (path == null
            || !path.startsWith("/")
            || path.indexOf('*') >= 0
                && (!path.endsWith("/*") || path.indexOf('*') != path.length() - 1)) {
          throw new IllegalArgumentException(
              skipPathsName
                  + " must each start with '/' and contain no '*' except a trailing '/*', but was "
                  + (path == null ? "null" : "'" + path + "'"));
        }
        skips.add(path);
      }
      if (clock == null) {
        throw new IllegalArgumentException("clock must not be null");
      }
      if (normalizer == null) {
        throw new IllegalArgumentException("pathNormalizer must not be null");
      }
      if (maxEndpoints < 1) {
        throw new IllegalArgumentException(
            "maxEndpoints must be at least 1, but was " + maxEndpoints);
      }
      HttpRecorder recorder =
          HttpRecorder.builder(metrics)
              .agent(agent)
              .maxEndpoints(maxEndpoints)
              .maxPathEndpoints(maxPathEndpoints)
              .clock(clock)
              .pathNormalizer(normalizer)
              .build();
      return new Recording(recorder, Catalog.of(metrics.registry()).self, skips);
    }
  }
}
