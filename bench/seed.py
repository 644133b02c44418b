#!/usr/bin/env python3
"""Create API keys on a local scripto-server, fast: one keep-alive connection.

    bench/seed.py URL KEY COUNT

A curl process per key would spend most of the seeding time starting curl;
one HTTP/1.1 connection reused for every POST /v1/keys makes 10,000 keys a
matter of seconds. Prints nothing on success; any non-201 answer stops it.
"""
import http.client
import json
import sys
import urllib.parse


def main() -> int:
    url, key, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    for i in range(count):
        body = json.dumps({"name": f"bench-{i}", "expires_in_days": 365})
        conn.request("POST", "/v1/keys", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 201:
            print(f"seed.py: key {i}: HTTP {resp.status}: {data[:300]!r}", file=sys.stderr)
            return 1
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
