#!/usr/bin/env bash
# HTTP overhead of kosmos-metrics under load: a hello-world endpoint (GET /hello/{name}) in
# embedded Jetty 12 (ee11) and in Vert.x 5, plain and instrumented, driven by wrk on loopback in
# alternating rounds (plain, instrumented, plain, instrumented, ... per server). Prints, per
# server, the mean throughput of each variant, the ratio instrumented/plain and the p99 latency
# difference.
#
# Builds nothing: run 'mvn -B -pl benchmarks -am package -DskipTests' first.
#
#   benchmarks/http-overhead.sh                # 3 rounds of 10 s per variant, 10 s warm-up
#   ROUNDS=5 DURATION=20s benchmarks/http-overhead.sh
#
# Settings (environment): ROUNDS (3), DURATION (10s), WARMUP (10s), CONNECTIONS (16),
# WRK_THREADS (1), SERVERS ("jetty vertx"), JAVA_OPTS ("-Xms256m -Xmx256m"), OUT (raw wrk output
# directory; default a new temporary directory), JAR (benchmarks/target/benchmarks.jar).
#
# On a machine with at least two cores and taskset, the servers run on cpu 0 and wrk on cpu 1, so
# that they do not compete for one core; the script says whether it pinned.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$here/target/benchmarks.jar}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-1}
SERVERS=${SERVERS:-jetty vertx}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m}
OUT=${OUT:-$(mktemp -d -t http-overhead.XXXXXX)}
VARIANTS="plain instrumented"

[[ -f $JAR ]] || { echo "no $JAR: run 'mvn -B -pl benchmarks -am package -DskipTests' first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 1; }
mkdir -p "$OUT"

pin_server=()
pin_wrk=()
if command -v taskset >/dev/null && (( $(nproc) >= 2 )); then
  pin_server=(taskset -c 0)
  pin_wrk=(taskset -c 1)
  echo "pinned: servers on cpu 0, wrk on cpu 1"
else
  echo "not pinned: servers and wrk share the cpus"
fi
echo "$(date -u +%FT%TZ)  $(nproc) cpus  $(java -version 2>&1 | head -1)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS rounds, warm-up $WARMUP; raw output in $OUT"

declare -A pid port
cleanup() {
  for key in "${!pid[@]}"; do
    kill "${pid[$key]}" 2>/dev/null || true
  done
  for key in "${!pid[@]}"; do
    wait "${pid[$key]}" 2>/dev/null || true
  done
}
trap cleanup EXIT

# All four servers run for the whole measurement, so each keeps its warmed-up JIT state between
# rounds; the idle ones sleep in accept/select.
for server in $SERVERS; do
  for variant in $VARIANTS; do
    key=$server-$variant
    # shellcheck disable=SC2086
    "${pin_server[@]}" java $JAVA_OPTS -cp "$JAR" io.kosmos.metrics.benchmarks.HelloServers \
      "$server" "$variant" >"$OUT/$key.log" 2>&1 &
    pid[$key]=$!
  done
done
for key in "${!pid[@]}"; do
  for _ in $(seq 1 300); do
    p=$(sed -n 's/^port=//p' "$OUT/$key.log")
    [[ -n $p ]] && break
    kill -0 "${pid[$key]}" 2>/dev/null || { cat "$OUT/$key.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n $p ]] || { echo "$key did not print its port" >&2; exit 1; }
  port[$key]=$p
done

# wrk's latency with its unit (us, ms, s) in microseconds.
to_us() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "ms") n *= 1000; else if (u == "s") n *= 1000000; else if (u == "m") n *= 60000000
    printf "%.1f", n }'
}

run() { # key duration file
  "${pin_wrk[@]}" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$2" --latency \
    "http://127.0.0.1:${port[$1]}/hello/world" >"$3"
}

check() { # key file: a wrong status is a broken server; socket errors make the round suspect
  if grep -q 'Non-2xx' "$2"; then
    echo "$1 answered with errors ($2):" >&2
    cat "$2" >&2
    exit 1
  fi
  if grep -q 'Socket errors' "$2"; then
    echo "warning: $1: $(grep 'Socket errors' "$2" | sed 's/^ *//') in $2" >&2
  fi
}

for server in $SERVERS; do
  for variant in $VARIANTS; do
    run "$server-$variant" "$WARMUP" "$OUT/$server-$variant-warmup.txt"
  done
done

results=$OUT/results.tsv
printf 'round\tserver\tvariant\trps\tp99_us\n' >"$results"
for round in $(seq 1 "$ROUNDS"); do
  for server in $SERVERS; do
    for variant in $VARIANTS; do
      file=$OUT/$server-$variant-$round.txt
      run "$server-$variant" "$DURATION" "$file"
      check "$server-$variant" "$file"
      rps=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
      p99=$(to_us "$(awk '$1 == "99%" { print $2 }' "$file")")
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$server" "$variant" "$rps" "$p99" | tee -a "$results"
    done
  done
done

# The instrumented servers must really have recorded: their scrape counts the requests.
for server in $SERVERS; do
  count=$(curl -s "http://127.0.0.1:${port[$server-instrumented]}/metrics" |
    awk '/^http_requests_total\{/ { s += $NF } END { printf "%.0f", s }')
  echo "$server instrumented: http_requests_total = $count"
  (( count > 0 )) || { echo "$server instrumented recorded nothing" >&2; exit 1; }
done

echo
awk -F'\t' 'NR > 1 {
    k = $2 SUBSEP $3; n[k]++; s[k] += $4; ss[k] += $4 * $4; p[k] += $5
    v[$2, $3, $1] = $4; l[$2, $3, $1] = $5; rounds[$1] = 1
    if (!($2 in seen)) { seen[$2] = 1; order[++m] = $2 }
  }
  function sd(k) { return n[k] > 1 ? sqrt((ss[k] - s[k] * s[k] / n[k]) / (n[k] - 1)) : 0 }
  END {
    printf "%-7s %20s %20s %16s %11s %11s %15s\n", "server", "plain req/s", "instrumented req/s",
      "ratio", "p99 plain", "p99 instr.", "p99 diff"
    for (i = 1; i <= m; i++) {
      a = order[i] SUBSEP "plain"; b = order[i] SUBSEP "instrumented"
      # Rounds are paired: the ratio and the p99 difference are taken per round, then averaged.
      r = 0; rr = 0; d = 0; dd = 0; c = 0
      for (j in rounds) {
        x = v[order[i], "instrumented", j] / v[order[i], "plain", j]
        y = l[order[i], "instrumented", j] - l[order[i], "plain", j]
        r += x; rr += x * x; d += y; dd += y * y; c++
      }
      rm = r / c; dm = d / c
      rse = c > 1 ? sqrt((rr - r * r / c) / (c - 1) / c) : 0
      dse = c > 1 ? sqrt((dd - d * d / c) / (c - 1) / c) : 0
      printf "%-7s %11.0f ± %6.0f %11.0f ± %6.0f %8.3f ± %.3f %8.0f us %8.0f us %+7.0f ± %4.0f us\n",
        order[i], s[a] / n[a], sd(a), s[b] / n[b], sd(b), rm, rse, p[a] / n[a], p[b] / n[b], dm, dse
    }
    print "(req/s: mean ± standard deviation over rounds; ratio and p99 difference: mean of the"
    print " per-round values ± standard error; p99: mean of the rounds'"'"' p99)"
  }' "$results" | tee "$OUT/summary.txt"
