package io.kosmos.metrics.spring.boot;

import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.MetricsAccess;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;

/**
 * The {@code kosmos.metrics.*} properties. Only {@code agent} is required:
 *
 * <pre>{@code
 * # application.properties
 * kosmos.metrics.agent=zeus
 * kosmos.metrics.token=${KOSMOS_METRICS_TOKEN}
 * kosmos.metrics.llm.price-file=classpath:model_prices.json
 * # or a file checked for changes every 30 seconds, reloaded without a restart:
 * # kosmos.metrics.llm.price-file=file:/etc/kosmos/model_prices.json
 * # kosmos.metrics.llm.reload-interval=30s
 * }</pre>
 *
 * <p>Invalid values fail startup with an {@link IllegalArgumentException} whose message names the
 * property, the rule and the value.
 */
@ConfigurationProperties(prefix = KosmosMetricsProperties.PREFIX)
public class KosmosMetricsProperties implements InitializingBean {

  /** The prefix of every property. */
  public static final String PREFIX = "kosmos.metrics";

  /** Whether the auto-configuration is on. */
  private boolean enabled = true;

  /**
   * The agent label of every series: 1 to 64 letters, digits, '_', '.' or '-', starting with a
   * letter or digit. Required.
   */
  private @Nullable String agent;

  /** Most distinct endpoint label values kept; later ones are recorded as "overflow". */
  private int maxEndpoints = 200;

  /** Where the scrape endpoint is served, relative to the context path; never recorded. */
  private String path = "/metrics";

  /** Paths that are not recorded: exact, or a prefix ending in "/*" (e.g. "/actuator/*"). */
  private List<String> skipPaths = new ArrayList<>();

  /** Bearer token that scrapes of the endpoint must send; none leaves it open. */
  private @Nullable String token;

  /** Basic-auth user name that scrapes must send (with password); not together with token. */
  private @Nullable String username;

  /** Basic-auth password that scrapes must send (with username). */
  private @Nullable String password;

  /**
   * Whether to record into Spring Boot Actuator's PrometheusRegistry bean when there is one, so
   * that /actuator/prometheus serves the kosmos families too. Off: a registry of its own.
   */
  private boolean useActuatorRegistry;

  /** LLM call metrics (when kosmos-metrics-llm is on the classpath). */
  private final Llm llm = new Llm();

  /** The {@code kosmos.metrics.llm.*} properties. */
  public static class Llm {
    /**
     * A LiteLLM price file (model_prices_and_context_window.json format) as a Spring resource
     * location, e.g. "classpath:model_prices.json" or "file:/etc/kosmos/prices.json". None: costs
     * are only known when the caller reports them.
     */
    private @Nullable Resource priceFile;

    /**
     * How often to check the price file for a change (modification time, size, inode) and reload it
     * while the service runs, e.g. "30s". Needs a price-file that is a file. None: the file is read
     * once at startup.
     */
    private @Nullable Duration reloadInterval;

    public @Nullable Resource getPriceFile() {
      return priceFile;
    }

    public void setPriceFile(@Nullable Resource priceFile) {
      this.priceFile = priceFile;
    }

    public @Nullable Duration getReloadInterval() {
      return reloadInterval;
    }

    public void setReloadInterval(@Nullable Duration reloadInterval) {
      this.reloadInterval = reloadInterval;
    }
  }

  /**
   * Checks every value once bound, so that a mistake fails startup before any bean uses it.
   *
   * @throws IllegalArgumentException naming the property, the rule and the value
   */
  @Override
  public void afterPropertiesSet() {
    if (!enabled) {
      return;
    }
    try {
      // Core owns the agent rule: ask it on a scratch registry rather than restating it here.
      KosmosMetrics.builder().registry(new PrometheusRegistry()).build().tasks(agent());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PREFIX + "." + e.getMessage(), e);
    }
    if (maxEndpoints < 1) {
      throw new IllegalArgumentException(
          PREFIX + ".max-endpoints must be at least 1, but was " + maxEndpoints);
    }
    metricsAccess();
  }

  /** The agent, checked by {@link #afterPropertiesSet}; null only when the check failed. */
  @Nullable String agent() {
    String value = agent;
    return value == null ? null : value.trim();
  }

  /**
   * The access rule of the scrape endpoint.
   *
   * @throws IllegalArgumentException naming the property, when the credentials are incomplete,
   *     contradictory or invalid
   */
  MetricsAccess metricsAccess() {
    boolean basic = username != null || password != null;
    if (token != null && basic) {
      throw new IllegalArgumentException(
          PREFIX
              + ".token and "
              + PREFIX
              + ".username/password must not both be set, but both were");
    }
    try {
      if (token != null) {
        return MetricsAccess.bearerToken(token);
      }
      if (basic) {
        if (username == null || password == null) {
          throw new IllegalArgumentException(
              "username and password must both be set, but only "
                  + (username == null ? "password" : "username")
                  + " was");
        }
        return MetricsAccess.basic(username, password);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(PREFIX + "." + e.getMessage(), e);
    }
    return MetricsAccess.open();
  }

  public boolean isEnabled() {
    return enabled;
  }

  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  public @Nullable String getAgent() {
    return agent;
  }

  public void setAgent(@Nullable String agent) {
    this.agent = agent;
  }

  public int getMaxEndpoints() {
    return maxEndpoints;
  }

  public void setMaxEndpoints(int maxEndpoints) {
    this.maxEndpoints = maxEndpoints;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }

  public List<String> getSkipPaths() {
    return skipPaths;
  }

  public void setSkipPaths(List<String> skipPaths) {
    this.skipPaths = skipPaths;
  }

  public @Nullable String getToken() {
    return token;
  }

  public void setToken(@Nullable String token) {
    this.token = token;
  }

  public @Nullable String getUsername() {
    return username;
  }

  public void setUsername(@Nullable String username) {
    this.username = username;
  }

  public @Nullable String getPassword() {
    return password;
  }

  public void setPassword(@Nullable String password) {
    this.password = password;
  }

  public boolean isUseActuatorRegistry() {
    return useActuatorRegistry;
  }

  public void setUseActuatorRegistry(boolean useActuatorRegistry) {
    this.useActuatorRegistry = useActuatorRegistry;
  }

  public Llm getLlm() {
    return llm;
  }

  @Override
  public String toString() {
    // Never shows a credential.
    return "KosmosMetricsProperties[agent=" + agent + ", path=" + path + "]";
  }
}
