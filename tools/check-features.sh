#!/bin/sh
# Whether `cargo build -p casus-cli` (the README's main command) and `cargo test --workspace`
# (the test command) compile shared dependencies with the same features; where they differ,
# the test build compiles those crates, and everything above them, a second time. Prints the
# differences and exits 1; add the features to crates/workspace-hack/Cargo.toml.
set -eu
cd "$(dirname "$0")/.."
a=$(mktemp); b=$(mktemp); trap 'rm -f "$a" "$b"' EXIT
cargo tree --offline -p casus-cli -e features,normal,build -f '{p}|{f}' --prefix none > "$a"
cargo tree --offline --workspace -e features,normal,build,dev -f '{p}|{f}' --prefix none > "$b"
# Only packages casus-cli builds; their feature sets must be equal.
python3 - "$a" "$b" <<'PY'
import sys
def load(p):
    d = {}
    for line in open(p):
        if "|" not in line:
            continue
        name, feats = line.rstrip("\n").removesuffix(" (*)").split("|", 1)
        d.setdefault(name, set()).update(f for f in feats.split(",") if f)
    return d
cli, ws = load(sys.argv[1]), load(sys.argv[2])
diff = [(k, sorted(ws[k] - cli[k])) for k in sorted(cli) if k in ws and ws[k] != cli[k]]
for k, extra in diff:
    print(f"{k}: the tests add {', '.join(extra)}")
sys.exit(1 if diff else 0)
PY
echo "features aligned: the test build reuses the main command's dependencies"
