-- wrk: a mixed load of list pages, searches, single records, CSV exports and creates, and a count of
-- every status class, so the soak can say how many answers were errors. Every request carries
-- TOKEN (an editor's write token) from the environment.
local auth = {["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "")}
local json = {["Authorization"] = auth["Authorization"], ["Content-Type"] = "application/json"}
local threads = {}
local next_id = 0
function setup(thread)
  next_id = next_id + 1
  thread:set("tid", next_id)
  table.insert(threads, thread)
end
function init(args)
  serial = 0
  errors = 0
  math.randomseed(os.time() + tid)
end
function request()
  serial = serial + 1
  local r = math.random(100)
  if r <= 45 then
    return wrk.format("GET", "/users?page=" .. math.random(1, 500), auth)
  elseif r <= 65 then
    return wrk.format("GET", "/users?q=user" .. math.random(1, 9999), auth)
  elseif r <= 80 then
    return wrk.format("GET", "/api/users/" .. math.random(1, 10000), auth)
  elseif r <= 82 then
    return wrk.format("GET", "/users.csv?q=user" .. math.random(100, 999), auth)
  else
    local name = string.format("soak%d_%d_%d", tid, os.time() % 100000, serial)
    return wrk.format("POST", "/api/users", json,
      '{"username":"' .. name .. '","email":"' .. name .. '@example.org"}')
  end
end
function response(status, headers, body)
  if status >= 400 then errors = errors + 1 end
end
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("errors") end
  io.write(string.format("error answers %d\n", total))
end
