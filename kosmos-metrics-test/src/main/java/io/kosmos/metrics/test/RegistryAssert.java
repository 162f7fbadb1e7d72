package io.kosmos.metrics.test;

import java.util.Map;
import org.assertj.core.api.AbstractAssert;
import org.jspecify.annotations.Nullable;

/**
 * Assertions on every family of a registry, taken when {@code assertThat} was called: pick a family
 * with {@link #counter}, {@link #gauge} or {@link #histogram}, or one of the catalog's families
 * with the shortcuts; narrow it with {@code withLabels}.
 *
 * <pre>{@code
 * MetricsSnapshot before = KosmosMetricsTesting.snapshot(registry);
 * // ... two requests to /tasks/{id} ...
 * KosmosAssertions.assertThat(registry)
 *     .since(before)
 *     .httpRequests("zeus")
 *     .withLabels("endpoint", "/tasks/{id}", "status", "200")
 *     .hasIncreasedBy(2);
 * }</pre>
 *
 * <p>Families are named as scraped ({@code llm_cost_dollars_total}); a counter also answers to its
 * name without {@code _total}. Asking for a family that does not exist, or that has another type,
 * fails at once and lists what the registry has.
 */
public final class RegistryAssert extends AbstractAssert<RegistryAssert, MetricsSnapshot> {

  RegistryAssert(MetricsSnapshot actual) {
    super(actual, RegistryAssert.class);
  }

  /**
   * Assertions on the increase since {@code before} (from {@link KosmosMetricsTesting#snapshot}):
   * counters, histograms' counts, sums and buckets become differences; gauges keep their current
   * value. A data point that did not exist before counts from zero.
   *
   * @throws IllegalStateException if {@code since} was already called
   */
  public RegistryAssert since(MetricsSnapshot before) {
    isNotNull();
    if (actual.isDelta()) {
      throw new IllegalStateException("since(before) was already called on this assertion");
    }
    RegistryAssert delta = new RegistryAssert(actual.since(before));
    return info.description() == null ? delta : delta.as(info.description());
  }

  /** The counter scraped as {@code name} ({@code http_requests_total}). */
  public CounterAssert counter(String name) {
    CounterAssert counter = new CounterAssert(actual, select(name, Family.Type.COUNTER));
    return info.description() == null ? counter : counter.as(info.description());
  }

  /** The gauge named {@code name} ({@code active_connections}). */
  public GaugeAssert gauge(String name) {
    GaugeAssert gauge = new GaugeAssert(actual, select(name, Family.Type.GAUGE));
    return info.description() == null ? gauge : gauge.as(info.description());
  }

  /** The histogram named {@code name} ({@code http_request_duration_seconds}). */
  public HistogramAssert histogram(String name) {
    HistogramAssert histogram = new HistogramAssert(actual, select(name, Family.Type.HISTOGRAM));
    return info.description() == null ? histogram : histogram.as(info.description());
  }

  /** {@code http_requests_total{agent=...}}. */
  public CounterAssert httpRequests(String agent) {
    return counter("http_requests_total").withLabels("agent", agent);
  }

  /** {@code http_request_duration_seconds{agent=...}}. */
  public HistogramAssert httpRequestDuration(String agent) {
    return histogram("http_request_duration_seconds").withLabels("agent", agent);
  }

  /** {@code agent_tasks_total{agent=...}}; narrow with {@code "task_type"} and {@code "status"}. */
  public CounterAssert agentTasks(String agent) {
    return counter("agent_tasks_total").withLabels("agent", agent);
  }

  /** {@code llm_requests_total{provider=...,model=...}}; narrow with {@code "status"}. */
  public CounterAssert llmRequests(String provider, String model) {
    return counter("llm_requests_total").withLabels("provider", provider, "model", model);
  }

  /**
   * {@code llm_tokens_total{provider=...,model=...,type=...}} ({@code input}, {@code output}...).
   */
  public CounterAssert llmTokens(String provider, String model, String type) {
    return counter("llm_tokens_total")
        .withLabels("provider", provider, "model", model, "type", type);
  }

  /** {@code llm_cost_dollars_total{provider=...,model=...}}, in dollars. */
  public CounterAssert llmCost(String provider, String model) {
    return counter("llm_cost_dollars_total").withLabels("provider", provider, "model", model);
  }

  private Selection select(String name, Family.Type type) {
    isNotNull();
    @Nullable Family family = actual.family(name);
    if (family == null) {
      failWithMessage(
          "%s",
          "Expecting a "
              + type
              + " named "
              + name
              + " but the registry has no such family; it has: "
              + actual.familyNames());
      throw new AssertionError("unreachable");
    }
    if (family.type() != type) {
      failWithMessage(
          "%s",
          "Expecting "
              + name
              + " to be a "
              + type
              + " but it is a "
              + family.type()
              + "\n\n"
              + family.render(actual.isDelta()));
    }
    return new Selection(family, Map.of(), actual.isDelta());
  }
}
