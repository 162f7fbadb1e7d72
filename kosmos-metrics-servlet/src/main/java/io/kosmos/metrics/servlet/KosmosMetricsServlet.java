package io.kosmos.metrics.servlet;

import io.kosmos.metrics.core.MetricsAccess;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Client_java's {@link PrometheusMetricsServlet} (every exposition format, gzip, {@code name[]})
 * behind the two rules of every kosmos {@code /metrics} endpoint: only {@code GET} and {@code HEAD}
 * (anything else is 405 with {@code Allow: GET, HEAD}), and optional authentication by a {@link
 * MetricsAccess} (401 with {@code WWW-Authenticate} when credentials are missing or wrong; checked
 * first).
 *
 * <pre>{@code
 * context.addServlet(
 *     new ServletHolder(
 *         KosmosMetricsServlet.create(metrics.registry(), MetricsAccess.bearerToken(token))),
 *     "/metrics");
 * }</pre>
 *
 * <p>{@link KosmosMetricsFilter.Builder#install} registers one for you. In {@code web.xml}, the
 * container makes it with the public constructor: it serves the default registry, and the
 * init-param {@code metrics-token-env} (the name of an environment variable holding the bearer
 * token, so the secret stays out of the deployment descriptor) or {@code metrics-token} (the token
 * itself) turns authentication on. A variable that is unset or empty fails {@code init()}, and so
 * the deployment, rather than leaving the endpoint open.
 */
public final class KosmosMetricsServlet extends PrometheusMetricsServlet {

  private static final long serialVersionUID = 1L;

  static final String PARAM_TOKEN = "metrics-token";
  static final String PARAM_TOKEN_ENV = "metrics-token-env";
  private static final List<String> PARAMS = List.of(PARAM_TOKEN, PARAM_TOKEN_ENV);
  private static final byte[] UNAUTHORIZED = "Unauthorized\n".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NOT_ALLOWED = "Method Not Allowed\n".getBytes(StandardCharsets.UTF_8);

  private final boolean fromFactory;

  @SuppressWarnings("serial") // servlets are not serialized in practice; MetricsAccess is a value
  private volatile MetricsAccess access;

  /**
   * For containers only ({@code web.xml}): serves {@link PrometheusRegistry#defaultRegistry},
   * configured by init-params in {@link #init(ServletConfig)}. Code should use {@link #create}.
   */
  public KosmosMetricsServlet() {
    this.fromFactory = false;
    this.access = MetricsAccess.open();
  }

  private KosmosMetricsServlet(PrometheusRegistry registry, MetricsAccess access) {
    super(PrometheusProperties.get(), registry);
    this.fromFactory = true;
    this.access = access;
  }

  /**
   * A servlet serving {@code registry} to requests that {@code access} allows.
   *
   * @throws IllegalArgumentException when an argument is null
   */
  public static KosmosMetricsServlet create(PrometheusRegistry registry, MetricsAccess access) {
    if (registry == null) {
      throw new IllegalArgumentException("registry must not be null");
    }
    if (access == null) {
      throw new IllegalArgumentException("metricsAccess must not be null");
    }
    return new KosmosMetricsServlet(registry, access);
  }

  /**
   * Reads the init-params of a servlet made by the container: {@code metrics-token-env} or {@code
   * metrics-token}, at most one of them; none leaves the endpoint open. A servlet from {@link
   * #create} takes no init-params.
   *
   * @throws ServletException naming the parameter and the rule (never the token), when an
   *     init-param is unknown or invalid, both are given, or the variable is unset or empty
   */
  @Override
  public void init(ServletConfig config) throws ServletException {
    super.init(config);
    InitParams.check(
        config.getInitParameterNames(),
        PARAMS,
        fromFactory,
        "a servlet made by KosmosMetricsServlet.create");
    if (fromFactory) {
      return;
    }
    String token = config.getInitParameter(PARAM_TOKEN);
    String variable = config.getInitParameter(PARAM_TOKEN_ENV);
    if (token != null && variable != null) {
      throw new ServletException(
          "init-params metrics-token and metrics-token-env must not both be set, but both were");
    }
    String param = PARAM_TOKEN;
    if (variable != null) {
      param = PARAM_TOKEN_ENV;
      token = System.getenv(variable.trim());
      if (token == null || token.isEmpty()) {
        throw new ServletException(
            "init-param metrics-token-env must name a set, non-empty environment variable, but '"
                + variable.trim()
                + "' is "
                + (token == null ? "not set" : "empty"));
      }
    }
    if (token != null) {
      try {
        this.access = MetricsAccess.bearerToken(token.trim());
      } catch (IllegalArgumentException e) {
        throw new ServletException("init-param " + param + ": " + e.getMessage(), e);
      }
    }
  }

  /** Applies the access rule, then the method rule, then lets the client's servlet answer. */
  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    MetricsAccess access = this.access;
    if (!access.allows(request.getHeader("Authorization"))) {
      response.setHeader("WWW-Authenticate", access.challenge());
      plain(response, 401, UNAUTHORIZED);
      return;
    }
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      response.setHeader("Allow", "GET, HEAD");
      plain(response, 405, NOT_ALLOWED);
      return;
    }
    // HttpServlet answers HEAD with doGet; the container sends its headers and drops the body.
    super.service(request, response);
  }

  private static void plain(HttpServletResponse response, int status, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType("text/plain; charset=utf-8");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** The access rule, for tests: never shows a credential. */
  MetricsAccess access() {
    return access;
  }
}
