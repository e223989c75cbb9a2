#!/usr/bin/env bash
# Drives the local SNS with the AWS CLI from Debian's awscli package, a client no one on the team wrote:
# create a topic, subscribe an email address with a filter policy, confirm with the token from the caught
# confirmation email, publish, read the delivery from the web inbox, and check an AWS error code.
#
# Usage: SNS_ENDPOINT=http://127.0.0.1:PORT INBOX_URL=http://127.0.0.1:PORT/ local/aws/scripts/sns-second-client.sh
# Run by SnsSecondClientTest against a LocalSns it starts. Needs: apt-get install -y awscli curl
set -euo pipefail

AWS_CLI="${AWS_CLI:-/usr/bin/aws}"
: "${SNS_ENDPOINT:?set SNS_ENDPOINT to the local SNS endpoint, e.g. http://127.0.0.1:4575}"
: "${INBOX_URL:?set INBOX_URL to the web inbox, e.g. http://127.0.0.1:8025/}"

if [[ ! -x "$AWS_CLI" ]]; then
  echo "FAIL: the AWS CLI is not installed at $AWS_CLI (install it with: apt-get install -y awscli)" >&2
  exit 2
fi

# The documented local dummy credentials; no profile or instance metadata of this machine is read.
export AWS_ACCESS_KEY_ID=boxoffice
export AWS_SECRET_ACCESS_KEY=boxoffice-local-secret
export AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE=/dev/null
export AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_EC2_METADATA_DISABLED=true
export AWS_PAGER=""

sns() {
  "$AWS_CLI" --endpoint-url "$SNS_ENDPOINT" --output text sns "$@"
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

inbox_json() {
  curl --silent --show-error --fail "${INBOX_URL%/}/api/messages?to=$1"
}

# Waits up to 15 s for a mail to $1 whose JSON contains $2, and prints the inbox JSON.
await_mail() {
  local json
  for _ in $(seq 1 75); do
    json="$(inbox_json "$1")"
    if [[ "$json" == *"$2"* ]]; then
      printf '%s' "$json"
      return 0
    fi
    sleep 0.2
  done
  fail "no mail to $1 containing '$2' arrived; the inbox holds: $json"
}

address="cli-$$@example.test"
topic_arn="$(sns create-topic --name "second-client-$$" --query TopicArn)"
[[ "$topic_arn" == "arn:aws:sns:us-east-1:000000000000:second-client-$$" ]] || fail "unexpected topic ARN $topic_arn"
echo "PASS: create-topic answered $topic_arn"

reply="$(sns subscribe --topic-arn "$topic_arn" --protocol email --notification-endpoint "$address" \
  --attributes '{"FilterPolicy":"{\"source\":[\"cli\"]}"}' --query SubscriptionArn)"
[[ "$reply" == "pending confirmation" ]] || fail "subscribe answered '$reply' instead of 'pending confirmation'"
echo "PASS: subscribe answered 'pending confirmation'"

listed="$(sns list-subscriptions-by-topic --topic-arn "$topic_arn" --query 'Subscriptions[0].SubscriptionArn')"
[[ "$listed" == "PendingConfirmation" ]] || fail "an unconfirmed subscription is listed as '$listed'"
echo "PASS: list-subscriptions-by-topic shows PendingConfirmation"

confirmation="$(await_mail "$address" "Subscription Confirmation")"
token="$(grep -o 'Token=[0-9a-f]*' <<<"$confirmation" | head -n 1 | cut -d= -f2)"
[[ -n "$token" ]] || fail "the confirmation email has no SubscribeURL token: $confirmation"
echo "PASS: the confirmation email with its SubscribeURL arrived in the web inbox"

subscription_arn="$(sns confirm-subscription --topic-arn "$topic_arn" --token "$token" --query SubscriptionArn)"
[[ "$subscription_arn" == "$topic_arn:"* ]] || fail "confirm-subscription answered '$subscription_arn'"
policy="$(sns get-subscription-attributes --subscription-arn "$subscription_arn" --query 'Attributes.FilterPolicy')"
[[ "$policy" == '{"source":["cli"]}' ]] || fail "the filter policy read back as '$policy'"
echo "PASS: confirm-subscription answered $subscription_arn with the filter policy kept"

sns publish --topic-arn "$topic_arn" --subject "Filtered out" --message "should not arrive" \
  --message-attributes '{"source":{"DataType":"String","StringValue":"sdk"}}' >/dev/null
sns publish --topic-arn "$topic_arn" --subject "From the AWS CLI" --message "hello from the second client" \
  --message-attributes '{"source":{"DataType":"String","StringValue":"cli"},"count":{"DataType":"Number","StringValue":"3"}}' >/dev/null
delivered="$(await_mail "$address" "From the AWS CLI")"
[[ "$delivered" == *"hello from the second client"* ]] || fail "the delivered mail lacks the message: $delivered"
[[ "$delivered" != *"Filtered out"* ]] || fail "a message the filter policy rejects was delivered: $delivered"
echo "PASS: publish delivered only the message the filter policy matches"

if error="$(sns publish --topic-arn "arn:aws:sns:us-east-1:000000000000:missing-$$" --message x 2>&1)"; then
  fail "publishing to a missing topic succeeded"
fi
[[ "$error" == *"(NotFound)"* ]] || fail "publishing to a missing topic did not report NotFound: $error"
echo "PASS: publish to a missing topic fails with the AWS error code NotFound"

if error="$(sns publish --topic-arn "$topic_arn" --message x \
  --message-attributes '{"n":{"DataType":"Number","StringValue":"many"}}' 2>&1)"; then
  fail "publishing a non-numeric Number attribute succeeded"
fi
[[ "$error" == *"(ParameterValueInvalid)"* ]] || fail "a bad Number attribute did not report ParameterValueInvalid: $error"
echo "PASS: a bad Number attribute fails with ParameterValueInvalid"

sns unsubscribe --subscription-arn "$subscription_arn"
sns delete-topic --topic-arn "$topic_arn"
remaining="$(sns list-topics --query "length(Topics[?TopicArn=='$topic_arn'])")"
[[ "$remaining" == "0" ]] || fail "delete-topic left the topic listed"
echo "PASS: unsubscribe and delete-topic"

echo "sns-second-client: all checks passed with $("$AWS_CLI" --version 2>&1 | cut -d' ' -f1)"
