#!/usr/bin/env bash
# Whole-request overhead of kosmos-metrics under load, side by side with what a user would install
# instead, on the same server: a hello-world endpoint (GET /hello/{name}) driven by wrk on loopback
# in alternating paired rounds (per round, every way of every server in turn).
#
#   server  ways
#   jetty   bare (plain Jetty 12 ee11), kosmos (KosmosMetricsFilter), micrometer (micrometer-jetty12
#           TimedHandler, Prometheus registry)
#   vertx   bare (plain Vert.x 5 Web), kosmos (KosmosVertxMetrics.install), micrometer
#           (vertx-micrometer-metrics, Prometheus backend, route label on)
#   spring  bare (Spring Boot 3.5 on Tomcat, web observation off), boot (Boot's own
#           http.server.requests observation, actuator + Prometheus), kosmos (the kosmos starter)
#
# Writes benchmarks/target/http-overhead.tsv (columns: server way rps ratio_to_bare ratio_ci99
# p99_us; one row per server and way) and prints it. rps: mean over the rounds; ratio_to_bare: mean
# of the per-round ratios way/bare (the rounds are paired); ratio_ci99: half-width of its 99%
# confidence interval (Student t, rounds - 1 degrees of freedom); p99_us: mean of the rounds' p99.
#
# Builds nothing: first run
#   mvn -B -pl benchmarks,benchmarks/spring-boot-hello -am package -DskipTests
#
#   benchmarks/http-overhead.sh                             # 3 rounds of 10 s, 10 s warm-up
#   ROUNDS=2 DURATION=5s WARMUP=5s benchmarks/http-overhead.sh    # a quick end-to-end check
#   SERVERS="jetty vertx" ROUNDS=5 benchmarks/http-overhead.sh
#
# Settings (environment): ROUNDS (3), DURATION (10s), WARMUP (10s, per server and way),
# CONNECTIONS (16), WRK_THREADS (1), SERVERS ("jetty vertx spring"), JAVA_OPTS ("-Xms256m
# -Xmx256m"), OUT (raw wrk output directory; default a new temporary directory), JAR
# (benchmarks/target/benchmarks.jar), SPRING_JAR (benchmarks/spring-boot-hello/target/
# spring-boot-hello.jar; without it the spring rows are skipped with a line), TSV
# (benchmarks/target/http-overhead.tsv).
#
# On a machine with at least two cores and taskset, the servers run on cpu 0 and wrk on cpu 1, so
# that they do not compete for one core; the script says whether it pinned.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$here/target/benchmarks.jar}
SPRING_JAR=${SPRING_JAR:-$here/spring-boot-hello/target/spring-boot-hello.jar}
TSV=${TSV:-$here/target/http-overhead.tsv}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-1}
SERVERS=${SERVERS:-jetty vertx spring}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m}
OUT=${OUT:-$(mktemp -d -t http-overhead.XXXXXX)}

[[ -f $JAR ]] || { echo "no $JAR: run 'mvn -B -pl benchmarks -am package -DskipTests' first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (Debian: apt-get install wrk)" >&2; exit 1; }
mkdir -p "$OUT" "$(dirname "$TSV")"

servers=()
for server in $SERVERS; do
  case $server in
    jetty | vertx) servers+=("$server") ;;
    spring)
      if [[ -f $SPRING_JAR ]]; then
        servers+=(spring)
      else
        echo "skipped spring: no $SPRING_JAR (mvn -B -pl benchmarks/spring-boot-hello -am package -DskipTests)"
      fi ;;
    *) echo "unknown server $server (jetty, vertx, spring)" >&2; exit 2 ;;
  esac
done
(( ${#servers[@]} > 0 )) || { echo "no server to measure" >&2; exit 1; }

ways() { # server -> its ways, bare first
  case $1 in
    spring) echo "bare boot kosmos" ;;
    *) echo "bare kosmos micrometer" ;;
  esac
}

command_of() { # server way -> the java command line (after 'java $JAVA_OPTS')
  case $1 in
    spring) echo "-jar $SPRING_JAR $2" ;;
    *)
      local variant=$2
      [[ $2 == bare ]] && variant=plain
      [[ $2 == kosmos ]] && variant=instrumented
      echo "-cp $JAR io.kosmos.metrics.benchmarks.HelloServers $1 $variant" ;;
  esac
}

