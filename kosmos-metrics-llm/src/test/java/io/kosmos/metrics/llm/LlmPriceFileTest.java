package io.kosmos.metrics.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.kosmos.metrics.core.ExpectedLog;
import io.kosmos.metrics.core.Exposition;
import io.kosmos.metrics.core.KosmosMetrics;
import io.kosmos.metrics.core.LogCapture;
import io.kosmos.metrics.core.internal.Catalog;
import io.kosmos.metrics.core.internal.DropReason;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlmPriceFileTest {

  private static final String THREAD = "kosmos-metrics-price-file";
  // One call: 1000 input tokens and 1 output token. Old prices 2 and 3 picodollars per token, new
  // 5 and 7: a call costs 2003 (old) or 5007 (new); a mix would cost 2007 or 5003.
  private static final long OLD = 1000 * 2 + 3;
  private static final long NEW = 1000 * 5 + 7;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final KosmosMetrics metrics = KosmosMetrics.builder().registry(registry).build();

  @TempDir Path dir;

  private static String catalogue(int models, int inputPico, int outputPico) {
    StringBuilder json = new StringBuilder("{");
    for (int m = 0; m < models; m++) {
      json.append(m == 0 ? "" : ",")
          .append("\"m")
          .append(m)
          .append("\": {\"litellm_provider\": \"p\", \"input_cost_per_token\": ")
          .append(inputPico)
          .append("e-12, \"output_cost_per_token\": ")
          .append(outputPico)
          .append("e-12}");
    }
    return json.append('}').toString();
  }

  /** Replaces {@code file} the way deployments do: write aside, then rename over it. */
  private void replace(Path file, String content) throws IOException {
    Path aside = Files.createTempFile(dir, "prices", ".tmp");
    Files.writeString(aside, content);
    Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private long dropped(DropReason reason) {
    return (long)
        Exposition.scrape(registry).value("kosmos_metrics_dropped_total", "reason", reason.label());
  }

  private long cost(String model) {
    return Catalog.of(registry).llmCost.account("p", model).picodollars();
  }

  @Test
  void everyCallIsPricedWholeByTheOldOrTheNewCatalogueWhileEightThreadsRecord() throws Exception {
    int models = 2000;
    String oldFile = catalogue(models, 2, 3);
    String newFile = catalogue(models, 5, 7);
    Path file = dir.resolve("prices.json");
    Files.writeString(file, oldFile);
    try (LlmPriceFile prices = LlmPriceFile.builder(metrics, file).build()) {
      LlmMetrics llm = LlmMetrics.builder(metrics).maxModels(models + 1).pricing(prices).build();
      // Each call is a model of its own, so its cost shows which catalogue priced it.
      AtomicInteger next = new AtomicInteger();
      AtomicInteger done = new AtomicInteger();
      Semaphore permits = new Semaphore(0);
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Thread thread =
            new Thread(
                () -> {
                  while (!stop.get()) {
                    try {
                      if (!permits.tryAcquire(10, TimeUnit.MILLISECONDS)) {
                        continue;
                      }
                    } catch (InterruptedException e) {
                      return;
                    }
                    try (LlmCall call = llm.start("p", "m" + next.getAndIncrement())) {
                      call.usage(1000, 1);
                    }
                    done.incrementAndGet();
                  }
                });
        thread.start();
        threads.add(thread);
      }
      int target = 100;
      permits.release(100); // priced by the old catalogue: no swap yet
      awaitDone(done, target);
      for (int swap = 0; swap <= 10; swap++) {
        // Calls run while the file is replaced and reloaded.
        permits.release(150);
        target += 150;
        replace(file, swap % 2 == 0 ? newFile : oldFile);
        assertThat(prices.reload()).isTrue();
        awaitDone(done, target);
      }
      permits.release(100); // priced by the new catalogue: the last swap loaded it
      target += 100;
      awaitDone(done, target);
      stop.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
      Exposition scrape = Exposition.scrape(registry);
      assertThat(scrape.samples("llm_cost_unpriced_total")).isEmpty();
      Set<String> called = scrape.labelValues("llm_requests_total", "model");
      assertThat(called).hasSize(target).doesNotContain("overflow");
      int old = 0;
      int neu = 0;
      for (String model : called) {
        long cost = cost(model);
        assertThat(cost).as(model).isIn(OLD, NEW);
        if (cost == OLD) {
          old++;
        } else {
          neu++;
        }
      }
      assertThat(old).isGreaterThanOrEqualTo(100);
      assertThat(neu).isGreaterThanOrEqualTo(100);
      assertThat(dropped(DropReason.PRICE_RELOAD_FAILED)).isZero();
    }
  }

  private static void awaitDone(AtomicInteger done, int target) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(2))
        .until(() -> done.get() >= target);
  }

  @Test
  void aBrokenReplacementKeepsTheCurrentPricesAndIsCountedAndLogged() throws IOException {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, catalogue(2, 2, 3));
    try (LlmPriceFile prices = LlmPriceFile.builder(metrics, file).build();
        LogCapture log = LogCapture.start()) {
      LlmMetrics llm = LlmMetrics.builder(metrics).pricing(prices).build();
      LlmPricing before = prices.current();
      replace(file, "{\"sample_spec\": {\"input_cost_per_token\": 0}}");
      assertThat(prices.reload()).isFalse();
      replace(file, catalogue(2, 5, 7).substring(0, 60));
      assertThat(prices.reload()).isFalse();
      Files.delete(file);
      assertThat(prices.reload()).isFalse();
      assertThat(prices.current()).isSameAs(before);
      try (LlmCall call = llm.start("p", "m1")) {
        call.usage(1000, 1);
      }
      assertThat(cost("m1")).isEqualTo(OLD);
      assertThat(dropped(DropReason.PRICE_RELOAD_FAILED)).isEqualTo(3);
      // Logged at WARNING once per run of failures, so a file broken for a day is not a log flood.
      assertThat(log.count("cannot reload the price file " + file)).isEqualTo(1);
      assertThat(log.messages())
          .anySatisfy(
              m ->
                  assertThat(m)
                      .contains("price file must hold at least one usable price, but " + file));
      // A good file after broken ones loads again.
      replace(file, catalogue(2, 5, 7));
      assertThat(prices.reload()).isTrue();
      try (LlmCall call = llm.start("p", "m0")) {
        call.usage(1000, 1);
      }
      assertThat(cost("m0")).isEqualTo(NEW);
    }
  }

  @ExpectedLog(logger = "io.kosmos.metrics", contains = "cannot reload the price file")
  @Test
  void aChangedFileIsReloadedOnItsOwnAndABrokenOneIsCounted() throws IOException {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, catalogue(1, 2, 3));
    try (LlmPriceFile prices =
        LlmPriceFile.builder(metrics, file).reloadOnChange(Duration.ofMillis(10)).build()) {
      LlmPricing first = prices.current();
      replace(file, catalogue(1, 5, 7));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  prices.current().find("p", "m0").inputPerToken().signum() > 0
                      && prices.current() != first
                      && prices
                              .current()
                              .find("p", "m0")
                              .inputPerToken()
                              .compareTo(new java.math.BigDecimal("5e-12"))
                          == 0);
      LlmPricing second = prices.current();
      replace(file, "{ broken");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> dropped(DropReason.PRICE_RELOAD_FAILED) == 1);
      assertThat(prices.current()).isSameAs(second);
    }
  }

  @Test
  void aScheduleReloadsTheFileEvenUnchangedAndCloseLeavesNoThread() throws IOException {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, catalogue(1, 2, 3));
    LlmPriceFile prices =
        LlmPriceFile.builder(metrics, file)
            .overrides(LlmPricing.builder().price("p", "m0", ModelPrice.perMillion(1, 1)).build())
            .reloadEvery(Duration.ofMillis(10))
            .build();
    LlmPricing first = prices.current();
    await().atMost(Duration.ofSeconds(20)).until(() -> prices.current() != first);
    // Prices set in code win over the file at every load.
    assertThat(prices.current().find("p", "m0")).isEqualTo(ModelPrice.perMillion(1, 1));
    assertThat(threadAlive()).isTrue();
    prices.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> !threadAlive());
    LlmPricing last = prices.current();
    assertThat(last.find("p", "m0")).isEqualTo(ModelPrice.perMillion(1, 1));
  }

  private static boolean threadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(THREAD) && t.isAlive());
  }

  @Test
  void misconfigurationFailsAtBuildWithTheParameterAndValue() throws IOException {
    Path missing = dir.resolve("missing.json");
    assertThatThrownBy(() -> LlmPriceFile.builder(metrics, missing).build())
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("Cannot read the price file " + missing);
    Path empty = dir.resolve("empty.json");
    Files.writeString(empty, "{}");
    assertThatThrownBy(() -> LlmPriceFile.builder(metrics, empty).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("price file must hold at least one usable price, but " + empty + " has none");
    assertThatThrownBy(() -> LlmPriceFile.builder(metrics, empty).reloadEvery(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("period must be a positive duration, but was PT0S");
    assertThatThrownBy(
            () -> LlmPriceFile.builder(metrics, empty).reloadOnChange(Duration.ofSeconds(-1)))
        .hasMessage("period must be a positive duration, but was PT-1S");
    assertThatThrownBy(() -> LlmPriceFile.builder(metrics, null))
        .hasMessage("file must not be null");
    assertThatThrownBy(() -> LlmPriceFile.builder(metrics, empty).overrides(null))
        .hasMessage("overrides must not be null");
    assertThatThrownBy(() -> LlmMetrics.builder(metrics).pricing((LlmPriceFile) null))
        .hasMessage("priceFile must not be null");
  }
}
