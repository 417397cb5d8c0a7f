-- GET /api/v1/plans/{id}: key lookup, rate limit and one no-tracking, compiled query for the plan.
-- Keys rotate so that no key reaches its limit of 100 requests a minute (see the setup script).
local keys = dofile("bench/scenarios/lib/reseller-keys.lua")

local path = "/api/v1/plans/" .. (os.getenv("RESELLER_PLAN_ID") or "missing")

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
  local key = keys[(counter % #keys) + 1]
  return wrk.format("GET", path, { ["Authorization"] = "Bearer " .. key })
end
