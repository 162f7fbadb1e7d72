#!/usr/bin/env bash
# Runs the KOSMOS demo from a fresh clone: builds the three sample agents, starts them on ports
# 8000-8002 with a small traffic generator, and starts Prometheus with the shipped configuration
# when a 'prometheus' binary is on the PATH. Ctrl-C stops everything and keeps the logs (the
# script prints where they are).
#
# Environment: BIND_ADDRESS (default 127.0.0.1), LLM_BASE_URL / LLM_API_KEY / LLM_MODEL /
# LLM_PROVIDER to use a real OpenAI-compatible server instead of the embedded fake one,
# SKIP_BUILD=1 to reuse jars already built.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  echo "Building the samples (mvn package, tests skipped)..."
  mvn -B -q -DskipTests package -pl samples/zeus-servlet,samples/athena-vertx,samples/hermes-worker -am
fi

work="$(mktemp -d -t kosmos-demo.XXXXXX)"
pids=()
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
  # The logs stay for reading after the run; only Prometheus's throwaway TSDB goes.
  rm -rf "$work/prometheus-data"
  echo "Logs kept in $work:"
  ls -1 "$work"/*.log 2>/dev/null | sed 's/^/  /' || true
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

for port in 8000 8001 8002; do
  for _ in $(seq 1 100); do
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
