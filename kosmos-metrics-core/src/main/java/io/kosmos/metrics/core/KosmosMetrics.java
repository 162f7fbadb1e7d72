package io.kosmos.metrics.core;

import io.kosmos.metrics.core.internal.Catalog;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The KOSMOS metric catalog: registers every family of the ops guide in a {@link
 * PrometheusRegistry}, exactly once per registry.
 *
 * <pre>{@code
 * KosmosMetrics metrics = KosmosMetrics.builder().build(); // the default registry
 * HttpRecorder http = metrics.http("zeus");
 * AgentTasks tasks = metrics.tasks("zeus");
 * }</pre>
 *
 * <p>Building a second catalog on the same registry returns a catalog over the same families, so
 * independent components (or the servlet and Vert.x adapters in one JVM) never collide on metric
 * names. The second catalog must ask for the same buckets and histogram kind.
 *
 * <table>
 *   <caption>Families</caption>
 *   <tr><th>family (as scraped)</th><th>type</th><th>labels</th></tr>
 *   <tr><td>http_requests_total</td><td>counter</td><td>method, endpoint, status, agent</td></tr>
 *   <tr><td>http_request_duration_seconds</td><td>histogram</td><td>method, endpoint, agent</td></tr>
 *   <tr><td>active_connections</td><td>gauge</td><td>agent</td></tr>
 *   <tr><td>llm_request_duration_seconds</td><td>histogram</td><td>provider, model</td></tr>
 *   <tr><td>llm_requests_total</td><td>counter</td><td>provider, model, status</td></tr>
 *   <tr><td>llm_tokens_total</td><td>counter</td><td>provider, model, type</td></tr>
 *   <tr><td>llm_cost_dollars_total</td><td>counter</td><td>provider, model</td></tr>
 *   <tr><td>llm_time_to_first_token_seconds</td><td>histogram</td><td>provider, model</td></tr>
 *   <tr><td>llm_errors_total</td><td>counter</td><td>provider, model, error_type</td></tr>
 *   <tr><td>llm_cost_unpriced_total</td><td>counter</td><td>provider, model</td></tr>
 *   <tr><td>agent_tasks_total</td><td>counter</td><td>agent, task_type, status</td></tr>
 *   <tr><td>agent_task_duration_seconds</td><td>histogram</td><td>agent, task_type</td></tr>
 * </table>
 */
public final class KosmosMetrics {

  /** {@code http_request_duration_seconds} buckets of the ops guide. */
  public static final List<Double> HTTP_DURATION_BUCKETS =
      List.of(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0);

  /** {@code llm_request_duration_seconds} buckets of the ops guide. */
  public static final List<Double> LLM_DURATION_BUCKETS =
      List.of(0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0);

  /** {@code llm_time_to_first_token_seconds} buckets: sub-second to tens of seconds. */
  public static final List<Double> LLM_TIME_TO_FIRST_TOKEN_BUCKETS =
      List.of(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0);

  /** {@code agent_task_duration_seconds} buckets: agent work takes up to several minutes. */
  public static final List<Double> TASK_DURATION_BUCKETS =
      List.of(0.1, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0);

  private final PrometheusRegistry registry;
  private final Catalog catalog;

  private KosmosMetrics(PrometheusRegistry registry, Catalog catalog) {
    this.registry = registry;
    this.catalog = catalog;
  }

  /** A builder with the ops guide's defaults on {@link PrometheusRegistry#defaultRegistry}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The registry the families live in; hand it to a {@code /metrics} endpoint. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * An HTTP recorder for {@code agent} with default settings; see {@link HttpRecorder#builder}.
   *
   * @throws IllegalArgumentException when {@code agent} is not a valid agent name
   */
  public HttpRecorder http(String agent) {
    return HttpRecorder.builder(this).agent(agent).build();
  }

  /**
   * An agent task tracker for {@code agent} with default settings; see {@link AgentTasks#builder}.
   *
   * @throws IllegalArgumentException when {@code agent} is not a valid agent name
   */
  public AgentTasks tasks(String agent) {
    return AgentTasks.builder(this).agent(agent).build();
  }

  Catalog catalog() {
    return catalog;
  }

  /** Configures a {@link KosmosMetrics}. Not thread-safe; build once at startup. */
  public static final class Builder {
    private PrometheusRegistry registry = PrometheusRegistry.defaultRegistry;
    private boolean nativeHistograms;
    private boolean exemplars;
    private List<Double> httpBuckets = HTTP_DURATION_BUCKETS;
    private List<Double> llmBuckets = LLM_DURATION_BUCKETS;
    private List<Double> ttftBuckets = LLM_TIME_TO_FIRST_TOKEN_BUCKETS;
    private List<Double> taskBuckets = TASK_DURATION_BUCKETS;

    private Builder() {}

    /** The registry to register in. Default: {@link PrometheusRegistry#defaultRegistry}. */
    public Builder registry(PrometheusRegistry registry) {
      this.registry = Checks.notNull("registry", registry);
      return this;
    }

