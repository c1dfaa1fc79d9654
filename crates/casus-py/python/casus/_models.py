"""The models from Python: ``simulate``, ``assess``, ``accession``, ``negotiate`` and ``dyads``.

Each builds the request the command line builds from its flags and returns the command's
answer: ``to_json()`` is exactly what ``casus COMMAND ... --format json`` prints.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from typing import Any, Mapping, Union

from ._result import _call, _library, _Result

#: A prior's new value, or ``(value, low, high)``.
Prior = Union[float, "tuple[float, float, float]"]


def _metric_rows(metrics: dict[str, Any], **key: Any) -> list[dict[str, Any]]:
    """Metrics as long rows: ``metric, estimate, stderr, band_low, band_high`` (with ``key`` first).

    A metric given at several thresholds (``p_capability_ge``) gives one row per threshold,
    named ``metric[threshold]``.
    """
    rows = []

    def row(name: str, m: dict[str, Any]) -> None:
        band = m.get("band") or [None, None]
        rows.append(
            {**key, "metric": name, "estimate": m["estimate"], "stderr": m["stderr"],
             "band_low": band[0], "band_high": band[1]}
        )

    for name, m in metrics.items():
        if isinstance(m, dict) and "estimate" in m:
            row(name, m)
        elif isinstance(m, dict) and all(isinstance(v, dict) and "estimate" in v for v in m.values()):
            for t, v in m.items():
                row(f"{name}[{t}]", v)
    return rows


class _PerTrial(_Result):
    """A model run's answer; with ``out=DIR``, where it wrote its per-trial rows."""

    @property
    def trials_path(self) -> str | None:
        """``DIR/trials.parquet``: one row per option and trial (``option, trial, responders,
        military_responders, first_military_days, capability_ratio, responded,
        responded_military``); ``trials.csv`` beside it has the same rows."""
        return os.path.join(self.out, "trials.parquet") if self.out else None


class Simulation(_PerTrial):
    """How surely, how fast and how strongly the library as it stands answers an attack.

    ``records()`` / ``to_pandas()``: one row per guarantor; :meth:`metrics` the figures;
    with ``out=DIR``, :attr:`trials_path` the per-trial rows.
    """

    _records = "guarantors"

    @property
    def header(self) -> dict[str, Any]:
        return self.to_dict()["header"]

    @property
    def lead(self) -> str | None:
        """The lead guarantor (the decider others follow, else the largest committed capability)."""
        return self.to_dict()["lead"]

    def metrics(self) -> list[dict[str, Any]]:
        """Each figure as a row: ``metric, estimate, stderr, band_low, band_high``."""
        return _metric_rows(self.to_dict()["metrics"])


class Assessment(_PerTrial):
    """Guarantee designs compared on what they would deliver.

    ``records()`` / ``to_pandas()``: a long table, one row per option and figure
    (``option, metric, estimate, stderr, band_low, band_high``); with ``out=DIR``,
    :attr:`trials_path` the per-trial rows.
    """

    _records = "options"

    @property
    def header(self) -> dict[str, Any]:
        return self.to_dict()["header"]

    @property
    def options(self) -> list[dict[str, Any]]:
        return self.to_dict()["options"]

    def option(self, id: str) -> dict[str, Any]:
        """One option's results by its id."""
        for o in self.options:
            if o["id"] == id:
                return o
        raise KeyError(id)

    def records(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for o in self.options:
            rows += _metric_rows(o, option=o["id"])
        return rows


class Accession(_Result):
    """When a candidate would join, whose consent is missing, what protects it meanwhile.

    ``records()`` / ``to_pandas()``: one row per member (position, P(pivotal) …).
    """

    _records = "members"

    @property
    def p_member_by_until(self) -> dict[str, Any] | None:
        return self.to_dict().get("p_member_by_until")

    def cdf(self) -> list[dict[str, Any]]:
        """P(a member by date), month by month."""
        return list(self.to_dict().get("cdf") or [])


class Negotiation(_Result):
    """The bargaining space of a settlement and where talks would drift.

    ``records()`` / ``to_pandas()``: one row per issue with each model's forecast.
    """

    _records = "forecasts"

    @property
    def verdict(self) -> dict[str, Any] | None:
        return self.to_dict().get("verdict")


class Dyads(_Result):
    """ATOP's directed dyad-year obligations (one row per dyad-year). ``str()`` is the CSV."""

    _records = "rows"


def _priors_file(priors: Mapping[str, Prior]) -> str:
    """The overrides as a library file of ``[[parameter]]`` entries (what ``--library FILE`` reads).

    Named by its content, so the same overrides are the same file (and the library loaded once).
    Keys are parameter ids, or ``id@ACTOR`` for one actor's value.
    """
    lines = ["# Prior overrides given from Python (casus.assess / casus.simulate priors=)."]
    for key, v in priors.items():
        pid, _, actor = key.partition("@")
        lines += ["", "[[parameter]]", f"id = {json.dumps(pid)}"]
        if actor:
            lines.append(f"actor = {json.dumps(actor)}")
        if isinstance(v, (int, float)):
            lines.append(f"value = {float(v)!r}")
        else:
            value, low, high = v
            lines += [f"value = {float(value)!r}", f"low = {float(low)!r}", f"high = {float(high)!r}"]
        lines.append('assumption = "Set by the user (priors= in Python)."')
    text = "\n".join(lines) + "\n"
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    folder = os.path.join(tempfile.gettempdir(), f"casus-priors-{os.getuid() if hasattr(os, 'getuid') else 0}")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"priors-{digest}.toml")
    if not os.path.exists(path):
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    return path


