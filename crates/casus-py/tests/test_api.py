"""The Python answers are the command line's answers, typed, picklable and GIL-free."""

from __future__ import annotations

import json
import pickle
import subprocess
import threading
import time
from pathlib import Path

import pytest

import casus
from casus import _casus


def cli_json(cli: str, *args: str) -> str:
    return subprocess.run([cli, *args, "--format", "json"], check=True, capture_output=True, text=True).stdout


def test_obligations_equal_the_cli_json_exactly(cli: str) -> None:
    r = casus.obligations(attacker="RUS", target="EST", date="2025-06-01")
    text = cli_json(cli, "obligations", "--attacker", "RUS", "--target", "EST", "--date", "2025-06-01")
    assert r.to_json() == text
    assert r.to_dict() == json.loads(text)


# Small runs, the same flags on both sides; the defaults take minutes on two cores.
SMALL = {"trials": 2000, "draws": 8, "draw_trials": 400}
SMALL_FLAGS = ["--trials", "2000", "--draws", "8", "--draw-trials", "400"]


def assert_same_json(ours: str, theirs: str) -> None:
    """Equal text; on failure, the first field that differs."""
    if ours != theirs:
        a, b = json.loads(ours), json.loads(theirs)

        def walk(x: object, y: object, path: str) -> None:
            if isinstance(x, dict) and isinstance(y, dict):
                assert x.keys() == y.keys(), f"{path}: keys {sorted(x.keys() ^ y.keys())}"
                for k in x:
                    walk(x[k], y[k], f"{path}.{k}")
            elif isinstance(x, list) and isinstance(y, list):
                assert len(x) == len(y), f"{path}: {len(x)} against {len(y)} items"
                for i, (p, q) in enumerate(zip(x, y)):
                    walk(p, q, f"{path}[{i}]")
            else:
                assert x == y, f"{path}: {x!r} against {y!r}"

        walk(a, b, "$")
        assert ours == theirs, "the same data, printed differently"


def test_assess_equals_the_cli_json_field_for_field(cli: str) -> None:
    a = casus.assess("ukraine", seed=1, **SMALL)
    assert_same_json(a.to_json(), cli_json(cli, "assess", "ukraine", "--seed", "1", *SMALL_FLAGS))
    assert a.header["seed"] == 1 and a.header["trials_per_option"] == 2000
    assert {r["option"] for r in a.records()} == {o["id"] for o in a.options}


def test_assess_with_the_defaults_equals_the_cli_json(cli: str) -> None:
    """The issue's own check, with every default (about 12 s of CPU each on two cores)."""
    assert_same_json(casus.assess("ukraine", seed=1).to_json(), cli_json(cli, "assess", "ukraine", "--seed", "1"))


def test_assess_with_prior_overrides_equals_the_cli_with_that_library_file(cli: str, tmp_path) -> None:
    priors = {"honour.base_rate": (0.3, 0.2, 0.4)}
    a = casus.assess("ukraine", seed=2, priors=priors, **SMALL)
    base = casus.assess("ukraine", seed=2, **SMALL)
    f = tmp_path / "priors.toml"
    f.write_text(
        '[[parameter]]\nid = "honour.base_rate"\nvalue = 0.3\nlow = 0.2\nhigh = 0.4\n'
        'assumption = "Set by the user (priors= in Python)."\n'
    )
    theirs = cli_json(cli, "--library", str(f), "assess", "ukraine", "--seed", "2", *SMALL_FLAGS)
    # The same priors; only the library hash (of the files' text) and where the override was
    # defined (the file's path) may differ.
    ours, theirs_d = a.to_dict(), json.loads(theirs)
    for d in (ours, theirs_d):
        d["header"].pop("library")
        for p in d["parameters"]:
            p["defined_at"] = p["defined_at"].split(":")[0].rsplit("/", 1)[-1].startswith("priors")
    assert ours == theirs_d
    rate = {p["id"]: p["value"] for p in a.to_dict()["parameters"] if p["actor"] is None}
    assert rate["honour.base_rate"] == 0.3
    m = "p_any_military_response"
    assert a.option("nato-membership")[m]["estimate"] != base.option("nato-membership")[m]["estimate"]


def test_simulate_equals_the_cli_json(cli: str) -> None:
    s = casus.simulate(attacker="RUS", target="EST", date="2025-06-01", trials=3000, seed=4)
    args = ["--attacker", "RUS", "--target", "EST", "--date", "2025-06-01", "--trials", "3000", "--seed", "4"]
    assert_same_json(s.to_json(), cli_json(cli, "simulate", *args))
    assert s.lead == "USA" and len(s.to_pandas()) == len(s.to_dict()["guarantors"])


