# shellcheck shell=bash
# Helpers sourced by the reseller-*.setup.sh scripts (not a scenario: it has no .lua of its own).
# Drives the system through the operator API only, as an operator would.

# admin METHOD PATH [JSON]: an operator request; prints the response body, fails on a non-2xx status.
reseller_admin() {
  curl -fsS -X "$1" "$BENCH_URL$2" -H "X-Admin-Key: $BENCH_ADMIN_KEY" -H 'Content-Type: application/json' ${3:+-d "$3"}
}

# field NAME JSON: the string value of "NAME" in a one-line JSON body.
reseller_field() {
  printf '%s' "$2" | sed -n "s/.*\"$1\":\"\([^\"]*\)\".*/\1/p"
}

# reseller_with_keys NAME KEYS: creates a reseller with KEYS live keys and a large live balance; prints
# "ID KEY1,KEY2,…". Many keys, because each key may make 100 requests a minute (the reference's limit).
reseller_with_keys() {
  local created id keys k
  created=$(reseller_admin POST /admin/resellers "{\"name\":\"$1\",\"email\":\"bench@example.com\"}")
  id=$(reseller_field id "$created")
  keys=$(reseller_field live_key "$created")
  reseller_admin POST "/admin/resellers/$id/topups" '{"amount_cents":100000000000,"mode":"live","note":"bench"}' > /dev/null
  for _ in $(seq 2 "$2"); do
    k=$(reseller_field key "$(reseller_admin POST "/admin/resellers/$id/keys" '{"mode":"live"}')")
    keys="$keys,$k"
  done
  printf '%s %s\n' "$id" "$keys"
}
