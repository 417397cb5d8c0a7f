-- PATCH /api/providers/{slug} with a valid provider key and a partial body (the reference's
-- "pricing only" update): key lookup by hash, row lock, update, history rows, commit.
-- Values change on every request so each one writes.
local slug = os.getenv("LISTINGS_SLUG")
local key = os.getenv("LISTINGS_KEY")
local counter = 0

wrk.method = "PATCH"
wrk.path = "/api/providers/" .. slug
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. key

request = function()
  counter = counter + 1
  local cents = counter % 100
  local body = string.format(
    '{"tiers":[{"tier":"cumulus","price":7.%02d,"planName":"Cumulus"},{"tier":"nimbus","price":16.%02d,"planName":"Nimbus"},' ..
    '{"tier":"stratus","price":34.%02d,"planName":"Stratus"}],"totalNodes":%d}', cents, cents, cents, counter)
  return wrk.format(nil, nil, nil, body)
end
