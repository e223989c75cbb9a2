#!/usr/bin/env bash
# Drives the local S3 and DynamoDB with the AWS CLI from Debian's awscli package and the API Gateway router with
# curl: clients no one on the team wrote. S3: bucket, upload, download, listing, pre-signed GET valid and expired,
# an error code. DynamoDB: the template's tables, put/get, a GSI query, an error code. Router: a route, 404, 405 and
# a binary round trip.
#
# Usage: S3_ENDPOINT=http://127.0.0.1:PORT DYNAMODB_ENDPOINT=http://127.0.0.1:PORT API_ENDPOINT=http://127.0.0.1:PORT \
#        local/aws/scripts/second-client.sh
# API_ENDPOINT must serve the test template local/aws/src/test/resources/test-api.yaml (SecondClientTest does so).
# Run by SecondClientTest against the services it starts. Needs: apt-get install -y awscli curl
set -euo pipefail

AWS_CLI="${AWS_CLI:-/usr/bin/aws}"
: "${S3_ENDPOINT:?set S3_ENDPOINT to the local S3 endpoint}"
: "${DYNAMODB_ENDPOINT:?set DYNAMODB_ENDPOINT to the local DynamoDB endpoint}"
: "${API_ENDPOINT:?set API_ENDPOINT to the local API Gateway router}"

if [[ ! -x "$AWS_CLI" ]]; then
  echo "FAIL: the AWS CLI is not installed at $AWS_CLI (install it with: apt-get install -y awscli)" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The documented local dummy credentials; no profile or instance metadata of this machine is read.
printf '[default]\ns3 =\n    addressing_style = path\n' > "$work/config"
export AWS_CONFIG_FILE="$work/config"
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

s3() {
  "$AWS_CLI" --endpoint-url "$S3_ENDPOINT" "$@"
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

# --- S3 -------------------------------------------------------------------------------------------------------
bucket="second-client-$$"
s3 s3 mb "s3://$bucket" > /dev/null
head -c 65536 /dev/urandom > "$work/ticket.pdf"
s3 s3 cp "$work/ticket.pdf" "s3://$bucket/orders/ticket.pdf" > /dev/null
s3 s3 cp "s3://$bucket/orders/ticket.pdf" "$work/downloaded.pdf" > /dev/null
cmp -s "$work/ticket.pdf" "$work/downloaded.pdf" || fail "the downloaded object differs from the upload"
[[ "$(s3 s3 ls "s3://$bucket/orders/")" == *"ticket.pdf"* ]] || fail "s3 ls does not list the object"
echo "PASS: S3 mb, cp up and down (64 KiB, byte for byte) and ls"

valid_url="$(s3 s3 presign "s3://$bucket/orders/ticket.pdf" --expires-in 300)"
short_url="$(s3 s3 presign "s3://$bucket/orders/ticket.pdf" --expires-in 1)"
[[ "$(http_status "$valid_url")" == 200 ]] || fail "a valid pre-signed URL did not answer 200"
cmp -s "$work/ticket.pdf" "$work/body" || fail "the pre-signed download differs from the upload"
sleep 2
[[ "$(http_status "$short_url")" == 403 ]] || fail "an expired pre-signed URL did not answer 403"
grep -q "<Code>AccessDenied</Code>" "$work/body" || fail "the expired URL's body is not an S3 AccessDenied error"
echo "PASS: S3 pre-signed GET answers 200 while valid and 403 AccessDenied once expired"

code="$(error_code_of s3 s3api get-object --bucket "$bucket" --key missing "$work/missing")"
[[ "$code" == NoSuchKey ]] || fail "a missing key answered '$code', not NoSuchKey"
echo "PASS: S3 get-object of a missing key raises NoSuchKey"

# --- DynamoDB -------------------------------------------------------------------------------------------------
tables="$(dynamodb list-tables --query 'TableNames[]')"
[[ "$tables" == *boxoffice-otp* && "$tables" == *boxoffice-activity-log* ]] \
  || fail "the template's tables are missing, list-tables answered: $tables"
expires_at=$(( $(date +%s) + 300 ))
dynamodb put-item --table-name boxoffice-otp \
  --item "{\"emailHash\": {\"S\": \"cli-$$\"}, \"expiresAt\": {\"N\": \"$expires_at\"}}"
got="$(dynamodb get-item --table-name boxoffice-otp --key "{\"emailHash\": {\"S\": \"cli-$$\"}}" \
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

code="$(error_code_of dynamodb put-item --table-name boxoffice-otp --item '{"wrong": {"S": "key"}}')"
[[ "$code" == ValidationException ]] || fail "an item without its key answered '$code', not ValidationException"
echo "PASS: DynamoDB put-item without the key raises ValidationException"

# --- API Gateway router ---------------------------------------------------------------------------------------
[[ "$(http_status "$API_ENDPOINT/events/ev-1")" == 200 ]] || fail "GET /events/ev-1 did not answer 200"
grep -q '"eventId":"ev-1"' "$work/body" || fail "the handler did not receive the path parameter"
[[ "$(http_status "$API_ENDPOINT/nowhere")" == 404 ]] || fail "an unknown path did not answer 404"
[[ "$(http_status -X PUT "$API_ENDPOINT/events")" == 405 ]] || fail "an unknown method did not answer 405"
[[ "$(http_status -X PUT -H 'Content-Type: image/png' --data-binary "@$work/ticket.pdf" \
  "$API_ENDPOINT/files/poster.png")" == 200 ]] || fail "the binary round trip did not answer 200"
cmp -s "$work/ticket.pdf" "$work/body" || fail "the binary body did not come back byte for byte"
echo "PASS: router with curl: route with path parameter, 404, 405, 64 KiB binary round trip"

echo "second-client: all checks passed with $("$AWS_CLI" --version 2>&1) and $(curl --version | head -n 1 | cut -d' ' -f1-2)"
