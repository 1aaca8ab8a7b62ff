-- wrk: create records with unique values and count the acknowledged ones (201 or 303), so the
-- script that runs this can compare them with the rows in the database afterwards.
-- KIND=registry posts JSON to /api/users with TOKEN (a write token); KIND=ceiling posts a form to /items.
local kind = os.getenv("KIND") or "registry"
local token = os.getenv("TOKEN") or ""
local threads = {}
local next_id = 0

function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end

function init(args)
  acked = 0
  serial = 0
  prefix = string.format("w%d_%d_", tid, os.time() % 100000)
end

function request()
  serial = serial + 1
  local name = prefix .. serial
  if kind == "ceiling" then
    return wrk.format("POST", "/items", {["Content-Type"] = "application/x-www-form-urlencoded"}, "name=" .. name)
  end
  return wrk.format("POST", "/api/users", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
    '{"username":"' .. name .. '","email":"' .. name .. '@example.org"}')
end

function response(status, headers, body)
  if status == 201 or status == 303 then
    acked = acked + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("acked")
  end
  io.write(string.format("acknowledged %d\n", total))
end
