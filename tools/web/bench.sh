#!/bin/sh
# Benchmark of `casus serve`: POST /api/obligations (RUS -> EST, 2025-06-01) at 1, 8 and 64
# concurrent connections on loopback with wrk (Debian: apt-get install -y wrk), SECONDS each
# (default 5), with the server's resident memory sampled during the load; then the same call
# in-process (crates/casus-server/examples/inprocess.rs). Bounded: about 4 x SECONDS in all.
#   tools/web/bench.sh [SECONDS]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
secs=${1:-5}
command -v wrk >/dev/null || { echo "wrk not found (apt-get install -y wrk)"; exit 1; }
bin=${CASUS_BIN:-$root/target/release/casus}
cd "$root"
[ -x "$bin" ] || cargo build --release -p casus-cli --quiet
cargo build --release -p casus-server --example inprocess --quiet
log=$(mktemp); lua=$(mktemp --suffix .lua)
cat >"$lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"attacker": "RUS", "target": "EST", "date": "2025-06-01"}'
wrk.headers["Content-Type"] = "application/json"
LUA
"$bin" serve --port 0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log" "$lua"' EXIT INT TERM
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's|.*listening on \(http://[^ ]*/\) .*|\1|p' "$log"); [ -n "$url" ] && break; sleep 0.1
done
[ -n "$url" ] || { cat "$log"; exit 1; }
rss() { awk '/VmRSS/ {print $2}' /proc/$server/status; }
echo "server idle: RSS $(rss) KiB"
for c in 1 8 64; do
  t=$([ $c -eq 1 ] && echo 1 || echo 2)
  peak=0
  ( while kill -0 $server 2>/dev/null; do rss; sleep 0.5; done ) >"$log.rss" &
  sampler=$!
  wrk -t$t -c$c -d${secs}s --latency -s "$lua" "${url}api/obligations" >"$log.wrk"
  kill $sampler 2>/dev/null || true
  peak=$(sort -n "$log.rss" | tail -1)
  rps=$(awk '/Requests\/sec/ {print $2}' "$log.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$log.wrk"); p99=$(awk '$1=="99%" {print $2}' "$log.wrk")
  errs=$(grep -E "Non-2xx|Socket errors" "$log.wrk" || true)
  echo "server, $c connection(s): $rps req/s, p50 $p50, p99 $p99, peak RSS $peak KiB ${errs}"
  rm -f "$log.rss" "$log.wrk"
done
echo "server after load: RSS $(rss) KiB"
"$root/target/release/examples/inprocess" "$secs" 2
