-- One wrk script for every endpoint. Arguments after "--": mode, API key, tag, targets.
-- targets: lines of "path", or "path<TAB>etag<TAB>cookie" for a revisit; GETs rotate over them
-- (each thread from its own offset) and send If-None-Match (and the Cookie the first visit
-- was given) when a line has an etag. POST descriptions carry the tag, so
-- the bench can count this run's rows in the database afterwards.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  mode = args[1]
  key = args[2] or ""
  tag = args[3] or "x"
  targets = {}
  for line in string.gmatch(args[4] or "/healthz", "[^\n]+") do
    local path, etag, cookie = string.match(line, "^([^\t]+)\t?([^\t]*)\t?(.*)$")
    table.insert(targets, {path = path, etag = etag, cookie = cookie})
  end
  position = tid % #targets
  counter = 0
  ok = 0
  not_modified = 0
  bad = 0
  last_bad = 0
  math.randomseed(os.time() + tid * 7919)
end

local function point()
  local lat = 16.4637 + (math.random() - 0.5) * 0.02
  local lon = 107.5909 + (math.random() - 0.5) * 0.02
  return string.format("%.6f", lat), string.format("%.6f", lon)
end

request = function()
  counter = counter + 1
  local n = string.format("%s-%d-%d", tag, tid, counter)
  if mode == "open311" then
    local lat, lon = point()
    local body = "api_key=" .. key .. "&service_code=sanitation"
      .. "&attribute%5Bwaste_type%5D=household&lat=" .. lat .. "&long=" .. lon
      .. "&description=Bench+report+" .. n .. "+r%C3%A1c+th%E1%BA%A3i+%C4%91%E1%BB%95+tr%E1%BB%99m"
    return wrk.format("POST", "/open311/v2/requests.json",
      {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
  elseif mode == "api" then
    local lat, lon = point()
    local body = '{"category": "sanitation", "description": "Bench report ' .. n
      .. ' rác thải đổ trộm", "lat": ' .. lat .. ', "lon": ' .. lon .. '}'
    return wrk.format("POST", "/api/v1/reports", {
      ["Content-Type"] = "application/json",
      ["X-API-Key"] = key,
      ["Idempotency-Key"] = "bench-" .. n,
    }, body)
  else
    position = position % #targets + 1
    local target = targets[position]
    local headers = {}
    if target.etag ~= "" then headers["If-None-Match"] = target.etag end
    if target.cookie ~= "" then headers["Cookie"] = target.cookie end
    return wrk.format("GET", target.path, headers)
  end
end

response = function(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  elseif status == 304 then
    not_modified = not_modified + 1
  else
    bad = bad + 1
    last_bad = status
  end
end

done = function(summary, latency, requests)
  local good, same, wrong, status = 0, 0, 0, 0
  for _, t in ipairs(threads) do
    good = good + t:get("ok")
    same = same + t:get("not_modified")
    wrong = wrong + t:get("bad")
    if t:get("last_bad") ~= 0 then status = t:get("last_bad") end
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "ok": %d, "not_modified": %d, "bad": %d, '
    .. '"last_bad_status": %d, "socket_errors": %d, "timeouts": %d, "p50_us": %d, "p90_us": %d, '
    .. '"p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, good, same, wrong, status,
    e.connect + e.read + e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
