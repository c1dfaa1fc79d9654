"""casus: security commitments as code, from Python.

Every function answers exactly what the command line answers: ``result.to_json()`` is the
text ``casus ... --format json`` prints, ``str(result)`` its table. Computation runs in Rust
with the GIL released; every result pickles (for Dask, Ray and EMA Workbench workers).

>>> import casus
>>> r = casus.obligations(attacker="RUS", target="EST", date="2025-06-01")
>>> r.event["target"], r.event["date"]
('EST', '2025-06-01')
>>> "north-atlantic-treaty" in {o["commitment"] for o in r.obligations}
True
"""

from __future__ import annotations

from typing import Any, Iterable

from . import _casus
from ._casus import Answer, CasusError
from ._models import (
    Accession,
    Assessment,
    Dyads,
    Negotiation,
    Simulation,
    accession,
    assess,
    dyads,
    negotiate,
    simulate,
)
from ._result import _call, _library, _Result
from ._sweep import Sweep, salib_problem, scope, sweep

__version__: str = _casus.__version__

__all__ = [
    "Accession",
    "Answer",
    "Assessment",
    "CasusError",
    "Dyads",
    "Listing",
    "Negotiation",
    "Obligations",
    "Cascade",
    "Commitment",
    "Library",
    "Simulation",
    "Sweep",
    "accession",
    "assess",
    "cascade",
    "dyads",
    "explain",
    "library",
    "negotiate",
    "obligations",
    "simulate",
    "salib_problem",
    "scope",
    "show",
    "sweep",
]


class Obligations(_Result):
    """Who owes what to whom for one attack: ``obligations``, ``not_triggered``, ``unknown``, ``breached``."""

    _records = "obligations"

    @property
    def event(self) -> dict[str, Any]:
        return self.to_dict()["event"]

    @property
    def obligations(self) -> list[dict[str, Any]]:
        return self.to_dict()["obligations"]

    @property
    def not_triggered(self) -> list[dict[str, Any]]:
        return self.to_dict()["not_triggered"]

    @property
    def unknown(self) -> list[dict[str, Any]]:
        return self.to_dict()["unknown"]

    @property
    def breached(self) -> list[dict[str, Any]]:
        return self.to_dict()["breached"]

    @property
    def obligors(self) -> list[str]:
        """The states bound to act, each once, in the order first owed."""
        seen: dict[str, None] = {}
        for o in self.obligations:
            seen.setdefault(o["obligor"], None)
        return list(seen)


class Cascade(_Result):
    """Who is drawn in on each side, by which chain of obligations."""

    _records = "sides"


class Listing(_Result):
    """A registry (actors, places, commitments, orgs, parameters)."""

    _records = "rows"

    def records(self) -> list[dict[str, Any]]:
        data = self.to_dict()
        if isinstance(data, dict):
            for value in data.values():
                if isinstance(value, list):
                    return value
        return data if isinstance(data, list) else [data]


class Commitment(_Result):
    """A commitment's quoted text beside its encoding, clause by clause."""

    _records = "clauses"


def obligations(
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
    commitment: Iterable[str] = (),
    obligor: Iterable[str] = (),
    explain: bool = False,
    show_not_triggered: bool = False,
    library: Any = None,
    builtin: bool = True,
) -> Obligations:
    """Who owes what to whom if ``attacker`` attacks ``target`` on ``date``, and why.

    The same answer as ``casus obligations --attacker … --target … --date … --format json``.
    ``library`` adds files or folders after the built-in library (same ids replace).

    >>> r = casus.obligations("RUS", "EST", "2025-06-01", commitment=["north-atlantic-treaty"])
    >>> r.obligors[:3]
    ['ALB', 'BEL', 'BGR']
    >>> casus.obligations("RUS", "EST", "2025-13-01")
    Traceback (most recent call last):
    ...
    casus.CasusError: date: ...
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
        "commitment": list(commitment),
        "obligor": list(obligor),
        "explain": explain,
        "show_not_triggered": show_not_triggered,
    }
    return _call(Obligations, "obligations", req, library, builtin)


def explain(attacker: str, target: str, date: str | None = None, **kwargs: Any) -> Obligations:
    """Like :func:`obligations`, with every explanation tree in the table (``str(result)``).

    >>> text = str(casus.explain("RUS", "EST", "2025-06-01", commitment=["north-atlantic-treaty"]))
    >>> "North Atlantic Treaty, Article 5" in text
    True
    """
    kwargs["explain"] = True
    return obligations(attacker, target, date, **kwargs)


def cascade(
    attacker: str,
    target: str,
    date: str | None = None,
    *,
    library: Any = None,
    builtin: bool = True,
    **request: Any,
) -> Cascade:
    """Who is drawn in on each side, following obligations through the alliance network."""
    req = {"attacker": attacker, "target": target, "date": date, **request}
    return _call(Cascade, "cascade", req, library, builtin)


def show(commitment: str, *, library: Any = None, builtin: bool = True) -> Commitment:
    """A commitment's quoted text beside its encoding.

    >>> casus.show("north-atlantic-treaty").to_dict()["id"]
    'north-atlantic-treaty'
    """
    return _call(Commitment, "show", {"id": commitment}, library, builtin)


def list_(what: str, search: str | None = None, *, library: Any = None, builtin: bool = True) -> Listing:
    """A registry: ``actors``, ``places``, ``commitments``, ``orgs`` or ``parameters``."""
    return _call(Listing, "list", {"what": what, "search": search}, library, builtin)


class Library:
    """The library's registries, each a :class:`Listing`.

    >>> lib = casus.library()
    >>> any(c["id"] == "north-atlantic-treaty" for c in lib.commitments.records())
    True
    """

    def __init__(self, library: Any = None, builtin: bool = True) -> None:
        self._library = _library(library)
        self._builtin = builtin

    def _get(self, what: str) -> Listing:
        return list_(what, library=self._library, builtin=self._builtin)

    @property
    def commitments(self) -> Listing:
        return self._get("commitments")

    @property
    def actors(self) -> Listing:
        return self._get("actors")

    @property
    def places(self) -> Listing:
        return self._get("places")

    @property
    def orgs(self) -> Listing:
        return self._get("orgs")

    @property
    def parameters(self) -> Listing:
        return self._get("parameters")

    def __reduce__(self) -> tuple[Any, ...]:
        return (Library, (self._library, self._builtin))


def library(library: Any = None, builtin: bool = True) -> Library:
    """The built-in library (plus ``library`` files): commitments, actors, places, orgs, parameters."""
    return Library(library, builtin)
