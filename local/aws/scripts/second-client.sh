#!/usr/bin/env bash
# Drives the local DynamoDB with the AWS CLI from Debian's awscli package and the API Gateway router with curl:
# clients no one on the team wrote. DynamoDB: the template's tables, put/get, a GSI query, an error code. Router: a
# route, 404, 405 and a binary round trip. S3 has its own script, s3-cli-client.sh.
#
# Usage: DYNAMODB_ENDPOINT=http://127.0.0.1:PORT API_ENDPOINT=http://127.0.0.1:PORT local/aws/scripts/second-client.sh
# API_ENDPOINT must serve the test template local/aws/src/test/resources/test-api.yaml (SecondClientTest does so).
# Run by SecondClientTest against the services it starts. Needs: apt-get install -y awscli curl
set -euo pipefail

AWS_CLI="${AWS_CLI:-/usr/bin/aws}"
: "${DYNAMODB_ENDPOINT:?set DYNAMODB_ENDPOINT to the local DynamoDB endpoint}"
: "${API_ENDPOINT:?set API_ENDPOINT to the local API Gateway router}"

if [[ ! -x "$AWS_CLI" ]]; then
  echo "FAIL: the AWS CLI is not installed at $AWS_CLI (install it with: apt-get install -y awscli)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The documented local dummy credentials; no profile or instance metadata of this machine is read.
export AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=boxoffice
export AWS_SECRET_ACCESS_KEY=boxoffice-local-secret
export AWS_DEFAULT_REGION=us-east-1
export AWS_EC2_METADATA_DISABLED=true
export AWS_PAGER=""

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

dynamodb() {
  "$AWS_CLI" --endpoint-url "$DYNAMODB_ENDPOINT" --output text dynamodb "$@"
}

# Prints the AWS error code of a CLI call expected to fail.
error_code_of() {
  local output
  if output="$("$@" 2>&1)"; then
    fail "expected '$*' to fail, it answered: $output"
  fi
  sed -n 's/.*An error occurred (\([A-Za-z]*\)).*/\1/p' <<< "$output" | head -n 1
}

http_status() {
  curl --silent --output "$work/body" --write-out '%{http_code}' "$@"
}

# --- DynamoDB -------------------------------------------------------------------------------------------------
tables="$(dynamodb list-tables --query 'TableNames[]')"
[[ "$tables" == *boxoffice-otp* && "$tables" == *boxoffice-activity-log* ]] \
  || fail "the template's tables are missing, list-tables answered: $tables"
expires_at=$(( $(date +%s) + 300 ))
dynamodb put-item --table-name boxoffice-otp-codes \
  --item "{\"codeSlot\": {\"S\": \"cli-$$\"}, \"expiresAt\": {\"N\": \"$expires_at\"}}"
got="$(dynamodb get-item --table-name boxoffice-otp-codes --key "{\"codeSlot\": {\"S\": \"cli-$$\"}}" \
  --query 'Item.expiresAt.N')"
[[ "$got" == "$expires_at" ]] || fail "get-item answered '$got', not $expires_at"
echo "PASS: DynamoDB list-tables shows the template's tables; put-item then get-item round trip"

dynamodb put-item --table-name boxoffice-activity-log --item \
  "{\"pk\": {\"S\": \"user#cli-$$\"}, \"sk\": {\"S\": \"1\"}, \"gsi1pk\": {\"S\": \"cli-$$\"}, \"gsi1sk\": {\"S\": \"a\"}}"
count="$(dynamodb query --table-name boxoffice-activity-log --index-name gsi1 \
  --key-condition-expression 'gsi1pk = :type' \
  --expression-attribute-values "{\":type\": {\"S\": \"cli-$$\"}}" --query Count)"
[[ "$count" == 1 ]] || fail "the GSI query found '$count' items, not 1"
echo "PASS: DynamoDB query through the activity log's GSI"

code="$(error_code_of dynamodb put-item --table-name boxoffice-otp-codes --item '{"wrong": {"S": "key"}}')"
[[ "$code" == ValidationException ]] || fail "an item without its key answered '$code', not ValidationException"
echo "PASS: DynamoDB put-item without the key raises ValidationException"

# --- API Gateway router ---------------------------------------------------------------------------------------
head -c 65536 /dev/urandom > "$work/ticket.pdf"
[[ "$(http_status "$API_ENDPOINT/events/ev-1")" == 200 ]] || fail "GET /events/ev-1 did not answer 200"
grep -q '"eventId":"ev-1"' "$work/body" || fail "the handler did not receive the path parameter"
[[ "$(http_status "$API_ENDPOINT/nowhere")" == 404 ]] || fail "an unknown path did not answer 404"
[[ "$(http_status -X PUT "$API_ENDPOINT/events")" == 405 ]] || fail "an unknown method did not answer 405"
[[ "$(http_status -X PUT -H 'Content-Type: image/png' --data-binary "@$work/ticket.pdf" \
  "$API_ENDPOINT/files/poster.png")" == 200 ]] || fail "the binary round trip did not answer 200"
cmp -s "$work/ticket.pdf" "$work/body" || fail "the binary body did not come back byte for byte"
echo "PASS: router with curl: route with path parameter, 404, 405, 64 KiB binary round trip"

echo "second-client: all checks passed with $("$AWS_CLI" --version 2>&1) and $(curl --version | head -n 1 | cut -d' ' -f1-2)"
