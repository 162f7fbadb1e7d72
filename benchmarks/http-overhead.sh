#!/usr/bin/env bash
# Whole-request overhead of kosmos-metrics under load, side by side with what a user would install
# instead, on the same server: a hello-world endpoint (GET /hello/{name}) driven by wrk on loopback
# in paired rounds. Every round starts each way of a server in a fresh JVM, scrapes each
# instrumented way once and warms each, then measures them taking turns: one full-load run each
# that is not counted, then SLICES counted ones, way after way (the first way rotating between
# rounds), then SLICES paced runs each, taking turns as well; once all are measured it checks
# that every instrumented way's scrape counted at least the requests wrk was answered.
#
#   server  ways
#   jetty   bare (plain Jetty 12 ee11), kosmos (KosmosJettyHandler.install), micrometer
#           (micrometer-jetty12 TimedHandler, Prometheus registry)
#   vertx   bare (plain Vert.x 5 Web), kosmos (KosmosVertxMetrics.install), micrometer
#           (vertx-micrometer-metrics, Prometheus backend, route label on)
#   spring  bare (Spring Boot 3.5 on Tomcat, web observation off), boot (Boot's own
#           http.server.requests observation, actuator + Prometheus), kosmos (the kosmos starter)
#
# EXTRA_WAYS adds ways: passthrough, on jetty and vertx, the extension point alone (a filter that
# only calls the chain, a first route whose handler only calls ctx.next()), which tells what the
# framework charges for a hook from what kosmos does in it; filter, on jetty, KosmosMetricsFilter
# on /* as in any other servlet container; metrics-spi, on vertx, a probe recording through
# Vert.x's metrics SPI instead of a route (benchmarks' VertxMetricsSpiProbe); route-scrape, on
# vertx, the handler with /metrics on a route of its own (KosmosMetricsHandler.installOn and
# router.route("/metrics")), as KosmosVertxMetrics.install served it until 2026-12-02;
# hook-empty, hook-wrap, probe-inner and probe-outer, on jetty, KosmosJettyHandler taken apart (an
# empty handler where it goes, the same with a callback of its own, a fixed-template recording
# there, the same around the context; see HelloServers); probe-atomics, probe-clocks and
# probe-begin, on jetty, a recording's raw atomic adds alone, with two clock reads, and with one
# (the start from Jetty's Request.getBeginNanoTime()).
#
# Writes benchmarks/target/http-overhead.tsv (columns: server way rps ratio_to_bare ratio_ci99
# p99_us paced_p99_us; one row per server and way) and prints it with seven more columns. rps:
# mean over the rounds (a round's: the mean of its slices); ratio_to_bare: mean of the per-round
# ratios way/bare (the rounds are paired); ratio_ci99: half-width of its 99% confidence interval
# (Student t, rounds - 1 degrees of freedom); p99_us: mean of the rounds' p99 at full load (a
# round's: the mean of its slices' p99); paced_p99_us: the same under a paced
# load (below); printed only: p99_minus_bare_us and paced_p99_minus_bare_us, the means of the
# per-round differences to bare's p99, and p99_ci99 and paced_p99_ci99, their 99% half-widths;
# cpu_us, the server's cpu time per request at full load (its cpu's busy share, read from
# /proc/stat, over the rate), cpu_us_minus_bare, the mean per-round difference to bare, and
# cpu_us_ci99, its 99% half-width: what a way adds, in a figure that, unlike the ratio, does not
# shrink on a host where bare costs more.
#
# Two loads, since one cannot show both costs. Throughput at full load (wrk keeps CONNECTIONS
# requests outstanding on a saturated core) in slices that alternate between the ways, since the
# host's speed drifts by several percent within minutes: its p99 is mostly time spent queued
# behind other requests and swings by a millisecond between rounds of the same way, far more
# than any instrumentation adds. Latency at a paced load: after the full-load slices, every
# connection waits PACED_DELAY_MS between its requests (wrk's delay() hook), which keeps the
# server's core mostly idle, so that the p99 is the time of a request itself. With
# PACED_TOGETHER=1 every way of the round is paced at once in each slice, one wrk per way (on
# wrk's cpu, PACED_CONNECTIONS connections each), instead of way after way: on a host whose stalls
# move one JVM's paced p99 by milliseconds between runs a minute apart, a stall then falls on every
# way's run alike. In an A/A check on such a host (two bare Jetty JVMs, 8 runs of 3 s, 4
# connections each) the two p99s differed by 230 µs (sd) measured at once against 750 µs one after
# the other. The ways then share the servers' cpu, so each also waits behind the others' requests.
#
# With SAME_JVM=1 every round starts one JVM per server instead of one per way (not for spring,
# whose ways keep a JVM each): the JVM serves each way on a server and port of its own, so the
# ways share the JIT's code, the heap and the collector. Two JVMs of the same server differ in
# steady-state throughput by several percent; within one JVM that difference falls on every way
# alike, and so do its collections and the host's stalls during a paced slice. What the ways share
# is also what a comparison can miss: code one way runs may be compiled with another's profile.
# EXTRA_WAYS=bare-again adds a second bare server on jetty and vertx: an A/A check, whose ratio
# and p99 difference to bare show what the design measures when the ways are the same.
#
# Builds nothing: first run
#   mvn -B -pl benchmarks,benchmarks/spring-boot-hello -am package -DskipTests
#
#   benchmarks/http-overhead.sh                  # 6 rounds of 6 x 2 s per way, after warm-ups
#   ROUNDS=2 DURATION=2s SLICES=2 WARMUP=5s benchmarks/http-overhead.sh     # a quick check
#   SERVERS="jetty vertx" ROUNDS=8 benchmarks/http-overhead.sh
#
# Settings (environment): ROUNDS (6), DURATION (12s, a way's full load per round, whole seconds),
# SLICES (6; DURATION in this many runs per way), WARMUP (15s, per round, server and way;
# then 5 s runs until two in a row agree within 3%, MAX_WARMUP (90s) in all),
# CONNECTIONS (16), WRK_THREADS (1), EXTRA_WAYS (none), PACED_DURATION (12s, in SLICES runs per way;
# 0 skips the paced runs), PACED_DELAY_MS (1), PACED_TOGETHER (0; 1: the ways paced at once),
# PACED_CONNECTIONS (CONNECTIONS; with PACED_TOGETHER, a server's core serves every way's at
# once), SAME_JVM (0; 1: one JVM per round for the ways of jetty and vertx), SERVERS ("jetty
# vertx spring"), JAVA_OPTS ("-Xms256m -Xmx256m"), OUT (raw wrk output and server logs; default a
# new temporary directory), JAR
# (benchmarks/target/benchmarks.jar), SPRING_JAR (benchmarks/spring-boot-hello/target/
# spring-boot-hello.jar; without it the spring rows are skipped with a line), TSV
# (benchmarks/target/http-overhead.tsv), RESULTS (an earlier run's results.tsv, from its OUT: only
# summarise it, measuring nothing). A round takes a little more than 3 x (WARMUP + DURATION +
# PACED_DURATION) per server: Spring Boot takes about a minute to reach its steady rate, Jetty
# and Vert.x 20 to 30 s.
#
# On a machine with at least two cores and taskset, the servers run on cpu 0 and wrk on cpu 1, so
# that they do not compete for one core; the script says whether it pinned. Pinned, each server
# also runs in a cgroup of its own held to SERVER_CPU (0.8) of its cpu, when the cgroup cpu
# controller is writable (root; cgroup v1 or v2; SERVER_CPU=0: no quota), so that wrk's cpu has room
# and the server alone sets the rate. Every counted full-load run records both cpus' idle shares
# (results.tsv's last two columns, the rounds' means); the script warns when wrk's cpu was under 5%
# idle.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
JAR=${JAR:-$here/target/benchmarks.jar}
SPRING_JAR=${SPRING_JAR:-$here/spring-boot-hello/target/spring-boot-hello.jar}
TSV=${TSV:-$here/target/http-overhead.tsv}
ROUNDS=${ROUNDS:-6}
DURATION=${DURATION:-12s}
SLICES=${SLICES:-6}
WARMUP=${WARMUP:-15s}
MAX_WARMUP=${MAX_WARMUP:-90s}
CONNECTIONS=${CONNECTIONS:-16}
WRK_THREADS=${WRK_THREADS:-1}
PACED_DURATION=${PACED_DURATION:-12s}
PACED_DELAY_MS=${PACED_DELAY_MS:-1}
PACED_TOGETHER=${PACED_TOGETHER:-0}
PACED_CONNECTIONS=${PACED_CONNECTIONS:-$CONNECTIONS}
SAME_JVM=${SAME_JVM:-0}
SERVERS=${SERVERS:-jetty vertx spring}
EXTRA_WAYS=${EXTRA_WAYS:-}
JAVA_OPTS=${JAVA_OPTS:--Xms256m -Xmx256m}
SERVER_CPU=${SERVER_CPU:-0.8}
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
    *) echo "bare kosmos micrometer${EXTRA_WAYS:+ $EXTRA_WAYS}" ;;
  esac
}

