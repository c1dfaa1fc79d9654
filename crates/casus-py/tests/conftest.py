"""Shared fixtures: the command-line binary the answers are compared with."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

try:
    import resource
except ImportError:  # not on Windows
    resource = None  # type: ignore[assignment]

# Every process the tests start (process pools, Dask workers, EMA's pool, the notebook's kernel)
# inherits this bound on its address space, so a runaway test fails instead of taking the
# machine's memory. $CASUS_PY_TEST_VMEM_GB changes it (0: no bound).
_GB = float(os.environ.get("CASUS_PY_TEST_VMEM_GB", "8"))
if resource is not None and _GB > 0:
    _soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    _limit = int(_GB * 2**30)
    if _hard == resource.RLIM_INFINITY or _hard > _limit:
        resource.setrlimit(resource.RLIMIT_AS, (_limit, _hard))

ROOT = Path(__file__).resolve().parents[3]


def casus_binary() -> str | None:
    """``$CASUS_BIN``, else the workspace's release or debug build, else ``casus`` on PATH."""
    given = os.environ.get("CASUS_BIN")
    if given:
        return given
    for profile in ("release", "debug"):
        p = ROOT / "target" / profile / "casus"
        if p.is_file():
            return str(p)
    return shutil.which("casus")


@pytest.fixture(scope="session")
def cli() -> str:
    b = casus_binary()
    if b is None:
        pytest.skip("no casus binary: build it (cargo build --release -p casus-cli) or set CASUS_BIN")
    return b
