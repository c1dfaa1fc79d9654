"""Dask LocalCluster against the process pool on the same sweep rows (issue #15's benchmark).

    python crates/casus-py/bench/executors.py [SCOPE] [SAMPLES] [SHARDS] [REPEATS]

Plans one sweep, then runs all its shards through a ``ProcessPoolExecutor(2)`` and through a
Dask ``LocalCluster(n_workers=2, threads_per_worker=1)``'s executor, alternating, REPEATS times
each; prints the median wall time of run+merge for each (the cluster's start-up apart) and
checks that both wrote the same results.parquet.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor

from casus import _casus


def run(plan_dir: str, work: str, ex: Executor, shards: int) -> float:
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(plan_dir, work)
    start = time.perf_counter()
    for f in [ex.submit(_casus.run_shard, work, i, shards) for i in range(shards)]:
        f.result()
    _casus.merge(work)
    return time.perf_counter() - start


def main() -> None:
    scope = sys.argv[1] if len(sys.argv) > 1 else "toy"
    samples = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    shards = int(sys.argv[3]) if len(sys.argv) > 3 else 16
    repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    from distributed import Client, LocalCluster

    tmp = tempfile.mkdtemp(prefix="casus-bench-")
    plan = os.path.join(tmp, "plan")
    rows = _casus.plan(scope, plan, samples, "lhs", 1)
    t0 = time.perf_counter()
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    startup = time.perf_counter() - t0
    times: dict[str, list[float]] = {"pool": [], "dask": []}
    with ProcessPoolExecutor(2) as pool:
        pool.submit(int, 0).result()  # workers started before timing, as Dask's are
        dask = client.get_executor()
        for _ in range(repeats):
            times["pool"].append(run(plan, os.path.join(tmp, "pool"), pool, shards))
            times["dask"].append(run(plan, os.path.join(tmp, "dask"), dask, shards))
    client.close()
    cluster.close()
    same = open(os.path.join(tmp, "pool", "results.parquet"), "rb").read() == open(
        os.path.join(tmp, "dask", "results.parquet"), "rb"
    ).read()
    p, d = statistics.median(times["pool"]), statistics.median(times["dask"])
    print(f"scope {scope}: {rows} rows in {shards} shards, {repeats} runs each, 2 workers")
    print(f"process pool: median {p:.3f} s  {[round(t, 3) for t in times['pool']]}")
    print(f"dask cluster: median {d:.3f} s  {[round(t, 3) for t in times['dask']]}  (start-up {startup:.1f} s apart)")
    print(f"dask / pool: {d / p:.2f}; identical results.parquet: {same}")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