command_of() { # server way... -> the java command line (after 'java $JAVA_OPTS'); several ways
  # of jetty or vertx: one JVM serving each on a port of its own
  local server=$1 variants= way
  shift
  case $server in
    spring) echo "-jar $SPRING_JAR $1" ;;
    *)
      for way in "$@"; do
        case $way in
          bare | bare-again) way=plain ;;
          kosmos) way=instrumented ;;
        esac
        variants+=${variants:+,}$way
      done
      echo "-cp $JAR io.kosmos.metrics.benchmarks.HelloServers $server $variants" ;;
  esac
}

scrape_of() { # server way -> "path metric" whose sum must count the requests; none for bare
  case $1-$2 in
    *-bare | *-bare-again) ;;
    *-kosmos | jetty-filter | vertx-metrics-spi | vertx-route-scrape) echo "/metrics http_requests_total" ;;
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
# A cpu quota for each server (a cgroup of its own): with only the pinning, wrk's cpu, which also
# carries the loopback's receive work, was as busy as the server's (both 1.5-3% idle on Vert.x at
# 100,000 requests per second), so either could set the pace and a dearer server lost less than its
# cost. With the server held to a share of its cpu, wrk's has room and the server's cost alone
# sets the rate.
awk -v s="$SERVER_CPU" 'BEGIN { exit !(s == "0" || (s ~ /^[0-9]*\.?[0-9]+$/ && s + 0 > 0 && s + 0 <= 1)) }' || {
  echo "SERVER_CPU must be 0 (no quota) or a share of one cpu above 0 and at most 1, but was SERVER_CPU=$SERVER_CPU" >&2
  exit 2
}
[[ $PACED_TOGETHER == 0 || $PACED_TOGETHER == 1 ]] || {
  echo "PACED_TOGETHER must be 0 (the ways paced one after the other) or 1 (at once), but was PACED_TOGETHER=$PACED_TOGETHER" >&2
  exit 2
}
[[ $SAME_JVM == 0 || $SAME_JVM == 1 ]] || {
  echo "SAME_JVM must be 0 (a JVM per way) or 1 (one JVM per round for the ways of jetty and vertx), but was SAME_JVM=$SAME_JVM" >&2
  exit 2
}
[[ $PACED_CONNECTIONS =~ ^[1-9][0-9]*$ ]] || {
  echo "PACED_CONNECTIONS must be a whole number of connections above 0, but was PACED_CONNECTIONS=$PACED_CONNECTIONS" >&2
  exit 2
}
groups=()
cpu_group_root=
if [[ ${#pin_server[@]} -gt 0 && $SERVER_CPU != 0 ]]; then
  if [[ -w /sys/fs/cgroup/cpu/cgroup.procs && -f /sys/fs/cgroup/cpu/cpu.cfs_quota_us ]]; then
    cpu_group_root=/sys/fs/cgroup/cpu # cgroup v1
  elif [[ -w /sys/fs/cgroup/cgroup.procs ]] && grep -qw cpu /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
    cpu_group_root=/sys/fs/cgroup # cgroup v2
  fi
  if [[ -n $cpu_group_root ]]; then
    echo "servers held to $SERVER_CPU of cpu 0 each (cgroups under $cpu_group_root)"
  else
    echo "no cpu quota for the servers: no writable cgroup cpu controller (SERVER_CPU=0 to not ask)"
  fi
fi

cpu_group() { # key: a new cgroup with the quota, its path in $group
  local period=10000 quota
  group=$cpu_group_root/kosmos-http-overhead-$$-$1
  quota=$(awk -v s="$SERVER_CPU" -v p="$period" 'BEGIN { printf "%d", s * p }')
  mkdir -p "$group"
  if [[ -f $group/cpu.cfs_quota_us ]]; then
    echo "$period" >"$group/cpu.cfs_period_us"
    echo "$quota" >"$group/cpu.cfs_quota_us"
  else
    echo "$quota $period" >"$group/cpu.max"
  fi
  groups+=("$group")
}

echo "$(date -u +%FT%TZ)  $(nproc) cpus  $(java -version 2>&1 | head -1)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
slice_s=$(( ${DURATION%s} / SLICES ))
(( slice_s >= 1 && slice_s * SLICES == ${DURATION%s} )) || {
  echo "DURATION must be a whole number of seconds that SLICES divides into whole seconds, but was DURATION=$DURATION SLICES=$SLICES" >&2
  exit 2
}
paced_slice_s=0
if [[ $PACED_DURATION != 0 ]]; then
  paced_slice_s=$(( ${PACED_DURATION%s} / SLICES ))
  (( paced_slice_s >= 1 && paced_slice_s * SLICES == ${PACED_DURATION%s} )) || {
    echo "PACED_DURATION must be 0 or a whole number of seconds that SLICES divides into whole seconds, but was PACED_DURATION=$PACED_DURATION SLICES=$SLICES" >&2
    exit 2
  }
fi
echo "wrk -t$WRK_THREADS -c$CONNECTIONS --latency, $SLICES runs of ${slice_s}s per way taking turns, $ROUNDS rounds, warm-up $WARMUP then until steady (at most $MAX_WARMUP); raw output in $OUT"
[[ $PACED_DURATION == 0 ]] ||
  echo "then paced: wrk -t$WRK_THREADS -c$PACED_CONNECTIONS --latency, $SLICES runs of ${paced_slice_s}s per way $([[ $PACED_TOGETHER == 1 ]] && echo "with the ways at once" || echo "taking turns"), $PACED_DELAY_MS ms between a connection's requests"
[[ $SAME_JVM == 0 ]] || echo "the ways of jetty and vertx in one JVM per round, each on a server and port of its own"

declare -A pid port
cleanup() {
  for key in "${!pid[@]}"; do
    kill "${pid[$key]}" 2>/dev/null || true
  done
  for key in "${!pid[@]}"; do
    wait "${pid[$key]}" 2>/dev/null || true
  done
  pid=()
  port=()
}
remove_groups() {
  cleanup
  local group
  for group in "${groups[@]}"; do
    rmdir "$group" 2>/dev/null || true
  done
}
trap remove_groups EXIT

start_server() { # server round way...: a fresh JVM serving the ways, their ports read from its log
  local server=$1 round=$2 key=$1-$3 ports=() i
  shift 2
  (( $# == 1 )) || key=$server-same
  local log=$OUT/$key-$round.log
  # Made here, not only by the JVM's redirection: the background job opens it when it gets to run,
  # and a sed on a log not there yet failed, which set -e turned into a silent exit of the script.
  : >"$log"
  local group=
  [[ -z $cpu_group_root ]] || cpu_group "$key-$round"
  # shellcheck disable=SC2086,SC2046
  (
    # Into the cgroup first, so that every thread of the JVM is in it from its start.
    [[ -z $group ]] || echo "$BASHPID" >"$group/cgroup.procs"
    exec "${pin_server[@]}" java $JAVA_OPTS $(command_of "$server" "$@")
  ) >"$log" 2>&1 &
  pid[$key]=$!
  for _ in $(seq 1 1200); do
    mapfile -t ports < <(sed -n 's/^port=//p' "$log")
    (( ${#ports[@]} == $# )) && break
    kill -0 "${pid[$key]}" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  (( ${#ports[@]} == $# )) || { echo "$key did not print its $# ports" >&2; exit 1; }
  for i in $(seq 1 $#); do
    port[$server-${!i}]=${ports[$((i - 1))]}
  done
}

# wrk's latency with its unit (us, ms, s) in microseconds.
to_us() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "ms") n *= 1000; else if (u == "s") n *= 1000000; else if (u == "m") n *= 60000000
    printf "%.1f", n }'
}

cpu_times() { grep -E '^cpu[01] ' /proc/stat; }

idle_pct() { # before after cpu: that cpu's idle share between two cpu_times, in percent
  printf '%s\n%s\n' "$1" "$2" | awk -v c="cpu$3" '$1 == c {
      t = 0; for (i = 2; i <= 9; i++) t += $i
      if (seen) { printf "%.1f", 100 * (($5 + $6) - (idle)) / (t - total) } else { idle = $5 + $6; total = t; seen = 1 } }'
}

run() { # key duration file [wrk script: a paced run, with PACED_CONNECTIONS]
  local before= connections=$CONNECTIONS
  [[ -z ${4:-} ]] || connections=$PACED_CONNECTIONS
  [[ -n ${4:-} || ${#pin_wrk[@]} == 0 ]] || before=$(cpu_times)
  "${pin_wrk[@]}" wrk -t"$WRK_THREADS" -c"$connections" -d"$2" --latency ${4:+-s "$4"} \
    "http://127.0.0.1:${port[$1]}/hello/world" >"$3"
  if [[ -n $before ]]; then
    # Whether the server, not wrk, set the pace of this run (see the cpu quota above).
    local after
    after=$(cpu_times)
    printf 'idle: server cpu %s%%, wrk cpu %s%%\n' "$(idle_pct "$before" "$after" 0)" \
      "$(idle_pct "$before" "$after" 1)" >>"$3"
  fi
}

paced=$OUT/paced.lua
printf 'function delay()\n  return %d\nend\n' "$PACED_DELAY_MS" >"$paced"

p99_of() { to_us "$(awk '$1 == "99%" { print $2 }' "$1")"; }

mean_p99() { # files...: the mean of their p99s, in microseconds
  local f
  for f in "$@"; do p99_of "$f"; echo; done | awk '{ s += $1; n++ } END { printf "%.1f", s / n }'
}

rps_of() { awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"; }

warm() { # key file: WARMUP first, then 5 s slices until two in a row agree within 3% (MAX_WARMUP)
  local prev now spent=0 limit
  run "$1" "$WARMUP" "$2"
  prev=$(rps_of "$2")
  limit=$(( ${MAX_WARMUP%s} - ${WARMUP%s} ))
  while (( spent + 5 <= limit )); do
    run "$1" 5s "$2.more"
    now=$(rps_of "$2.more")
    spent=$((spent + 5))
    echo "$prev -> $now" >>"$2"
    awk -v a="$prev" -v b="$now" 'BEGIN { d = (b - a) / a; exit !(d < 0.03 && d > -0.03) }' && break
    prev=$now
  done
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

scrape_once() { # server way: a first scrape, during the warm-up, so that its one-off cost (class
  # loading, the interpreter: 15-35 ms of the server's core, against 4-5 ms for later ones) is not
  # paid in a measured run
  local path metric
  read -r path metric <<<"$(scrape_of "$1" "$2")" || true
  [[ -n ${path:-} ]] || return 0
  curl -s -o /dev/null "http://127.0.0.1:${port[$1-$2]}$path"
}

recorded() { # server way files...: an instrumented server's scrape must count what wrk was answered
  local server=$1 way=$2 path metric count served
  shift 2
  read -r path metric <<<"$(scrape_of "$server" "$way")" || true
  [[ -n ${path:-} ]] || return 0
  count=$(curl -s "http://127.0.0.1:${port[$server-$way]}$path" |
    awk -v m="$metric" 'index($0, m "{") == 1 { s += $NF } END { printf "%.0f", s }')
  served=$(cat "$@" | awk '/requests in/ { s += $1 } END { printf "%.0f", s }')
  if (( count < served )); then
    echo "$server $way recorded $count requests, fewer than the $served wrk was answered ($*)" >&2
    exit 1
  fi
  echo "$server $way: $metric = $count (wrk was answered $served in the measured runs)" \
    >>"$OUT/recorded.txt"
}

# Every round starts every way of a server in a fresh JVM: two JVMs of the same server differ in
# steady-state throughput by several percent (JIT decisions, code layout), as much as the overhead
# measured, so a way's rounds must not all come from one JVM (with SAME_JVM=1, one fresh JVM per
# round serves them all). Within a round the ways are warmed and measured one after the other, the
# first way rotating from round to round.
if [[ -n ${RESULTS:-} ]]; then
  # Only the summary, of an earlier run's results (or of the rounds it finished before it stopped).
  results=$RESULTS
else
  results=$OUT/results.tsv
  printf 'round\tserver\tway\trps\tp99_us\tpaced_p99_us\tserver_idle_pct\twrk_idle_pct\n' >"$results"
  for round in $(seq 1 "$ROUNDS"); do
    for server in "${servers[@]}"; do
      read -ra list <<<"$(ways "$server")"
      n=${#list[@]}
      order=()
      for i in $(seq 0 $((n - 1))); do
        order+=("${list[$(((i + round - 1) % n))]}")
      done
      if [[ $SAME_JVM == 1 && $server != spring ]]; then
        start_server "$server" "$round" "${order[@]}"
      else
        for way in "${order[@]}"; do
          start_server "$server" "$round" "$way"
        done
      fi
      for way in "${order[@]}"; do
        scrape_once "$server" "$way"
      done
      for way in "${order[@]}"; do
        warm "$server-$way" "$OUT/$server-$way-$round-warmup.txt"
      done
      # Nothing but wrk talks to a server from here until every way is measured: a scrape's work
      # on the shared core would land in a measured run. Full load in SLICES short runs per way,
      # the ways taking turns, so that the host's drift over the minute (as much as 10% between
      # two runs of one JVM a few minutes apart) falls on every way alike. Slice 0 of each way,
      # twice as long, is not counted: on Jetty the first runs after the warm-ups served 15-30%
      # less than the slices that followed, whichever way came first (each JVM had idled for
      # minutes while the others warmed).
      for slice in $(seq 0 "$SLICES"); do
        for way in "${order[@]}"; do
          file=$OUT/$server-$way-$round-$slice.txt
          run "$server-$way" "$(( slice == 0 ? 2 * slice_s : slice_s ))s" "$file"
          check "$server-$way" "$file"
        done
      done
      # The paced load in slices taking turns too (the p99 of a paced run drifts as the rate does),
      # or, with PACED_TOGETHER, every way's slice at once.
      if [[ $PACED_DURATION != 0 ]]; then
        for slice in $(seq 1 "$SLICES"); do
          together=()
          for way in "${order[@]}"; do
            run "$server-$way" "${paced_slice_s}s" "$OUT/$server-$way-$round-$slice.paced.txt" "$paced" &
            if [[ $PACED_TOGETHER == 1 ]]; then together+=($!); else wait $!; fi
          done
          for job in "${together[@]}"; do
            wait "$job"
          done
          for way in "${order[@]}"; do
            check "$server-$way" "$OUT/$server-$way-$round-$slice.paced.txt"
          done
        done
      fi
      for way in "${order[@]}"; do
        slices=()
        paced_slices=()
        for slice in $(seq 1 "$SLICES"); do
          slices+=("$OUT/$server-$way-$round-$slice.txt")
          [[ $PACED_DURATION == 0 ]] || paced_slices+=("$OUT/$server-$way-$round-$slice.paced.txt")
        done
        rps=$(awk '/^Requests\/sec:/ { s += $2; n++ } END { printf "%.2f", s / n }' "${slices[@]}")
        p99=$(mean_p99 "${slices[@]}")
        paced_p99=
        [[ $PACED_DURATION == 0 ]] || paced_p99=$(mean_p99 "${paced_slices[@]}")
        # The cpus' idle shares over the counted full-load slices (empty when not pinned).
        idle=$(awk '$1 == "idle:" { s += $4; w += $7; n++ }
          END { if (n) printf "%.1f\t%.1f", s / n, w / n; else printf "\t" }' "${slices[@]}")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$server" "$way" "$rps" "$p99" "$paced_p99" \
          "$idle" | tee -a "$results"
        recorded "$server" "$way" "${slices[@]}" "${paced_slices[@]}"
      done
      cleanup
    done
  done
  echo "$(date -u +%FT%TZ)  load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

  cat "$OUT/recorded.txt"
fi
# Whether wrk's cpu had room in every counted slice (the rounds' means): nearly saturated, it may
# have set the pace instead of the server.
awk -F'\t' 'NR > 1 && $7 != "" {
    if ($7 + 0 > max) { max = $7 + 0; at = $2 " " $3 " round " $1 }
    if ($8 + 0 < low || !seen) { low = $8 + 0; lowAt = $2 " " $3 " round " $1 }
    seen = 1
  }
  END {
    if (!seen) exit
    printf "server cpu idle at full load: at most %.1f%% (%s); wrk cpu idle at least %.1f%% (%s)\n", max, at, low, lowAt
    if (low < 5) print "warning: wrk cpu under 5% idle in a counted run: there wrk may have set the pace, not the server"
  }' "$results"
echo
awk -F'\t' -v ways="$(for s in "${servers[@]}"; do printf '%s:%s;' "$s" "$(ways "$s")"; done)" '
  # Two-sided 99% Student t quantiles by degrees of freedom; 2.576 (normal) beyond 30.
  function t99(df) {
    split("63.657 9.925 5.841 4.604 4.032 3.707 3.499 3.355 3.250 3.169 3.106 3.055 3.012 2.977 " \
      "2.947 2.921 2.898 2.878 2.861 2.845 2.831 2.819 2.807 2.797 2.787 2.779 2.771 2.763 2.756 " \
      "2.750", t, " ")
    return df <= 30 ? t[df] : 2.576
  }
  # Half-width of the 99% interval of a mean, from the sum and the sum of squares of c values.
  function ci(sum, squares, c,   var) {
    var = c > 1 ? (squares - sum * sum / c) / (c - 1) : 0
    return var > 0 ? t99(c - 1) * sqrt(var / c) : 0
  }
  NR > 1 {
    v[$2, $3, $1] = $4; l[$2, $3, $1] = $5; rounds[$1] = 1
    if ($6 != "") q[$2, $3, $1] = $6
    # Microseconds of server cpu per request: the busy share of its cpu over the rate.
    if ($7 != "") u[$2, $3, $1] = (100 - $7) / 100 / $4 * 1e6
  }
  END {
    print "server\tway\trps\tratio_to_bare\tratio_ci99\tp99_us\tpaced_p99_us\tp99_minus_bare_us" \
      "\tp99_ci99\tpaced_p99_minus_bare_us\tpaced_p99_ci99\tcpu_us\tcpu_us_minus_bare\tcpu_us_ci99"
    n = split(ways, list, ";")
    for (i = 1; i <= n; i++) {
      if (list[i] == "") continue
      split(list[i], sw, ":"); server = sw[1]; m = split(sw[2], w, " ")
      for (k = 1; k <= m; k++) {
        s = 0; r = 0; rr = 0; p = 0; d = 0; dd = 0; c = 0; pq = 0; e = 0; ee = 0; cq = 0
        cu = 0; g = 0; gg = 0; cc = 0
        for (j in rounds) {
          if (!((server, w[k], j) in v) || !((server, "bare", j) in v)) continue
          x = v[server, w[k], j] / v[server, "bare", j]
          y = l[server, w[k], j] - l[server, "bare", j]
          s += v[server, w[k], j]; p += l[server, w[k], j]; r += x; rr += x * x; d += y; dd += y * y
          c++
          if (((server, w[k], j) in u) && ((server, "bare", j) in u)) {
            h = u[server, w[k], j] - u[server, "bare", j]
            cu += u[server, w[k], j]; g += h; gg += h * h; cc++
          }
          if (!((server, w[k], j) in q) || !((server, "bare", j) in q)) continue
          z = q[server, w[k], j] - q[server, "bare", j]
          pq += q[server, w[k], j]; e += z; ee += z * z; cq++
        }
        if (cq > 0) {
          paced = sprintf("%.1f", pq / cq); pd = sprintf("%.1f", e / cq); pc = sprintf("%.1f", ci(e, ee, cq))
        } else {
          paced = "-"; pd = "-"; pc = "-"
        }
        if (cc > 0) {
          cpu = sprintf("%.2f\t%.3f\t%.3f", cu / cc, g / cc, ci(g, gg, cc))
        } else {
          cpu = "-\t-\t-"
        }
        printf "%s\t%s\t%.0f\t%.4f\t%.4f\t%.1f\t%s\t%.1f\t%.1f\t%s\t%s\t%s\n", server, w[k], s / c, r / c,
          ci(r, rr, c), p / c, paced, d / c, ci(d, dd, c), pd, pc, cpu
      }
    }
  }' "$results" >"$OUT/summary.tsv"
cut -f1-7 "$OUT/summary.tsv" >"$TSV"
rounds=$(awk 'NR > 1 { print $1 }' "$results" | sort -u | wc -l)
column -t -s $'\t' "$OUT/summary.tsv"
echo "(written to $TSV; rps: mean over $rounds rounds; ratio_to_bare: mean of the per-round ratios;"
echo " ratio_ci99: half-width of its 99% interval, t with $((rounds - 1)) df; p99_us: mean of the rounds' p99"
echo " at full load; paced_p99_us: the same with ${PACED_DELAY_MS} ms between a connection's requests;"
echo " *_minus_bare_us: mean of the per-round p99 differences to bare, *_ci99 their 99% half-widths;"
echo " cpu_us: the server's cpu time per request at full load (its cpu's busy share over the rate);"
echo " cpu_us_minus_bare: the mean per-round difference to bare, which unlike the ratios does not shrink"
echo " where bare costs more; cpu_us_ci99: its 99% half-width; - where the cpus were not read)"
