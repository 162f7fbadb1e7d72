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

  @Test
  void aCrowdedTableOnlyEverAnswersWithTheEntryOfTheSameRouteMethodAndStatus() {
    Counter counter = Counter.builder().name("c").labelNames("k").build();
    Histogram histogram = Histogram.builder().name("h").labelNames("k").build();
    // "Aa" and "BB" have the same hash code, so these routes collide on every method and status.
    List<String> routes = List.of("/Aa", "/BB", "/AaAa", "/BBBB", "/AaBB", "/tasks/{id}");
    KnownSeries table = new KnownSeries(1); // 1,024 slots
    Map<String, Known> put = new HashMap<>();
    Random random = new Random(7);
    for (int i = 0; i < 5_000; i++) {
      String route = routes.get(random.nextInt(routes.size()));
      int method = random.nextInt(10);
      int status = 100 + random.nextInt(500);
      String key = route + " " + method + " " + status;
      if (!put.containsKey(key)) {
        Known known =
            new HttpRecorder.ClientKnown(
                new String(route),
                method,
                status,
                counter.labelValues(key),
                histogram.labelValues(key));
        put.put(key, known);
        table.put(known);
      }
    }

    int found = 0;
    for (String route : routes) {
      for (int method = 0; method < 10; method++) {
        for (int status = 100; status < 600; status++) {
          Known known = table.get(route, method, status);
          if (known != null) {
            found++;
            assertThat(known).isSameAs(put.get(route + " " + method + " " + status));
          }
        }
      }
    }
    // Most entries find no room in a table this crowded; at least half of its slots answer.
    assertThat(found).isBetween(500, 1024);
  }
}
