#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for a bounded time (default 60 s each), from the committed
# seeds (fuzz/seeds/NAME, never written to) and a scratch corpus (fuzz/corpus/NAME, not
# committed). Needs cargo-fuzz (`cargo install cargo-fuzz`) and a C++ compiler; works on
# stable Rust (no sanitizer: `-s none`) and on nightly (set FUZZ_SANITIZER=address).
#
#   tools/fuzz.sh            # 60 s per target
#   tools/fuzz.sh 3600       # an hour per target
#   tools/fuzz.sh 600 atop   # one target
#
# A crash leaves its input in fuzz/artifacts/NAME/; copy it to fuzz/regressions/NAME/, where
# `cargo test -p casus-cli --test fuzz_corpus` replays it on every test run, and fix it.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(library_toml table atop scenario)
fi
sanitizer="${FUZZ_SANITIZER:-none}"
cargo fuzz build -s "$sanitizer"
status=0
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    echo "fuzz: $t for ${seconds} s" >&2
    # -rss_limit_mb: an input may not make a reader hold more than 2 GB; -timeout: nor take
    # more than 10 s.
    if ! cargo fuzz run -s "$sanitizer" "$t" "corpus/$t" "seeds/$t" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
        -print_final_stats=1; then
        echo "fuzz: $t found a failing input (fuzz/artifacts/$t/)" >&2
        status=1
    fi
done
exit $status
