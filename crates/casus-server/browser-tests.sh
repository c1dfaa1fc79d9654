#!/bin/sh
# Browser tests of `casus serve`'s web app in real headless Chromium.
#   crates/casus-server/browser-tests.sh   (tools/test-all.sh runs it)
# Needs: Debian's `chromium` (apt-get install -y chromium) and node/npm (for playwright-core,
# installed here by `npm ci --omit=dev` from tools/web/package-lock.json: only playwright-core,
# not the map sources update-vendor.sh needs; it downloads no browser).
# Without chromium it prints "skipped: chromium not found" and succeeds.
# CASUS_BIN: the casus binary to serve (default: builds target/release/casus).
# CHROMIUM: the browser (default /usr/bin/chromium).
# UPDATE_SCREENSHOT=1: rewrite docs/img/map.png, the README's screenshot of the map.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
here="$root/tools/web"
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then echo "skipped: chromium not found"; exit 0; fi
if ! command -v npm >/dev/null 2>&1; then echo "skipped: node/npm not found"; exit 0; fi
cd "$here"
[ -d node_modules/playwright-core ] || npm ci --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null
bin=${CASUS_BIN:-}
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release -p casus-cli --quiet)
  bin="$root/target/release/casus"
fi
log=$(mktemp)
CASUS_TODAY=2025-06-01 "$bin" serve --port 0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$log"' EXIT INT TERM
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's|.*listening on \(http://[^ ]*/\) .*|\1|p' "$log")
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "casus serve did not start:"; cat "$log"; exit 1; }
# The README's screenshot of the map: rewritten only when asked (UPDATE_SCREENSHOT=1), so that a
# test run leaves the tree clean; otherwise it goes beside the other screenshots.
shot="$root/target/browser-test/readme-map.png"
[ "${UPDATE_SCREENSHOT:-}" = 1 ] && shot="$root/docs/img/map.png"
mkdir -p "$(dirname "$shot")"
CHROMIUM="$chromium" node "$here/browser-test.mjs" "$url" "$root/target/browser-test" "$shot"
