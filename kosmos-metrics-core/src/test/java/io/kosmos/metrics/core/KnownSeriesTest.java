package io.kosmos.metrics.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.kosmos.metrics.core.HttpRecorder.Known;
import io.kosmos.metrics.core.HttpRecorder.KnownSeries;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KnownSeriesTest {

  // "Aa" and "BB" have the same hash code, so these routes collide on every method and status.
  private static final List<String> ROUTES =
      List.of("/Aa", "/BB", "/AaAa", "/BBBB", "/AaBB", "/tasks/{id}");

  @Test
  void aCrowdedTableOnlyEverAnswersWithTheEntryOfTheSameRouteMethodAndStatus() {
    Counter counter = Counter.builder().name("c").labelNames("k").build();
    Histogram histogram = Histogram.builder().name("h").labelNames("k").build();
    KnownSeries table = new KnownSeries(1); // 1,024 slots
    Map<String, Known> put = new HashMap<>();
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      String route = ROUTES.get(random.nextInt(ROUTES.size()));
      int method = random.nextInt(10);
      int status = 100 + random.nextInt(500);
      String key = route + " " + method + " " + status;
      if (!put.containsKey(key)) {
        Known known =
            new HttpRecorder.ClientKnown(
                method, status, counter.labelValues(key), histogram.labelValues(key));
        put.put(key, known);
        // Another instance of an equal string: found by content, not identity.
        table.put(new String(route), known);
      }
    }

    int found = 0;
    for (String route : ROUTES) {
      for (int method = 0; method < 10; method++) {
        for (int status = 100; status < 600; status++) {
          int slot = table.find(route, method, status);
          if (slot >= 0) {
            found++;
            assertThat(table.entry(slot)).isSameAs(put.get(route + " " + method + " " + status));
          }
        }
      }
    }
    // Most entries find no room in a table this crowded; at least half of its slots answer.
    assertThat(found).isBetween(500, 1024);
  }

  @Test
  void theStoreOffsetsOfAFoundSlotAreThoseOfItsEntryUpToTheLargestOffsetOfAFullStore() {
    KnownSeries table = new KnownSeries(1_000);
    // The store's offsets end below 4,096 chunks of 2,048 longs: 2^23.
    int largest = (1 << 23) - 1;
    Map<String, Known> put = new HashMap<>();
    Random random = new Random(11);
    for (String route : ROUTES) {
      for (int method = 0; method < 10; method++) {
        for (int status : new int[] {200, 201, 404, 499, 500, 599}) {
          int histogram = random.nextInt(largest + 1);
          int count = method == 9 ? largest : random.nextInt(largest + 1);
          Known known = new Known(method, status, histogram, count);
          put.put(route + " " + method + " " + status, known);
          table.put(route, known);
        }
      }
    }

    for (Map.Entry<String, Known> kept : put.entrySet()) {
      String[] key = kept.getKey().split(" ");
      Known known = kept.getValue();
      int slot = table.find(key[0], Integer.parseInt(key[1]), Integer.parseInt(key[2]));
      assertThat(slot).as(kept.getKey()).isNotNegative();
      long target = table.target(slot);
      assertThat(KnownSeries.histogram(target)).as(kept.getKey()).isEqualTo(known.histogram);
      assertThat(KnownSeries.count(target)).as(kept.getKey()).isEqualTo(known.count);
      assertThat(table.entry(slot)).isSameAs(known);
    }
    // A status never put, a method never put, a route never put.
    assertThat(table.find("/tasks/{id}", 0, 302)).isNegative();
    assertThat(table.find("/tasks/{id}", 10, 200)).isNegative();
    assertThat(table.find("/tasks/{id}/", 0, 200)).isNegative();
  }

  @Test
  void aCombinationPutAgainIsKeptOnceAndLeavesItsNeighboursRoom() {
    KnownSeries table = new KnownSeries(1);
    Known first = new Known(0, 200, 1, 2);
    table.put("/Aa", first);
    // As racing slow paths do: the same combination again, with entries of its own.
    for (int i = 0; i < 8; i++) {
      table.put(new String("/Aa"), new Known(0, 200, 1, 2));
    }
    // "/BB" hashes as "/Aa" does, so it probes the same eight slots.
    Known other = new Known(0, 200, 3, 4);
    table.put("/BB", other);

    assertThat(table.entry(table.find("/Aa", 0, 200))).isSameAs(first);
    assertThat(table.find("/BB", 0, 200)).isNotNegative();
    assertThat(table.entry(table.find("/BB", 0, 200))).isSameAs(other);
  }

  @Test
  void anOffsetTooLargeToPackIsNotKeptSoThatItsRequestsTakeTheSlowPath() {
    KnownSeries table = new KnownSeries(1);
    table.put("/tasks/{id}", new Known(0, 200, 1 << 24, 0));
    table.put("/tasks/{id}", new Known(0, 201, 0, 1 << 24));

    assertThat(table.find("/tasks/{id}", 0, 200)).isNegative();
    assertThat(table.find("/tasks/{id}", 0, 201)).isNegative();
  }
}
