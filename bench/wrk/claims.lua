-- POST claims from a file of "cookie task_id" lines (env CLAIMS): several volunteers race for
-- each task; thread k of n takes lines k, k+n, k+2n, ... (wrapping round: a repeat is a 409).
dofile(os.getenv("WRK_DIR") .. "/common.lua")
local lines = {}
for line in io.lines(os.getenv("CLAIMS")) do
  local cookie, task = line:match("^(%S+) (%d+)$")
  table.insert(lines, { cookie, task })
end
local step = tonumber(os.getenv("THREADS") or "2")
local next_line = 1

function init(args)
  next_line = (id or 0) + 1
end

function request()
  local item = lines[next_line]
  next_line = next_line + step
  if next_line > #lines then
    next_line = next_line - #lines
  end
  return wrk.format("POST", "/api/v1/tasks/" .. item[2] .. "/claim",
    { ["Cookie"] = item[1], ["Content-Type"] = "application/json" }, "{}")
end
