"""Shared fixtures: the command-line binary the answers are compared with."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

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
