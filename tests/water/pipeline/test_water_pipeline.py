"""The water SQL gives what the pure classifiers of ``water/standards`` give.

References: :func:`gb3838_2002.item_class` (Table 1), :func:`evaluation_2011.period_mean`,
``section_class``, ``main_pollutants`` and ``river_grade`` (环办〔2011〕22号) — the
standards' own, tested code — and numbers counted by hand.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.water.pipeline.water_helpers import batch, sample, station

from ecoplan.store.engines import DuckDBEngine
from ecoplan.water.pipeline import PeriodOptions, register, sections, shares, targets
from ecoplan.water.pipeline.sql import class_case, item_periods_sql
from ecoplan.water.standards import evaluation_2011 as ev
from ecoplan.water.standards import gb3838_2002 as gb

ENGINE = DuckDBEngine()


def _sql_classes(values: list[float], item: str, water_body: str, equal_limits: str = "best") -> list[float]:
    df = pd.DataFrame({"v": values, "item": item, "wb": water_body})
    ENGINE.register_frame("t", df)
    sql = f"SELECT {class_case('v', 'item', 'wb', equal_limits)} AS c FROM t"  # type: ignore[arg-type]
    out = ENGINE.fetch(sql)["c"]
    return [float("nan") if pd.isna(c) else float(c) for c in out]


LIMIT_VALUES = sorted(
    {v for lims in gb.LE_LIMITS.values() for v in lims} | set(gb.DO_LIMITS) | {6.0, 9.0, 0.0, 5.9, 9.1}
)


@pytest.mark.parametrize("equal_limits", ["best", "worst"])
@pytest.mark.parametrize("water_body", ["river", "lake"])
def test_class_case_equals_table_1_on_every_limit(water_body: str, equal_limits: str) -> None:
    """Every limit of Table 1, and a hair either side of it, for every item."""
    vals = sorted({x for v in LIMIT_VALUES for x in (v, v * (1 - 1e-9), v * (1 + 1e-9)) if x <= 14})
    for item in gb.ITEMS:
        got = _sql_classes(vals, item, water_body, equal_limits)
        want = [
            gb.item_class(item, v, water_body, equal_limits=equal_limits)  # type: ignore[arg-type]
            for v in vals
        ]
        assert [None if math.isnan(g) else int(g) for g in got] == want, item


@settings(max_examples=40, deadline=None)
@given(
    item=st.sampled_from(gb.ITEMS),
    water_body=st.sampled_from(["river", "lake"]),
    values=st.lists(st.floats(min_value=0, max_value=14, allow_nan=False), min_size=1, max_size=20),
)
def test_class_case_equals_item_class(item: str, water_body: str, values: list[float]) -> None:
    got = _sql_classes(values, item, water_body)
    want = [gb.item_class(item, v, water_body) for v in values]  # type: ignore[arg-type]
    assert [None if math.isnan(g) else int(g) for g in got] == want


def _fixture() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six sections of Hebei (two cities), two months, one lake, one with cadmium, one
    non-detect; S5 has a second sample in January."""
    sts = [station(f"S{i}", "130102" if i < 3 else "130203", "lake" if i == 0 else "river") for i in range(6)]
    rows = []
    for i in range(6):
        for m in (1, 2):
            t = f"2025-{m:02d}-03 08:00"
            rows += [
                sample(f"S{i}", t, "pH", 7.0 + 0.1 * i),
                sample(f"S{i}", t, "DO", 7.6 - 0.9 * i),
                sample(f"S{i}", t, "CODMn", 2.5 + 1.5 * i + 0.2 * m),
                sample(f"S{i}", t, "NH3N", 0.1 + 0.35 * i),
                sample(f"S{i}", t, "TP", 0.04 * (i + 1)),
                sample(f"S{i}", t, "TN", 1.3),
            ]
    rows.append(sample("S5", "2025-01-20 08:00", "NH3N", 2.9))
    rows.append(sample("S5", "2025-02-03 08:00", "Cd", 0.008))
    rows.append(sample("S4", "2025-02-03 08:00", "Cd", 0.0005, flag="L"))
    b = batch(sts, rows)
    return b.samples, b.stations


@pytest.fixture(scope="module")
def loaded() -> tuple[DuckDBEngine, pd.DataFrame, pd.DataFrame]:
    eng = DuckDBEngine()
    s, st_ = _fixture()
    register(eng, s, st_)
    return eng, s, st_


