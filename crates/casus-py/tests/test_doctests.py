"""The examples in the docstrings run."""

from __future__ import annotations

import doctest

import pytest

import casus
import casus._models
import casus._sweep


@pytest.mark.parametrize("module", [casus, casus._models, casus._sweep])
def test_docstring_examples(module: object) -> None:
    failed, tried = doctest.testmod(
        module,  # type: ignore[arg-type]
        extraglobs={"casus": casus},
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
    )
    assert tried > 0
    assert failed == 0
