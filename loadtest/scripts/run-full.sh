#!/usr/bin/env bash
# The full profile of the load simulations, through the Gatling Maven plugin, against a Boxoffice that is already
# running. With `./boxoffice up`, start it so that the simulations may create events:
#
#   BOXOFFICE_ORGANIZER_EMAILS=loadtest-organizer@example.org ./boxoffice up
#   loadtest/scripts/run-full.sh                       # FlashSale SoldOut Browse Mixed
#   loadtest/scripts/run-full.sh FlashSale             # one of them (or HelloJson against HelloJsonServer)
#
# BOXOFFICE_BASE_URL (default http://127.0.0.1:8080) is the backend; LOADTEST_OPTS passes the load shape, e.g.
# LOADTEST_OPTS="-Dboxoffice.buyers=1000 -Dboxoffice.capacity=20000". Figures and checks of each run land in
# loadtest/target/loadtest-results/<simulation>.json (LOADTEST_RESULTS_DIR), Gatling's reports in
# loadtest/target/gatling/. Exits non-zero
# when a simulation's assertions or outcome checks fail.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

find_jdk
require mvn "Apache Maven 3.8 or newer"
require_done

BASE_URL="${BOXOFFICE_BASE_URL:-http://127.0.0.1:8080}"
# A simulation's shared connection pool grows with the requests in flight (WaitingRoom: tens of thousands on a slow
# server), each a file descriptor: lift the soft limit to the hard one.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
SIMULATIONS=("$@")
(( ${#SIMULATIONS[@]} > 0 )) || SIMULATIONS=(FlashSale SoldOut Browse Mixed)

failed=()
for simulation in "${SIMULATIONS[@]}"; do
  echo "loadtest: $simulation against $BASE_URL"
  # shellcheck disable=SC2086 # LOADTEST_OPTS is a list of -D options
  if ! mvn -B ${MVN_FLAGS:-} -f "$LOADTEST/pom.xml" -DskipTests test-compile gatling:test \
      -Dgatling.simulationClass="dev.boxoffice.loadtest.${simulation}Simulation" \
      -Dboxoffice.baseUrl="$BASE_URL" \
      -Dboxoffice.resultsDir="${LOADTEST_RESULTS_DIR:-$LOADTEST/target/loadtest-results}" \
      ${LOADTEST_OPTS:-}; then
    failed+=("$simulation")
  fi
done

if (( ${#failed[@]} > 0 )); then
  echo "loadtest: failed: ${failed[*]} (see the Gatling output above and loadtest/target/loadtest-results/)" >&2
  exit 1
fi
