"""The doctests of ``ecoplan.air.standards`` run and pass."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from ecoplan.air.standards import (
    aqi,
    editions,
    gb3095,
    hj633_2012,
    hj633_2026,
    hj663_2013,
    hj663_2026,
)

MODULES = [aqi, editions, gb3095, hj633_2012, hj633_2026, hj663_2013, hj663_2026]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__.rsplit(".", 1)[-1])
def test_doctests(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, raise_on_error=False)
    assert result.failed == 0


def test_doctests_exist() -> None:
    """The modules with worked examples in their docstrings actually carry them."""
    for module in (aqi, gb3095, hj663_2013, hj663_2026):
        assert doctest.testmod(module).attempted > 0, module.__name__
