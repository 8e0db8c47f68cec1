-- wrk script for the Hromada bench: every request is logged with its outcome.
--
-- Run with as many threads as connections (wrk -tN -cN), so each thread owns one
-- connection and its request() and response() calls strictly alternate; that is what
-- lets a response be matched to the request (and the resident token) that caused it.
--
-- Arguments (after `--`):  <mode> <outdir> <input-prefix> <host> <deadline>
--   mode "sign": input file <input-prefix>.<thread>  has lines "<token index> <token>";
--                every request is POST <path from the file header> with that token as a
--                Bearer credential. Tokens are used once each; when a thread runs out it
--                stops sending (its connection idles) and logs "exhausted".
--   mode "read": input file <input-prefix> has one path per line; requests cycle
--                through them (thread t starts at path t).
--   deadline: unix time in µs after which a thread sends nothing more and stops;
--             answers to requests sent before it are still awaited and logged (run
--             wrk with -d a few seconds longer than the deadline).
-- Output: <outdir>/t<thread>.log, one line per finished request:
--   <key> <status> <start unix µs> <latency µs>
-- key is the token index (sign) or the path index (read). Status 0 means the
-- connection failed before an answer came (reset, refused, closed): wrk then
-- reconnects and asks request() for the next request.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(0, ts) -- CLOCK_REALTIME: comparable with the fault times run.py logs
  return tonumber(ts.tv_sec) * 1000000 + math.floor(tonumber(ts.tv_nsec) / 1000)
end

local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
end

local mode, outdir, prefix, host, deadline
local out
local keys, reqs = {}, {}
local pos, n = 0, 0
local pending_key, pending_start = nil, nil

function init(args)
  mode, outdir, prefix, host, deadline = args[1], args[2], args[3], args[4], tonumber(args[5])
  out = assert(io.open(outdir .. "/t" .. tid .. ".log", "w"))
  -- One write() per line: wrk does not flush Lua's buffers when it exits.
  out:setvbuf("line")
  if mode == "sign" then
    local f = assert(io.open(prefix .. "." .. tid, "r"))
    local path = f:read("*l")
    for line in f:lines() do
      local idx, token = line:match("^(%d+) (%S+)$")
      if idx then
        n = n + 1
        keys[n] = idx
        reqs[n] = "POST " .. path .. " HTTP/1.1\r\nHost: " .. host ..
          "\r\nAuthorization: Bearer " .. token ..
          "\r\nAccept: application/json\r\nContent-Length: 0\r\n\r\n"
      end
    end
    f:close()
  else
    local f = assert(io.open(prefix, "r"))
    for line in f:lines() do
      if #line > 0 then
        n = n + 1
        keys[n] = tostring(n - 1)
        reqs[n] = "GET " .. line .. " HTTP/1.1\r\nHost: " .. host ..
          "\r\nAccept: text/html,application/json\r\nAccept-Encoding: gzip\r\n\r\n"
      end
    end
    f:close()
    pos = tid % n
  end
end

local function log(key, status, start, finish)
  out:write(string.format("%s %d %.0f %.0f\n", key, status, start, finish - start))
end

local verified = false

function request()
  if not verified then
    verified = true
    if tid == 0 then
      -- wrk calls request() once on thread 0 to check the script before any
      -- connection exists; answer with the first request and change nothing.
      return reqs[1]
    end
  end
  local t = now_us()
  if pending_key ~= nil then
    -- The previous request got no answer: its connection failed.
    log(pending_key, 0, pending_start, t)
    pending_key = nil
  end
  if t >= deadline then
    -- Time is up: send nothing (an empty write) and stop this thread's event loop.
    out:write("stopped\n")
    wrk.thread:stop()
    return ""
  end
  if mode == "sign" then
    pos = pos + 1
    if pos > n then
      -- Every token of this thread is used: stop it like at the deadline.
      out:write("exhausted\n")
      wrk.thread:stop()
      return ""
    end
    pending_key, pending_start = keys[pos], now_us()
    return reqs[pos]
  else
    pos = pos % n + 1
    pending_key, pending_start = keys[pos], now_us()
    return reqs[pos]
  end
end

-- Paced reading: with WRK_PACE_PER_THREAD=<requests/s> in the environment, each thread
-- sends at that fixed rate (wrk asks delay() before every request but the first), so a
-- read load is a steady audience rather than as many requests as the server can take.
-- It must be defined when the file loads: wrk checks for delay() before init() runs.
local pace = tonumber(os.getenv("WRK_PACE_PER_THREAD") or "")
if pace and pace > 0 then
  local interval_us = 1000000 / pace
  local next_due = nil
  function delay()
    local t = now_us()
    next_due = (next_due or t) + interval_us
    if next_due < t then
      next_due = t -- running late: do not burst to catch up
    end
    return math.floor((next_due - t) / 1000)
  end
end

function response(status, headers, body)
  if pending_key ~= nil then
    log(pending_key, status, pending_start, now_us())
    pending_key = nil
  end
end
