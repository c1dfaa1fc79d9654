#!/bin/sh
# Benchmark of `casus sweep` on the built-in ukraine scope (issue #15), measured in one run.
#
# 1. Overhead of the sweep machinery. A scope with the ukraine scope's 21 priors pinned at
#    their stated values (low = high = value, from library/priors/credibility.toml) is swept
#    over S samples x 5 options (the major attack), T trials a row: `casus sweep run` +
#    `merge` (plan read; each option's obligations against the attack read once; per row:
#    priors built and applied to them, one plain Monte Carlo run, summary; Parquet part
#    written atomically; merge, run.json).
#    Against: the same trials run directly, one plain Monte Carlo run of S x T trials per
#    option at the same values (`casus sweep baseline`, a hidden command). Same priors, so the
#    same work per trial: the difference is the sweep's.
# 2. The real sweep: the ukraine scope over its stated ranges, S samples x 5 options, and its
#    time extrapolated (linearly in rows) to 1,000 samples x 4,096 trials x 5 options.
#    Sampled priors make more guarantors respond than the stated values do, so a trial costs
#    more here than in 1.
#
# Times are CPU seconds (user + system; the machine is shared, wall time is printed beside).
# Every command runs on one thread and includes the process start and the library load.
#
# usage: bench/sweep.sh [S=100] [T=4096]     (run from the repository's root;
#                                             CASUS=path/to/casus, default target/release/casus)
set -eu
S=${1:-100}
T=${2:-4096}
CASUS=${CASUS:-target/release/casus}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# CPU and wall seconds of one command, appended to $dir/times as "NAME cpu wall".
timed() {
  name=$1; shift
  /usr/bin/time -f "$name %U %S %e" -o "$dir/t" "$@" >/dev/null 2>>"$dir/stderr"
  awk '{ printf "%s %.3f %.3f\n", $1, $2 + $3, $4 }' "$dir/t" >>"$dir/times"
}

# The pinned scope: the built-in scope's priors, each at its stated value.
{
  printf 'name = "ukraine_pinned"\nmodel = "ukraine"\nseed = 1\n'
  grep '^prior = ' crates/casus-sweep/scopes/ukraine.toml | tr -d '"' | awk '{ print $3 }' | while read -r id; do
    v=$(awk -v id="$id" '$1 == "id" && $3 == "\"" id "\"" { hit = 1; next } hit && $1 == "value" { print $3; exit }' \
      library/priors/credibility.toml)
    n=$(printf '%s' "$id" | tr '.' '_')
    printf '\n[[uncertainty]]\nname = "%s"\nprior = "%s"\nrange = "new"\nlow = %s\nhigh = %s\n' "$n" "$id" "$v" "$v"
  done
  printf '\n[[lever]]\nname = "option"\nvalues = ["bilateral-2024", "budapest-style", "us-article5-like", "european-force", "nato-membership"]\n'
  printf '\n[[lever]]\nname = "attack"\nvalues = ["major-attack"]\n'
  for o in p_lead_military_response p_any_military_response p_military_within_30_days p_any_support \
    p_capability_ge_1 p_parity_within_30_days capability_ratio_median; do
    printf '\n[[outcome]]\nname = "%s"\n' "$o"
  done
} >"$dir/pinned.toml"

"$CASUS" sweep plan "$dir/pinned.toml" --samples "$S" --trials "$T" --out "$dir/p" >/dev/null
"$CASUS" sweep plan ukraine --samples "$S" --trials "$T" --only attack=major-attack --out "$dir/u" >/dev/null

timed sweep_run "$CASUS" sweep run "$dir/p"
timed sweep_merge "$CASUS" sweep merge "$dir/p"
timed direct "$CASUS" sweep baseline "$dir/p"
timed ranges_run "$CASUS" sweep run "$dir/u"
timed ranges_merge "$CASUS" sweep merge "$dir/u"

awk -v s="$S" -v t="$T" '
  { cpu[$1] = $2; wall[$1] = $3 }
  END {
    rows = s * 5
    sw = cpu["sweep_run"] + cpu["sweep_merge"]; sww = wall["sweep_run"] + wall["sweep_merge"]
    printf "rows: %d (%d samples x 5 options, major attack), %d trials a row, %d trials in all\n", rows, s, t, rows * t
    printf "1. priors at their stated values: sweep (run + merge) %.2f s CPU (%.2f s wall); direct, same trials, one run per option: %.2f s CPU (%.2f s wall)\n", sw, sww, cpu["direct"], wall["direct"]
    printf "   overhead of the sweep machinery: %+.1f%% CPU (goal < 10%%)\n", 100 * (sw / cpu["direct"] - 1)
    ur = cpu["ranges_run"] + cpu["ranges_merge"]; urw = wall["ranges_run"] + wall["ranges_merge"]
    f = (1000 / s) * (4096 / t)
    printf "2. priors over their stated ranges: %.2f s CPU (%.2f s wall), %.2f ms CPU a row\n", ur, urw, 1000 * ur / rows
    printf "   1,000 samples x 4,096 trials x 5 options, extrapolated x%.1f from this run: %.0f s CPU on one core\n", f, ur * f
  }' "$dir/times"
