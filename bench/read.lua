-- wrk: GET a random page of a list. PAGES, LIST_PATH and COOKIE (a signed-in session, for
-- Registry) come from the environment.
local pages = tonumber(os.getenv("PAGES") or "500")
local path = os.getenv("LIST_PATH") or "/users"
local cookie = os.getenv("COOKIE") or ""
local headers = {}
if cookie ~= "" then headers["Cookie"] = cookie end
function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end
function request()
  return wrk.format("GET", path .. "?page=" .. math.random(1, pages), headers)
end
