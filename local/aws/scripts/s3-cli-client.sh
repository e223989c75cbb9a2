#!/usr/bin/env bash
# Drives the local S3 with the AWS CLI from Debian's awscli package, a client no one on the team wrote: bucket,
# `aws s3 cp` up and down of a small file and of a 12 MiB one (which the CLI sends multipart), listing, pre-signed GET
# valid and expired, `aws s3api put-object` with each checksum algorithm the CLI offers and `get-object
# --checksum-mode ENABLED` answering it, a wrong checksum refused with BadDigest and nothing stored, an error code.
#
# Usage: S3_ENDPOINT=http://127.0.0.1:PORT local/aws/scripts/s3-cli-client.sh
# Run by S3AwsCliTest against the S3 it starts. Needs: apt-get install -y awscli curl
set -euo pipefail

AWS_CLI="${AWS_CLI:-/usr/bin/aws}"
: "${S3_ENDPOINT:?set S3_ENDPOINT to the local S3 endpoint}"

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

# Prints the AWS error code of a CLI call expected to fail.
error_code_of() {
  local output
  if output="$("$@" 2>&1)"; then
    fail "expected '$*' to fail, it answered: $output"
  fi
  sed -n 's/.*An error occurred (\([A-Za-z0-9]*\)).*/\1/p' <<< "$output" | head -n 1
}

http_status() {
  curl --silent --output "$work/body" --write-out '%{http_code}' "$@"
}

bucket="cli-client-$$"
s3 s3 mb "s3://$bucket" > /dev/null

head -c 65536 /dev/urandom > "$work/ticket.pdf"
s3 s3 cp --only-show-errors "$work/ticket.pdf" "s3://$bucket/orders/ticket.pdf"
s3 s3 cp --only-show-errors "s3://$bucket/orders/ticket.pdf" "$work/downloaded.pdf"
cmp -s "$work/ticket.pdf" "$work/downloaded.pdf" || fail "the downloaded object differs from the upload"
[[ "$(s3 s3 ls "s3://$bucket/orders/")" == *"ticket.pdf"* ]] || fail "s3 ls does not list the object"
echo "PASS: S3 mb, cp up and down (64 KiB, byte for byte) and ls"

head -c $((12 * 1024 * 1024)) /dev/urandom > "$work/poster.tiff"
s3 s3 cp --only-show-errors "$work/poster.tiff" "s3://$bucket/events/poster.tiff"
s3 s3 cp --only-show-errors "s3://$bucket/events/poster.tiff" "$work/poster-downloaded.tiff"
cmp -s "$work/poster.tiff" "$work/poster-downloaded.tiff" || fail "the 12 MiB download differs from the upload"
etag="$(s3 s3api head-object --bucket "$bucket" --key events/poster.tiff --query ETag --output text)"
[[ "$etag" =~ -[0-9]+\"?$ ]] || fail "the 12 MiB upload was not multipart (ETag $etag)"
echo "PASS: S3 cp up and down of 12 MiB, sent multipart (ETag $etag), byte for byte"

valid_url="$(s3 s3 presign "s3://$bucket/orders/ticket.pdf" --expires-in 300)"
short_url="$(s3 s3 presign "s3://$bucket/orders/ticket.pdf" --expires-in 1)"
[[ "$(http_status "$valid_url")" == 200 ]] || fail "a valid pre-signed URL did not answer 200"
cmp -s "$work/ticket.pdf" "$work/body" || fail "the pre-signed download differs from the upload"
sleep 2
[[ "$(http_status "$short_url")" == 403 ]] || fail "an expired pre-signed URL did not answer 403"
grep -q "<Code>AccessDenied</Code>" "$work/body" || fail "the expired URL's body is not an S3 AccessDenied error"
echo "PASS: S3 pre-signed GET answers 200 while valid and 403 AccessDenied once expired"

for algorithm in CRC32 CRC32C SHA1 SHA256; do
  sent="$(s3 s3api put-object --bucket "$bucket" --key "checksums/$algorithm" --body "$work/ticket.pdf" \
    --checksum-algorithm "$algorithm" --query "Checksum$algorithm" --output text)"
  [[ -n "$sent" && "$sent" != None ]] || fail "put-object with $algorithm answered no checksum"
  got="$(s3 s3api get-object --bucket "$bucket" --key "checksums/$algorithm" --checksum-mode ENABLED \
    "$work/checksummed" --query "Checksum$algorithm" --output text)"
  [[ "$got" == "$sent" ]] || fail "get-object --checksum-mode ENABLED answered $algorithm '$got', not '$sent'"
  cmp -s "$work/ticket.pdf" "$work/checksummed" || fail "the $algorithm object read back differs"
done
echo "PASS: S3 put-object with CRC32, CRC32C, SHA1 and SHA256; get-object --checksum-mode ENABLED answers each"

code="$(error_code_of s3 s3api put-object --bucket "$bucket" --key wrong.pdf --body "$work/ticket.pdf" \
  --checksum-crc32 AAAAAA==)"
[[ "$code" == BadDigest ]] || fail "a wrong CRC32 answered '$code', not BadDigest"
code="$(error_code_of s3 s3api head-object --bucket "$bucket" --key wrong.pdf)"
[[ "$code" == 404 ]] || fail "the object with the wrong CRC32 was stored (head-object answered '$code')"
echo "PASS: S3 put-object with a wrong CRC32 raises BadDigest and stores nothing"

code="$(error_code_of s3 s3api get-object --bucket "$bucket" --key missing "$work/missing")"
[[ "$code" == NoSuchKey ]] || fail "a missing key answered '$code', not NoSuchKey"
echo "PASS: S3 get-object of a missing key raises NoSuchKey"

echo "s3-cli-client: all checks passed with $("$AWS_CLI" --version 2>&1)"