def _reference_means(s: pd.DataFrame, period: str) -> dict[tuple[str, str], dict[str, float]]:
    """Period means with :func:`evaluation_2011.period_mean` (½ DL for flag L)."""
    s = s.copy()
    s["month"] = s["time"].dt.month
    out: dict[tuple[str, str], dict[str, float]] = {}
    monthly: dict[tuple[str, int, str], float] = {}
    for (code, m, item), g in s.groupby(["station", "month", "item"]):
        nd = (g["flag"] == "L").to_numpy()
        monthly[(str(code), int(m), str(item))] = ev.period_mean(
            g["value"].to_numpy(), nondetect=nd, detection_limit=g["value"].to_numpy()
        )
    for (code, m, item), v in monthly.items():
        key = (code, "2025" if period == "year" else f"2025-{m:02d}")
        out.setdefault(key, {}).setdefault(item, [])  # type: ignore[arg-type]
        out[key][item].append(v)  # type: ignore[attr-defined]
    return {k: {i: ev.period_mean(vs) for i, vs in d.items()} for k, d in out.items()}  # type: ignore[misc]


@pytest.mark.parametrize("period", ["year", "month"])
def test_sections_equal_the_pure_classifiers(
    loaded: tuple[DuckDBEngine, pd.DataFrame, pd.DataFrame], period: str
) -> None:
    eng, s, st_ = loaded
    got = sections(eng, st_, year=2025, period=period)
    ref = _reference_means(s, period)
    assert len(got) == len(ref) == (6 if period == "year" else 12)
    wb = st_.set_index("code")["water_body"]
    for d in got.to_dict("records"):
        means = ref[(d["station"], d["period"])]
        body = wb[d["station"]]
        for item, v in means.items():
            assert d[f"mean_{item}"] == pytest.approx(v, rel=1e-12)
        want = ev.section_class(means, body)
        assert d["class"] == want
        assert d["class_label"] == gb.class_label(want)
        mains = ev.main_pollutants(means, body)
        got_main = json.loads(d["main_pollutants"])
        assert [m["item"] for m in got_main] == [p.item for p in mains]
        for m, p in zip(got_main, mains, strict=True):
            assert (m["multiple"] is None) == (p.multiple is None)
            if p.multiple is not None:
                assert m["multiple"] == pytest.approx(p.multiple, abs=1e-12)
        # TN is a reference item: classed for the lake, never in the section class
        assert (pd.isna(d["class_TN"])) == (body == "river")


def test_hand_counted_section(loaded: tuple[DuckDBEngine, pd.DataFrame, pd.DataFrame]) -> None:
    """S5 in January: NH3N mean (1.85 + 2.9)/2 = 2.375 > 2.0 → 劣Ⅴ; DO 7.6 − 4.5 = 3.1
    → Ⅳ; TP 0.24 → Ⅳ (river); CODMn 10.2 → Ⅴ. Main pollutants: NH3N (1.375), CODMn
    (0.7), TP (0.2)."""
    eng, _s, st_ = loaded
    got = sections(eng, st_, year=2025, period="month", month=1).set_index("station")
    assert got.loc["S5", "period"] == "2025-01"
    assert got.loc["S5", "class"] == 6 and got.loc["S5", "grade"] == "severe"
    assert got.loc["S5", "n_samples"] == 2
    main = json.loads(got.loc["S5", "main_pollutants"])
    assert [m["item"] for m in main] == ["NH3N", "CODMn", "TP"]
    assert [round(m["multiple"], 3) for m in main] == [1.375, 0.7, 0.2]
    # S0 is a lake: TP 0.04 → Ⅲ on the lake row (Ⅱ on the river row)
    assert got.loc["S0", "class_TP"] == 3 and got.loc["S0", "class"] == 3


def test_cadmium_ranks_first_and_non_detect_counts_half(
    loaded: tuple[DuckDBEngine, pd.DataFrame, pd.DataFrame],
) -> None:
    eng, _s, st_ = loaded
    got = sections(eng, st_, year=2025, period="month", month=2).set_index("station")
    main = json.loads(got.loc["S5", "main_pollutants"])
    assert main[0]["item"] == "Cd" and main[0]["multiple"] == pytest.approx(0.6)
    assert got.loc["S4", "mean_Cd"] == pytest.approx(0.00025)


