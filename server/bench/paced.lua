-- Paces each connection so that all of them together send about RATE
-- requests a second (wrk has no rate option; wrk2 is not in Debian).
-- Usage: wrk -c CONNS -s paced.lua URL -- RATE CONNS
local pause = 10
function init(args)
  local rate = tonumber(args[1] or "2000")
  local conns = tonumber(args[2] or "20")
  pause = math.floor(conns * 1000 / rate)
end
function delay()
  return pause
end
