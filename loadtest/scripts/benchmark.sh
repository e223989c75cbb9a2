#!/usr/bin/env bash
# Regenerates docs/performance.md from one run on this machine: the hello-JSON ceiling, the naive baseline
# (pgbench, one transaction per purchase, at 1, 8 and 64 clients), then FlashSale, SoldOut, Browse and Mixed against
# a backend started here (embedded PostgreSQL with fsync on, embedded Redis), with a JFR profile of the backend
# during FlashSale and Browse. The load generator (Gatling) runs on the same machine.
#
#   loadtest/scripts/benchmark.sh [--max-load 1.5] [--wait-minutes 30]
#
# It first waits, up to --wait-minutes, for the 1-minute load average to drop below --max-load, so that other work
# on the machine does not distort the figures, and writes down the load it ran under. It installs nothing; it says
# what is missing. Scratch files go to loadtest/target/benchmark/. For a quick try of the script itself:
# BENCHMARK_LOADTEST_OPTS=-Dboxoffice.profile=smoke BENCHMARK_PGBENCH_SECONDS=2 (options for every simulation).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

MAX_LOAD=1.5
WAIT_MINUTES=30
while (( $# > 0 )); do
  case "$1" in
    --max-load) MAX_LOAD="$2"; shift 2 ;;
    --wait-minutes) WAIT_MINUTES="$2"; shift 2 ;;
    *) die "unknown option $1 (see the comment at the top of this script)" ;;
  esac
done

find_jdk
require mvn "Apache Maven 3.8 or newer"
require pgbench "Debian/Ubuntu: apt-get install postgresql-client"
require psql "Debian/Ubuntu: apt-get install postgresql-client"
require jq "Debian/Ubuntu: apt-get install jq"
require jfr "comes with the JDK"
require jcmd "comes with the JDK"
require_done

OUT="$LOADTEST/target/benchmark"
REPORT="$ROOT/docs/performance.md"
BACKEND_PORT="${BENCHMARK_BACKEND_PORT:-18080}"
HELLO_PORT="${BENCHMARK_HELLO_PORT:-18081}"
PGBENCH_SECONDS="${BENCHMARK_PGBENCH_SECONDS:-15}"
rm -rf "$OUT"
mkdir -p "$OUT"
PIDS=()
stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT

load_average() { cut -d' ' -f1 /proc/loadavg; }

waited=0
until awk -v load="$(load_average)" -v max="$MAX_LOAD" 'BEGIN { exit !(load < max) }'; do
  if (( waited >= WAIT_MINUTES * 60 )); then
    echo "loadtest: the load average is still $(load_average) after ${WAIT_MINUTES} min; running anyway" >&2
    break
  fi
  echo "loadtest: load average $(load_average), waiting for it to drop below $MAX_LOAD"
  sleep 15
  waited=$(( waited + 15 ))
done
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
# What the report records of the run, taken when it starts: the date and the commit measured.
{
  date -u '+%Y-%m-%d %H:%M UTC'
  commit="$(git -C "$ROOT" rev-parse --short HEAD)"
  if [[ -n "$(git -C "$ROOT" status --porcelain -- verticles loadtest codecs local)" ]]; then
    commit="$commit (with uncommitted changes)"
  fi
  echo "$commit"
  java -version 2>&1 | head -1
} >"$OUT/run-info"

echo "loadtest: building the backend of this work tree and the load tests"
# shellcheck disable=SC2086 # MVN_FLAGS is a list of options
mvn -q -B ${MVN_FLAGS:-} -f "$ROOT/pom.xml" -pl verticles,local/servers,local/stripe -am -Dmaven.test.skip=true install
# shellcheck disable=SC2086 # MVN_FLAGS is a list of options
mvn -q -B ${MVN_FLAGS:-} -f "$LOADTEST/pom.xml" -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile="$OUT/classpath.txt"
CLASSPATH_OF_SERVERS="$LOADTEST/target/classes:$(cat "$OUT/classpath.txt")"

# start_jvm NAME [JVM OPTIONS...] MAIN ARGS...: starts a server JVM and waits for its "is ready" line; sets STARTED_PID.
start_jvm() {
  local name="$1"; shift
  java -cp "$CLASSPATH_OF_SERVERS" "$@" >"$OUT/$name.out" 2>&1 &
  STARTED_PID=$!
  PIDS+=("$STARTED_PID")
  for _ in $(seq 1 120); do
    grep -qs "is ready" "$OUT/$name.out" && return
    kill -0 "$STARTED_PID" 2>/dev/null || die "$name did not start: $(tail -5 "$OUT/$name.out")"
    sleep 1
  done
  die "$name was not ready within 2 minutes"
}

stop_jvm() {
  kill "$1"
  wait "$1" 2>/dev/null || true
}

