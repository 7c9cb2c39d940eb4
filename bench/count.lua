-- wrk script: count responses that reached the database (X-DB-Queries > 0) and print percentiles.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  hits = 0
  answered = 0
  statuses = {}
end

function response(status, headers, body)
  answered = answered + 1
  local queries = tonumber(headers["X-DB-Queries"] or "0") or 0
  if queries > 0 then
    hits = hits + 1
  end
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local reached, total = 0, 0
  local by_status = {}
  for _, thread in ipairs(threads) do
    reached = reached + thread:get("hits")
    total = total + thread:get("answered")
    for status, count in pairs(thread:get("statuses")) do
      by_status[status] = (by_status[status] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do
    table.insert(parts, status .. ":" .. count)
  end
  io.write(string.format(
    "RESULT %d %.2f %.2f %.2f %d %d %d %s\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    reached, total, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    table.concat(parts, ",")
  ))
end
