# shellcheck shell=bash
# Load clients that account for every request, and the checks that prove from the database that nothing
# acknowledged was lost or done twice. Shared by scripts/faults.sh (one host) and bench/cluster-proof.sh
# (through nginx to several hosts).
#
# The sourcing script provides: URL (where requests go), WORK (work files; answers in $WORK/runs), WORKERS
# (clients per load), sql (psql on the database: sql -c "..." prints rows with | between fields) and
# fail (reports a failed check and exits). The SDK functions read SDK_API_KEY, SDK_METER_TOKEN and
# SDK_CUSTOMER (sdk_setup sets them); the purchase functions PLAN_KEYS (an array of live reseller keys).

# --- load clients ----------------------------------------------------------------------------------
# Each worker sends one request at a time until the stop file appears, it has sent $max requests or
# $until (epoch seconds) has passed, and writes one line per request:
#   key  http-code  retry-after  error-code  sent-at  answered-at
# (http-code 000: no answer — connection refused or cut). After a non-success it waits 0.1 s.
record() { # file key send-result body-file t0
  local code ra replayed err=-
  IFS='|' read -r code ra replayed <<< "$3"
  if [[ $code != 2* && $code != 000 && -s $4 ]]; then
    local body
    body=$(<"$4")
    [[ $body =~ \"code\":\"([A-Z_]+)\" ]] && err=${BASH_REMATCH[1]}
  fi
  printf '%s %s %s %s %s %s %s\n' "$2" "${code:-000}" "${ra:--}" "$err" "$5" "$EPOCHREALTIME" "${replayed:--}" >> "$1"
}

# sdk_send KEY BODY-FILE: one track event; prints "code|retry-after|-".
sdk_send() {
  curl -s -o "$2" --max-time 10 -w '%{http_code}|%header{retry-after}|-' -X POST "$URL/metering/api/v1/sdk/track" \
    -H 'Content-Type: application/json' -H "X-API-Key: $SDK_API_KEY" \
    -d "{\"meter_token\":\"$SDK_METER_TOKEN\",\"customer_external_id\":\"$SDK_CUSTOMER\",\"quantity\":1,\"idempotency_key\":\"$1\"}" || true
}

# load_worker SEND OK-CODE AFTER prefix worker max until stop-file out-file: SEND KEY BODY-FILE sends one
# request; after an answer with OK-CODE, AFTER (or -) is called with KEY BODY-FILE OUT-FILE WORKER.
load_worker() {
  local send=$1 ok=$2 after=$3
  shift 3
  local i key res t0 body="$WORK/runs/body.$1.$2"
  for ((i = 1; i <= $3; i++)); do
    [ -e "$5" ] && break
    t0=$EPOCHREALTIME
    [ "${t0%.*}" -lt "$4" ] || break
    key="$1-$2-$i"
    : > "$body"
    res=$("$send" "$key" "$body")
    record "$6" "$key" "$res" "$body" "$t0"
    if [ "${res%%|*}" = "$ok" ]; then
      [ "$after" = - ] || "$after" "$key" "$body" "$6" "$2"
    else
      sleep 0.1
    fi
  done
}

sdk_worker() { load_worker sdk_send 202 - "$@"; }

# Starts $WORKERS workers of $1 with prefix $2 writing to $3; they stop at $3.stop, after $LOAD_SECONDS s
# (default 90) or $LOAD_MAX requests each (default 3000).
load_start() {
  local kind=$1 prefix=$2 out=$3 w
  : > "$out"
  rm -f "$out.stop"
  LOAD_OUT=$out
  LOAD_PIDS=()
  for w in $(seq 1 "$WORKERS"); do
    : > "$out.w$w"
    "$kind" "$prefix" "$w" "${LOAD_MAX:-3000}" $(( $(date +%s) + ${LOAD_SECONDS:-90} )) "$out.stop" "$out.w$w" &
    LOAD_PIDS+=($!)
  done
}
load_stop() {
  local out=$1 w
  touch "$out.stop"
  wait "${LOAD_PIDS[@]}"
  for w in $(seq 1 "$WORKERS"); do cat "$out.w$w" >> "$out"; rm -f "$out.w$w"; done
}

# Lets the load run while $1 more requests are answered with code $2 (at most $3 s).
load_until_answers() {
  local out=$1 code=$2 more=$3 limit=$4 base deadline=$((SECONDS + $4))
  base=$(cat "$out".w* | awk -v c="$code" '$2 == c' | wc -l)
  while [ $SECONDS -lt $deadline ]; do
    [ "$(cat "$out".w* | awk -v c="$code" '$2 == c' | wc -l)" -ge $((base + more)) ] && return 0
    sleep 0.2
  done
  echo "fewer than $more requests answered $code within ${limit} s" >&2
  return 1
}

# "202×1234, 000×12": answers per code.
codes() { awk '{ n[$2]++ } END { for (c in n) print c "×" n[c] }' "$1" | sort | paste -sd, - | sed 's/,/, /g'; }
# Seconds from the first failed request sent to the last failed request answered ("0" without failures).
error_window() {
  awk -v ok="$2" '$2 != ok { if (first == "" || $5 < first) first = $5; if ($6 > last) last = $6 }
    END { if (first == "") print "0"; else printf "%.1f", last - first }' "$1"
}

# Retries every request of $1 not answered $2, with the same key, until answered $2 (at most 10 tries,
# 1 s apart, and 120 s for all); writes the final answers to $1.retry and their bodies to $1.retry-bodies. $3: the send function.
retry_unacknowledged() {
  local file=$1 ok=$2 send=$3 key code res try body="$WORK/runs/body.retry" deadline=$((SECONDS + 120))
  : > "$file.retry"
  : > "$file.retry-bodies"
  while read -r key code _; do
    res="000||-"
    : > "$body"
    for try in $(seq 1 10); do
      # The whole retry phase is bounded too: past it, a key is recorded with its last answer (a failure).
      [ $SECONDS -lt $deadline ] || break
      : > "$body"
      res=$("$send" "$key" "$body")
      [ "${res%%|*}" = "$ok" ] && break
      sleep 1
    done
    record "$file.retry" "$key" "$res" "$body" "$EPOCHREALTIME"
    printf '%s\n' "$(<"$body")" >> "$file.retry-bodies"
  done < <(awk -v ok="$ok" '$2 != ok' "$file")
}

# any AWK-CONDITION FILE: whether a line of FILE meets the condition (no pipe: under pipefail an early
# exit of a reader would read as "no line").
any() { awk "$1 { found = 1; exit } END { exit !found }" "$2"; }

# --- the SDK's credentials, made once through the API (the bench's set-up) ---------------------------
sdk_setup() {
  local env_file="$WORK/runs/sdk.env"
  bash bench/scenarios/metering-track.setup.sh > "$env_file"
  SDK_METER_TOKEN=$(sed -n 's/^METER_TOKEN=//p' "$env_file")
  SDK_CUSTOMER=$(sed -n 's/^CUSTOMER=//p' "$env_file")
  SDK_API_KEY=$(sed -n 's/^API_KEY=//p' "$env_file")
  [ -n "$SDK_METER_TOKEN" ] && [ -n "$SDK_CUSTOMER" ] && [ -n "$SDK_API_KEY" ] || flux_die "the SDK set-up made no credentials"
}

# Checks the events of prefix $1 against the answers in $2: every key answered 202 (first run and
# retries) stored exactly once, and no event stored that was never sent. Prints a short account.
sdk_check_stored() {
  local prefix=$1 file=$2 stored="$2.stored"
  sql -c "SELECT idempotency_key, count(*) FROM metering.events WHERE idempotency_key LIKE '$prefix-%' GROUP BY 1" | tr '|' ' ' > "$stored"
  awk -v stored="$stored" -v retry="$file.retry" '
    BEGIN { while ((getline l < stored) > 0) { split(l, f, " "); n[f[1]] = f[2] }
            while ((getline l < retry) > 0) { split(l, f, " "); if (f[2] == 202) r[f[1]] = 1; else rbad++ } }
    { sent[$1] = 1; if ($2 == 202) { acked++; if (n[$1] != 1) lost++ } else { unacked++; if (!($1 in r)) unretried++; else if (n[$1] != 1) retrylost++ } }
    END { for (k in n) { if (!(k in sent)) ghost++; if (n[k] > 1) twice++ }
          printf "%d acknowledged, %d stored exactly once of them; %d not acknowledged, all retried: %d answered 202 and stored once",
            acked, acked - lost, unacked, unacked - unretried - retrylost
          if (lost || unretried || retrylost || ghost || twice || rbad)
            printf "; PROBLEMS: %d acknowledged not stored once, %d retries not answered 202, %d retried not stored once, %d stored never sent, %d stored twice", lost, unretried + rbad, retrylost, ghost, twice
          print ""
          exit (lost || unretried || retrylost || ghost || twice || rbad) ? 1 : 0 }' "$file"
}

# --- plan purchases by one reseller -----------------------------------------------------------------
PLAN_BODY='{"product":"residential","bandwidth_gb":1,"end_user_reference":"faults"}'
# plan_send KEY BODY-FILE: one purchase with X-Idempotency-Key KEY, through the API key the key names
# (its worker's share of the reseller's keys); prints "code|retry-after|idempotent-replayed".
plan_send() {
  local idx=${1##*-} w=${1%-*}
  w=${w##*-}
  local api_key=${PLAN_KEYS[$(( (w * 7 + idx) % ${#PLAN_KEYS[@]} ))]}
  curl -s -o "$2" --max-time 10 -w '%{http_code}|%header{retry-after}|%header{idempotent-replayed}' -X POST "$URL/api/v1/plans" \
    -H 'Content-Type: application/json' -H "Authorization: Bearer $api_key" -H "X-Idempotency-Key: $1" \
    -d "$PLAN_BODY" || true
}
# The plan an acknowledged purchase names, kept per worker: KEY BODY-FILE OUT-FILE WORKER.
plan_record_id() {
  local id
  [[ $(<"$2") =~ \"plan_id\":\"([0-9a-f-]+)\" ]] && id=${BASH_REMATCH[1]} || id=-
  printf '%s %s\n' "$1" "$id" >> "${3%.w*}.ids$4"
}

plan_worker() { load_worker plan_send 201 plan_record_id "$@"; }

# Retries the purchases of $2 that were not acknowledged (same key), then checks the flood (reseller $3): every
# acknowledged plan present, the reseller's plans exactly those acknowledged (one plan per idempotency
# key), one purchase ledger entry per plan, balance = sum of the ledger. $1 labels the failures.
# Sets PLANS_ACCOUNT to a one-line account.
plans_check_stored() {
  local label=$1 out=$2 reseller=$3
  cat "$out".ids[0-9]* > "$out.ids" 2>/dev/null || true
  rm -f "$out".ids[0-9]*
  retry_unacknowledged "$out" 201 plan_send
  grep -q ' 500 ' "$out" && fail "$label: a 500 was answered ($(codes "$out"))"
  # Ids of the retries' answers (a replay of a purchase that committed before the kill, or a new one).
  # A replay (Idempotent-Replayed: true) is a purchase that committed before the kill but whose answer was lost.
  local replayed
  replayed=$(awk '$7 == "true"' "$out.retry" | wc -l)
  # The first plan_id of each answer: {"success":true,"data":{"plan_id":"…",…}}.
  awk 'match($0, /"plan_id":"[0-9a-f-]+"/) { print substr($0, RSTART + 11, RLENGTH - 12) }' "$out.retry-bodies" > "$out.retry-ids"
  any '$2 == "-"' "$out.ids" && fail "$label: a 201 answer without a plan_id"
  [ "$(wc -l < "$out.retry-ids")" -eq "$(wc -l < "$out.retry")" ] || fail "$label: a retry's answer without a plan_id"
  any '$2 != 201' "$out.retry" && fail "$label: retries not answered 201: $(awk '$2 != 201 && n++ < 3' "$out.retry" | tr '\n' ';')"
  # Every acknowledged plan present; the reseller's plans are exactly those acknowledged; one purchase
  # ledger entry per plan; balance = sum of the ledger.
  awk '{ print $2 }' "$out.ids" | cat - "$out.retry-ids" | sort -u > "$out.acked-ids"
  sql -c "SELECT id FROM reseller.plans WHERE reseller_id = '$reseller' AND mode = 'live'" | sort > "$out.db-ids"
  local acked db missing extra
  acked=$(wc -l < "$out.acked-ids"); db=$(wc -l < "$out.db-ids")
  missing=$(comm -23 "$out.acked-ids" "$out.db-ids" | wc -l)
  extra=$(comm -13 "$out.acked-ids" "$out.db-ids" | wc -l)
  [ "$missing" -eq 0 ] || fail "$label: $missing acknowledged plans are missing"
  [ "$extra" -eq 0 ] || fail "$label: $extra plans stored that no answer acknowledged"
  [ "$acked" -eq "$(wc -l < "$out")" ] || fail "$label: $acked distinct plans for $(wc -l < "$out") idempotency keys"
  local balance ledger purchases per_plan
  IFS='|' read -r balance ledger purchases per_plan <<< "$(sql -c "
    SELECT b.balance_cents,
           (SELECT sum(amount_cents) FROM reseller.ledger_entries WHERE reseller_id = b.reseller_id AND mode = b.mode),
           (SELECT count(*) FROM reseller.ledger_entries WHERE reseller_id = b.reseller_id AND mode = b.mode AND type = 'purchase'),
           (SELECT count(*) FROM reseller.plans p WHERE p.reseller_id = b.reseller_id AND p.mode = b.mode
              AND (SELECT count(*) FROM reseller.ledger_entries l WHERE l.plan_id = p.id) = 1)
    FROM reseller.balances b WHERE b.reseller_id = '$reseller' AND b.mode = 'live'")"
  [ "$balance" = "$ledger" ] || fail "$label: balance $balance ≠ sum of the ledger $ledger"
  [ "$purchases" -eq "$db" ] && [ "$per_plan" -eq "$db" ] || fail "$label: $db plans but $purchases purchase entries ($per_plan plans with exactly one)"
  PLANS_ACCOUNT="$(awk '$2 == 201' "$out" | wc -l) acknowledged, all present; $(awk '$2 != 201' "$out" | wc -l) not acknowledged, retried with their keys: all 201, $replayed of them replays of a purchase committed before the fault; $db plans = $acked keys, $purchases purchase entries; balance $balance = ledger sum $ledger"
}
