"""The Python answers are the command line's answers, typed, picklable and GIL-free."""

from __future__ import annotations

import json
import pickle
import subprocess
import threading
import time

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


def test_the_gil_is_released_during_computation(tmp_path) -> None:
    # A Python thread keeps counting while Rust runs a shard: it could not if the GIL were held.
    _casus.plan("toy", str(tmp_path), 40000, "lhs", None)
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
    _casus.run_shard(str(tmp_path), 0, 1)
    took = time.perf_counter() - start
    during = ticks - before
    stop = True
    t.join()
    assert took > 0.05, "the shard ran too fast to tell"
    assert during > 10, f"the counter advanced {during} times in {took:.2f} s"
