#!/usr/bin/env bash
# Every test of casus, as the README's test command: Rust (unit, scenario tests of every
# library file, statistical, command line, API contract), then Python (the `casus` package)
# and the browser (the web app in headless Chromium). Parts whose tools this machine lacks
# say "skipped: … not found" and pass; CI installs them, so there they run.
#
# The Rust tests build in the release profile, so they reuse the build of the README's main
# command (`cargo run --release …`) instead of compiling every dependency a second time.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()

echo "== Rust: cargo test --release --workspace --locked"
cargo test --release --workspace --locked || failed+=("rust")

# Run through sh, so a checkout that lost the executable bit still runs it; it says
# "skipped: python3 not found" where there is no Python.
# The binary the Rust tests just built is the one the answers are compared with.
echo "== Python: crates/casus-py/run-tests.sh"
if [[ -z "${CASUS_BIN:-}" && -x target/release/casus ]]; then
    export CASUS_BIN="$PWD/target/release/casus"
fi
sh crates/casus-py/run-tests.sh || failed+=("python")

if [[ -x crates/casus-server/browser-tests.sh ]]; then
    echo "== Browser: crates/casus-server/browser-tests.sh"
    crates/casus-server/browser-tests.sh || failed+=("browser")
fi

if (( ${#failed[@]} )); then
    echo "test-all: failed: ${failed[*]}" >&2
    exit 1
fi
echo "test-all: every part passed"
