package io.kosmos.metrics.llm;

import io.kosmos.metrics.core.internal.Catalog;
import io.kosmos.metrics.core.internal.CostLedger;
import io.kosmos.metrics.core.internal.Labels;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The data points of one provider and model, shared by every {@link LlmMetrics} of a registry.
 *
 * <p>Series every call touches are created up front; the rest (cache and reasoning tokens, time to
 * first token, each error type, cost, unpriced) only when first recorded, so that a model that
 * never streams shows no empty time-to-first-token histogram and an unpriced model never shows a
 * cost of $0. Data points are keyed by their label values inside the metric, so two threads racing
 * to create one get the same data point.
 */
final class ModelSeries {

  static final String SUCCESS = "success";
  static final String ERROR = "error";

  private static final ErrorType[] ERROR_TYPES = ErrorType.values();

  final String provider;
  final String model;
  final DistributionDataPoint duration;
  final CounterDataPoint succeeded;
  final CounterDataPoint failed;
  final CounterDataPoint input;
  final CounterDataPoint output;
  private final Catalog catalog;
  private final AtomicReferenceArray<CounterDataPoint> errors =
      new AtomicReferenceArray<>(ERROR_TYPES.length);
  private final Lazy<CounterDataPoint> cacheRead;
  private final Lazy<CounterDataPoint> cacheWrite;
  private final Lazy<CounterDataPoint> reasoning;
  private final Lazy<CounterDataPoint> unpriced;
  private final Lazy<DistributionDataPoint> timeToFirstToken;
  private final Lazy<CostLedger.Account> cost;

  ModelSeries(Catalog catalog, String provider, String model) {
    this.catalog = catalog;
    this.provider = provider;
    this.model = model;
    duration = catalog.llmDuration.labelValues(provider, model);
    succeeded = catalog.llmRequests.labelValues(provider, model, SUCCESS);
    failed = catalog.llmRequests.labelValues(provider, model, ERROR);
    input = catalog.llmTokens.labelValues(provider, model, "input");
    output = catalog.llmTokens.labelValues(provider, model, "output");
    cacheRead = new Lazy<>(() -> catalog.llmTokens.labelValues(provider, model, "cache_read"));
    cacheWrite = new Lazy<>(() -> catalog.llmTokens.labelValues(provider, model, "cache_write"));
    reasoning = new Lazy<>(() -> catalog.llmTokens.labelValues(provider, model, "reasoning"));
    unpriced = new Lazy<>(() -> catalog.llmCostUnpriced.labelValues(provider, model));
    timeToFirstToken = new Lazy<>(() -> catalog.llmTimeToFirstToken.labelValues(provider, model));
    cost = new Lazy<>(() -> catalog.llmCost.account(provider, model));
  }

  /** Whether a label cap folded this provider or model into {@code overflow}. */
  boolean folded() {
    return provider.equals(Labels.OVERFLOW) || model.equals(Labels.OVERFLOW);
  }

  CounterDataPoint error(ErrorType type) {
    CounterDataPoint point = errors.get(type.ordinal());
    if (point == null) {
      point = catalog.llmErrors.labelValues(provider, model, type.label());
      errors.set(type.ordinal(), point);
    }
    return point;
  }

  CounterDataPoint cacheRead() {
    return cacheRead.get();
  }

  CounterDataPoint cacheWrite() {
    return cacheWrite.get();
  }

  CounterDataPoint reasoning() {
    return reasoning.get();
  }

  CounterDataPoint unpriced() {
    return unpriced.get();
  }

  DistributionDataPoint timeToFirstToken() {
    return timeToFirstToken.get();
  }

  CostLedger.Account cost() {
    return cost.get();
  }
}
