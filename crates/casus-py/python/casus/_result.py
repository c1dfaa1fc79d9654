"""The typed results' base class and the one call into Rust every request goes through."""

from __future__ import annotations

import json
import os
from typing import Any, Sequence

from . import _casus
from ._casus import Answer


class _Result(Answer):
    """An answer with its JSON as Python data (``to_dict``) and tables (``to_pandas``)."""

    _records: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The answer as plain Python data (the JSON, parsed)."""
        return json.loads(self.to_json())

    def records(self) -> list[dict[str, Any]]:
        """The answer's main table, one dict per row."""
        data = self.to_dict()
        rows = data.get(self._records, []) if self._records else data
        return list(rows) if isinstance(rows, list) else [rows]

    def to_pandas(self) -> Any:
        """The main table as a pandas DataFrame (nested fields flattened with dots)."""
        import pandas as pd

        return pd.json_normalize(self.records())

    def to_polars(self) -> Any:
        """The main table as a polars DataFrame."""
        import polars as pl

        return pl.DataFrame(self.records())



def _library(library: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | None) -> list[str]:
    if library is None:
        return []
    if isinstance(library, (str, os.PathLike)):
        return [os.fspath(library)]
    return [os.fspath(p) for p in library]


def _call(cls: type, kind: str, request: dict[str, Any], library: Any, builtin: bool) -> Any:
    req = {k: v for k, v in request.items() if v is not None}
    a = _casus.call(kind, json.dumps(req), _library(library), builtin)
    return cls(a.kind, a.to_json(), a.table(), a.out)
