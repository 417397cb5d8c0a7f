-- A plan's usage series with 10 million usage records loaded (reseller-usage-series.setup.sh), in turn:
-- GET /api/v1/usage/plans/{id}?granularity=hourly (24 buckets), daily (30), weekly (12 weeks) and
-- GET /api/v1/plans/{id}/usage (limits, periods and 30 days), read from the hourly rollups.
-- reseller-usage-summary.lua runs this script with its own reads (a global set before it loads this file).
-- Keys rotate so that no key reaches its limit of 100 requests a minute.
local keys = dofile("bench/scenarios/lib/reseller-keys.lua")
local plans = {}
for id in string.gmatch(os.getenv("RESELLER_PLAN_IDS") or "", "[^,]+") do
  plans[#plans + 1] = id
end
if #plans == 0 then plans[1] = "" end

local reads = usage_reads or { "/usage/plans/%s?granularity=hourly", "/usage/plans/%s?granularity=daily",
  "/usage/plans/%s?granularity=weekly", "/plans/%s/usage" }
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
  local plan = plans[(counter % #plans) + 1]
  local path = "/api/v1" .. string.format(reads[(math.floor(counter / #plans) % #reads) + 1], plan)
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. keys[(counter % #keys) + 1] })
end
