-- POST /metering/api/v1/sdk/track/batch: 100 events per request, each with its own idempotency key.
-- Events per second = requests per second x 100.
-- Setup (metering-track-batch.setup.sh) signs up and creates the meter, customer and API key.
local token = os.getenv("METER_TOKEN")
local customer = os.getenv("CUSTOMER")
local headers = { ["Content-Type"] = "application/json", ["X-API-Key"] = os.getenv("API_KEY") }
local batch_size = 100
local threads = {}
local counter = 0
local prefix

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() + tid)
  prefix = string.format("t%d-%d-%d", tid, os.time(), math.random(1, 1000000000))
end

function request()
  local events = {}
  for i = 1, batch_size do
    counter = counter + 1
    events[i] = string.format(
      '{"meter_token":"%s","customer_external_id":"%s","quantity":%d,"idempotency_key":"%s-%d"}',
      token, customer, i, prefix, counter)
  end
  return wrk.format("POST", "/metering/api/v1/sdk/track/batch", headers, '{"events":[' .. table.concat(events, ",") .. ']}')
end
