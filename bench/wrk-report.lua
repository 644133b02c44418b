-- bench/wrk-report.lua: makes wrk print its result as one JSON line, so
-- bench/run reads numbers instead of scraping wrk's human summary (whose
-- units change between us, ms and s).
--
-- BENCH_WRK_DELAY_MS, when set, makes each connection wait that many
-- milliseconds after every answer. Debian's wrk has no fixed-rate mode (that
-- is wrk2), so a rate is set this way: C connections each waiting D ms give
-- about C * 1000 / (D + latency) requests a second. The rate actually reached
-- is in the output and in BENCHMARKS.md.

local pace = tonumber(os.getenv("BENCH_WRK_DELAY_MS") or "")
if pace then
    -- wrk only uses the paced path when a global `delay` function exists.
    function delay()
        return pace
    end
end

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        'BENCH_JSON {"requests":%d,"duration_us":%d,"non2xx":%d,"connect_errors":%d,' ..
        '"read_errors":%d,"write_errors":%d,"timeouts":%d,' ..
        '"p50_us":%.0f,"p90_us":%.0f,"p99_us":%.0f,"max_us":%.0f,"mean_us":%.1f}\n',
        summary.requests, summary.duration, e.status, e.connect,
        e.read, e.write, e.timeout,
        latency:percentile(50), latency:percentile(90), latency:percentile(99),
        latency.max, latency.mean))
end
