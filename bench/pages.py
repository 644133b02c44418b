#!/usr/bin/env python3
"""Server time per page of GET /v1/keys, at the top and at the bottom.

    bench/pages.py URL KEY PASSES

Reads every page (20 keys, as `scripto keys list --all` does) over one
keep-alive connection, PASSES times, timing each request. Prints one JSON
line: the pages per pass, and the median latency of the first and of the
last tenth of the pages over all passes. With a cursor the server can seek
to, a deep page costs what the first one does; a query that walks every
newer row makes the last pages cost more, and reading them all quadratic.
Wall-clock times of the whole command cannot show that on a busy machine;
this ratio can, since top and bottom pages are timed in the same passes.
"""
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def main() -> int:
    url, key, passes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    headers = {"Authorization": f"Bearer {key}"}
    first, last, pages = [], [], 0
    for _ in range(passes):
        times, cursor = [], None
        while True:
            path = "/v1/keys?status=active&limit=20"
            if cursor:
                path += "&cursor=" + urllib.parse.quote(cursor)
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            body = json.loads(resp.read())
            times.append(time.perf_counter() - started)
            if resp.status != 200:
                print(f"pages.py: HTTP {resp.status}: {body}", file=sys.stderr)
                return 1
            pagination = body.get("pagination") or {}
            if not pagination.get("has_more"):
                break
            cursor = pagination["next_cursor"]
        pages = len(times)
        tenth = max(1, pages // 10)
        first += times[:tenth]
        last += times[-tenth:]
    print(json.dumps({
        "pages": pages,
        "first_ms": statistics.median(first) * 1000,
        "last_ms": statistics.median(last) * 1000,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
