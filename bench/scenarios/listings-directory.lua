-- GET /api/providers: the public directory over 300 listings, one page of 20 with a total, cycling
-- through the common queries (default sort, a filter, price of a tier, text search).
local queries = {
  "/api/providers",
  "/api/providers?type=managed&sort=totalNodes",
  "/api/providers?tier=nimbus&sort=price",
  "/api/providers?country=poland&verified=true",
  "/api/providers?q=provider%201&page=2",
  "/api/providers?acceptsFlux=true&sort=uptimePercentage&pageSize=50",
}
local n = 0

request = function()
  n = n + 1
  return wrk.format("GET", queries[(n % #queries) + 1])
end
