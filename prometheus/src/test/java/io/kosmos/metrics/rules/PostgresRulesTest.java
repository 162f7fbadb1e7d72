package io.kosmos.metrics.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL rules of {@code rules/kosmos-infrastructure.yml} against real components: a
 * PostgreSQL 15 primary with a streaming standby, Debian's postgres_exporter 0.11.1 on the primary,
 * and Debian's Prometheus running the shipped {@code prometheus.yml} (its targets moved to free
 * ports, intervals 1 s) with every shipped rule file. One set of processes for the whole class.
 */
class PostgresRulesTest {

  @TempDir static Path workDir;

  private static PostgresCluster postgres;
  private static DaemonProcess exporter;
  private static PrometheusProcess prometheus;

  @BeforeAll
  static void startPostgresExporterAndPrometheus() throws Exception {
    Binaries.find("prometheus");
    Path exporterBinary =
        Binaries.find("prometheus-postgres-exporter", "prometheus-postgres-exporter");
    postgres = PostgresCluster.start(workDir);
    int exporterPort = PrometheusProcess.freePort();
    exporter =
        DaemonProcess.start(
            "postgres_exporter",
            List.of(exporterBinary.toString(), "--web.listen-address=127.0.0.1:" + exporterPort),
            Map.of("DATA_SOURCE_NAME", postgres.dataSourceName()),
            exporterPort,
            "/metrics",
            workDir);
    String config = PrometheusProcess.shippedConfig(Map.of(9090, 9090, 9187, exporterPort), "1s");
    assertThat(config).contains("job_name: postgres").doesNotContain("localhost:9187");
    PrometheusProcess.copyRules(workDir, "1s");
    prometheus =
        PrometheusProcess.start(
            workDir, port -> config.replace("localhost:9090", "localhost:" + port));
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (exporter != null) {
      exporter.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void everyPostgresRecordingRuleReturnsASeries() throws Exception {
    List<String> postgresRules =
        PrometheusProcess.recordingRules().stream()
            .filter(name -> name.startsWith("kosmos:postgres:"))
            .toList();
    assertThat(postgresRules)
        .containsExactlyInAnyOrder(
            "kosmos:postgres:connection_utilization",
            "kosmos:postgres:replication_lag_bytes",
            "kosmos:postgres:cache_hit_ratio");
    awaitAsserted(
        () -> {
          assertThat(prometheus.targetHealth("postgres").values()).containsExactly("up");
          for (String rule : postgresRules) {
            assertThat(prometheus.query(rule)).as(rule).isNotEmpty();
          }
        });
  }

  @Test
  void connectionUtilizationIsEveryClientConnectionOverMaxConnections() throws Exception {
    awaitAsserted(
        () -> {
          List<PrometheusProcess.Series> ratio =
              prometheus.query("kosmos:postgres:connection_utilization");
          assertThat(ratio).hasSize(1);
          assertThat(ratio.get(0).labels())
              .containsEntry("job", "postgres")
              .containsKeys("instance", "server");
          // At least the exporter's own connection, never more slots than exist.
          assertThat(ratio.get(0).value())
              .isGreaterThanOrEqualTo(1.0 / PostgresCluster.MAX_CONNECTIONS)
              .isLessThanOrEqualTo(1.0);
          assertThat(prometheus.query("pg_settings_max_connections"))
              .extracting(PrometheusProcess.Series::value)
              .containsExactly((double) PostgresCluster.MAX_CONNECTIONS);
        });
  }

  @Test
  void replicationLagHasOneSeriesPerStandby() throws Exception {
    awaitAsserted(
        () -> {
          List<PrometheusProcess.Series> lag =
              prometheus.query("kosmos:postgres:replication_lag_bytes");
          assertThat(lag).hasSize(1);
          assertThat(lag.get(0).labels())
              .containsEntry("application_name", "walreceiver")
              .containsEntry("job", "postgres")
              .doesNotContainKeys("slot_name", "state");
          assertThat(lag.get(0).value()).isGreaterThanOrEqualTo(0);
        });
  }

  @Test
  void cacheHitRatioIsAFractionPerDatabaseAndNeverNaN() throws Exception {
    postgres.psql(
        "CREATE TABLE IF NOT EXISTS t AS SELECT g AS id FROM generate_series(1, 10000) g;"
            + " SELECT count(*) FROM t;");
    awaitAsserted(
        () -> {
          List<PrometheusProcess.Series> ratio =
              prometheus.query("kosmos:postgres:cache_hit_ratio");
          assertThat(ratio)
              .extracting(s -> s.labels().get("datname"))
              .contains("postgres", "template1")
              .doesNotContain("template0");
          assertThat(ratio).allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 1.0).isNotNaN());
        });
  }

  @Test
  void theGuidesExpressionsFailOnTheSameData() throws Exception {
    awaitAsserted(
        () -> assertThat(prometheus.query("kosmos:postgres:connection_utilization")).hasSize(1));
    // One-to-one matching finds no pair: the left side carries datname and state.
    assertThat(
            prometheus.query(
                "pg_stat_activity_count{state=\"active\"} / pg_settings_max_connections"))
        .isEmpty();
    // Not a postgres_exporter metric.
    assertThat(prometheus.query("pg_replication_lag_bytes")).isEmpty();
    // template0 was never read: 0 / 0.
    assertThat(
            prometheus.query(
                "pg_stat_database_blks_hit{datname=\"template0\"} / (pg_stat_database_blks_hit"
                    + " + pg_stat_database_blks_read)"))
        .extracting(PrometheusProcess.Series::value)
        .containsExactly(Double.NaN);
  }

  private static void awaitAsserted(org.awaitility.core.ThrowingRunnable assertion) {
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(assertion);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(
          e.getMessage() + "\n" + exporter.log() + postgres.logs() + "\n" + prometheus.log(), e);
    }
  }
}
