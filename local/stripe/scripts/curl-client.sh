#!/usr/bin/env bash
# Drives the local Stripe server with curl, form-encoded as Stripe's API takes it (a client nobody here wrote):
# create a Checkout Session with an idempotency key and replay it, pay on the hosted page with 4242..., read the
# session back paid, refund part of it, and check Stripe's error JSON for a wrong key and an over-refund.
#
# Usage: STRIPE_API_BASE=http://127.0.0.1:PORT STRIPE_SECRET_KEY=sk_test_... local/stripe/scripts/curl-client.sh
# Run by SecondClientsTest against a LocalStripe it starts.
set -euo pipefail

: "${STRIPE_API_BASE:?set STRIPE_API_BASE to the local Stripe server, e.g. http://127.0.0.1:4518}"
: "${STRIPE_SECRET_KEY:?set STRIPE_SECRET_KEY to its secret key}"

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# The first value of a JSON string field, e.g. field id < session.json
field() {
  grep -o "\"$1\": *\"[^\"]*\"" | head -1 | sed 's/.*: *"\(.*\)"/\1/'
}

stripe() {
  curl --silent --show-error -u "$STRIPE_SECRET_KEY:" "$@"
}

key="curl-$(date +%s%N)"
create=(-X POST "$STRIPE_API_BASE/v1/checkout/sessions" -H "Idempotency-Key: $key"
  -d mode=payment -d client_reference_id=curl-hold -d customer_email=curl@example.org
  -d "success_url=https://shop.example/done?session={CHECKOUT_SESSION_ID}" -d cancel_url=https://shop.example/back
  -d "line_items[0][quantity]=3" -d "line_items[0][price_data][currency]=eur"
  -d "line_items[0][price_data][unit_amount]=1250" -d "line_items[0][price_data][product_data][name]=Balcony"
  -d "metadata[hold_id]=curl-hold" -d "payment_intent_data[metadata][hold_id]=curl-hold")
session=$(stripe "${create[@]}")
id=$(field id <<<"$session")
[[ "$id" == cs_test_* ]] || fail "no session id in: $session"
grep -q '"amount_total": *3750' <<<"$session" || fail "amount_total is not 3 x 1250: $session"
url=$(field url <<<"$session")

replay_headers=$(stripe -D - -o /dev/null "${create[@]}")
grep -qi '^idempotent-replayed: true' <<<"$replay_headers" || fail "the same Idempotency-Key was not replayed"
[[ "$(stripe "${create[@]}" | field id)" == "$id" ]] || fail "the replay answered another session"

status=$(curl --silent -o /dev/null -w '%{http_code} %{redirect_url}' -X POST "$url" \
  --data-urlencode "cardNumber=4242 4242 4242 4242" --data-urlencode "expiry=12 / 34" -d cvc=123)
[[ "$status" == "303 https://shop.example/done?session=$id" ]] || fail "paying did not redirect to success_url: $status"

paid=$(stripe "$STRIPE_API_BASE/v1/checkout/sessions/$id")
grep -q '"payment_status": *"paid"' <<<"$paid" || fail "the session is not paid: $paid"
intent=$(field payment_intent <<<"$paid")

refund=$(stripe -X POST "$STRIPE_API_BASE/v1/refunds" -d payment_intent="$intent" -d amount=1250)
grep -q '"status": *"succeeded"' <<<"$refund" || fail "the refund did not succeed: $refund"

too_much=$(stripe -w '\n%{http_code}' -X POST "$STRIPE_API_BASE/v1/refunds" -d payment_intent="$intent" -d amount=5000)
grep -q '"code": *"amount_too_large"' <<<"$too_much" || fail "an over-refund was not refused: $too_much"
[[ "$(tail -1 <<<"$too_much")" == 400 ]] || fail "an over-refund did not answer 400"

wrong=$(curl --silent -w '\n%{http_code}' -u sk_test_not_the_key: "$STRIPE_API_BASE/v1/checkout/sessions/$id")
[[ "$(tail -1 <<<"$wrong")" == 401 ]] || fail "a wrong key did not answer 401: $wrong"
grep -q '"type": *"invalid_request_error"' <<<"$wrong" || fail "a wrong key did not answer Stripe's error JSON"

echo "curl-client: all checks passed with $(curl --version | head -1 | cut -d' ' -f1-2)"
