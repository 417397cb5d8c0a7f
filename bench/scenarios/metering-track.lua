-- POST /metering/api/v1/sdk/track: one event per request, each with its own idempotency key.
-- Setup (metering-track.setup.sh) signs up and creates the meter, customer and API key.
local token = os.getenv("METER_TOKEN")
local customer = os.getenv("CUSTOMER")
local headers = { ["Content-Type"] = "application/json", ["X-API-Key"] = os.getenv("API_KEY") }
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
  counter = counter + 1
  local body = string.format(
    '{"meter_token":"%s","customer_external_id":"%s","quantity":1,"idempotency_key":"%s-%d"}',
    token, customer, prefix, counter)
  return wrk.format("POST", "/metering/api/v1/sdk/track", headers, body)
end
