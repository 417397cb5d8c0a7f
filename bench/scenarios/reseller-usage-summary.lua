-- GET /api/v1/usage/summary?period=today|week|month|all for a reseller with 10 million usage records
-- (reseller-usage-summary.setup.sh): read from the daily rollups, the plans and the ledger.
-- Keys rotate so that no key reaches its limit of 100 requests a minute.
local keys = {}
for key in string.gmatch(os.getenv("RESELLER_KEYS") or "", "[^,]+") do
  keys[#keys + 1] = key
end

local periods = { "today", "week", "month", "all" }
local threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

local counter = 0
function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", "/api/v1/usage/summary?period=" .. periods[(counter % #periods) + 1],
    { ["Authorization"] = "Bearer " .. keys[(counter % #keys) + 1] })
end
