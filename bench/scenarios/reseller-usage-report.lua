-- POST /admin/usage: each request a batch of USAGE_BATCH records (default 1,000), each with its own id, as a
-- gateway reports them: USAGE_PLANS_PER_BATCH (default 20) plans of the usage data set (a gateway's share,
-- chosen at random per request, so concurrent batches sometimes share plans), traffic of the last minute.
-- Records per second = requests per second x USAGE_BATCH.
local plans = {}
for id in string.gmatch(os.getenv("RESELLER_PLAN_IDS") or "", "[^,]+") do
  plans[#plans + 1] = id
end
local batch = tonumber(os.getenv("USAGE_BATCH") or "1000")
local per_batch = tonumber(os.getenv("USAGE_PLANS_PER_BATCH") or "20")
local headers = { ["Content-Type"] = "application/json", ["X-Admin-Key"] = os.getenv("BENCH_ADMIN_KEY") }

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter = 0
local prefix
function init(args)
  math.randomseed(os.time() + tid * 7919)
  prefix = string.format("w%d-%d-%d", tid, os.time(), math.random(1, 1000000000))
end

function request()
  local first = math.random(0, #plans - per_batch)
  local at = os.date("!%Y-%m-%dT%H:%M:%SZ", os.time() - 30)
  local records = {}
  for i = 1, batch do
    counter = counter + 1
    records[i] = string.format('{"plan_id":"%s","bytes":%d,"at":"%s","id":"%s-%d"}',
      plans[first + (i % per_batch) + 1], 1000 + (counter * 7919) % 5000000, at, prefix, counter)
  end
  return wrk.format("POST", "/admin/usage", headers, '{"records":[' .. table.concat(records, ",") .. ']}')
end
