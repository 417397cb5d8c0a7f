-- PATCH /api/providers/{slug} with a valid provider key and a partial body (the reference's
-- "pricing only" update), spread over 32 providers as many providers pushing at once would be:
-- key lookup by hash, row lock, update, history rows, commit. Values change on every request so
-- each one writes. Each wrk thread pushes for its own share of the providers, in turn, so that as with
-- real providers a listing's pushes come one after another (two threads in step would otherwise send
-- the same provider's PATCH at the same moment, and the figure would be of waits on its row lock).
local providers = {}
for pair in string.gmatch(os.getenv("LISTINGS_PROVIDERS"), "[^,]+") do
  local slug, key = string.match(pair, "([^:]+):(.+)")
  table.insert(providers, { path = "/api/providers/" .. slug, auth = "Bearer " .. key })
end
-- wrk's thread count comes from bench/run.sh (BENCH_THREADS, as it runs wrk -t).
local share = math.max(1, math.floor(#providers / math.max(1, tonumber(os.getenv("BENCH_THREADS") or "2"))))
local threads = 0
function setup(thread)
  thread:set("first", (threads * share) % #providers)
  threads = threads + 1
end

local counter = 0
request = function()
  counter = counter + 1
  local provider = providers[(first or 0) + (counter % share) + 1]
  local cents = counter % 100
  local body = string.format(
    '{"tiers":[{"tier":"cumulus","price":7.%02d,"planName":"Cumulus"},{"tier":"nimbus","price":16.%02d,"planName":"Nimbus"},' ..
    '{"tier":"stratus","price":34.%02d,"planName":"Stratus"}],"totalNodes":%d}', cents, cents, cents, counter)
  return wrk.format("PATCH", provider.path,
    { ["Content-Type"] = "application/json", ["Authorization"] = provider.auth }, body)
end
