#!/usr/bin/env bash
# Ticket issuance at the end of a rush (issue #15): starts `./boxoffice up` as a user does (the local AWS half with its
# quotas and IAM on), on ports and in a data folder of its own, runs IssuanceBenchmark once per sale size (default:
# 10000 then 100000 tickets), stops the stack, and prints one Markdown row per size for docs/performance.md
# ("Ticket issuance"). Each run's figures are in loadtest/target/issuance/issuance-<tickets>.json, the stack's log in
# loadtest/target/issuance/stack.log (its WARN and ERROR lines are counted in the row).
#
#   loadtest/scripts/issuance-benchmark.sh              # 10,000 then 100,000 tickets
#   loadtest/scripts/issuance-benchmark.sh 10000        # one size
#   ISSUANCE_JFR=1 loadtest/scripts/issuance-benchmark.sh 10000   # and where the stack JVM's CPU went (JFR)
#   ISSUANCE_OPTS="-Dboxoffice.rush=2250 -Dboxoffice.rushPauseMs=10000" loadtest/scripts/issuance-benchmark.sh 11500
#                                                       # the issue's rush: 11,500 tickets in rushes of ~2,250 buyers
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

find_jdk
require mvn "Apache Maven 3.8 or newer"
require jq "Debian/Ubuntu: apt-get install jq"
require_done

