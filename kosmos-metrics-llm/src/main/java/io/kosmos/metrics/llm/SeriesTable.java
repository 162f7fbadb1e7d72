package io.kosmos.metrics.llm;

import io.kosmos.metrics.core.internal.BoundedLabel;
import io.kosmos.metrics.core.internal.Catalog;
import io.kosmos.metrics.core.internal.DropReason;
import io.kosmos.metrics.core.internal.Labels;
import io.kosmos.metrics.core.internal.SelfMetrics;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * The provider and model label values of one registry, capped: at most {@code maxProviders}
 * providers and {@code maxModels} models in all (not per provider, so that the worst case is
 * bounded by one number). A provider beyond its cap becomes {@code overflow}; a model beyond its
 * cap becomes model {@code overflow} of its provider. Both folds are counted in {@code
 * kosmos_metrics_label_overflow_total{label="provider"|"model"}}.
 */
final class SeriesTable {

  private static final System.Logger LOG = System.getLogger("io.kosmos.metrics");

  final int maxProviders;
  final int maxModels;
  private final Catalog catalog;
  private final SelfMetrics self;
  private final BoundedLabel<Provider> providers;
  private final CounterDataPoint modelOverflow;
  private final AtomicBoolean modelOverflowLogged = new AtomicBoolean();
  private volatile int models;

  SeriesTable(Catalog catalog, int maxProviders, int maxModels) {
    this.catalog = catalog;
    this.self = catalog.self;
    this.maxProviders = maxProviders;
    this.maxModels = maxModels;
    this.providers = new BoundedLabel<>("provider", maxProviders, Provider::new, self);
    this.modelOverflow = self.overflow("model");
  }

  /**
   * The series of {@code provider} and {@code model}, folded as the caps require; {@code null} when
   * either value is not a valid label value (the drop is counted).
   */
  @Nullable ModelSeries resolve(@Nullable String provider, @Nullable String model) {
    Provider entry = providers.get(provider);
    if (entry == null) {
      return null;
    }
    if (model != null) {
      ModelSeries series = entry.models.get(model);
      if (series != null) {
        return series;
      }
    }
    DropReason problem = Labels.problem(model);
    if (problem != null || model == null) {
      self.drop(problem == null ? DropReason.NULL_LABEL : problem, "llm model");
      return null;
    }
    return admit(entry, model);
  }

  private ModelSeries admit(Provider entry, String model) {
    // Once the cap is reached, folding takes no lock, so unbounded model names cannot serialise
    // callers.
    if (models < maxModels) {
      synchronized (this) {
        ModelSeries series = entry.models.get(model);
        if (series != null) {
          return series;
        }
        if (models < maxModels) {
          series = new ModelSeries(catalog, entry.name, model);
          entry.models.put(model, series);
          models = models + 1;
          return series;
        }
      }
    }
    modelOverflow.inc();
    if (modelOverflowLogged.compareAndSet(false, true)) {
      LOG.log(
          Level.WARNING,
          "kosmos-metrics: label ''model'' reached its cap of {0} distinct values; new models are"
              + " recorded as ''{1}'' and counted in kosmos_metrics_label_overflow_total. Raise"
              + " LlmMetrics.Builder.maxModels only if the models are bounded.",
          maxModels,
          Labels.OVERFLOW);
    }
    return entry.overflow();
  }

  /** The models of one provider value. */
  private final class Provider {
    final String name;
    final ConcurrentHashMap<String, ModelSeries> models = new ConcurrentHashMap<>();
    private volatile @Nullable ModelSeries overflow;

    Provider(String name) {
      this.name = name;
    }

    ModelSeries overflow() {
      ModelSeries series = overflow;
      if (series == null) {
        synchronized (this) {
          series = overflow;
          if (series == null) {
            series = new ModelSeries(catalog, name, Labels.OVERFLOW);
            overflow = series;
          }
        }
      }
      return series;
    }
  }
}
