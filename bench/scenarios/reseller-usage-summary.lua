-- GET /api/v1/usage/summary?period=today|week|month|all for a reseller with 10 million usage records
-- (reseller-usage-summary.setup.sh): read from the daily rollups, the plans and the ledger.
-- The request loop is reseller-usage-series.lua's, with these reads.
usage_reads = { "/usage/summary?period=today", "/usage/summary?period=week", "/usage/summary?period=month", "/usage/summary?period=all" }
dofile("bench/scenarios/reseller-usage-series.lua")
