"""TLI(Σ) (``ecoplan.water.standards.tli``) against the spec vectors and properties.

- every vector of kinds ``TLI`` and ``TLI_missing_SD`` (W9a–W9d);
- the grade boundaries 30/50/60/70 under both ownership options;
- hypothesis: a worse value (more chla, TP, TN, CODMn; less SD) never lowers TLI(Σ)
  nor the grade; the vectorised grade equals the scalar one;
- invalid input (≤ 0, NaN, unknown parameter, too few parameters) raises.
"""

from __future__ import annotations

import doctest
import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import SHARED

from ecoplan.water.standards import tli

VECTORS_FILE = SHARED / "specs" / "water-soil-vectors.json"
_ALL: list[dict[str, Any]] = json.loads(VECTORS_FILE.read_text("utf-8")) if VECTORS_FILE.exists() else []
needs_vectors = pytest.mark.skipif(not _ALL, reason="shared/specs not beside the repo")

_KEYS = {"chla_mg_m3": "chla", "TP_mg_L": "TP", "TN_mg_L": "TN", "SD_m": "SD", "CODMn_mg_L": "CODMn"}


def _kind(*kinds: str) -> list[Any]:
    return [pytest.param(v, id=v["id"]) for v in _ALL if v["kind"] in kinds]


def _values(raw: dict[str, float]) -> dict[str, float]:
    return {_KEYS[k]: v for k, v in raw.items()}


def _grade_zh(code: str) -> str:
    return tli.GRADE_ZH[tli.GRADES.index(code)]


@needs_vectors
def test_all_tli_vectors_are_used() -> None:
    assert [v["id"] for v in _ALL if v["kind"] in ("TLI", "TLI_missing_SD")] == ["W9a", "W9b", "W9c", "W9d"]


@needs_vectors
@pytest.mark.parametrize("vec", _kind("TLI"))
def test_tli_vectors(vec: dict[str, Any]) -> None:
    exp = vec["expected"]
    r = tli.tli(_values(vec["input"]))
    assert list(r.weights) == list(tli.PARAMETERS)
    assert list(r.weights.values()) == pytest.approx(exp["weights"], abs=5e-7)
    for p, want in exp["TLI_j"].items():
        assert float(r.parts[p]) == pytest.approx(want, abs=5e-5), p
    assert float(r.total) == pytest.approx(exp["TLI_sum"], abs=5e-5)
    assert _grade_zh(tli.grade(float(r.total))) == exp["grade"]


@needs_vectors
@pytest.mark.parametrize("vec", _kind("TLI_missing_SD"))
def test_tli_missing_sd_vector(vec: dict[str, Any]) -> None:
    exp = vec["expected"]
    values = _values(vec["input"])
    with pytest.raises(ValueError, match="needs 5 parameters"):
        tli.tli(values)  # default: all five
    r = tli.tli(values, min_params=4)
    assert r.weights == pytest.approx(exp["weights"], abs=5e-7)
    assert {p: float(v) for p, v in r.parts.items()} == pytest.approx(exp["TLI_j"], abs=5e-5)
    assert float(r.total) == pytest.approx(exp["TLI_sum"], abs=5e-5)
    assert _grade_zh(tli.grade(float(r.total))) == exp["grade"]


def test_weights_from_the_correlations() -> None:
    """Spec §3: r² = 1, 0.7056, 0.6724, 0.6889, 0.6889; Σ = 3.7558."""
    w = tli.weights()
    assert w["chla"] == pytest.approx(1 / 3.7558, rel=1e-12)
    assert w["TN"] == pytest.approx(0.6724 / 3.7558, rel=1e-12)
    assert math.fsum(w.values()) == pytest.approx(1.0, abs=1e-15)


def test_chla_unit_helper() -> None:
    assert float(tli.chla_mg_m3(0.0101)) == pytest.approx(10.1)


