"""EMA Workbench adapter: a casus scope as an EMA ``Model`` — uncertainties as
``RealParameter``/``IntegerParameter``, categorical levers as ``CategoricalParameter`` whose
values are the levers' names (never indices), outcomes as ``ScalarOutcome``.

Works with EMA Workbench 2.5 (Python 3.10–3.11) and 3.x (Python 3.12+): the model's
function is a module-level callable, so the multiprocessing evaluator can pickle it, and
:func:`prim` hides the one change of PRIM's signature between them (3.0 dropped ``threshold``).
"""

from __future__ import annotations

import inspect
from typing import Any

from . import _casus
from ._sweep import scope as _scope


class _Function:
    """The model's function: picklable (module-level class, plain attributes)."""

    def __init__(
        self, model: str, numeric: list[str], levers: list[str], outcomes: list[str], trials: int | None = None
    ) -> None:
        self.model = model
        self.numeric = numeric
        self.levers = levers
        self.outcomes = outcomes
        self.trials = trials

    def __call__(self, **kwargs: Any) -> dict[str, float]:
        values = {n: float(kwargs[n]) for n in self.numeric}
        levers = {n: str(kwargs[n]) for n in self.levers}
        seed = int(kwargs.get("seed", 0))
        out = _casus.evaluate(self.model, values, levers, seed, getattr(self, "trials", None))
        return dict(zip(self.outcomes, out))


def model(name: str, trials: int | None = None) -> Any:
    """The scope ``name`` (built-in or a file) as an ``ema_workbench.Model``.

    Uncertainties and numeric levers are ``RealParameter`` (``IntegerParameter`` when the scope
    says integer), categorical levers ``CategoricalParameter`` over the levers' names, so
    experiments come back with names, never indices; outcomes are ``ScalarOutcome`` with the
    scope's direction (minimize, maximize, info). ``trials``: trials per experiment (default:
    the scope's).
    """
    from ema_workbench import (
        CategoricalParameter,
        IntegerParameter,
        Model,
        RealParameter,
        ScalarOutcome,
    )

    s = _scope(name)

    def numeric(f: dict[str, Any]) -> Any:
        if f.get("integer"):
            return IntegerParameter(f["name"], int(f["low"]), int(f["high"]))
        return RealParameter(f["name"], f["low"], f["high"])

    kinds = {"minimize": ScalarOutcome.MINIMIZE, "maximize": ScalarOutcome.MAXIMIZE}
    num_levers = [lv for lv in s["levers"] if "values" not in lv]
    cat_levers = [lv for lv in s["levers"] if "values" in lv]
    m = Model(s["name"], function=_Function(
        s["model"],
        [f["name"] for f in s["uncertainties"]] + [lv["name"] for lv in num_levers],
        [lv["name"] for lv in cat_levers],
        [o["name"] for o in s["outcomes"]],
        trials,
    ))
    m.uncertainties = [numeric(f) for f in s["uncertainties"]]
    m.levers = [numeric(f) for f in num_levers] + [
        CategoricalParameter(lv["name"], lv["values"]) for lv in cat_levers
    ]
    m.outcomes = [
        ScalarOutcome(o["name"], kind=kinds[o["kind"]]) if o["kind"] in kinds else ScalarOutcome(o["name"])
        for o in s["outcomes"]
    ]
    return m


def prim(x: Any, y: Any, threshold: float = 0.8, **kwargs: Any) -> Any:
    """EMA's PRIM on experiments ``x`` and a boolean ``y``, under EMA 2.5 or 3.x.

    ``threshold`` (the density a box must reach) is passed where EMA still takes it (2.x); in
    3.x it is left out, as 3.0 removed it (pick the box on its trajectory instead).
    """
    from ema_workbench.analysis import prim as ema_prim

    if "threshold" in inspect.signature(ema_prim.Prim.__init__).parameters:
        kwargs["threshold"] = threshold
    return ema_prim.Prim(x, y, **kwargs)