scrape_of() { # server way -> "path metric" whose sum must count the requests; none for bare
  case $1-$2 in
    *-bare) ;;
    *-kosmos) echo "/metrics http_requests_total" ;;
    jetty-micrometer) echo "/metrics jetty_server_requests_seconds_count" ;;
    vertx-micrometer) echo "/metrics vertx_http_server_requests_total" ;;
    spring-boot) echo "/actuator/prometheus http_server_requests_seconds_count" ;;
  esac
}

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

# All servers run for the whole measurement, so each keeps its warmed-up JIT state between rounds;
# the idle ones sleep in accept/select.
for server in "${servers[@]}"; do
  for way in $(ways "$server"); do
    key=$server-$way
    # shellcheck disable=SC2086,SC2046
    "${pin_server[@]}" java $JAVA_OPTS $(command_of "$server" "$way") >"$OUT/$key.log" 2>&1 &
    pid[$key]=$!
  done
done
for key in "${!pid[@]}"; do
  p=
  for _ in $(seq 1 1200); do
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

for server in "${servers[@]}"; do
  for way in $(ways "$server"); do
    run "$server-$way" "$WARMUP" "$OUT/$server-$way-warmup.txt"
  done
done

results=$OUT/results.tsv
printf 'round\tserver\tway\trps\tp99_us\n' >"$results"
for round in $(seq 1 "$ROUNDS"); do
  for server in "${servers[@]}"; do
    for way in $(ways "$server"); do
      file=$OUT/$server-$way-$round.txt
      run "$server-$way" "$DURATION" "$file"
      check "$server-$way" "$file"
      rps=$(awk '/^Requests\/sec:/ { print $2 }' "$file")
      p99=$(to_us "$(awk '$1 == "99%" { print $2 }' "$file")")
      printf '%s\t%s\t%s\t%s\t%s\n' "$round" "$server" "$way" "$rps" "$p99" | tee -a "$results"
    done
  done
done
echo "$(date -u +%FT%TZ)  load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# Every instrumented server must really have recorded: its scrape counts the requests.
for server in "${servers[@]}"; do
  for way in $(ways "$server"); do
    read -r path metric <<<"$(scrape_of "$server" "$way")" || true
    [[ -n ${path:-} ]] || continue
    count=$(curl -s "http://127.0.0.1:${port[$server-$way]}$path" |
      awk -v m="$metric" 'index($0, m "{") == 1 { s += $NF } END { printf "%.0f", s }')
    echo "$server $way: $metric = $count"
    (( count > 0 )) || { echo "$server $way recorded nothing" >&2; exit 1; }
  done
done

echo
awk -F'\t' -v ways="$(for s in "${servers[@]}"; do printf '%s:%s;' "$s" "$(ways "$s")"; done)" '
  # Two-sided 99% Student t quantiles by degrees of freedom; 2.576 (normal) beyond 30.
  function t99(df) {
    split("63.657 9.925 5.841 4.604 4.032 3.707 3.499 3.355 3.250 3.169 3.106 3.055 3.012 2.977 " \
      "2.947 2.921 2.898 2.878 2.861 2.845 2.831 2.819 2.807 2.797 2.787 2.779 2.771 2.763 2.756 " \
      "2.750", t, " ")
    return df <= 30 ? t[df] : 2.576
  }
  NR > 1 { v[$2, $3, $1] = $4; l[$2, $3, $1] = $5; rounds[$1] = 1 }
  END {
    print "server\tway\trps\tratio_to_bare\tratio_ci99\tp99_us"
    n = split(ways, list, ";")
    for (i = 1; i <= n; i++) {
      if (list[i] == "") continue
      split(list[i], sw, ":"); server = sw[1]; m = split(sw[2], w, " ")
      for (k = 1; k <= m; k++) {
        s = 0; r = 0; rr = 0; p = 0; c = 0
        for (j in rounds) {
          x = v[server, w[k], j] / v[server, "bare", j]
          s += v[server, w[k], j]; p += l[server, w[k], j]; r += x; rr += x * x; c++
        }
        rm = r / c
        var = c > 1 ? (rr - r * r / c) / (c - 1) : 0
        ci = var > 0 ? t99(c - 1) * sqrt(var / c) : 0
        printf "%s\t%s\t%.0f\t%.4f\t%.4f\t%.1f\n", server, w[k], s / c, rm, ci, p / c
      }
    }
  }' "$results" >"$TSV"
column -t -s $'\t' "$TSV"
echo "(written to $TSV; rps: mean over $ROUNDS rounds; ratio_to_bare: mean of the per-round ratios;"
echo " ratio_ci99: half-width of its 99% interval, t with $((ROUNDS - 1)) df; p99_us: mean of the rounds' p99)"
