#!/usr/bin/env bash
# Runs the KOSMOS demo from a fresh clone: builds the three sample agents and the Spring Boot API
# gateway, starts the agents on ports 8000-8002 and the gateway on 8080 with a small traffic
# generator, and, each when installed (Debian packages), a throwaway PostgreSQL with
# postgres_exporter on 9187 ('postgresql', 'prometheus-postgres-exporter'), Alertmanager on 9093
# ('prometheus-alertmanager') and Prometheus on 9090 ('prometheus') with the shipped
# configuration. Ctrl-C stops everything and keeps the
# logs (the script prints where they are).
#
# Environment: BIND_ADDRESS (default 127.0.0.1), LLM_BASE_URL / LLM_API_KEY / LLM_MODEL /
# LLM_PROVIDER to use a real OpenAI-compatible server instead of the embedded fake one,
# SKIP_BUILD=1 to reuse jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "Building the samples (mvn package, tests skipped)..."
  mvn -B -q -DskipTests package -pl samples/zeus-servlet,samples/athena-vertx,samples/hermes-worker,samples/gateway-spring -am
fi

work="$(mktemp -d -t kosmos-demo.XXXXXX)"
pids=()
pg_bin=""
cleanup() {
  # A second Ctrl-C must not cut the cleanup short and lose the logs' location.
  trap - EXIT
  trap '' INT TERM
  echo
  echo "Stopping..."
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "$pg_bin" && -f "$work/pg/data/postmaster.pid" ]]; then
    as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  # The logs stay for reading after the run; only the throwaway data goes (Prometheus's TSDB,
  # PostgreSQL's cluster, Alertmanager's state).
  rm -rf "$work/prometheus-data" "$work/pg/data" "$work/alertmanager"
  echo "Logs kept in $work:"
  find "$work" -name '*.log' 2>/dev/null | sort | sed 's/^/  /' || true
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

start_agent() { # name port
  PORT="$2" java -jar "samples/$1/target/$1.jar" >"$work/$1.log" 2>&1 &
  pids+=($!)
}
start_agent zeus-servlet 8000
start_agent athena-vertx 8001
start_agent hermes-worker 8002
# The gateway forwards to the agents at their default addresses, 127.0.0.1:8000-8002.
start_agent gateway-spring 8080

for port in 8000 8001 8002 8080; do
  for _ in $(seq 1 300); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/metrics" && break
    sleep 0.2
  done
  if ! curl -fs -o /dev/null "http://127.0.0.1:$port/metrics"; then
    echo "The agent on port $port did not start; its log:" >&2
    cat "$work"/*.log >&2
    exit 1
  fi
done

# Traffic for the two web agents: tasks, chats (an LLM call each), health checks, a failing route.
traffic() {
  local i=0
  while true; do
    i=$((i + 1))
    for port in 8000 8001; do
      curl -s -o /dev/null "http://127.0.0.1:$port/tasks/$i"
      curl -s -o /dev/null "http://127.0.0.1:$port/health"
      curl -s -o /dev/null -H 'Content-Type: application/json' \
        -d "{\"message\":\"Summarise ticket $i for the on-call engineer\"}" \
        "http://127.0.0.1:$port/chat"
      if ((i % 5 == 0)); then curl -s -o /dev/null "http://127.0.0.1:$port/boom"; fi
    done
    curl -s -o /dev/null "http://127.0.0.1:8080/zeus/tasks/$i"
    curl -s -o /dev/null "http://127.0.0.1:8080/athena/health"
    sleep 0.5
  done
}
traffic &
pids+=($!)

echo
echo "Agents running, traffic flowing. Metrics:"
echo "  zeus   (Jetty servlet)  http://127.0.0.1:8000/metrics"
echo "  athena (Vert.x)         http://127.0.0.1:8001/metrics"
echo "  hermes (worker)         http://127.0.0.1:8002/metrics"
echo "  gateway (Spring Boot)   http://127.0.0.1:8080/metrics (forwards /zeus/..., /athena/..., /hermes/...)"

# The first of the given commands that is installed, or nothing.
first_installed() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return
    fi
  done
}

# PostgreSQL refuses to run as root: as root, run its tools as the 'postgres' user.
as_postgres() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# PostgreSQL (socket only, in the work folder: no TCP port, no clash with a system server) and
# postgres_exporter on 9187, the guide's exporter port.
exporter="$(first_installed prometheus-postgres-exporter postgres_exporter)"
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -n "$pg_bin" && -x "$pg_bin/initdb" && -n "$exporter" ]]; then
  mkdir -p "$work/pg/sock"
  if [[ "$(id -u)" == 0 ]]; then
    chmod 755 "$work"
    chown -R postgres "$work/pg"
  fi
  as_postgres "$pg_bin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 --no-sync \
    >"$work/initdb.log" 2>&1
  as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/postgres.log" -w \
    -o "-p 5432 -k $work/pg/sock -c listen_addresses=''" start >/dev/null
  DATA_SOURCE_NAME="host=$work/pg/sock port=5432 user=postgres sslmode=disable" \
    "$exporter" --web.listen-address=127.0.0.1:9187 >"$work/postgres_exporter.log" 2>&1 &
  pids+=($!)
  echo "PostgreSQL exporter:    http://127.0.0.1:9187/metrics (PostgreSQL on a socket in $work/pg/sock)"
else
  pg_bin=""
  echo "PostgreSQL or postgres_exporter is not installed (Debian: apt-get install postgresql prometheus-postgres-exporter); skipping them."
fi

alertmanager="$(first_installed prometheus-alertmanager alertmanager)"
if [[ -n "$alertmanager" ]]; then
  # A single instance: no cluster gossip port.
  "$alertmanager" --config.file=prometheus/alertmanager.yml --storage.path="$work/alertmanager" \
    --web.listen-address=127.0.0.1:9093 --cluster.listen-address= >"$work/alertmanager.log" 2>&1 &
  pids+=($!)
  echo "Alertmanager UI:        http://127.0.0.1:9093 (webhooks go to http://127.0.0.1:5001/alerts/...)"
else
  echo "Alertmanager is not installed (Debian: apt-get install prometheus-alertmanager); skipping it."
fi

if command -v prometheus >/dev/null 2>&1; then
  # rule_files in prometheus.yml are relative to the file itself.
  prometheus --config.file=prometheus/prometheus.yml \
    --storage.tsdb.path="$work/prometheus-data" --web.listen-address=127.0.0.1:9090 \
    >"$work/prometheus.log" 2>&1 &
  pids+=($!)
  echo "Prometheus UI:          http://127.0.0.1:9090 (try kosmos:agent:request_rate_5m)"
else
  echo "Prometheus is not installed (Debian: apt-get install prometheus); skipping it."
fi
echo "Logs in $work (kept after Ctrl-C):"
ls -1 "$work"/*.log | sed 's/^/  /'
echo "Expected alerts: /boom is driven on purpose, so KosmosAgentHighErrorRate for zeus and athena"
echo "goes pending within about a minute and fires 5 minutes later (README.md explains why)."
echo "Press Ctrl-C to stop."
wait
