#!/bin/sh
# The Python tests: a venv (kept in target/py-venv; --fresh makes a new one), the package
# built from these sources the way users install it (pip → PEP 517 → maturin), the pinned
# test requirements (EMA Workbench apart: where it does not install, its tests are skipped
# and say why), then pytest (API against the CLI's JSON, sweeps on a process pool and on
# Dask, EMA and SALib, the notebooks under examples/, pickling, doctests) and mypy's
# stubtest on the compiled module's stub.
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
    if ! "$py" -m venv "$venv"; then
        rm -rf "$venv"
        echo "python tests: \`$py -m venv\` failed; on Debian: apt-get install python3-venv" >&2
        exit 1
    fi
fi
pip="$venv/bin/python -m pip --disable-pip-version-check -q"
$pip install -r "$here/requirements-test.txt"
if ! $pip install -r "$here/requirements-ema.txt"; then
    echo "note: ema_workbench did not install; tests/test_ema.py will be skipped"
fi
$pip install --force-reinstall --no-deps "$here"
# The answers are compared with the command line's: the binary of these sources.
if [ -z "${CASUS_BIN:-}" ]; then
    (cd "$root" && cargo build -q --release -p casus-cli)
    CASUS_BIN="$root/target/release/casus"
    export CASUS_BIN
fi
cd "$here/tests"
"$venv/bin/python" -m pytest -q -rs "$here/tests" "$@"
"$venv/bin/python" -m mypy.stubtest casus._casus
"$venv/bin/python" -m mypy --config-file "$here/pyproject.toml" --no-error-summary "$here/python/casus"
echo "python tests: ok"
