-- GET the feed with the session cookie (env COOKIE) around points near the district's centre.
dofile(os.getenv("WRK_DIR") .. "/common.lua")
local cookie = os.getenv("COOKIE")
local radius = os.getenv("RADIUS_M") or "20000"
math.randomseed(os.time())

function request()
  local lat = 36.062 + (math.random() - 0.5) * 0.1
  local lng = 120.379 + (math.random() - 0.5) * 0.1
  local path = string.format("/api/v1/tasks?lat=%.5f&lng=%.5f&radius_m=%s", lat, lng, radius)
  return wrk.format("GET", path, { ["Cookie"] = cookie })
end
