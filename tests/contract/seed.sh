#!/usr/bin/env bash
# Creates, through the API only, the credentials and objects the contract run's requests refer to, and
# writes one Newman environment per document into $1 (listings.env.json, reseller.env.json,
# metering.env.json). Needs CONTRACT_URL (the host itself, not the validating proxy) and CONTRACT_ADMIN_KEY.
set -euo pipefail
out=$1
url=$CONTRACT_URL
admin=(-H "X-Admin-Key: $CONTRACT_ADMIN_KEY")
json=(-H 'Content-Type: application/json')

# call METHOD PATH [BODY] [curl options…]: the response body; fails (naming the call) on a non-2xx answer.
call() {
  local method=$1 path=$2 body=${3:-} response status
  shift 3 || shift $#
  response=$(curl -sS -X "$method" "$url$path" "${json[@]}" "$@" ${body:+-d "$body"} -w '\n%{http_code}')
  status=${response##*$'\n'}
  if [[ $status != 2* ]]; then
    echo "seed: $method $path answered $status: ${response%$'\n'*}" >&2
    return 1
  fi
  printf '%s' "${response%$'\n'*}"
}

# env FILE KEY=VALUE…: a Newman environment file.
env_file() {
  local file=$1
  shift
  printf '%s\n' "$@" | jq -R 'capture("^(?<key>[^=]+)=(?<value>.*)$") + {enabled: true}' | jq -s '{name: "contract", values: .}' > "$file"
}

# --- Listings: a provider with two keys (one for the push routes, one to delete) -------------------------
slug=contract-provider
call POST /admin/providers "{\"slug\":\"$slug\",\"name\":\"Contract Provider\",\"country\":\"Poland\",\"type\":\"managed\"}" "${admin[@]}" >/dev/null
provider_key=$(call POST "/admin/providers/$slug/keys" '' "${admin[@]}" | jq -r '.data.key')
deletable_provider_key=$(call POST "/admin/providers/$slug/keys" '' "${admin[@]}" | jq -r '.data.id')
env_file "$out/listings.env.json" "baseUrl=$CONTRACT_PROXY_LISTINGS" "adminKey=$CONTRACT_ADMIN_KEY" \
  "providerKey=$provider_key" "slug=$slug" "keyId=$deletable_provider_key"

# --- Reseller: one reseller, live and sandbox, each with money, stock, plans and a sub-user --------------
reseller=$(call POST /admin/resellers '{"name":"Contract Reseller","email":"contract@example.com"}' "${admin[@]}")
reseller_id=$(jq -r '.data.id' <<<"$reseller")
live_key=$(jq -r '.data.live_key' <<<"$reseller")
test_key=$(jq -r '.data.test_key' <<<"$reseller")
deletable_reseller_key=$(call POST "/admin/resellers/$reseller_id/keys" '{"mode":"live"}' "${admin[@]}" | jq -r '.data.id')
# The routes that suspend a reseller or switch a product off act on a reseller of their own.
other_reseller_id=$(call POST /admin/resellers '{"name":"Contract Reseller 2","email":"contract2@example.com"}' "${admin[@]}" | jq -r '.data.id')
vars=("baseUrl=$CONTRACT_PROXY_RESELLER" "adminKey=$CONTRACT_ADMIN_KEY" "resellerId=$reseller_id" "keyId=$deletable_reseller_key"
      "otherResellerId=$other_reseller_id"
      "liveKey=$live_key" "testKey=$test_key")
for mode in live test; do
  if [ "$mode" = live ]; then key=$live_key prefix=/api/v1 var=; else key=$test_key prefix=/sandbox/api/v1 var=sandbox; fi
  bearer=(-H "Authorization: Bearer $key")
  call POST "/admin/resellers/$reseller_id/topups" "{\"amount_cents\":100000000,\"mode\":\"$mode\",\"note\":\"contract run\"}" "${admin[@]}" >/dev/null
  call PUT "/admin/stock/dedicated-mobile?mode=$mode" '{"NL":20,"UK":20}' "${admin[@]}" >/dev/null
  call PUT "/admin/pools/ISP_CONTRACT?mode=$mode" '{"title":"Contract ISP","provider":"ISP","country":"US","stock":250,"isSubnet":false}' "${admin[@]}" >/dev/null
  plan=$(call POST "$prefix/plans" '{"product":"residential","bandwidth_gb":50}' "${bearer[@]}" | jq -r '.data.plan_id')
  server=$(call POST "$prefix/plans" '{"product":"dedicated_mobile","duration":"7_days","location":"NL"}' "${bearer[@]}" | jq -r '.data.plan_id')
  unlimited=$(call POST "$prefix/plans" '{"product":"unlimited_residential","duration":"7_days","bandwidth_mbps":200}' "${bearer[@]}" | jq -r '.data.plan_id')
  isp=$(call POST "$prefix/plans" '{"product":"dedicated_isp","quantity":2,"pool":"ISP_CONTRACT"}' "${bearer[@]}" | jq -r '.data.plan_id')
  sub_user=$(call POST "$prefix/sub-users" '{"name":"Contract sub-user","traffic_limit_gb":5}' "${bearer[@]}" | jq -r '.data.id')
  link=$(call GET "$prefix/proxies/$server/ip-reset-link" '' "${bearer[@]}" | jq -r '.data.url')
  expires=$(sed -n 's/.*[?&]expires=\([^&]*\).*/\1/p' <<<"$link")
  signature=$(sed -n 's/.*[?&]signature=\([^&]*\).*/\1/p' <<<"$link")
  # Webhooks: an endpoint with a delivery (a test event) to read and redeliver, and one to delete.
  webhook=$(call POST "$prefix/webhooks" '{"url":"https://hooks.example.com/contract","events":["plan.created"]}' "${bearer[@]}" | jq -r '.data.id')
  deletable_webhook=$(call POST "$prefix/webhooks" '{"url":"https://hooks.example.com/contract-delete","events":["plan.expired"]}' "${bearer[@]}" | jq -r '.data.id')
  delivery=$(call POST "$prefix/webhooks/$webhook/test" '' "${bearer[@]}" | jq -r '.data.id')
  vars+=("${var}planId=$plan" "${var}serverPlanId=$server" "${var}unlimitedPlanId=$unlimited" "${var}ispPlanId=$isp" "${var}subUserId=$sub_user" "${var}expires=$expires" "${var}signature=$signature"
         "${var}webhookId=$webhook" "${var}deletableWebhookId=$deletable_webhook" "${var}deliveryId=$delivery")
done
env_file "$out/reseller.env.json" "${vars[@]}"

# --- Metering: an organization with a meter, a plan with a charge, a customer, a subscription, an invoice -
# Each route that archives, cancels, voids or signs out acts on an object (or session) of its own, so
# the other requests still find theirs whatever the order.
m=/metering/api/v1
signup='{"email":"contract@example.com","password":"contract-password-1","organization_name":"Contract Org"}'
token=$(call POST $m/auth/signup "$signup" | jq -r '.access_token')
logout_token=$(call POST $m/auth/login '{"email":"contract@example.com","password":"contract-password-1"}' | jq -r '.access_token')
auth=(-H "Authorization: Bearer $token")
feature() {
  call POST $m/features "{\"name\":\"API Calls $1\",\"lookup_key\":\"api_calls_$1\",\"type\":\"meter\",\"meter_name\":\"api_calls_$1\",\"property_name\":\"call_count\",\"aggregation_type\":\"SUM\",\"unit\":\"calls\"}" "${auth[@]}"
}
meter=$(feature 1)
feature_id=$(jq -r '.id' <<<"$meter")
meter_id=$(jq -r '.meter_id' <<<"$meter")
archivable_feature_id=$(feature 2 | jq -r '.id')
plan() { call POST $m/plans "{\"name\":\"Starter $1\",\"lookup_id\":\"starter_$1\",\"type\":\"USAGE\",\"billing_interval\":\"month\",\"currency\":\"USD\"}" "${auth[@]}" | jq -r '.id'; }
plan_id=$(plan 1)
archivable_plan_id=$(plan 2)
charge() { call POST "$m/plans/$plan_id/charges" "{\"type\":\"USAGE\",\"meter_id\":\"$meter_id\",\"unit_price\":0.001,\"display_name\":\"API Call Charge $1\"}" "${auth[@]}" | jq -r '.id'; }
charge_id=$(charge 1)
archivable_charge_id=$(charge 2)
customer() { call POST $m/customers "{\"name\":\"Acme Corp $1\",\"email\":\"billing$1@acme.com\",\"external_id\":\"acme-corp-00$1\"}" "${auth[@]}" | jq -r '.id'; }
customer_id=$(customer 1)
other_customer_id=$(customer 2)
unsubscribed_customer_id=$(customer 3)
subscribe() { call POST $m/subscriptions "{\"customer_id\":\"$1\",\"plan_id\":\"$plan_id\",\"billing_interval\":\"month\",\"start_date\":\"2026-01-01T00:00:00Z\"}" "${auth[@]}" | jq -r '.id'; }
subscription_id=$(subscribe "$customer_id")
cancelable_subscription_id=$(subscribe "$other_customer_id")
sdk_key=$(call POST $m/api-keys '{"name":"Contract SDK key","scopes":["usage.write","usage.read"]}' "${auth[@]}" | jq -r '.key')
deletable_api_key=$(call POST $m/api-keys '{"name":"Contract key to delete","scopes":["usage.read"]}' "${auth[@]}" | jq -r '.id')
invoice_id=$(call POST "$m/subscriptions/$subscription_id/generate-invoice" '' "${auth[@]}" | jq -r '.id')
voidable_invoice_id=$(call POST "$m/subscriptions/$cancelable_subscription_id/generate-invoice" '' "${auth[@]}" | jq -r '.id')
webhook_id=$(call POST $m/webhooks '{"url":"https://hooks.example.com/contract","events":["invoice.finalized"]}' "${auth[@]}" | jq -r '.id')
deletable_webhook_id=$(call POST $m/webhooks '{"url":"https://hooks.example.com/contract-delete","events":["invoice.paid"]}' "${auth[@]}" | jq -r '.id')
delivery_id=$(call POST "$m/webhooks/$webhook_id/test" '' "${auth[@]}" | jq -r '.id')
env_file "$out/metering.env.json" "baseUrl=$CONTRACT_PROXY_METERING" "token=$token" "logoutToken=$logout_token" "sdkKey=$sdk_key" \
  "featureId=$feature_id" "archivableFeatureId=$archivable_feature_id" "meterId=$meter_id" "meterToken=$(jq -r '.meter_token' <<<"$meter")" \
  "planId=$plan_id" "archivablePlanId=$archivable_plan_id" "chargeId=$charge_id" "archivableChargeId=$archivable_charge_id" \
  "customerId=$customer_id" "unsubscribedCustomerId=$unsubscribed_customer_id" "subscriptionId=$subscription_id" "cancelableSubscriptionId=$cancelable_subscription_id" \
  "invoiceId=$invoice_id" "voidableInvoiceId=$voidable_invoice_id" "keyId=$deletable_api_key" \
  "webhookId=$webhook_id" "deletableWebhookId=$deletable_webhook_id" "deliveryId=$delivery_id" "adminKey=$CONTRACT_ADMIN_KEY"
