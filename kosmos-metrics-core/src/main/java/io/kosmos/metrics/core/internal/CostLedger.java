package io.kosmos.metrics.core.internal;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import java.math.BigDecimal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Exact accumulation of money for {@code llm_cost_dollars}.
 *
 * <p>A Prometheus counter accumulates doubles, and adding $0.000002 a million times to a double
 * does not give $2.00. The ledger adds whole picodollars (10<sup>-12</sup> $) in a {@link
 * LongAdder} instead and converts to dollars only when scraped, so the exposed total is the
 * correctly rounded value of the exact sum. A long holds about 9.2 million dollars per provider and
 * model for the life of the process.
 */
public final class CostLedger {

  /** Picodollars per dollar, as a power of ten. */
  public static final int SCALE = 12;

  private final ConcurrentHashMap<Key, Account> accounts = new ConcurrentHashMap<>();

  CostLedger() {}

  /** The account of one provider and model; callers cache it. */
  public Account account(String provider, String model) {
    return accounts.computeIfAbsent(new Key(provider, model), k -> new Account());
  }

  void collect(CounterWithCallback.Callback callback) {
    accounts.forEach((key, account) -> callback.call(account.dollars(), key.provider, key.model));
  }

  private record Key(String provider, String model) {}

  /** One provider and model's running cost. */
  public static final class Account {
    private final LongAdder picodollars = new LongAdder();

    private Account() {}

    /** Adds a non-negative amount of picodollars. */
    public void add(long amount) {
      picodollars.add(amount);
    }

    /** The exact total in picodollars. */
    public long picodollars() {
      return picodollars.sum();
    }

    /** The total in dollars, rounded once from the exact sum. */
    public double dollars() {
      return BigDecimal.valueOf(picodollars.sum(), SCALE).doubleValue();
    }
  }
}