    /**
     * Whether histograms also keep native (exponential) buckets. Default {@code false}: classic
     * buckets only, which is what the guide's recording rules query, what Prometheus 2.x ingests
     * without a feature flag, and about half the recording cost. With native buckets (or exemplars)
     * the HTTP families are recorded in client_java's data points rather than in kosmos' packed
     * store, which costs more per request once thousands of series are in use.
     */
    public Builder nativeHistograms(boolean nativeHistograms) {
      this.nativeHistograms = nativeHistograms;
      return this;
    }

    /**
     * Whether counters and histograms attach exemplars (trace and span ids) when an OpenTelemetry
     * span is current. Default {@code false}: sampling exemplars allocates on every recording, and
     * the guide's dashboards and rules do not use them.
     */
    public Builder exemplars(boolean exemplars) {
      this.exemplars = exemplars;
      return this;
    }

    /**
     * Upper bounds of {@code http_request_duration_seconds}. Default {@link
     * #HTTP_DURATION_BUCKETS}; changing them breaks comparability with other agents.
     *
     * @throws IllegalArgumentException unless finite, positive and strictly increasing
     */
    public Builder httpDurationBuckets(double... upperBounds) {
      this.httpBuckets = Checks.buckets("httpDurationBuckets", upperBounds);
      return this;
    }

    /**
     * Upper bounds of {@code llm_request_duration_seconds}. Default {@link #LLM_DURATION_BUCKETS}.
     *
     * @throws IllegalArgumentException unless finite, positive and strictly increasing
     */
    public Builder llmDurationBuckets(double... upperBounds) {
      this.llmBuckets = Checks.buckets("llmDurationBuckets", upperBounds);
      return this;
    }

    /**
     * Upper bounds of {@code llm_time_to_first_token_seconds}. Default {@link
     * #LLM_TIME_TO_FIRST_TOKEN_BUCKETS}.
     *
     * @throws IllegalArgumentException unless finite, positive and strictly increasing
     */
    public Builder llmTimeToFirstTokenBuckets(double... upperBounds) {
      this.ttftBuckets = Checks.buckets("llmTimeToFirstTokenBuckets", upperBounds);
      return this;
    }

    /**
     * Upper bounds of {@code agent_task_duration_seconds}. Default {@link #TASK_DURATION_BUCKETS}.
     *
     * @throws IllegalArgumentException unless finite, positive and strictly increasing
     */
    public Builder taskDurationBuckets(double... upperBounds) {
      this.taskBuckets = Checks.buckets("taskDurationBuckets", upperBounds);
      return this;
    }

    /**
     * Registers the families, or reuses those already registered on the registry.
     *
     * @throws IllegalArgumentException when the registry's families were registered with other
     *     buckets or another histogram kind
     * @throws IllegalStateException when the registry holds a metric of one of these names that
     *     kosmos-metrics did not register
     */
    public KosmosMetrics build() {
      Catalog catalog =
          Catalog.register(
              registry,
              new Catalog.Spec(
                  nativeHistograms, exemplars, httpBuckets, llmBuckets, ttftBuckets, taskBuckets));
      return new KosmosMetrics(registry, catalog);
    }
  }

  /** Validation shared by the builders of this package. */
  static final class Checks {
    private Checks() {}

    static <T> T notNull(String parameter, @Nullable T value) {
      if (value == null) {
        throw new IllegalArgumentException(parameter + " must not be null");
      }
      return value;
    }

    static List<Double> buckets(String parameter, double @Nullable [] upperBounds) {
      boolean valid = upperBounds != null && upperBounds.length > 0;
      for (int i = 0; valid && i < upperBounds.length; i++) {
        double bound = upperBounds[i];
        valid = Double.isFinite(bound) && bound > 0 && (i == 0 || bound > upperBounds[i - 1]);
      }
      if (!valid) {
        throw new IllegalArgumentException(
            parameter
                + " must be a non-empty list of finite, positive, strictly increasing bounds, but"
                + " was "
                + Arrays.toString(upperBounds));
      }
      List<Double> list = new ArrayList<>(upperBounds.length);
      for (double bound : upperBounds) {
        list.add(bound);
      }
      return List.copyOf(list);
    }

    static int atLeast(String parameter, int minimum, int value) {
      if (value < minimum) {
        throw new IllegalArgumentException(
            parameter + " must be at least " + minimum + ", but was " + value);
      }
      return value;
    }

    static int between(String parameter, int minimum, int maximum, int value) {
      if (value < minimum || value > maximum) {
        throw new IllegalArgumentException(
            parameter + " must be between " + minimum + " and " + maximum + ", but was " + value);
      }
      return value;
    }

    /**
     * Agent names become a label value on every series, so they are limited to a portable, bounded
     * form; they come from configuration, never from requests.
     */
    static String agent(@Nullable String agent) {
      if (agent == null || !agent.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
        throw new IllegalArgumentException(
            "agent must be 1 to 64 characters of letters, digits, '_', '.' or '-', starting with a"
                + " letter or digit, but was "
                + (agent == null ? "null" : "'" + agent + "'"));
      }
      return agent;
    }
  }
}
