"""Per-trial rows from Python (#15) are the command line's (`--out`), byte for byte, and name
the guarantors that responded in each trial (#12)."""

from __future__ import annotations

import json
import pickle
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import casus

SMALL = {"seed": 3, "trials": 1500, "draws": 0, "threads": 1}
SMALL_FLAGS = ["--seed", "3", "--trials", "1500", "--draws", "0", "--threads", "1"]


def cli_out(cli: str, out: Path, *args: str) -> None:
    subprocess.run([cli, *args, "--out", str(out)], check=True, capture_output=True, text=True)


def names(cell: str) -> list[str]:
    return [n for n in cell.split(";") if n]


def test_assess_out_writes_the_cli_files_and_the_new_columns_name_guarantors(cli: str, tmp_path: Path) -> None:
    a = casus.assess("ukraine", out=tmp_path / "py", **SMALL)
    assert a.out == str(tmp_path / "py")
    assert a.trials_path == str(tmp_path / "py" / "trials.parquet")
    t = pd.read_parquet(a.trials_path)
    options = [o["id"] for o in a.options]
    # One row per option and trial; the counts are the lists' lengths.
    assert len(t) == len(options) * 1500
    assert sorted(set(t.option)) == sorted(options)
    assert list(t.columns) == [
        "option", "trial", "responders", "military_responders", "first_military_days",
        "capability_ratio", "responded", "responded_military",
    ]
    assert (t.responded.map(lambda s: len(names(s))) == t.responders).all()
    assert (t.responded_military.map(lambda s: len(names(s))) == t.military_responders).all()
    # Each name is a guarantor of its option (the summary's per-option guarantors), and those
    # that fought also responded.
    for o in a.options:
        rows = t[t.option == o["id"]]
        guarantors = {g["actor"] for g in o["guarantors"]}
        named = {n for cell in rows.responded for n in names(cell)}
        assert named and named <= guarantors, (o["id"], named - guarantors)
        for all_, force in zip(rows.responded, rows.responded_military):
            assert set(names(force)) <= set(names(all_))
    # The command line's files, byte for byte, with the same request.
    cli_out(cli, tmp_path / "cli", "assess", "ukraine", *SMALL_FLAGS)
    for f in ["trials.csv", "trials.parquet", "summary.json", "report.md", "response-over-time.svg"]:
        assert (tmp_path / "py" / f).read_bytes() == (tmp_path / "cli" / f).read_bytes(), f
    py_files = {f["name"] for f in json.loads((tmp_path / "py" / "casus-manifest.json").read_text())["files"]}
    cli_files = {f["name"] for f in json.loads((tmp_path / "cli" / "casus-manifest.json").read_text())["files"]}
    assert py_files == cli_files
    # The folder travels with the answer.
    assert pickle.loads(pickle.dumps(a)).trials_path == a.trials_path


def test_simulate_out_equals_the_cli_and_refuses_the_users_files(cli: str, tmp_path: Path) -> None:
    args = ("RUS", "POL", "2026-06-01")
    s = casus.simulate(*args, trials=3000, seed=2, threads=2, out=tmp_path / "py")
    cli_out(
        cli, tmp_path / "cli", "simulate", "--attacker", "RUS", "--target", "POL", "--date", "2026-06-01",
        "--trials", "3000", "--seed", "2", "--threads", "1",
    )
    # Identical rows whatever the thread count.
    for f in ["trials.csv", "trials.parquet"]:
        assert (tmp_path / "py" / f).read_bytes() == (tmp_path / "cli" / f).read_bytes(), f
    t = pd.read_csv(tmp_path / "py" / "trials.csv", keep_default_na=False)
    assert len(t) == 3000 and set(t.option) == {"library"}
    guarantors = {g["actor"] for g in s.records()}
    assert {n for cell in t.responded for n in names(cell)} <= guarantors
    assert casus.simulate(*args, trials=100).trials_path is None
    # A file casus did not write is refused, and kept, unless force=True.
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "trials.csv").write_text("my data")
    with pytest.raises(casus.CasusError, match="force=True"):
        casus.simulate(*args, trials=100, out=mine)
    assert (mine / "trials.csv").read_text() == "my data"
    s = casus.simulate(*args, trials=100, out=mine, force=True)
    assert len(pd.read_parquet(s.trials_path)) == 100
