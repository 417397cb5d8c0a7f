-- The reseller scenarios' API keys (not a scenario: bench/run.sh runs only bench/scenarios/*.lua): one per line in
-- RESELLER_KEYS_FILE, which the setup scripts write when they run under bench/run.sh (thousands of keys are more than
-- one environment variable may hold), else comma-separated in RESELLER_KEYS.
local keys = {}
local file = os.getenv("RESELLER_KEYS_FILE")
if file and file ~= "" then
  for line in io.lines(file) do
    if line ~= "" then keys[#keys + 1] = line end
  end
else
  for key in string.gmatch(os.getenv("RESELLER_KEYS") or "", "[^,]+") do
    keys[#keys + 1] = key
  end
end
return keys