def test_shares_by_region_counted_by_hand(loaded: tuple[DuckDBEngine, pd.DataFrame, pd.DataFrame]) -> None:
    eng, _s, st_ = loaded
    sec = sections(eng, st_, year=2025).set_index("station")["class"]
    got = shares(eng, year=2025, by="region").set_index("key")
    assert list(got.index) == ["130000", "130100", "130200"]
    classes = [int(c) for c in sec]
    prov = got.loc["130000"]
    assert prov["n_sections"] == 6
    assert [prov[f"n_class_{k}"] for k in range(1, 7)] == [classes.count(k) for k in range(1, 7)]
    rg = ev.river_grade(classes)
    assert prov["share_i_iii_pct"] == round(100 * rg.share_i_iii, 1)
    assert prov["share_worse_v_pct"] == round(100 * rg.share_worse_v, 1)
    want = {
        "优": "excellent",
        "良好": "good",
        "轻度污染": "light",
        "中度污染": "moderate",
        "重度污染": "severe",
    }
    assert prov["grade"] == want[rg.status or ""]
    # a city with 3 sections: the class of the item means over its sections
    city = got.loc["130100"]
    assert city["n_sections"] == 3
    means: dict[str, list[float]] = {}
    year = sections(eng, st_, year=2025)
    for _, r in year[year["station"].isin(["S0", "S1", "S2"])].iterrows():
        for it in ev.EVALUATION_ITEMS:
            if f"mean_{it}" in r and not pd.isna(r[f"mean_{it}"]):
                means.setdefault(it, []).append(float(r[f"mean_{it}"]))
    cls, _ = ev.mean_class([{k: v[i] for k, v in means.items() if i < len(v)} for i in range(3)], "river")
    assert city["grade"] == ("excellent", "excellent", "good", "light", "moderate", "severe")[(cls or 1) - 1]
    assert (got["n_months"] == 2).all()


def test_shares_by_basin_and_month(loaded: tuple[DuckDBEngine, pd.DataFrame, pd.DataFrame]) -> None:
    eng, _s, _st = loaded
    got = shares(eng, year=2025, by="basin", period="month")
    assert list(got["period"]) == ["2025-01", "2025-02"]
    assert list(got["key"]) == ["海河流域", "海河流域"]
    assert (got["n_sections"] == 6).all()


def test_grade_boundaries_are_exact() -> None:
    """9 of 10 sections Ⅰ–Ⅲ is exactly 90 % → 优 (no floating-point edge)."""
    eng = DuckDBEngine()
    sts = [station(f"B{i}", "130102") for i in range(10)]
    rows = [sample(f"B{i}", "2025-03-01", "NH3N", 0.1 if i < 9 else 3.0) for i in range(10)]
    b = batch(sts, rows)
    register(eng, b.samples, b.stations)
    got = shares(eng, year=2025, by="region").set_index("key")
    assert got.loc["130100", "share_i_iii_pct"] == 90.0 and got.loc["130100", "grade"] == "excellent"
    assert got.loc["130100", "share_worse_v_pct"] == 10.0


def test_min_months_leaves_a_short_year_unclassed(
    loaded: tuple[DuckDBEngine, pd.DataFrame, pd.DataFrame],
) -> None:
    eng, _s, st_ = loaded
    got = sections(eng, st_, year=2025, options=PeriodOptions(min_months=3))
    assert got.empty


def test_targets_attainment() -> None:
    sec = pd.DataFrame({"station": ["A", "B"], "name": ["a", "b"], "class": pd.array([3, 5], dtype="Int64")})
    t = pd.DataFrame({"station": ["A", "B", "C"], "plan": "p", "year": 2025, "target_class": [3, 4, 2]})
    got = targets(sec, t, 2025)
    assert list(got["met"]) == [True, False, None]


def test_bad_options_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        PeriodOptions(items=("XX",))
    with pytest.raises(ValueError, match="period"):
        item_periods_sql(2025, None, PeriodOptions(), period="week")
    with pytest.raises(ValueError, match="month"):
        item_periods_sql(2025, 13, PeriodOptions(), period="month")


def test_no_nan_reaches_the_sql() -> None:
    eng = DuckDBEngine()
    b = batch([station("N1", "130102")], [sample("N1", "2025-03-01", "pH", 7.0)])
    b.samples.loc[0, "published"] = np.nan
    register(eng, b.samples, b.stations)
    got = eng.fetch("SELECT count(*) AS n FROM water_samples WHERE published IS NULL")
    assert int(got["n"].iloc[0]) == 1