@pytest.mark.parametrize(
    ("total", "spec", "upper"),
    [
        (29.999, "oligotrophic", "oligotrophic"),
        (30.0, "mesotrophic", "mesotrophic"),
        (50.0, "mesotrophic", "light_eutrophic"),
        (50.001, "light_eutrophic", "light_eutrophic"),
        (60.0, "light_eutrophic", "middle_eutrophic"),
        (70.0, "middle_eutrophic", "hyper_eutrophic"),
        (70.001, "hyper_eutrophic", "hyper_eutrophic"),
    ],
)
def test_grade_boundaries(total: float, spec: str, upper: str) -> None:
    assert tli.grade(total) == spec
    assert tli.grade(total, boundaries="upper") == upper
    for mode, want in (("spec", spec), ("upper", upper)):
        assert tli.GRADES[int(tli.grade_array([total], boundaries=mode)[0])] == want  # type: ignore[arg-type]


positive = st.floats(min_value=1e-4, max_value=1e4, allow_nan=False)


@settings(max_examples=200)
@given(
    base=st.fixed_dictionaries({p: positive for p in tli.PARAMETERS}),
    param=st.sampled_from(tli.PARAMETERS),
    factor=st.floats(min_value=1.0, max_value=100.0),
)
def test_worse_value_never_better(base: dict[str, float], param: str, factor: float) -> None:
    """More chla/TP/TN/CODMn or less SD: TLI(Σ) does not fall, the grade is not better."""
    worse = dict(base)
    worse[param] = base[param] / factor if param == "SD" else base[param] * factor
    a, b = float(tli.tli(base).total), float(tli.tli(worse).total)
    assert b >= a - 1e-9
    b = max(a, b)  # equal up to rounding noise (SD/factor when factor is ~1)
    for mode in ("spec", "upper"):
        assert tli.GRADES.index(tli.grade(b, boundaries=mode)) >= tli.GRADES.index(
            tli.grade(a, boundaries=mode)
        )


@settings(max_examples=200)
@given(st.lists(st.floats(min_value=-20, max_value=120, allow_nan=False), min_size=1, max_size=20))
def test_grade_array_matches_scalar(totals: list[float]) -> None:
    for mode in ("spec", "upper"):
        arr = tli.grade_array(totals, boundaries=mode)
        assert [tli.GRADES[i] for i in arr] == [tli.grade(t, boundaries=mode) for t in totals]


def test_vectorised_tli() -> None:
    r = tli.tli(
        {
            "chla": np.array([10.0, 45.0]),
            "TP": [0.05, 0.18],
            "TN": [1.0, 2.6],
            "SD": [1.0, 0.35],
            "CODMn": [4.0, 7.5],
        }
    )
    assert r.total.tolist() == pytest.approx([48.0181, 65.9770], abs=5e-5)  # W9a, W9b


@pytest.mark.parametrize("bad", [0.0, -1.0, math.nan])
def test_invalid_values_raise(bad: float) -> None:
    with pytest.raises(ValueError, match="chla"):
        tli.tli({"chla": bad, "TP": 0.05, "TN": 1.0, "SD": 1.0, "CODMn": 4.0})


def test_other_invalid_input_raises() -> None:
    with pytest.raises(ValueError, match="unknown"):
        tli.tli({"chla": 1.0, "Chl": 2.0})
    with pytest.raises(ValueError, match="min_params"):
        tli.tli({"chla": 1.0}, min_params=0)
    with pytest.raises(ValueError, match="needs 2"):
        tli.tli({"chla": 1.0}, min_params=2)
    with pytest.raises(ValueError, match="unknown TLI parameter"):
        tli.part("Secchi", 1.0)
    with pytest.raises(ValueError, match="boundaries"):
        tli.grade(40.0, boundaries="lower")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="NaN"):
        tli.grade(math.nan)
    with pytest.raises(ValueError, match="parameters"):
        tli.weights([])


def test_doctests() -> None:
    assert doctest.testmod(tli).failed == 0
