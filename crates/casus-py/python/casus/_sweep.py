"""Sweeps from Python: plan in Rust, run the shards on any ``concurrent.futures.Executor``
(a process pool by default; a Dask ``Client.get_executor()`` for clusters), merge in Rust.

Each shard writes one Parquet part under ``out/parts/`` (whole or not at all); a part
already there is not run again, so a killed sweep resumes; rows are the same whatever the
executor, shard count or order.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import os
from dataclasses import dataclass, field
from typing import Any

from . import _casus


def scope(name: str) -> dict[str, Any]:
    """A scope (built-in ``toy``, or a scope file) as data.

    >>> [u["name"] for u in casus.scope("toy")["uncertainties"]]
    ['x1', 'x2', 'x3']
    """
    return json.loads(_casus.scope(os.fspath(name)))


def salib_problem(name: str) -> dict[str, Any]:
    """A SALib problem definition of a scope's sampled factors (uncertainties and numeric levers).

    >>> casus.salib_problem("toy")["names"]
    ['x1', 'x2', 'x3']
    """
    s = scope(name)
    factors = list(s["uncertainties"]) + [lv for lv in s["levers"] if "values" not in lv]
    return {
        "num_vars": len(factors),
        "names": [f["name"] for f in factors],
        "bounds": [[f["low"], f["high"]] for f in factors],
    }


@dataclass(frozen=True)
class Sweep:
    """A finished sweep: its folder, ``run.json``'s record and the per-shard reports."""

    dir: str
    run: dict[str, Any]
    shards: list[dict[str, Any]] = field(default_factory=list)

    @property
    def results_path(self) -> str:
        return os.path.join(self.dir, "results.parquet")

    def to_pandas(self) -> Any:
        """``results.parquet`` as a pandas DataFrame (levers as their names)."""
        import pandas as pd

        return pd.read_parquet(self.results_path)

    def to_polars(self) -> Any:
        import polars as pl

        return pl.read_parquet(self.results_path)

    def sobol(self, metric: str, resamples: int = 1000, confidence: float = 0.95) -> dict[str, Any]:
        """First-order and total Sobol indices (needs ``design="saltelli"``)."""
        return json.loads(_casus.sobol(self.dir, metric, resamples, confidence))

    def discover(
        self,
        metric: str,
        below: float | None = None,
        above: float | None = None,
        alpha: float = 0.05,
        min_mass: float = 0.05,
    ) -> dict[str, Any]:
        """PRIM boxes where ``metric`` falls below ``below`` (or rises above ``above``)."""
        return json.loads(_casus.discover(self.dir, metric, below, above, alpha, min_mass))


def sweep(
    scope: str,
    out: str | os.PathLike[str],
    *,
    samples: int = 100,
    design: str = "lhs",
    seed: int | None = None,
    shards: int | None = None,
    executor: cf.Executor | None = None,
) -> Sweep:
    """Plans ``scope`` into ``out``, runs its shards on ``executor`` and merges them.

    ``executor``: any ``concurrent.futures.Executor``; by default a process pool of
    ``os.cpu_count()`` workers. ``shards``: how many parts (default: 4 per worker, at least 1).

    >>> import tempfile
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> with tempfile.TemporaryDirectory() as d, ThreadPoolExecutor(2) as ex:
    ...     s = casus.sweep("toy", d, samples=20, executor=ex)
    ...     s.run["rows"], len(s.shards) > 0
    (40, True)
    """
    out = os.fspath(out)
    _casus.plan(os.fspath(scope), out, samples, design, seed)
    own = executor is None
    workers = os.cpu_count() or 1
    n = shards if shards is not None else max(1, 4 * workers)
    ex = cf.ProcessPoolExecutor(max_workers=workers) if executor is None else executor
    try:
        futures = [ex.submit(_casus.run_shard, out, i, n) for i in range(n)]
        reports = [json.loads(f.result()) for f in futures]
    finally:
        if own:
            ex.shutdown()
    run = json.loads(_casus.merge(out))
    return Sweep(dir=out, run=run, shards=reports)
