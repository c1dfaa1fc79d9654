"""EMA Workbench runs casus scopes (where ema_workbench installs: 2.5 on Python 3.10-3.11,
3.x on 3.12+; elsewhere the test is skipped with the reason shown)."""

from __future__ import annotations

import pytest

ema = pytest.importorskip("ema_workbench", reason="ema_workbench is not installed (pip install ema_workbench)")

import casus  # noqa: E402
import casus.ema  # noqa: E402

# The toy scope (a planted box PRIM must find) and the built-in ukraine scope (few trials).
SCOPE = "toy"


def test_the_model_has_the_scopes_names() -> None:
    s = casus.scope(SCOPE)
    m = casus.ema.model(SCOPE)
    assert [u.name for u in m.uncertainties] == [u["name"] for u in s["uncertainties"]]
    assert [lv.name for lv in m.levers] == [lv["name"] for lv in s["levers"]]
    assert [o.name for o in m.outcomes] == [o["name"] for o in s["outcomes"]]


def test_ema_runs_the_scope_under_multiprocessing_and_prim_finds_a_box() -> None:
    from ema_workbench import MultiprocessingEvaluator, perform_experiments

    model = casus.ema.model(SCOPE)
    with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        experiments, outcomes = perform_experiments(model, scenarios=200, policies=2, evaluator=evaluator)
    assert len(experiments) == 400
    # Categorical levers come back as the levers' names, not indices.
    assert set(experiments["design"].astype(str)) <= {"narrow", "wide"}
    x = experiments[["x1", "x2", "x3", "design"]]
    y = outcomes["response"] < 0.5
    box = casus.ema.prim(x, y, threshold=0.8).find_box()
    assert box.peeling_trajectory["density"].max() > 0.8
    # The outcomes are casus's own answers for those inputs.
    row = experiments.iloc[0]
    values = {k: float(row[k]) for k in ("x1", "x2", "x3")}
    from casus import _casus

    assert _casus.evaluate(SCOPE, values, {"design": str(row["design"])})[1] == outcomes["response"][0]


def test_ema_runs_the_ukraine_scope_for_200_scenarios_and_prim_finds_a_box() -> None:
    from ema_workbench import MultiprocessingEvaluator, perform_experiments

    try:
        from ema_workbench import Policy as Sample  # EMA 2.x
    except ImportError:
        from ema_workbench import Sample  # EMA 3.x merged Scenario and Policy

    model = casus.ema.model("ukraine", trials=256)
    assert "option" in [lv.name for lv in model.levers]
    policy = Sample("nato-membership, major attack", option="nato-membership", attack="major-attack")
    with MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        experiments, outcomes = perform_experiments(model, scenarios=200, policies=[policy], evaluator=evaluator)
    assert len(experiments) == 200
    assert set(experiments["option"].astype(str)) == {"nato-membership"}
    y_all = outcomes["p_lead_military_response"]
    assert ((0 <= y_all) & (y_all <= 1)).all()
    # Where does the lead guarantor's response fall below its median? PRIM finds a box whose
    # density beats the base rate of 0.5.
    uncertainties = [u.name for u in model.uncertainties]
    y = y_all < float(sorted(y_all)[len(y_all) // 2])
    box = casus.ema.prim(experiments[uncertainties], y, threshold=0.7).find_box()
    assert box.peeling_trajectory["density"].max() >= 0.7
