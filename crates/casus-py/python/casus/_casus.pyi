"""The Rust half of casus (pyo3). The typed wrappers are in ``casus``."""

from os import PathLike
from typing import Any, Sequence

from typing_extensions import disjoint_base

__all__ = ["__version__", "Answer", "CasusError", "call", "discover", "evaluate", "merge", "plan", "run_shard", "scope", "sobol"]

__version__: str

class CasusError(ValueError):
    """A request casus cannot answer: bad input, or a library with errors."""

@disjoint_base
class Answer:
    """An answer: its kind, its JSON exactly as the command line prints it, and its table."""

    def __new__(cls, kind: str, json: str, table: str = ..., out: str | None = None) -> Answer: ...
    @property
    def kind(self) -> str: ...
    @property
    def out(self) -> str | None:
        """The folder the run's files were written to (``out=``), else None."""
    def to_json(self) -> str: ...
    def table(self) -> str: ...
    def __eq__(self, value: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, ...]: ...

def call(kind: str, request: str, library: Sequence[str | PathLike[str]] = ..., builtin: bool = True) -> Answer: ...
def scope(which: str) -> str: ...
def plan(
    scope: str,
    out: str | PathLike[str],
    samples: int = 100,
    design: str = ...,
    seed: int | None = None,
) -> int: ...
def run_shard(dir: str | PathLike[str], index: int, count: int) -> str: ...
def merge(dir: str | PathLike[str]) -> str: ...
def sobol(dir: str | PathLike[str], metric: str, resamples: int = 1000, confidence: float = 0.95) -> str: ...
def discover(
    dir: str | PathLike[str],
    metric: str,
    below: float | None = None,
    above: float | None = None,
    alpha: float = 0.05,
    min_mass: float = 0.05,
) -> str: ...
def evaluate(
    model: str, values: dict[str, float], levers: dict[str, str], seed: int = 0, trials: int | None = None
) -> list[float]: ...
