package io.kosmos.metrics.core.internal;

/**
 * Why a recording was dropped. Each reason is one value of the {@code reason} label of {@code
 * kosmos_metrics_dropped_total}, so the set is closed and small.
 */
public enum DropReason {
  NULL_LABEL("null_label", "a label value was null"),
  EMPTY_LABEL("empty_label", "a label value was empty"),
  LABEL_TOO_LONG("label_too_long", "a label value was longer than " + Labels.MAX_LENGTH + " chars"),
  INVALID_LABEL("invalid_label", "a label value was not valid Unicode (unpaired surrogate)"),
  INVALID_STATUS("invalid_status", "an HTTP status was outside 100..599"),
  NEGATIVE_AMOUNT("negative_amount", "an amount (tokens, cost or duration) was negative"),
  NON_FINITE_AMOUNT("non_finite_amount", "an amount was NaN or infinite"),
  AMOUNT_OVERFLOW("amount_overflow", "an amount was too large to account exactly"),
  INCONSISTENT_USAGE(
      "inconsistent_usage",
      "an LLM usage had more cache tokens than input tokens, more reasoning than output tokens or"
          + " more one-hour cache writes than cache writes"),
  INTERNAL_ERROR("internal_error", "recording failed unexpectedly"),
  PRICE_ENTRY_SKIPPED(
      "price_entry_skipped", "a price file entry had no usable token price and was skipped"),
  PRICE_RELOAD_FAILED(
      "price_reload_failed", "a new price file could not be loaded; the current prices stay");

  private final String label;
  private final String description;

  DropReason(String label, String description) {
    this.label = label;
    this.description = description;
  }

  /** The value of the {@code reason} label. */
  public String label() {
    return label;
  }

  /** A sentence for the log. */
  public String description() {
    return description;
  }
}
