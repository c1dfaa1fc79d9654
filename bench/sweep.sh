#!/bin/sh
# Benchmark of `casus sweep` on the built-in ukraine scope (issue #15), measured in one run:
#
#   sweep     plan S samples × 5 options (the major attack only), T trials a row; run them
#             as one shard and merge (`casus sweep run` + `merge`: plan read, one prepared
#             model and one plain Monte Carlo run per row under that row's priors, Parquet
#             part written atomically, merge into results.parquet and run.json)
#   direct    the same trials without the sweep: per option, one plain Monte Carlo run of
#             S × T trials at the priors' stated values (`casus sweep baseline`, hidden)
#
# and prints the sweep's overhead against the direct run, and the time of 1,000 samples ×
# 4,096 trials × 5 options extrapolated from S samples (linear in rows; say so when quoting).
# Both sides run on one thread and include the process start and the library load.
#
# usage: bench/sweep.sh [S=100] [T=4096]       (CASUS=path/to/casus, default target/release/casus)
set -eu
S=${1:-100}
T=${2:-4096}
CASUS=${CASUS:-target/release/casus}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
now() { date +%s.%N; }

"$CASUS" sweep plan ukraine --samples "$S" --trials "$T" --only attack=major-attack --out "$dir/s" >/dev/null
rows=$(( S * 5 ))

t0=$(now)
"$CASUS" sweep run "$dir/s" --format json >/dev/null 2>"$dir/progress"
"$CASUS" sweep merge "$dir/s" --format json >/dev/null
t1=$(now)
"$CASUS" sweep baseline "$dir/s" --format json >/dev/null
t2=$(now)

awk -v t0="$t0" -v t1="$t1" -v t2="$t2" -v s="$S" -v t="$T" -v rows="$rows" 'BEGIN {
  sweep = t1 - t0; direct = t2 - t1
  printf "rows: %d (%d samples x 5 options, major attack), %d trials a row, %d trials in all\n", rows, s, t, rows * t
  printf "sweep (run + merge): %.2f s   direct (same trials, one run per option): %.2f s\n", sweep, direct
  printf "overhead of the sweep machinery: %+.1f%% (goal < 10%%)\n", 100 * (sweep / direct - 1)
  printf "per row: %.2f ms; 1000 samples x 4096 trials x 5 options (extrapolated x%.1f from %d samples, x%.2f in trials): %.0f s\n",
    1000 * sweep / rows, 1000 / s, s, 4096 / t, sweep * (1000 / s) * (4096 / t)
}'
