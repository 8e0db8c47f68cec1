-- wrk script for the appeals scenario's storm (bench/scenarios/appeals.py): problem
-- reports with a photo, multipart/form-data, each with another resident's bearer token,
-- sent OPEN LOOP on a fixed schedule.
--
-- Run with as many threads as connections (wrk -tN -cN): each thread owns one connection,
-- so its request() and response() calls alternate and an answer is matched to its request.
--
-- Arguments (after `--`):
--   <outdir> <input-prefix> <host> <path> <start µs> <end µs> <rate per thread> <photo-prefix>
--   <photos> <threads>
-- Input <input-prefix>.<thread>: one request a line, tab-separated:
--   <key> <token> <photo index> <field name> <value> <field name> <value> …
-- Photos: <photo-prefix><i>.jpg, read once per thread.
--
-- The schedule: thread t of T sends its k-th report at start + (t / T + k) / rate, for
-- every such moment before <end>. wrk's delay() holds each request until its moment; a
-- connection still waiting for an earlier answer sends as soon as it can (no moment is
-- skipped), and the latency counts from the moment, so a slow answer is charged to every
-- report it delayed (no coordinated omission). The first request of each connection is a
-- GET /healthz that opens it before the schedule starts (not logged).
--
-- Output <outdir>/t<thread>.log:
--   S <key> <due µs> <sent µs>                       when a report is written
--   R <key> <status> <done µs> <case id|-> <number|->   when its answer came (status 0:
--                                                    the connection failed first)
-- A report with an S line and no R line got no answer before wrk stopped.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME: comparable with the bench's own clock
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local BOUNDARY = "----hromada-bench-7d3f9a"
local out, host, path
local start_us, end_us, interval_us, offset_us
local heads, photo_of, keys = {}, {}, {}
local photos = {}
local n, pos = 0, 0
local pending_key = nil
local warmed = false
local warm_req

local function split_tabs(line)
  local parts = {}
  for part in (line .. "\t"):gmatch("([^\t]*)\t") do
    parts[#parts + 1] = part
  end
  return parts
end

function init(args)
  local outdir, prefix = args[1], args[2]
  host, path = args[3], args[4]
  start_us, end_us = tonumber(args[5]), tonumber(args[6])
  interval_us = 1000000 / tonumber(args[7])
  local threads = tonumber(args[10])
  offset_us = interval_us * tid / threads
  local photo_prefix, nphotos = args[8], tonumber(args[9])
  for i = 0, nphotos - 1 do
    local f = assert(io.open(photo_prefix .. i .. ".jpg", "rb"))
    photos[i] = f:read("*a")
    f:close()
  end
  out = assert(io.open(outdir .. "/t" .. tid .. ".log", "w"))
  out:setvbuf("line") -- one write() per line: wrk does not flush Lua's buffers at exit
  warm_req = "GET /healthz HTTP/1.1\r\nHost: " .. host .. "\r\n\r\n"
  local f = assert(io.open(prefix .. "." .. tid, "r"))
  for line in f:lines() do
    local p = split_tabs(line)
    if #p >= 3 then
      n = n + 1
      keys[n] = p[1]
      photo_of[n] = tonumber(p[3]) % nphotos
      local parts = {}
      for i = 4, #p - 1, 2 do
        parts[#parts + 1] = "--" .. BOUNDARY .. "\r\nContent-Disposition: form-data; name=\"" .. p[i] ..
          "\"\r\n\r\n" .. p[i + 1] .. "\r\n"
      end
      parts[#parts + 1] = "--" .. BOUNDARY .. "\r\nContent-Disposition: form-data; name=\"photo\"; " ..
        "filename=\"photo-" .. photo_of[n] .. ".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
      local fields = table.concat(parts)
      local length = #fields + #photos[photo_of[n]] + #("\r\n--" .. BOUNDARY .. "--\r\n")
      heads[n] = "POST " .. path .. " HTTP/1.1\r\nHost: " .. host ..
        "\r\nAuthorization: Bearer " .. p[2] ..
        "\r\nAccept: application/json\r\nContent-Type: multipart/form-data; boundary=" .. BOUNDARY ..
        "\r\nContent-Length: " .. length .. "\r\n\r\n" .. fields
    end
  end
  f:close()
end

local function due_of(k)
  return start_us + offset_us + k * interval_us
end

-- Defined when the file loads: wrk checks for delay() on thread 0's state.
function delay()
  if not warmed then
    return 0
  end
  local wait = due_of(pos) - now_us()
  if wait <= 0 then
    return 0
  end
  return math.ceil(wait / 1000)
end

local verified = false

function request()
  if not verified then
    verified = true
    if tid == 0 then
      -- wrk calls request() once on thread 0 to check the script before any connection
      -- exists: answer with the warm-up request and change nothing.
      return warm_req
    end
  end
  local t = now_us()
  if pending_key ~= nil then
    -- The previous request got no answer: its connection failed.
    if pending_key ~= "warm" then
      out:write(string.format("R %s 0 %.0f - -\n", pending_key, t))
    end
    pending_key = nil
  end
  if not warmed then
    pending_key = "warm"
    return warm_req
  end
  local due = due_of(pos)
  if pos >= n or due >= end_us then
    -- The schedule is over (or this thread's reports are): send nothing more.
    out:write("stopped\n")
    wrk.thread:stop()
    return ""
  end
  pos = pos + 1
  pending_key = keys[pos]
  out:write(string.format("S %s %.0f %.0f\n", pending_key, due, t))
  return heads[pos] .. photos[photo_of[pos]] .. "\r\n--" .. BOUNDARY .. "--\r\n"
end

function response(status, headers, body)
  if pending_key == nil then
    return
  end
  if pending_key == "warm" then
    warmed = true
  else
    local id = body and body:match('"id"%s*:%s*"([^"]+)"') or "-"
    local number = body and body:match('"number"%s*:%s*(%d+)') or "-"
    out:write(string.format("R %s %d %.0f %s %s\n", pending_key, status, now_us(), id, number))
  end
  pending_key = nil
end
