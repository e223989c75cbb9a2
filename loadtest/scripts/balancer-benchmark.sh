#!/usr/bin/env bash
# FlashSale and Browse through the local load balancer with 1 and 2 backends, then a sale across a rolling restart
# of 2 backends (RollingRestartSimulation, full profile), each against the packaged stack as
# `./boxoffice up --backends N --balanced` starts it (health checks, thresholds and delays from the templates), and
# writes the figures into the "Through the load balancer" section at the end of docs/performance.md (benchmark.sh
# keeps that section as it is). About 15 minutes; longer on a busy machine, whose load is written beside each figure.
#
#   loadtest/scripts/balancer-benchmark.sh
#
# Needs HAProxy (Debian: apt-get install haproxy) and jq; installs nothing. Scratch files go to
# loadtest/target/balancer-benchmark/. For a quick try of the script itself: BALANCER_LOADTEST_OPTS=-Dboxoffice.profile=smoke.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

find_jdk
require mvn "Apache Maven 3.8 or newer"
require jq "Debian/Ubuntu: apt-get install jq"
command -v haproxy >/dev/null 2>&1 || [[ -x /usr/sbin/haproxy ]] || MISSING+=("haproxy (Debian/Ubuntu: apt-get install haproxy)")
require_done

OUT="$LOADTEST/target/balancer-benchmark"
REPORT="$ROOT/docs/performance.md"
PORT="${BALANCER_BENCHMARK_PORT:-18090}"
MARKER='<!-- balancer-benchmark.sh writes this section from its own run; benchmark.sh keeps it as it is. -->'
rm -rf "$OUT"
mkdir -p "$OUT"
STACK_PID=""
stop_stack() {
  if [[ -n "$STACK_PID" ]]; then
    kill "$STACK_PID" 2>/dev/null || true
    wait "$STACK_PID" 2>/dev/null || true
    STACK_PID=""
  fi
}
trap stop_stack EXIT

{
  date -u '+%Y-%m-%d %H:%M UTC'
  commit="$(git -C "$ROOT" rev-parse --short HEAD)"
  if [[ -n "$(git -C "$ROOT" status --porcelain -- verticles loadtest local)" ]]; then
    commit="$commit (with uncommitted changes)"
  fi
  echo "$commit"
  java -version 2>&1 | head -1
  haproxy -v 2>/dev/null | head -1 || /usr/sbin/haproxy -v | head -1
} >"$OUT/run-info"

echo "loadtest: building the stack, the backend and the load tests of this work tree"
# shellcheck disable=SC2086 # MVN_FLAGS is a list of options
mvn -q -B ${MVN_FLAGS:-} -f "$ROOT/pom.xml" -pl local/stack -am -Dmaven.test.skip=true install
# shellcheck disable=SC2086 # MVN_FLAGS is a list of options
mvn -q -B ${MVN_FLAGS:-} -f "$LOADTEST/pom.xml" -DskipTests test-compile

# start_stack BACKENDS: the packaged stack with a throw-away data folder, every server on a free port, the balancer
# on $PORT; waits for its banner.
start_stack() {
  local backends="$1" data="$OUT/data-$1" server
  local env=(BOXOFFICE_DATA_DIR="$data" BOXOFFICE_HTTP_PORT="$PORT" BOXOFFICE_LOG_FORMAT=text
             BOXOFFICE_ORGANIZER_EMAILS=loadtest-organizer@example.org)
  for server in PG REDIS APIGATEWAY S3 DYNAMODB SNS SFN SMTP INBOX MEDIA STRIPE SQS SES; do
    env+=("BOXOFFICE_LOCAL_${server}_PORT=0")
  done
  (cd "$ROOT" && exec env "${env[@]}" java -XX:+UseParallelGC -jar local/stack/target/local-stack.jar \
      --backends "$backends" --balanced >"$OUT/stack-$backends.out" 2>&1) &
  STACK_PID=$!
  for _ in $(seq 1 300); do
    grep -qs "Press Ctrl-C" "$OUT/stack-$backends.out" && return
    kill -0 "$STACK_PID" 2>/dev/null || die "the stack did not start: $(tail -5 "$OUT/stack-$backends.out")"
    sleep 1
  done
  die "the stack with $backends backends was not ready within 5 minutes"
}

# simulate NAME LABEL [OPTIONS...]: one run through the balancer; its console goes to $OUT/LABEL.log, the load
# average just before it to $OUT/LABEL.load; never stops the benchmark.
simulate() {
  local name="$1" label="$2"; shift 2
  echo "loadtest: $label (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  cut -d' ' -f1-3 /proc/loadavg >"$OUT/$label.load"
  if LOADTEST_OPTS="${BALANCER_LOADTEST_OPTS:-} $*" LOADTEST_RESULTS_DIR="$OUT/results" \
      BOXOFFICE_BASE_URL="http://127.0.0.1:$PORT" "$LOADTEST/scripts/run-full.sh" "$name" >"$OUT/$label.log" 2>&1; then
    echo passed >"$OUT/$label.verdict"
  else
    echo failed >"$OUT/$label.verdict"
  fi
  [[ -f "$OUT/results/$name.json" ]] && mv "$OUT/results/$name.json" "$OUT/$label.json"
  echo "    $(cat "$OUT/$label.verdict")"
}

# As benchmark.sh: FlashSale's Gatling runs with C1 only, so that its compiler does not take the cores of a sale of
# a few seconds; each stack is warmed up by unreported runs first.
FLASH_SALE_GATLING=-Dgatling.jvmArgs=-XX:TieredStopAtLevel=1
for backends in 1 2; do
  start_stack "$backends"
  simulate Browse "Browse-$backends-warmup" -Dboxoffice.durationSeconds=10
  simulate FlashSale "FlashSale-$backends-warmup" "$FLASH_SALE_GATLING" -Dboxoffice.capacity=20000
  simulate FlashSale "FlashSale-$backends" "$FLASH_SALE_GATLING"
  simulate Browse "Browse-$backends"
  if (( backends == 2 )); then
    simulate RollingRestart RollingRestart "-Dboxoffice.stackDataDir=$OUT/data-2" -Dboxoffice.capacity=1000000
  fi
  stop_stack
done

"$LOADTEST/scripts/write-balancer-section.sh" "$OUT" "$REPORT" "$MARKER"
echo "loadtest: wrote the load balancer section of $REPORT"
