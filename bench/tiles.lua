-- wrk script: cycles through a tile list and prints one machine-readable RESULT line.
-- usage: wrk -t2 -c8 -d10s --timeout 60s -s tiles.lua URL -- LIST TEMPLATE [ENCODING]
--   LIST      file of "z/x/y" lines
--   TEMPLATE  path with {z} {x} {y}, e.g. /tiles/buildings/{z}/{x}/{y}.mvt or /pand_wm/{z}/{x}/{y}
--   ENCODING  sent as Accept-Encoding when given (e.g. gzip); omitted: identity
-- No response() callback, so wrk does not hand bodies to Lua and stays cheap at high rates.
-- Non-2xx/3xx answers and socket errors are printed; the runner rejects a run that has any.
local next_id = 1

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
end

function init(args)
  local list, template, enc = args[1], args[2], args[3]
  paths = {}
  for line in io.lines(list) do
    local z, x, y = line:match("^(%d+)/(%d+)/(%d+)$")
    if z then
      local p = template:gsub("{z}", z):gsub("{x}", x):gsub("{y}", y)
      paths[#paths + 1] = p
    end
  end
  -- Threads start at different places in the list.
  pos = ((tid - 1) * math.floor(#paths / 2)) % #paths
  headers = {}
  if enc and #enc > 0 then headers["Accept-Encoding"] = enc end
end

function request()
  pos = pos % #paths + 1
  return wrk.format("GET", paths[pos], headers)
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_s=%.2f rps=%.1f lat_p50_ms=%.2f lat_p99_ms=%.2f lat_max_ms=%.2f non2xx=%d sock_errors=%d bytes_per_req=%.0f\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout,
    summary.requests > 0 and summary.bytes / summary.requests or 0))
end
