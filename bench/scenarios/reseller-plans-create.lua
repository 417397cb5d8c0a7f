-- POST /api/v1/plans for a bandwidth product (residential, 1 GB): key lookup, rate limit, validation,
-- price list, and one transaction that charges the balance, writes the ledger entry and stores the plan.
-- Keys rotate so that no key reaches its limit of 100 requests a minute (see the setup script).
local keys = dofile("bench/scenarios/lib/reseller-keys.lua")

local threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

local counter = 0
local body = '{"product":"residential","bandwidth_gb":1,"end_user_reference":"bench"}'

function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  local key = keys[(counter % #keys) + 1]
  return wrk.format("POST", "/api/v1/plans", { ["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json" }, body)
end
