#!/usr/bin/env bash
# The waiting room's on-sale (WaitingRoomSimulation) against a backend of its own, with the load generator kept off
# the backend's CPUs, as a load generator on another machine would be:
#
#   loadtest/scripts/waiting-room-benchmark.sh [--runs 3] [--backend-cpus 1] [--generator-cpus 0]
#
# It starts LocalBackend (backend, embedded PostgreSQL with fsync on, embedded Redis) pinned with taskset to
# --backend-cpus (by default the last CPU; its PostgreSQL and Redis inherit the pinning), and runs Gatling (and the
# Maven that starts it) on --generator-cpus (the others). A first on-sale warms the backend's JIT up and is not
# reported, as a backend in service runs compiled code; then --runs on-sales, each of a fresh event. Sharing the
# cores, the generator's own bursts (50,000 sessions started within seconds, each answer parsed) stall the backend
# and the tail measured is the generator's; docs/performance.md has both.
#
# The shape is LOADTEST_OPTS (default: a fifth of the issue's profile, 10,000 arrivals for 1,000 tickets, 12,000
# let in a minute, a 10 s pause in the arrivals at the opening; the full profile needs more than the 20,000 open
# files a process may have on the machines this was written on). Figures land in
# loadtest/target/waiting-room-benchmark/: each run's WaitingRoom JSON (with the purchases' and visits' answer times
# by the second from the opening) and summary.md. Needs a machine with at least 2 CPUs, Maven, jq and taskset.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

RUNS=3
CPUS="$(nproc)"
BACKEND_CPUS="$(( CPUS - 1 ))"
GENERATOR_CPUS="$( (( CPUS > 2 )) && echo "0-$(( CPUS - 2 ))" || echo 0)"
while (( $# > 0 )); do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --backend-cpus) BACKEND_CPUS="$2"; shift 2 ;;
    --generator-cpus) GENERATOR_CPUS="$2"; shift 2 ;;
    *) die "unknown option $1 (see the comment at the top of this script)" ;;
  esac
done
(( CPUS >= 2 )) || die "this machine has $CPUS CPU; the backend and the load generator need one each at least"

find_jdk
require mvn "Apache Maven 3.8 or newer"
require jq "Debian/Ubuntu: apt-get install jq"
require taskset "Debian/Ubuntu: apt-get install util-linux"
require_done

OUT="$LOADTEST/target/waiting-room-benchmark"
BACKEND_PORT="${BENCHMARK_BACKEND_PORT:-18080}"
SHAPE="${LOADTEST_OPTS:--Dboxoffice.buyers=10000 -Dboxoffice.capacity=1000 -Dboxoffice.admitPerMinute=12000 -Dboxoffice.gapMs=10000}"
rm -rf "$OUT"
mkdir -p "$OUT"
BACKEND_PID=""
trap '[[ -n "$BACKEND_PID" ]] && kill "$BACKEND_PID" 2>/dev/null; wait 2>/dev/null || true' EXIT
# Each simulation's connections, shared by its buyers, grow with the requests in flight.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

echo "loadtest: building the backend of this work tree and the load tests"
# shellcheck disable=SC2086 # MVN_FLAGS is a list of options
mvn -q -B ${MVN_FLAGS:-} -f "$ROOT/pom.xml" -pl verticles,local/servers,local/stripe -am -Dmaven.test.skip=true install
# shellcheck disable=SC2086 # MVN_FLAGS is a list of options
mvn -q -B ${MVN_FLAGS:-} -f "$LOADTEST/pom.xml" -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$OUT/classpath.txt"

echo "loadtest: the backend on CPU $BACKEND_CPUS, the load generator on CPU $GENERATOR_CPUS"
taskset -c "$BACKEND_CPUS" java -XX:-DontCompileHugeMethods -cp "$LOADTEST/target/classes:$(cat "$OUT/classpath.txt")" \
  dev.boxoffice.loadtest.LocalBackend "$OUT/data" "$BACKEND_PORT" >"$OUT/backend.out" 2>&1 &
