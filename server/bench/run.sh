#!/usr/bin/env bash
# Measures scripto-server with wrk on loopback: GET /v1/health against an
# authenticated GET /v1/me at full throughput, then /v1/me paced at about
# 2,000 requests a second for its latency percentiles.
# Usage: server/bench/run.sh [path/to/release/scripto-server]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../target/release/scripto-server}
dir=$(mktemp -d)
port=${PORT:-18788}
url=http://127.0.0.1:$port
"$bin" serve --addr 127.0.0.1:$port --db "$dir/scripto.db" \
  --credential-limit 100000000 --anonymous-limit 100000000 --log warn &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -sf "$url/v1/health" >/dev/null && break; sleep 0.1; done
curl -sf -XPOST "$url/v1/auth/login-request" -d '{"email":"bench@example.com"}' >/dev/null
code=$(tail -1 "$dir/outbox.jsonl" | sed 's/.*"code":"\([0-9]*\)".*/\1/')
key=$(curl -sf -XPOST "$url/v1/auth/login-complete" \
  -d "{\"email\":\"bench@example.com\",\"code\":\"$code\"}" |
  sed 's/.*"api_key":"\(scripto_[A-Za-z0-9]*\)".*/\1/')
echo "== GET /v1/health, full throughput"
wrk -t2 -c32 -d10s --latency "$url/v1/health"
echo "== GET /v1/me (API key), full throughput"
wrk -t2 -c32 -d10s --latency -H "Authorization: Bearer $key" "$url/v1/me"
echo "== GET /v1/me (API key), paced at ~2,000 req/s"
wrk -t1 -c40 -d20s --latency -s "$here/paced.lua" -H "Authorization: Bearer $key" "$url/v1/me" -- 2100 40
echo "== GET /v1/health, paced at ~2,000 req/s (the machine's own tail, for comparison)"
wrk -t1 -c40 -d20s --latency -s "$here/paced.lua" "$url/v1/health" -- 2100 40