def test_accession_equals_the_cli_json(cli: str) -> None:
    a = casus.accession("UKR", as_of="2025-06-01", trials=3000, worlds=4, coverage=True)
    args = ["UKR", "--as-of", "2025-06-01", "--trials", "3000", "--worlds", "4", "--coverage"]
    assert_same_json(a.to_json(), cli_json(cli, "accession", *args))
    assert {"member", "position"} <= set(a.to_pandas().columns)


def test_negotiate_equals_the_cli_json(cli: str) -> None:
    n = casus.negotiate("ukraine", model="eum", rounds=5)
    assert_same_json(n.to_json(), cli_json(cli, "negotiate", "ukraine", "--model", "eum", "--rounds", "5"))
    assert "Ukraine" in str(n) or "ukraine" in str(n)


ATOP = Path(__file__).resolve().parents[4] / "shared" / "data" / "atop-5.1"


@pytest.mark.skipif(not ATOP.is_dir(), reason=f"ATOP's release not found at {ATOP}")
def test_dyads_equal_the_cli_json(cli: str) -> None:
    d = casus.dyads(from_=2000, to=2001, codes="iso", atop=ATOP)
    args = ["--atop", str(ATOP), "--from", "2000", "--to", "2001", "--codes", "iso"]
    assert_same_json(d.to_json(), cli_json(cli, "dyads", *args))
    assert str(d) == subprocess.run([cli, "dyads", *args], check=True, capture_output=True, text=True).stdout
    df = d.to_pandas()
    assert set(df["year"]) == {2000, 2001} and ((df["actor1"] == "USA") & (df["actor2"] == "DEU")).any()


def test_list_and_show_equal_the_cli_json(cli: str) -> None:
    assert casus.library().commitments.to_json() == cli_json(cli, "list", "commitments")
    assert casus.show("north-atlantic-treaty").to_json() == cli_json(cli, "show", "north-atlantic-treaty")


def test_typed_fields() -> None:
    r = casus.obligations("RUS", "EST", "2025-06-01")
    assert r.event["attacker"] == "RUS"
    assert "USA" in r.obligors
    assert all(o["beneficiary"] == "EST" for o in r.obligations)
    assert isinstance(r.not_triggered, list) and isinstance(r.unknown, list) and isinstance(r.breached, list)
    assert "Obligations" in str(r)


def test_bad_input_is_a_casus_error_naming_the_field() -> None:
    with pytest.raises(casus.CasusError, match="^target: "):
        casus.obligations("RUS", "Narnia", "2025-06-01")
    with pytest.raises(ValueError):
        casus.obligations("RUS", "EST", "2025-13-01")


@pytest.mark.parametrize(
    "obj",
    [
        casus.obligations("RUS", "EST", "2025-06-01"),
        casus.library().actors,
        casus.show("north-atlantic-treaty"),
        _casus.Answer("list", "[]", ""),
        casus.library(),
        casus.simulate("RUS", "EST", "2025-06-01", trials=500),
        casus.assess("ukraine", trials=500, draws=0),
        casus.accession("UKR", trials=500, worlds=0),
        casus.negotiate("ukraine", model="compromise"),
    ],
)
def test_every_class_pickles(obj: object) -> None:
    back = pickle.loads(pickle.dumps(obj))
    assert type(back) is type(obj)
    if isinstance(obj, casus.Answer):
        assert back == obj and back.to_json() == obj.to_json() and back.table() == obj.table()


def test_dataframes() -> None:
    pd = pytest.importorskip("pandas")
    df = casus.obligations("RUS", "EST", "2025-06-01").to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert {"commitment", "obligor", "beneficiary"} <= set(df.columns)
    pl = pytest.importorskip("polars")
    assert casus.library().actors.to_polars().height > 100
    assert isinstance(casus.library().actors.to_polars(), pl.DataFrame)


def _shard(tmp_path: Path) -> None:
    _casus.plan("toy", str(tmp_path), 40000, "lhs", None)
    _casus.run_shard(str(tmp_path), 0, 1)


def _assess(tmp_path: Path) -> None:
    casus.assess("ukraine", trials=20000, draws=0, threads=1)


@pytest.mark.parametrize("work", [_shard, _assess], ids=["sweep shard", "assess"])
def test_the_gil_is_released_during_computation(work, tmp_path) -> None:
    # A Python thread keeps counting while Rust computes: it could not if the GIL were held.
    ticks = 0
    stop = False

    def count() -> None:
        nonlocal ticks
        while not stop:
            ticks += 1
            time.sleep(0.0005)

    t = threading.Thread(target=count)
    t.start()
    time.sleep(0.01)
    before = ticks
    start = time.perf_counter()
    work(tmp_path)
    took = time.perf_counter() - start
    during = ticks - before
    stop = True
    t.join()
    assert took > 0.05, "the work ran too fast to tell"
    assert during > 10, f"the counter advanced {during} times in {took:.2f} s"
