-- wrk script: POST pre-generated bodies in turn. The file holds length-prefixed bodies
-- (10 ASCII digits, then the body); thread i of n sends bodies i, i+n, i+2n... so that two
-- threads never send the same machine.
local counter = 0
local bodies = {}
local index = 0

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  local data = file:read("*a")
  file:close()
  local threads = tonumber(args[2])
  local position, k = 1, 0
  while position <= #data do
    local size = tonumber(data:sub(position, position + 9))
    if k % threads == tid then
      table.insert(bodies, data:sub(position + 10, position + 9 + size))
    end
    position = position + 10 + size
    k = k + 1
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-compress-zlib"
end

function request()
  index = (index % #bodies) + 1
  return wrk.format(nil, nil, nil, bodies[index])
end