SIZES=("$@")
(( ${#SIZES[@]} > 0 )) || SIZES=(10000 100000)
OUT="$LOADTEST/target/issuance"
DATA="$OUT/stack-data"
rm -rf "$OUT"
mkdir -p "$OUT"

echo "issuance: building the stack and the load tests"
"$ROOT/boxoffice" build >"$OUT/build.log" 2>&1 || die "the build failed; see $OUT/build.log"
mvn -q -B ${MVN_FLAGS:-} -f "$ROOT/pom.xml" -pl loadtest -am -Dmaven.test.skip=true install
mvn -q -B ${MVN_FLAGS:-} -f "$LOADTEST/pom.xml" -DskipTests dependency:build-classpath \
  -Dmdep.outputFile="$OUT/classpath.txt"
CLASSPATH_OF_BENCHMARK="$LOADTEST/target/classes:$(cat "$OUT/classpath.txt")"

ports=()
for service in APIGATEWAY DYNAMODB INBOX MEDIA PG REDIS S3 SECRETS SES SFN SMTP SNS SQS STRIPE; do
  ports+=("BOXOFFICE_LOCAL_${service}_PORT=0")
done
jfr_options=()
if [[ -n "${ISSUANCE_JFR:-}" ]]; then
  jfr_options=("JAVA_TOOL_OPTIONS=-XX:StartFlightRecording=filename=$OUT/stack.jfr,settings=profile,dumponexit=true")
fi
env "${ports[@]}" "${jfr_options[@]}" BOXOFFICE_HTTP_PORT=0 BOXOFFICE_DATA_DIR="$DATA" \
  BOXOFFICE_ORGANIZER_EMAILS=loadtest-organizer@example.org \
  "$ROOT/boxoffice" up >"$OUT/stack.log" 2>&1 &
STACK_PID=$!
stop_stack() {
  kill -TERM "$STACK_PID" 2>/dev/null || true
  wait "$STACK_PID" 2>/dev/null || true
}
trap stop_stack EXIT

for _ in $(seq 1 600); do
  grep -q "Boxoffice is ready" "$OUT/stack.log" && break
  kill -0 "$STACK_PID" 2>/dev/null || die "the stack stopped before it was ready; see $OUT/stack.log"
  sleep 1
done
grep -q "Boxoffice is ready" "$OUT/stack.log" || die "the stack was not ready after 10 minutes; see $OUT/stack.log"
BASE_URL="$(sed -n 's/^ *Frontend *\(http[^ ]*\)\/.*$/\1/p' "$OUT/stack.log" | head -1)"
PG="$(sed -n 's/^ *PostgreSQL *postgresql:\/\/\([^@]*\)@\([^ ]*\) .*$/\1 \2/p' "$OUT/stack.log" | head -1)"
JDBC_URL="jdbc:postgresql://${PG#* }?user=${PG%% *}"
# The boxoffice script execs the stack's JVM, whose children are PostgreSQL, Redis and the DynamoDB server.
JVM_PID="$STACK_PID"
echo "issuance: stack at $BASE_URL, PostgreSQL $JDBC_URL, JVM $JVM_PID"

echo "| Tickets | Orders | Sale (s) | Last purchase → last QR ready (s) | Issued/s from the sale's start | Batches / executions started (peak starts/s) | Stack CPU after the sale (s) | Stack CPU per ticket, sale + issuance (ms) | Ready / failed | WARN / ERROR lines | Load average after |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for size in "${SIZES[@]}"; do
  # shellcheck disable=SC2086 # ISSUANCE_OPTS is a list of options
  java -cp "$CLASSPATH_OF_BENCHMARK" ${ISSUANCE_OPTS:-} -Dboxoffice.baseUrl="$BASE_URL" -Dboxoffice.jdbcUrl="$JDBC_URL" \
    -Dboxoffice.stackPid="$JVM_PID" -Dboxoffice.tickets="$size" -Dboxoffice.resultsDir="$OUT" \
    dev.boxoffice.loadtest.IssuanceBenchmark >"$OUT/benchmark-$size.out" 2>&1 || true
  result="$OUT/issuance-$size.json"
  [[ -f "$result" ]] || die "no result for $size tickets; see $OUT/benchmark-$size.out"
  warnings="$(grep -c -E '\b(WARN|ERROR)\b' "$OUT/stack.log" || true)"
  jq -r --arg warnings "$warnings" '"| \(.sold) | \(.orders) | \(.saleSeconds) | \(.readyAfterLastPurchaseSeconds) | \(.ticketsIssuedPerSecond) | \(.batches) / \(.executionsStarted) (\(.peakExecutionStartsPerSecond)) | \(.stackCpuSecondsAfterSale) | \(.stackCpuMsPerTicket * 10 | round / 10) | \(.ready) / \(.failed) | \($warnings) | \(.loadAverageAfter | split(" ")[0:3] | join(" ")) |"' "$result"
done

# The local Lambda runtime writes each function's invocations, throttles and peak concurrency when it stops.
stop_stack
trap - EXIT
echo
echo "Lambda, over the whole run (the stack's last lines):"
grep -o 'Lambda [A-Za-z0-9-]*: [0-9]* invocations.*' "$OUT/stack.log" | sed 's/^/  /' || echo "  (no summary: the stack did not stop cleanly)"

if [[ -n "${ISSUANCE_JFR:-}" ]]; then
  echo
  jfr print --events jdk.ExecutionSample --stack-depth 96 "$OUT/stack.jfr" | awk '
    function classify(stack) {
      if (stack ~ /dev\.boxoffice\.lambdas\.MailerHandler|dev\.boxoffice\.lambdas\.mail\./) return "mailer (SES pace)";
      if (stack ~ /dev\.boxoffice\.lambdas\.QrCodes/) return "QR code: matrix, read-back, PNG";
      if (stack ~ /java\.security\.Signature\.sign\(/) return "Ed25519 signing (ticket tokens, dev logins)";
      if (stack ~ /dev\.boxoffice\.local\.aws\.s3|org\.gaul\.s3proxy|org\.jclouds/) return "local S3 (front, S3Proxy)";
      if (stack ~ /software\.amazon\.awssdk/) return "AWS SDK clients (signing, marshalling, HTTP)";
      if (stack ~ /dev\.boxoffice\.local\.stepfunctions|com\.dashjoin\.jsonata/) return "local Step Functions";
      if (stack ~ /dev\.boxoffice\.local\.aws\.sns|dev\.boxoffice\.local\.aws\.sqs|org\.elasticmq|org\.apache\.pekko/) return "local SNS, SQS";
      if (stack ~ /dev\.boxoffice\.local/) return "other local AWS services";
      if (stack ~ /io\.vertx\.openapi|io\.vertx\.json\.schema/) return "backend: OpenAPI validation";
      if (stack ~ /io\.vertx\.pgclient|io\.vertx\.sqlclient/) return "backend: PostgreSQL client";
      if (stack ~ /dev\.boxoffice\.backend/) return "backend: other";
      if (stack ~ /io\.netty|io\.vertx/) return "HTTP and event loops (Netty, Vert.x)";
      return "other (GC threads are not sampled)";
    }
    /^jdk\.ExecutionSample \{/ { inside = 1; stack = ""; next }
    inside && /^\}/ { count[classify(stack)]++; total++; inside = 0; next }
    inside { stack = stack $0 }
    END {
      print "| Stack JVM CPU samples by component | Samples | Share |";
      print "|---|---|---|";
      n = 0;
      for (c in count) order[++n] = c;
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (count[order[j]] > count[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
      for (i = 1; i <= n; i++) printf "| %s | %d | %.0f%% |\n", order[i], count[order[i]], 100 * count[order[i]] / total;
    }'
fi