def _with_priors(library: Any, priors: Mapping[str, Prior] | None) -> list[str]:
    files = _library(library)
    return files + [_priors_file(priors)] if priors else files


def simulate(
    attacker: str,
    target: str,
    date: str | None = None,
    *,
    place: str | None = None,
    kind: str | None = None,
    against: str | None = None,
    severity: str | None = None,
    provoked: bool = False,
    assume_proposals: bool = False,
    trials: int | None = None,
    precision: float = 0.005,
    seed: int = 1,
    threads: int | None = None,
    explain: bool = False,
    capabilities: str | os.PathLike[str] | None = None,
    priors: Mapping[str, Prior] | None = None,
    out: str | os.PathLike[str] | None = None,
    force: bool = False,
    library: Any = None,
    builtin: bool = True,
) -> Simulation:
    """The credibility model on the library as it stands: ``casus simulate --format json``.

    ``trials`` (default: as many as ``precision`` needs), ``seed``, ``threads`` (default: every
    core, as the command line; results do not depend on it; give 1 inside Dask or process-pool
    workers), ``capabilities`` (a COW NMC CSV), ``priors`` (``{"honour.base_rate": 0.3}``, a value
    or ``(value, low, high)``; ``"id@USA"`` for one actor) as a library file would give them.
    ``out``: a folder for the files ``--out`` writes (``summary.json``, ``trials.csv`` and
    ``trials.parquet``: one row per trial, naming the guarantors that responded; a manifest);
    files there that casus did not write are refused unless ``force``.

    >>> s = casus.simulate("RUS", "EST", "2025-06-01", trials=2000, seed=1)
    >>> s.header["trials"], s.lead
    (2000, 'USA')
    >>> 0 < {m["metric"]: m["estimate"] for m in s.metrics()}["p_any_military_response"] < 1
    True
    """
    req = {
        "attacker": attacker,
        "target": target,
        "date": date,
        "place": place,
        "kind": kind,
        "against": against,
        "severity": severity,
        "provoked": provoked,
        "assume_proposals": assume_proposals,
        "trials": trials,
        "precision": precision,
        "seed": seed,
        "threads": threads,
        "explain": explain,
        "capabilities": os.fspath(capabilities) if capabilities is not None else None,
        "out": os.path.abspath(out) if out is not None else None,
        "force": force,
    }
    return _call(Simulation, "simulate", req, _with_priors(library, priors), builtin)