# simulate NAME LOG [OPTIONS...]: one full-profile run; its console goes to $OUT/LOG.log and the CPU it took, by
# process, to $OUT/LOG.cpu (clock ticks: wall, machine busy, server, PostgreSQL, Redis); never stops the benchmark.
simulate() {
  local name="$1" log="$2"; shift 2
  local before started
  echo "loadtest: $log"
  before="$(cpu_ticks)"
  started="$(date +%s%N)"
  if LOADTEST_OPTS="${BENCHMARK_LOADTEST_OPTS:-} $*" LOADTEST_RESULTS_DIR="$OUT/results" BOXOFFICE_BASE_URL="http://127.0.0.1:$BACKEND_PORT" \
      "$LOADTEST/scripts/run-full.sh" "$name" >"$OUT/$log.log" 2>&1; then
    echo passed >"$OUT/$log.verdict"
  else
    echo failed >"$OUT/$log.verdict"
  fi
  echo "$(( ($(date +%s%N) - started) * $(getconf CLK_TCK) / 1000000000 )) $before $(cpu_ticks)" \
    | awk '{ print $1, $6 - $2, $7 - $3, $8 - $4, $9 - $5 }' >"$OUT/$log.cpu"
  [[ -f "$OUT/results/$name.json" ]] && mv "$OUT/results/$name.json" "$OUT/$log.json"
  echo "    $(cat "$OUT/$log.verdict"); $(grep -o '99th percentile of response time[^)]*)' "$OUT/$log.log" | head -1)"
}

# Each server is warmed up first by a run that is not reported: a server in service runs JIT-compiled code.
start_jvm hello dev.boxoffice.loadtest.HelloJsonServer "$HELLO_PORT"
HELLO_PID="$STARTED_PID"
SERVER_PID="$HELLO_PID"
simulate HelloJson HelloJson-warmup "-Dboxoffice.helloUrl=http://127.0.0.1:$HELLO_PORT" -Dboxoffice.durationSeconds=10
simulate HelloJson HelloJson "-Dboxoffice.helloUrl=http://127.0.0.1:$HELLO_PORT"
stop_jvm "$HELLO_PID"

# With the JVM options of the backend's image (verticles/Dockerfile).
start_jvm backend -XX:-DontCompileHugeMethods dev.boxoffice.loadtest.LocalBackend "$OUT/data" "$BACKEND_PORT"
BACKEND_PID="$STARTED_PID"
SERVER_PID="$BACKEND_PID"
PG_PORT="$(sed -n 's/.*Boxoffice is ready .* postgres=\([0-9]*\).*/\1/p' "$OUT/backend.out")"

echo "loadtest: naive baseline (pgbench)"
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE naive_baseline" >/dev/null
psql -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d naive_baseline -f "$LOADTEST/scripts/naive-schema.sql" >/dev/null
for clients in 1 8 64; do
  pgbench -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$clients" -j "$(( clients < 2 ? clients : 2 ))" \
    -T "$PGBENCH_SECONDS" -f "$LOADTEST/scripts/naive-purchase.sql" naive_baseline >"$OUT/pgbench-$clients.log" 2>&1
  sed -n 's/^tps = \([0-9.]*\) .*/\1/p' "$OUT/pgbench-$clients.log" >"$OUT/pgbench-$clients.tps"
  echo "    $clients clients: $(cat "$OUT/pgbench-$clients.tps") tps"
done

simulate Mixed Mixed-warmup -Dboxoffice.durationSeconds=20 -Dboxoffice.users=200
# A sale of 10,000 tickets lasts two or three seconds: Gatling's JVM, just started, would spend a fifth of the
# machine's CPU in its C2 compiler during it. FlashSale's load generator runs with C1 only; the longer runs keep
# the default JIT (their ceiling, HelloJson, is measured with it too).
FLASH_SALE_GATLING=-Dgatling.jvmArgs=-XX:TieredStopAtLevel=1
# The purchase figures (free tickets, ordered at once) as before, then the same rushes on priced tickets, which make
# holds; and the sale whose unpaid holds run out and sell again.
PURCHASES=-Dboxoffice.sale=purchases
simulate FlashSale FlashSale-warmup "$FLASH_SALE_GATLING" -Dboxoffice.capacity=20000 "$PURCHASES"
simulate FlashSale FlashSale "$FLASH_SALE_GATLING" "$PURCHASES"
simulate FlashSale FlashSale-1000 "$FLASH_SALE_GATLING" -Dboxoffice.buyers=1000 "$PURCHASES"
# The profile is taken during the sustained sale, so that the headline runs above carry no recording.
jcmd "$BACKEND_PID" JFR.start name=flashsale settings=profile >/dev/null
simulate FlashSale FlashSale-100k "$FLASH_SALE_GATLING" -Dboxoffice.capacity=100000 "$PURCHASES"
jcmd "$BACKEND_PID" JFR.stop name=flashsale filename="$OUT/flashsale.jfr" >/dev/null
simulate FlashSale Holds "$FLASH_SALE_GATLING"
simulate FlashSale Holds-1000 "$FLASH_SALE_GATLING" -Dboxoffice.buyers=1000
simulate FlashSale Holds-100k "$FLASH_SALE_GATLING" -Dboxoffice.capacity=100000
simulate HoldExpiry HoldExpiry
simulate SoldOut SoldOut
jcmd "$BACKEND_PID" JFR.start name=browse settings=profile >/dev/null
simulate Browse Browse
jcmd "$BACKEND_PID" JFR.stop name=browse filename="$OUT/browse.jfr" >/dev/null
simulate Mixed Mixed
stop_jvm "$BACKEND_PID"
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

for profile in flashsale browse; do
  jfr view --width 160 hot-methods "$OUT/$profile.jfr" >"$OUT/$profile-hot-methods.txt" 2>&1 || true
done

"$LOADTEST/scripts/write-report.sh" "$OUT" "$REPORT" "$LOAD_BEFORE" "$LOAD_AFTER"
echo "loadtest: wrote $REPORT"
