"""EMA Workbench runs casus scopes (where ema_workbench installs)."""

from __future__ import annotations

import pytest

ema = pytest.importorskip("ema_workbench")

import casus.ema  # noqa: E402


def test_ema_runs_the_toy_scope_and_prim_finds_a_box() -> None:
    from ema_workbench import MultiprocessingEvaluator, perform_experiments
    from ema_workbench.analysis import prim

    model = casus.ema.model("toy")
    with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        experiments, outcomes = perform_experiments(model, scenarios=200, policies=2, evaluator=evaluator)
    assert set(experiments["design"].astype(str)) <= {"narrow", "wide"}
    x = experiments[["x1", "x2", "x3", "design"]]
    y = outcomes["response"] < 0.5
    box = prim.Prim(x, y, threshold=0.8).find_box()
    assert box.peeling_trajectory["density"].max() > 0.8