BACKEND_PID=$!
SERVER_PID="$BACKEND_PID"
for _ in $(seq 1 120); do
  grep -qs "is ready" "$OUT/backend.out" && break
  kill -0 "$BACKEND_PID" 2>/dev/null || die "the backend did not start: $(tail -5 "$OUT/backend.out")"
  sleep 1
done
grep -qs "is ready" "$OUT/backend.out" || die "the backend was not ready within 2 minutes"

# on_sale NAME: one WaitingRoom run, its console in $OUT/NAME.log, its figures in $OUT/NAME.json, and the CPU seconds
# the backend, its PostgreSQL and its Redis used during it in $OUT/NAME.cpu.
on_sale() {
  local name="$1" before
  echo "loadtest: $name (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  before="$(cpu_ticks)"
  # shellcheck disable=SC2086 # SHAPE is a list of -D options
  LOADTEST_OPTS="$SHAPE" LOADTEST_RESULTS_DIR="$OUT/results" BOXOFFICE_BASE_URL="http://127.0.0.1:$BACKEND_PORT" \
    taskset -c "$GENERATOR_CPUS" "$LOADTEST/scripts/run-full.sh" WaitingRoom >"$OUT/$name.log" 2>&1 || true
  echo "$before $(cpu_ticks)" | awk -v tck="$(getconf CLK_TCK)" \
    '{ printf "%.1f / %.1f / %.1f\n", ($6 - $2) / tck, ($7 - $3) / tck, ($8 - $4) / tck }' >"$OUT/$name.cpu"
  [[ -f "$OUT/results/WaitingRoom.json" ]] || die "$name left no figures: see $OUT/$name.log"
  mv "$OUT/results/WaitingRoom.json" "$OUT/$name.json"
}

on_sale warm-up
{
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$ROOT" rev-parse --short HEAD), backend on CPU $BACKEND_CPUS," \
    "load generator on CPU $GENERATOR_CPUS of $CPUS; $SHAPE"
  echo
  echo "| Run | Buyers who bought | Purchase p99 (ms) | Pre-queue / ρ of places (joined before the opening / ρ) | Admission order ρ (let in while tickets were left) | Queue visits (shed) | CPU s: backend / PostgreSQL / Redis | Sold | Most tickets of one buyer | FIFO violations | Checks |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} >"$OUT/summary.md"
for run in $(seq 1 "$RUNS"); do
  on_sale "run-$run"
  p99="$(sed -n 's/^purchase: 99th percentile of response time .*(actual : \([0-9.]*\))$/\1/p' "$OUT/run-$run.log")"
  p99_held="$(grep -q '^purchase: 99th percentile of response time .* : true' "$OUT/run-$run.log" && echo yes || echo no)"
  jq -r --arg run "$run" --arg p99 "${p99:-?}" --arg held "$p99_held" --arg cpu "$(cat "$OUT/run-$run.cpu")" \
    '"| \($run) | \(.buyersWhoBought) | \($p99) | \(.preQueue) / \(.preQueueSpearman * 1000 | round / 1000) (\(.joinedBeforeOpening) / \(.joinedBeforeOpeningSpearman * 1000 | round / 1000)) | \(.preQueueAdmissionSpearman * 1000 | round / 1000) (\(.preQueueAdmittedWhileTicketsLeft)) | \([.visitTimeline[].count] | add) (\(.shedVisits)) | \($cpu) | \(.ticketsSold) | \(.maxTicketsOfOneBuyer) | \(.fifoViolations) | \(if (.violations | length) == 0 and $held == "yes" then "passed" else ((.violations + (if $held == "yes" then [] else ["purchase p99 over the limit"] end)) | join("; ")) end) |"' \
    "$OUT/run-$run.json" >>"$OUT/summary.md"
done
cat "$OUT/summary.md"
