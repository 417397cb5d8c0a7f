-- PATCH /api/providers/{slug} with a valid provider key and a partial body (the reference's
-- "pricing only" update), spread over 32 providers as many providers pushing at once would be:
-- key lookup by hash, row lock, update, history rows, commit. Values change on every request so
-- each one writes.
local providers = {}
for pair in string.gmatch(os.getenv("LISTINGS_PROVIDERS"), "[^,]+") do
  local slug, key = string.match(pair, "([^:]+):(.+)")
  table.insert(providers, { path = "/api/providers/" .. slug, auth = "Bearer " .. key })
end
local counter = 0

request = function()
  counter = counter + 1
  local provider = providers[(counter % #providers) + 1]
  local cents = counter % 100
  local body = string.format(
    '{"tiers":[{"tier":"cumulus","price":7.%02d,"planName":"Cumulus"},{"tier":"nimbus","price":16.%02d,"planName":"Nimbus"},' ..
    '{"tier":"stratus","price":34.%02d,"planName":"Stratus"}],"totalNodes":%d}', cents, cents, cents, counter)
  return wrk.format("PATCH", provider.path,
    { ["Content-Type"] = "application/json", ["Authorization"] = provider.auth }, body)
end
