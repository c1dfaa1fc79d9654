"""Sweeps give the same rows whatever runs them; killed runs resume; known answers come out."""

from __future__ import annotations

import json
import math
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

import casus
from casus import _casus


def results(d: Path) -> bytes:
    return (d / "results.parquet").read_bytes()


def test_process_pool_one_shard_four_shards_reversed_and_dask_agree(tmp_path: Path) -> None:
    pool = casus.sweep("toy", tmp_path / "pool", samples=64, shards=3, executor=ProcessPoolExecutor(2))
    one = tmp_path / "one"
    _casus.plan("toy", str(one), 64, "lhs", None)
    _casus.run_shard(str(one), 0, 1)
    _casus.merge(str(one))
    four = tmp_path / "four"
    _casus.plan("toy", str(four), 64, "lhs", None)
    with ThreadPoolExecutor(2) as two_at_a_time:
        for f in [two_at_a_time.submit(_casus.run_shard, str(four), i, 4) for i in reversed(range(4))]:
            f.result()
    _casus.merge(str(four))
    assert results(one) == results(Path(pool.dir)) == results(four)
    assert pool.run["rows"] == 128

    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        dask = casus.sweep("toy", tmp_path / "dask", samples=64, shards=4, executor=client.get_executor())
    assert results(Path(dask.dir)) == results(one)


def test_a_killed_sweep_resumes(tmp_path: Path) -> None:
    d = str(tmp_path)
    _casus.plan("toy", d, 30, "lhs", None)
    for i in (0, 2):
        _casus.run_shard(d, i, 4)
    (tmp_path / "parts" / ".part-00001-of-00004.parquet.123.tmp").write_bytes(b"killed mid-write")
    s = casus.sweep("toy", d, samples=30, shards=4, executor=ThreadPoolExecutor(2))
    assert [r["skipped"] for r in s.shards] == [True, False, True, False]
    assert s.run["rows"] == 60


def test_categorical_levers_come_back_as_names(tmp_path: Path) -> None:
    pd = pytest.importorskip("pandas")
    s = casus.sweep("toy", tmp_path, samples=10, executor=ThreadPoolExecutor(1))
    df = s.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert set(df["design"]) == {"narrow", "wide"}
    assert list(df["row"]) == list(range(20))


def test_sobol_on_ishigami_and_prim_on_the_planted_box(tmp_path: Path) -> None:
    s = casus.sweep("toy", tmp_path / "s", samples=2048, design="saltelli", seed=3, executor=ThreadPoolExecutor(2))
    pi = math.pi
    v1 = 0.5 * (1 + 0.1 * pi**4 / 5) ** 2
    v2 = 49 / 8
    v13 = 0.01 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    exact = {"x1": (v1 / v, (v1 + v13) / v), "x2": (v2 / v, v2 / v), "x3": (0.0, v13 / v)}
    for ix in s.sobol("ishigami", resamples=300, confidence=0.99)["groups"][0]["indices"]:
        s1, st = exact[ix["factor"]]
        assert ix["first_low"] <= s1 <= ix["first_high"], ix
        assert ix["total_low"] <= st <= ix["total_high"], ix
    p = casus.sweep("toy", tmp_path / "p", samples=3000, executor=ThreadPoolExecutor(2))
    narrow = p.discover("response", below=0.5)["groups"][0]
    assert narrow["levers"] == {"design": "narrow"}
    box = narrow["trajectory"][narrow["chosen"]]
    limits = {lim["factor"]: (lim["low"], lim["high"]) for lim in box["limits"]}
    assert set(limits) == {"x1", "x2"}
    assert abs(limits["x1"][0] - 0) < 0.15 and abs(limits["x1"][1] - 2) < 0.15
    assert abs(limits["x2"][0] + 1) < 0.15 and abs(limits["x2"][1] - 1) < 0.15


def test_salib_problem() -> None:
    p = casus.salib_problem("toy")
    assert p["num_vars"] == 3
    assert p["bounds"][0] == pytest.approx([-math.pi, math.pi])


def test_salib_samples_the_problem_and_finds_the_known_indices() -> None:
    """SALib's own Saltelli design on casus's problem, each point answered by casus, gives the
    Ishigami function's analytic indices within SALib's intervals."""
    pytest.importorskip("SALib", reason="SALib is not installed")
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample

    problem = casus.salib_problem("toy")
    x = sobol_sample.sample(problem, 1024, seed=7)
    y = [
        _casus.evaluate("toy", dict(zip(problem["names"], map(float, row))), {"design": "wide"})[0]
        for row in x
    ]
    import numpy as np

    si = sobol.analyze(problem, np.array(y), seed=7)
    pi = math.pi
    v1, v2, v13 = 0.5 * (1 + 0.1 * pi**4 / 5) ** 2, 49 / 8, 0.01 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    exact_s1 = [v1 / v, v2 / v, 0.0]
    exact_st = [(v1 + v13) / v, v2 / v, v13 / v]
    for i in range(3):
        assert abs(si["S1"][i] - exact_s1[i]) <= max(2 * si["S1_conf"][i], 0.02), (i, si["S1"][i])
        assert abs(si["ST"][i] - exact_st[i]) <= max(2 * si["ST_conf"][i], 0.02), (i, si["ST"][i])


def test_sweep_results_pickle(tmp_path: Path) -> None:
    import pickle

    s = casus.sweep("toy", tmp_path, samples=5, executor=ThreadPoolExecutor(1))
    assert pickle.loads(pickle.dumps(s)) == s
    assert json.loads(json.dumps(s.run))["scope"]["name"] == "toy"
