package io.kosmos.metrics.core.internal;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import java.math.BigDecimal;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Exact accumulation of money for {@code llm_cost_dollars}.
 *
 * <p>A Prometheus counter accumulates doubles, and adding $0.000002 a million times to a double
 * does not give $2.00. The ledger adds whole picodollars (10<sup>-12</sup> $) in a long instead and
 * converts to dollars only when scraped, so the exposed total is the correctly rounded value of the
 * exact sum. A long holds about 9.2 million dollars per provider and model for the life of the
 * process; the total saturates there rather than wrapping to a negative value, which would make
 * every later scrape fail. Costs are added once per LLM call, so one atomic long per account is
 * plenty.
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
    private final AtomicLong picodollars = new AtomicLong();

    private Account() {}

    /**
     * Adds a non-negative amount of picodollars.
     *
     * @return {@code false} when the total saturated at {@link Long#MAX_VALUE} and the amount was
     *     not (wholly) added
     */
    public boolean add(long amount) {
      long before =
          picodollars.getAndAccumulate(
              amount, (total, x) -> total > Long.MAX_VALUE - x ? Long.MAX_VALUE : total + x);
      return before <= Long.MAX_VALUE - amount;
    }

    /** The exact total in picodollars. */
    public long picodollars() {
      return picodollars.get();
    }

    /** The total in dollars, rounded once from the exact sum. */
    public double dollars() {
      return BigDecimal.valueOf(picodollars.get(), SCALE).doubleValue();
    }
  }
}