def assess(
    which: str | os.PathLike[str],
    *,
    date: str | None = None,
    seed: int = 1,
    trials: int | None = None,
    precision: float = 0.005,
    threads: int | None = None,
    sensitivity: bool = False,
    draws: int = 200,
    draw_trials: int = 4096,
    capabilities: str | os.PathLike[str] | None = None,
    priors: Mapping[str, Prior] | None = None,
    out: str | os.PathLike[str] | None = None,
    force: bool = False,
    library: Any = None,
    builtin: bool = True,
) -> Assessment:
    """Guarantee designs compared against every attack of an assessment, with bands over the
    priors: ``casus assess WHICH --format json``.

    ``which``: an assessment id (``ukraine``) or a TOML file with an ``[assessment]``.
    ``draws`` joint draws of the priors of ``draw_trials`` trials each make the bands (0: none).
    ``priors`` as in :func:`simulate` (an assessment file's own overrides still come after them).
    ``out``: a folder for the files ``casus assess --out`` writes (``report.md`` and its charts,
    ``summary.json``, and per-trial ``trials.csv`` / ``trials.parquet``, the same bytes for the
    same seed; as there, ``out`` implies ``sensitivity``); files there that casus did not
    write are refused unless ``force``.

    >>> a = casus.assess("ukraine", seed=1, trials=1000, draws=0)
    >>> [o["id"] for o in a.options][:2]
    ['bilateral-2024', 'budapest-style']
    >>> df = a.to_pandas()
    >>> sorted(df.columns)[:3]
    ['band_high', 'band_low', 'estimate']
    >>> import pandas, tempfile
    >>> a = casus.assess("ukraine", seed=1, trials=1000, draws=0, out=tempfile.mkdtemp() + "/run")
    >>> t = pandas.read_parquet(a.trials_path)
    >>> len(t), list(t.columns[-2:])
    (5000, ['responded', 'responded_military'])
    >>> bool(t[t.option == "nato-membership"].responded.str.contains("USA").mean() > 0.5)
    True
    """
    req = {
        "which": os.fspath(which),
        "date": date,
        "seed": seed,
        "trials": trials,
        "precision": precision,
        "threads": threads,
        "sensitivity": sensitivity,
        "draws": draws,
        "draw_trials": draw_trials,
        "capabilities": os.fspath(capabilities) if capabilities is not None else None,
        "out": os.path.abspath(out) if out is not None else None,
        "force": force,
    }
    return _call(Assessment, "assess", req, _with_priors(library, priors), builtin)


def accession(
    candidate: str | None = None,
    *,
    org: str = "NATO",
    as_of: str | None = None,
    until: str | None = None,
    stances: str | os.PathLike[str] | None = None,
    trials: int = 20_000,
    seed: int = 1,
    worlds: int = 40,
    backtest: bool = False,
    coverage: bool = False,
    attacker: str = "RUS",
    library: Any = None,
    builtin: bool = True,
) -> Accession:
    """When would ``candidate`` join ``org``, whose consent is missing: ``casus accession --format json``.

    ``stances``: a TOML file of ``[[stance]]`` entries replacing the library's; ``coverage``
    lists the commitments that protect the candidate meanwhile against ``attacker``.

    >>> a = casus.accession("UKR", as_of="2025-06-01", trials=2000, worlds=0)
    >>> a.to_dict()["candidate"], 0 <= a.p_member_by_until["estimate"] <= 1
    ('UKR', True)
    """
    req = {
        "candidate": candidate,
        "org": org,
        "as_of": as_of,
        "until": until,
        "trials": trials,
        "seed": seed,
        "worlds": worlds,
        "backtest": backtest,
        "coverage_attacker": attacker if coverage else None,
        "stances": os.fspath(stances) if stances is not None else None,
    }
    return _call(Accession, "accession", req, library, builtin)


def negotiate(
    which: str | os.PathLike[str],
    *,
    model: str = "all",
    rounds: int = 10,
    settings: str = "scholz",
    steps: int = 6,
) -> Negotiation:
    """The bargaining space of a settlement and each model's forecast: ``casus negotiate --format json``.

    ``which``: ``ukraine`` (built in), a CSV of one issue, a TOML scenario, or DEU III's file.
    ``model``: ``compromise``, ``nash``, ``eum`` or ``all``.

    >>> n = casus.negotiate("ukraine")
    >>> n.verdict["zone_of_agreement"], len(n.records()) > 0
    (False, True)
    """
    req = {"which": os.fspath(which), "model": model, "rounds": rounds, "settings": settings, "steps": steps}
    return _call(Negotiation, "negotiate", req, None, True)


def dyads(
    *,
    from_: int | None = None,
    to: int | None = None,
    codes: str = "cow",
    atop: str | os.PathLike[str] | None = None,
    library: Any = None,
    builtin: bool = True,
) -> Dyads:
    """ATOP's directed dyad-year obligations: ``casus dyads --format json``.

    ``from_``/``to``: the years (default: the release's coverage); ``codes``: ``cow`` (COW codes)
    or ``iso`` (casus ids through the dated crosswalk); ``atop``: ATOP's release folder (default:
    the release imported into the store with ``casus data import atop DIR``).
    """
    req = {"from": from_, "to": to, "codes": codes, "atop": os.fspath(atop) if atop is not None else None}
    return _call(Dyads, "dyads", req, library, builtin)
