"""Drinking-water sources (``ecoplan.water.standards.drinking_source``).

- Tables 2 and 3: the Table 2 cells of spec §1 and a few Table 3 cells typed again;
- the attainment rule (Table 1 at or better than Ⅲ on the 21 items, Table 2 and the
  selected Table 3 items within their limits; reference items beside the verdict);
- the period rule option and the rates by count and by volume;
- hypothesis: a worse concentration never turns a failing source into a passing one;
- invalid input raises.
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.water.standards import drinking_source as ds
from ecoplan.water.standards import evaluation_2011 as ev

GOOD = {"pH": 7.5, "DO": 6.8, "CODMn": 3.1, "NH3N": 0.3, "TP": 0.06, "COD": 12.0}


def test_tables() -> None:
    assert ds.TABLE2_LIMITS == {"SO4": 250, "Cl": 250, "NO3N": 10, "Fe": 0.3, "Mn": 0.1}  # spec §1
    assert len(ds.TABLE3_LIMITS) == 80
    spots = {"三氯甲烷": 0.06, "苯": 0.01, "甲醛": 0.9, "苯并(a)芘": 2.8e-6, "钴": 1.0, "铊": 0.0001}
    assert {k: ds.TABLE3_LIMITS[k] for k in spots} == spots
    names = list(ds.TABLE3_LIMITS)
    assert (names[19], names[38], names[79]) == ("甲苯", "苯胺", "铊")  # table order
    conf = ds.TABLE3_CONFIDENCE
    assert sum(1 for c in conf.values() if c == "S×2") == 38
    assert conf["甲苯"] == conf["联苯胺"] == "S×1" and conf["苯胺"] == conf["三氯甲烷"] == "S×2"


def test_attains_rule() -> None:
    ok = ds.attains({**GOOD, "Fe": 0.3, "Mn": 0.1, "FC": 5400})
    assert (ok.meets, ok.cls, ok.failing, ok.reference) == (True, 2, [], {"FC": 3})
    bad = ds.attains({**GOOD, "NH3N": 1.2, "Mn": 0.12, "苯": 0.02}, table3_items=["苯"])
    assert (bad.meets, bad.cls, bad.failing) == (False, 4, ["NH3N", "Mn", "苯"])
    # an unselected Table 3 item is not judged
    assert ds.attains({**GOOD, "苯": 0.02}).meets is True
    # lake-type: lake TP row; TN and FC reported, not judged
    lake = ds.attains({**GOOD, "TN": 1.8}, "lake")
    assert (lake.meets, lake.cls, lake.failing, lake.reference) == (False, 4, ["TP"], {"TN": 5})
    # target class option
    assert ds.attains(GOOD, target_class=2).meets is True
    assert ds.attains(GOOD, target_class=1).failing == ["DO", "CODMn", "NH3N", "TP"]  # TP 0.06 river → Ⅱ


def test_cod_not_classed_by_default() -> None:
    """Recent source reports class 20 items ("23项，化学需氧量除外"); the 21-item reading is
    an option."""
    assert "COD" not in ds.SOURCE_ITEMS and len(ds.SOURCE_ITEMS) == 20
    sample = {**GOOD, "COD": 35.0}  # COD 35 → Ⅴ
    assert ds.attains(sample).meets is True
    assert ds.attains(sample, items=ev.EVALUATION_ITEMS).failing == ["COD"]


@pytest.mark.parametrize("item", sorted(ds.TABLE2_LIMITS))
def test_table2_limits_inclusive(item: str) -> None:
    limit = ds.TABLE2_LIMITS[item]
    assert ds.attains({**GOOD, item: limit}).meets is True
    assert ds.attains({**GOOD, item: float(np.nextafter(limit, math.inf))}).failing == [item]


def test_attains_period_rules() -> None:
    months = [{**GOOD, "NH3N": 0.6}, {**GOOD, "NH3N": 1.3}, {**GOOD, "NH3N": 0.8}]
    assert ds.attains_period(months).meets is True  # mean 0.9 → Ⅲ
    strict = ds.attains_period(months, rule="every_sample")
    assert (strict.meets, strict.failing, strict.cls) == (False, ["NH3N"], 4)


def test_rates() -> None:
    r = ds.rates([True, True, False, True, False], [1.0, 2.0, 3.0, 4.0, 0.0])
    assert (r.sources, r.by_count, r.by_volume) == (5, 0.6, 0.7)
    assert ds.rates([True]).by_volume is None


@settings(max_examples=200)
@given(
    item=st.sampled_from(["NH3N", "CODMn", "TP", "Fe", "Mn", "NO3N", "SO4"]),
    x=st.floats(0, 20),
    d=st.floats(0, 20),
)
def test_worse_never_passes(item: str, x: float, d: float) -> None:
    a = ds.attains({**GOOD, item: x})
    b = ds.attains({**GOOD, item: x + d})
    assert not (b.meets and not a.meets)


def test_invalid_input_raises() -> None:
    with pytest.raises(ValueError, match="not a GB 3838"):
        ds.attains({**GOOD, "Chla": 1.0})
    with pytest.raises(ValueError, match="Table 3"):
        ds.attains(GOOD, table3_items=["苯酚"])
    with pytest.raises(ValueError, match="negative"):
        ds.attains({**GOOD, "Fe": -0.1})
    with pytest.raises(ValueError, match="negative"):
        ds.attains({**GOOD, "NH3N": -0.1})
    with pytest.raises(ValueError, match="Table 1"):
        ds.attains({"Fe": 0.1})
    with pytest.raises(ValueError, match="target_class"):
        ds.attains(GOOD, target_class=0)
    with pytest.raises(ValueError, match="rule"):
        ds.attains_period([GOOD], rule="median")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no sample"):
        ds.attains_period([])
    with pytest.raises(ValueError, match="no monitored"):
        ds.rates([])
    with pytest.raises(ValueError, match="volumes"):
        ds.rates([True, False], [1.0])
    with pytest.raises(ValueError, match="≥ 0"):
        ds.rates([True], [-1.0])
    with pytest.raises(ValueError, match="total volume"):
        ds.rates([True], [0.0])


def test_doctests() -> None:
    assert doctest.testmod(ds).failed == 0
