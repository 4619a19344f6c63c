"""GB/T 8170 rounding: one rule in four representations, each checked against the
rule's text (§3.2 examples) and against the others."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import duckdb
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.core.rounding import round_fraction, round_half_even, round_scaled, round_scaled_sql

# GB/T 8170—2008 §3.2 examples (to one decimal / to integers / half to even).
EXAMPLES = [
    (12.1498, 1, 12.1),
    (10.2502, 1, 10.3),  # above half: up
    (1.050, 1, 1.0),  # half, even neighbour below
    (0.350, 1, 0.4),  # half, even neighbour above
    (2500.5, 0, 2500.0),
    (35.5, 0, 36.0),
    (2.675, 2, 2.68),  # decimal value, not the binary neighbour Python's round() sees
]


def test_the_standard_examples() -> None:
    for x, digits, want in EXAMPLES:
        assert round_half_even(x, digits) == want, (x, digits)
        assert round_fraction(Fraction(Decimal(repr(x))), digits) == Fraction(Decimal(repr(want)))


def test_none_and_nan_give_none() -> None:
    assert round_half_even(None, 1) is None
    assert round_half_even(float("nan"), 1) is None


_CON = duckdb.connect()
scaled = st.integers(min_value=0, max_value=10**12)
digits = st.integers(min_value=0, max_value=3)


@given(scaled, digits)
def test_the_four_representations_agree(q: int, d: int) -> None:
    exact = round_fraction(Fraction(q, 10**6), d)
    assert Fraction(int(round_scaled(np.array([float(q)]), d)[0]), 10**6) == exact
    got = _CON.execute(f"SELECT {round_scaled_sql(str(q) + '::BIGINT', d)}").fetchone()
    assert got is not None and Fraction(int(got[0]), 10**6) == exact
    x = float(Decimal(q).scaleb(-6))
    assert round_half_even(x, d) == float(exact)


@given(st.integers(min_value=-(10**6), max_value=10**6), digits)
def test_exact_halves_go_to_the_even_neighbour(n: int, d: int) -> None:
    half = Fraction(2 * n + 1, 2 * 10**d)  # exactly between n and n+1 units
    r = round_fraction(half, d) * 10**d
    assert r.denominator == 1 and r.numerator % 2 == 0 and r.numerator in (n, n + 1)


def test_doctests() -> None:
    import doctest

    import ecoplan.core.rounding as mod

    result = doctest.testmod(mod, raise_on_error=False)
    assert result.attempted >= 2 and result.failed == 0
