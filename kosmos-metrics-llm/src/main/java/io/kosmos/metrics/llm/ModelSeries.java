package io.kosmos.metrics.llm;

import io.kosmos.metrics.core.internal.Catalog;
import io.kosmos.metrics.core.internal.CostLedger;
import io.kosmos.metrics.core.internal.Labels;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

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
  private volatile @Nullable CounterDataPoint cacheRead;
  private volatile @Nullable CounterDataPoint cacheWrite;
  private volatile @Nullable CounterDataPoint reasoning;
  private volatile @Nullable CounterDataPoint unpriced;
  private volatile @Nullable DistributionDataPoint timeToFirstToken;
  private volatile CostLedger.@Nullable Account cost;

  ModelSeries(Catalog catalog, String provider, String model) {
    this.catalog = catalog;
    this.provider = provider;
    this.model = model;
    duration = catalog.llmDuration.labelValues(provider, model);
    succeeded = catalog.llmRequests.labelValues(provider, model, SUCCESS);
    failed = catalog.llmRequests.labelValues(provider, model, ERROR);
    input = catalog.llmTokens.labelValues(provider, model, "input");
    output = catalog.llmTokens.labelValues(provider, model, "output");
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
    CounterDataPoint point = cacheRead;
    if (point == null) {
      point = catalog.llmTokens.labelValues(provider, model, "cache_read");
      cacheRead = point;
    }
    return point;
  }

  CounterDataPoint cacheWrite() {
    CounterDataPoint point = cacheWrite;
    if (point == null) {
      point = catalog.llmTokens.labelValues(provider, model, "cache_write");
      cacheWrite = point;
    }
    return point;
  }

  CounterDataPoint reasoning() {
    CounterDataPoint point = reasoning;
    if (point == null) {
      point = catalog.llmTokens.labelValues(provider, model, "reasoning");
      reasoning = point;
    }
    return point;
  }

  CounterDataPoint unpriced() {
    CounterDataPoint point = unpriced;
    if (point == null) {
      point = catalog.llmCostUnpriced.labelValues(provider, model);
      unpriced = point;
    }
    return point;
  }

  DistributionDataPoint timeToFirstToken() {
    DistributionDataPoint point = timeToFirstToken;
    if (point == null) {
      point = catalog.llmTimeToFirstToken.labelValues(provider, model);
      timeToFirstToken = point;
    }
    return point;
  }

  CostLedger.Account cost() {
    CostLedger.Account account = cost;
    if (account == null) {
      account = catalog.llmCost.account(provider, model);
      cost = account;
    }
    return account;
  }
}
