#!/bin/sh
# The Python tests: a venv (kept in target/py-venv; --fresh makes a new one), the package
# built from these sources the way users install it (pip → PEP 517 → maturin), the pinned
# test requirements, then pytest (API against the CLI's JSON, sweeps, pickling, doctests)
# and mypy's stubtest on the compiled module's stub.
#   crates/casus-py/run-tests.sh [--fresh] [pytest args…]
# Where there is no python3 it says so and succeeds.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
py=${PYTHON:-python3}
if ! command -v "$py" >/dev/null 2>&1; then
    echo "skipped: python3 not found"
    exit 0
fi
venv=${CASUS_PY_VENV:-$root/target/py-venv}
if [ "${1:-}" = "--fresh" ]; then
    rm -rf "$venv"
    shift
fi
if [ ! -x "$venv/bin/python" ]; then
    "$py" -m venv "$venv"
fi
pip="$venv/bin/python -m pip --disable-pip-version-check -q"
$pip install -r "$here/requirements-test.txt"
$pip install --force-reinstall --no-deps "$here"
# The answers are compared with the command line's: the binary of these sources.
if [ -z "${CASUS_BIN:-}" ]; then
    (cd "$root" && cargo build -q --release -p casus-cli)
    CASUS_BIN="$root/target/release/casus"
    export CASUS_BIN
fi
cd "$here/tests"
"$venv/bin/python" -m pytest -q "$here/tests" "$@"
"$venv/bin/python" -m mypy.stubtest casus._casus
"$venv/bin/python" -m mypy --no-error-summary "$here/python/casus"
echo "python tests: ok"
