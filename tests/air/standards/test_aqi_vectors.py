"""HJ 633 AQI: the spec's test vectors, every breakpoint row, the 2026 rules.

Expected values come from the specs, never from the code:

- ``air-quality.md`` §1.1 (表1), §1.3 (ceiling, float traps), §1.4 (special cases),
  §1.5 (primary / 超标), §1.6 (indicator sets), §1.7 (levels, colours, texts),
  §6 (vectors V1–V16, E3);
- ``air-quality-2026.md`` §2.2 (AQI 1～500), §2.3 (表3, notes b/c), §2.4 (indicators,
  GB/T 8170 input rounding), §2.5 (2026 texts), §2.6 (sensitive groups), §2.7
  (§5.3.1 missing pollutant), §2.9 (vectors).

Every vector runs through the scalar API (:func:`aqi.daily` / :func:`aqi.hourly`) and
the vectorised API (:func:`aqi.compute`, :func:`aqi.aqi_frame`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.air.standards._spec import (
    DAILY_2012,
    HOURLY_2012,
    INDICATORS,
    LEVELS,
    TABLE_2012,
    TABLE_2026,
    TABLES,
    exact_iaqi,
    expected_iaqi,
)

from ecoplan.air.standards import aqi, hj633_2012, hj633_2026

NA = None

# ---------------------------------------------------------------------------
# §6 vectors (HJ 633—2012)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Vec:
    """One worked example: inputs by indicator, expected IAQI by indicator, outcome."""

    id: str
    inputs: dict[str, Any]
    iaqi: dict[str, int | None]
    aqi: int
    level: int
    primary: frozenset[str]  # indicators
    labels: frozenset[str]  # pollutant labels of the primary indicators
    exceeding: frozenset[str] = frozenset()
    beyond: frozenset[str] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict)  # inputs without IAQI


#: Column order of the daily table of §6.
D_KEYS = ("pm25_24h", "pm10_24h", "so2_24h", "no2_24h", "co_24h", "o3_1h", "o3_8h")
#: Column order of the hourly table of §6.
H_KEYS = ("so2_1h", "no2_1h", "co_1h", "o3_1h", "o3_8h", "pm10_24h", "pm25_24h")


def dvec(
    vid: str,
    inputs: tuple[Any, ...],
    iaqis: tuple[int | None, ...],
    aqi_: int,
    level: int,
    primary: set[str],
    labels: set[str],
    exceeding: set[str] | None = None,
    beyond: set[str] | None = None,
) -> Vec:
    return Vec(
        vid,
        dict(zip(D_KEYS, inputs, strict=True)),
        dict(zip(D_KEYS, iaqis, strict=True)),
        aqi_,
        level,
        frozenset(primary),
        frozenset(labels),
        frozenset(exceeding or ()),
        frozenset(beyond or ()),
    )


PM25, PM10, SO2, NO2, CO, O31, O38 = D_KEYS
ALL7 = set(D_KEYS)

DAILY_VECTORS = [
    dvec("V1", (75, 150, 150, 80, 4, 200, 160), (100,) * 7, 100, 2, ALL7,
         {"PM2.5", "PM10", "SO2", "NO2", "CO", "O3"}),
    dvec("V2", (20, 40, 5, 20, 0.5, 60, 50), (29, 40, 5, 25, 13, 19, 25), 40, 1, set(), set()),
    dvec("V3", (35, 45, 8, 30, 0.8, 90, 70), (50, 45, 8, 38, 20, 29, 35), 50, 1, set(), set()),
    dvec("V4", (35.1, 45, 8, 30, 0.8, 90, 70), (51, 45, 8, 38, 20, 29, 35), 51, 2, {PM25}, {"PM2.5"}),
    dvec("V5", (158, 205, 26, 72, 1.8, 40, 30), (208, 128, 26, 90, 45, 13, 15), 208, 5, {PM25},
         {"PM2.5"}, {PM25, PM10}),
    dvec("V6", (30, 60, 8, 35, 0.7, 280, 215), (43, 55, 8, 44, 18, 140, 150), 150, 3, {O38}, {"O3"},
         {O31, O38}),
    dvec("V7", (30, 60, 8, 35, 0.7, 1100, 850), (43, 55, 8, 44, 18, 450, 450), 450, 6, {O31, O38},
         {"O3"}, {O31, O38}),
    dvec("V9", (100, 213.5, 20, 50, 1.2, 100, 90), (132, 132, 20, 63, 30, 32, 45), 132, 3, {PM25, PM10},
         {"PM2.5", "PM10"}, {PM25, PM10}),
    dvec("V10", (50, 80, 10, 45, NA, NA, 120), (69, 65, 10, 57, NA, NA, 67), 69, 2, {PM25}, {"PM2.5"}),
    dvec("V11", (620, 580, 60, 110, 3.5, 20, 15), (500, 480, 55, 115, 88, 7, 8), 500, 6, {PM25},
         {"PM2.5"}, {PM25, PM10, NO2}, {PM25}),
    dvec("V12", (30, 45, 12, 38, 2.2, 60, 50), (43, 45, 12, 48, 55, 19, 25), 55, 2, {CO}, {"CO"}),
    dvec("V14a", (150.5, NA, NA, NA, NA, NA, NA), (201, NA, NA, NA, NA, NA, NA), 201, 5, {PM25},
         {"PM2.5"}, {PM25}),
    dvec("V14b", (250.1, NA, NA, NA, NA, NA, NA), (301, NA, NA, NA, NA, NA, NA), 301, 6, {PM25},
         {"PM2.5"}, {PM25}),
    dvec("V15", (NA, NA, NA, NA, NA, 600, 800), (NA, NA, NA, NA, NA, 250, 300), 300, 5, {O38}, {"O3"},
         {O31, O38}),
]  # fmt: skip

HOURLY_VECTORS = [
    Vec(
        "V8",
        dict(zip(H_KEYS, (900, 50, 1.0, 100, 80, 90, 60), strict=True)) | {"so2_24h": 400},
        dict(zip(H_KEYS, (139, 25, 10, 32, 40, 70, 82), strict=True)),
        139,
        3,
        frozenset({"so2_1h"}),
        frozenset({"SO2"}),
        frozenset({"so2_1h"}),
    ),
    Vec(
        "V13",
        dict(zip(H_KEYS, (30, 250, 1.5, 20, 25, 120, 80), strict=True)),
        dict(zip(H_KEYS, (10, 105, 15, 7, 13, 85, 107), strict=True)),
        107,
        3,
        frozenset({"pm25_24h"}),
        frozenset({"PM2.5"}),
        frozenset({"no2_1h", "pm25_24h"}),
        extra={"pm10_1h": 200, "pm25_1h": 150},
    ),
    Vec(
        "V16",
        {k: (800 if k == "so2_1h" else None) for k in H_KEYS},
        {k: (200 if k == "so2_1h" else None) for k in H_KEYS},
        200,
        4,
        frozenset({"so2_1h"}),
        frozenset({"SO2"}),
        frozenset({"so2_1h"}),
    ),
]

DAILY_KW = {
    "pm25_24h": "pm25",
    "pm10_24h": "pm10",
    "so2_24h": "so2",
    "no2_24h": "no2",
    "co_24h": "co",
    "o3_1h": "o3_1h",
    "o3_8h": "o3_8h",
}


def run_daily(inputs: dict[str, Any], edition: str = "2012") -> aqi.AQIResult:
    return aqi.daily(**{DAILY_KW[k]: v for k, v in inputs.items()}, edition=edition)


def run_hourly(inputs: dict[str, Any], edition: str = "2012") -> aqi.AQIResult:
    return aqi.hourly(**inputs, edition=edition)


def check_scalar(res: aqi.AQIResult, v: Vec) -> None:
    for ind, want in v.iaqi.items():
        assert res.iaqi[ind] == want, (v.id, ind)
    assert res.aqi == v.aqi
    assert res.level == v.level
    assert set(res.primary_indicators) == v.primary
    assert len(res.primary_indicators) == len(v.primary)
    assert set(res.primary_pollutants) == v.labels
    assert len(res.primary_pollutants) == len(v.labels)  # no duplicates (§1.5)
    assert set(res.exceeding_indicators) == v.exceeding
    assert set(res.beyond_scale) == v.beyond


@pytest.mark.parametrize("v", DAILY_VECTORS, ids=lambda v: v.id)
def test_daily_vector_scalar(v: Vec) -> None:
    res = run_daily(v.inputs)
    assert set(res.iaqi) == set(DAILY_2012)  # 7 indicators, O3 1-h max included (§1.6)
    check_scalar(res, v)


@pytest.mark.parametrize("v", HOURLY_VECTORS, ids=lambda v: v.id)
def test_hourly_vector_scalar(v: Vec) -> None:
    res = run_hourly(v.inputs | v.extra)
    assert set(res.iaqi) == set(HOURLY_2012)  # PM 1-h carry no IAQI in 2012 (§1.6)
    check_scalar(res, v)


def arrays(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    """Column arrays (NaN = missing) of the union of the rows' keys."""
    keys = sorted({k for r in rows for k in r})
    return {k: np.array([np.nan if r.get(k) is None else float(r[k]) for r in rows]) for k in keys}


def rows_of(vectors: list[Vec]) -> list[dict[str, Any]]:
    return [v.inputs | v.extra for v in vectors]


@pytest.mark.parametrize(
    ("report", "vectors"), [("daily", DAILY_VECTORS), ("hourly", HOURLY_VECTORS)], ids=["daily", "hourly"]
)
def test_vectors_compute(report: aqi.Report, vectors: list[Vec]) -> None:
    out = aqi.compute(report, arrays(rows_of(vectors)))
    for i, v in enumerate(vectors):
        for ind, want in v.iaqi.items():
            got = out[f"iaqi_{ind}"][i]
            if want is None:
                assert math.isnan(got), (v.id, ind)
            else:
                assert got == want, (v.id, ind)
            assert bool(out[f"beyond_{ind}"][i]) == (ind in v.beyond), (v.id, ind)
        assert out["aqi"][i] == v.aqi, v.id
        assert out["level"][i] == v.level, v.id


@pytest.mark.parametrize(
    ("report", "vectors"), [("daily", DAILY_VECTORS), ("hourly", HOURLY_VECTORS)], ids=["daily", "hourly"]
)
def test_vectors_aqi_frame(report: aqi.Report, vectors: list[Vec]) -> None:
    cols = arrays(rows_of(vectors))
    frame = pd.DataFrame(cols, index=[v.id for v in vectors])
    out = aqi.aqi_frame(report, frame)
    assert list(out.index) == [v.id for v in vectors]
    for v in vectors:
        row = out.loc[v.id]
        assert row["aqi"] == v.aqi
        assert row["level"] == v.level
        for ind, want in v.iaqi.items():
            if want is None:
                assert pd.isna(row[f"iaqi_{ind}"]), (v.id, ind)
            else:
                assert row[f"iaqi_{ind}"] == want, (v.id, ind)
        primary = set(row["primary"].split(",")) if row["primary"] else set()
        assert primary == v.primary, v.id
        assert row["category_zh"] == CATEGORY_ZH[v.level - 1]


def test_v7_v8_substitution_recorded() -> None:
    """§1.4: a special rule substitutes a sub-index, it does not drop the pollutant."""
    v7 = run_daily(DAILY_VECTORS[6].inputs)
    assert v7.substituted == {"o3_8h": "o3_1h"}
    v8 = run_hourly(HOURLY_VECTORS[0].inputs)
    assert v8.substituted == {"so2_1h": "so2_24h"}


def test_so2_1h_over_800_without_24h_value_is_na() -> None:
    """§1.4: SO2 1 h > 800 and no 24-h value → SO2 IAQI NA; the AQI is the max of the rest."""
    inputs = dict(HOURLY_VECTORS[0].inputs)
    del inputs["so2_24h"]
    res = run_hourly(inputs)
    assert res.iaqi["so2_1h"] is None
    assert res.aqi == 82  # PM2.5 24-h moving 60
    assert res.primary_pollutants == ["PM2.5"]
    out = aqi.compute("hourly", {k: np.array([float(x)]) for k, x in inputs.items()})
    assert math.isnan(out["iaqi_so2_1h"][0])
    assert out["aqi"][0] == 82


def test_hourly_o3_8h_over_800_uses_current_1h() -> None:
    """§1.4: real-time 8-h moving > 800 → the O3 IAQI of the current 1-h value."""
    res = aqi.hourly(o3_1h=1100, o3_8h=850)
    assert res.iaqi == {**dict.fromkeys(HOURLY_2012), "o3_1h": 450, "o3_8h": 450}
    assert res.aqi == 450
    out = aqi.compute("hourly", {"o3_1h": [1100.0], "o3_8h": [850.0]})
    assert out["iaqi_o3_8h"][0] == 450


def test_v13_pm_1h_would_give_200() -> None:
    """V13: the 1-h PM2.5 (150) on the 24-h column would give 200, not the 107 the standard gives."""
    assert aqi.iaqi("pm25_24h", 150) == 200
    assert run_hourly(HOURLY_VECTORS[1].inputs | HOURLY_VECTORS[1].extra).aqi == 107


def test_e3_city_aqi_from_mean_concentration() -> None:
    """E3: city PM2.5 = mean of stations (90) → 119; station IAQIs 107, 119, 132."""
    assert [aqi.iaqi("pm25_24h", c) for c in (80, 90, 100)] == [107, 119, 132]
    assert aqi.daily(pm25=float(np.mean([80, 90, 100]))).aqi == 119


# ---------------------------------------------------------------------------
# every breakpoint row of both tables
# ---------------------------------------------------------------------------

BREAKPOINTS = [
    pytest.param(ed, ind, i, bp, id=f"{ed}-{ind}-{bp}")
    for ed, table in TABLES.items()
    for ind, col in table.items()
    for i, bp in enumerate(col)
    if bp is not None
]
#: 表1 notes 2/3, 表3 notes b/c: the top of these two columns is a special-rule edge.
SPECIAL_TOP = {("so2_1h", 800), ("o3_8h", 800)}


@pytest.mark.parametrize(("edition", "ind", "row", "bp"), BREAKPOINTS)
def test_breakpoint_equals_row_label(edition: str, ind: str, row: int, bp: int) -> None:
    assert aqi.iaqi(ind, bp, edition=edition) == LEVELS[row]
    assert aqi.iaqi(ind, str(bp), edition=edition) == LEVELS[row]
    assert aqi.iaqi_array(ind, [float(bp)], edition=edition)[0] == LEVELS[row]


@pytest.mark.parametrize(("edition", "ind", "row", "bp"), BREAKPOINTS)
def test_breakpoint_neighbours(edition: str, ind: str, row: int, bp: int) -> None:
    """Just above a breakpoint: label + 1 (ceiling); just below: the label."""
    col = TABLES[edition][ind]
    is_top = row == len(col) - 1 or col[row + 1] is None
    if edition == "2012":
        up = Decimal(bp) + Decimal("0.001")
        if (ind, bp) in SPECIAL_TOP:
            want_up: int | None = None  # no IAQI from this column above 800 (§1.1 notes 2, 3)
        elif is_top:
            want_up = 500  # above the scale (§1.4 recommendation)
        else:
            want_up = LEVELS[row] + 1
    else:
        # 2026 §4.2.2 rounds µg/m³ to integers, CO to 0.1 mg/m³: a tiny step vanishes,
        # the smallest visible step is one rounding unit.
        assert aqi.iaqi(ind, float(Decimal(bp) + Decimal("0.001")), edition=edition) == LEVELS[row]
        up = Decimal(bp) + (Decimal("0.1") if ind.startswith("co") else Decimal(1))
        if (ind, bp) in SPECIAL_TOP:
            want_up = None
        elif is_top:
            want_up = 500
        else:
            want_up = exact_iaqi(col, Fraction(up))
            assert want_up > LEVELS[row]
    assert aqi.iaqi(ind, float(up), edition=edition) == want_up
    assert aqi.iaqi(ind, str(up), edition=edition) == want_up
    got = aqi.iaqi_array(ind, [float(up)], edition=edition)[0]
    assert math.isnan(got) if want_up is None else got == want_up, (ind, up)
    if bp > 0 and edition == "2012":
        down = Decimal(bp) - Decimal("0.001")
        assert aqi.iaqi(ind, float(down)) == LEVELS[row]
        assert aqi.iaqi_array(ind, [float(down)])[0] == LEVELS[row]


def test_code_tables_match_spec() -> None:
    """The module tables are the spec tables (§1.1; 2026 §2.3)."""
    assert hj633_2012.IAQI_LEVELS == LEVELS
    assert dict(hj633_2012.TABLE) == TABLE_2012
    assert {k: hj633_2026.TABLE[k] for k in TABLE_2026} == TABLE_2026
    assert hj633_2026.TABLE["pm25_24h"][2] == 60
    assert hj633_2026.TABLE["pm10_24h"][2] == 120


@pytest.mark.parametrize(
    ("report", "edition"), [("daily", "2012"), ("hourly", "2012"), ("daily", "2026"), ("hourly", "2026")]
)
def test_indicator_sets(report: aqi.Report, edition: str) -> None:
    """§1.6 (2012: 7 + 7) and 2026 §2.4 (6 + 6, O3 1 h out of the daily report)."""
    want = set(INDICATORS[(report, edition)])
    res = (aqi.daily if report == "daily" else aqi.hourly)(edition=edition)
    assert set(res.iaqi) == want
    out = aqi.compute(report, {"so2_24h": [1.0]}, edition=edition)
    assert {k[5:] for k in out if k.startswith("iaqi_")} == want


# ---------------------------------------------------------------------------
# HJ 633—2026 (air-quality-2026.md)
# ---------------------------------------------------------------------------

# §2.9: (indicator, concentration, IAQI 2012, IAQI 2026)
VECTORS_2026 = [
    ("pm25_24h", 35, 50, 50),
    ("pm25_24h", 36, 52, 52),
    ("pm25_24h", 60, 82, 100),
    ("pm25_24h", 61, 83, 101),
    ("pm25_24h", 75, 100, 114),
    ("pm25_24h", 100, 132, 137),
    ("pm10_24h", 130, 90, 104),
    ("pm10_24h", 150, 100, 112),
    ("so2_24h", 200, 108, 108),
    ("so2_1h", 200, 58, 58),
    ("o3_8h", 170, 110, 110),
    ("co_24h", 1.2, 30, 30),
    ("no2_1h", 150, 75, 75),
]


@pytest.mark.parametrize(("ind", "c", "want_2012", "want_2026"), VECTORS_2026)
def test_2026_vectors_both_editions(ind: str, c: float, want_2012: int, want_2026: int) -> None:
    for edition, want in (("2012", want_2012), ("2026", want_2026)):
        assert aqi.iaqi(ind, c, edition=edition) == want, edition
        assert aqi.iaqi_array(ind, [c], edition=edition)[0] == want, edition
        report: aqi.Report = "hourly" if ind.endswith("1h") else "daily"
        res = (aqi.hourly if report == "hourly" else aqi.daily)(**{kw(report, ind): c}, edition=edition)
        assert res.iaqi[ind] == want, edition
        assert aqi.compute(report, {ind: [c]}, edition=edition)[f"iaqi_{ind}"][0] == want


def kw(report: str, ind: str) -> str:
    return DAILY_KW[ind] if report == "daily" else ind


def test_2026_pm_1h_uses_daily_breakpoints() -> None:
    """2026 §2.4: the real-time report uses PM 1-h values against the 日平均 columns."""
    res = aqi.hourly(pm25_1h=150, pm10_1h=200, edition="2026")
    assert res.iaqi["pm25_1h"] == 200
    assert res.iaqi["pm10_1h"] == 131  # 130.77
    assert "pm25_24h" not in res.iaqi


def test_2026_v13_as_real_time_report() -> None:
    """V13's hour under 2026 §2.4: six 1-h values, PM against the daily columns."""
    c = {"so2_1h": 30, "no2_1h": 250, "co_1h": 1.5, "o3_1h": 20, "pm10_1h": 200, "pm25_1h": 150}
    want = {"so2_1h": 10, "no2_1h": 105, "co_1h": 15, "o3_1h": 7, "pm10_1h": 131, "pm25_1h": 200}
    res = aqi.hourly(**c, edition="2026")
    assert res.iaqi == want
    assert (res.aqi, res.level, res.primary_pollutants) == (200, 4, ["PM2.5"])
    assert res.exceeding_indicators == ()  # 超标污染物 deleted (§2.1 item 4)
    out = aqi.compute("hourly", {k: [float(v)] for k, v in c.items()}, edition="2026")
    assert {k: out[f"iaqi_{k}"][0] for k in want} == want
    assert out["aqi"][0] == 200


def test_2026_so2_1h_over_800_counts_200() -> None:
    """2026 表3 note b: SO2 1 h > 800 → IAQI 200 (no 24-h substitution)."""
    for so2_24h in (None, 400):
        res = aqi.hourly(so2_1h=900, so2_24h=so2_24h, edition="2026")
        assert res.iaqi["so2_1h"] == 200
        assert res.aqi == 200  # > 100, so published although five pollutants are missing
        assert res.level == 4
    out = aqi.compute("hourly", {"so2_1h": [900.0, 800.0, 801.0]}, edition="2026")
    assert list(out["iaqi_so2_1h"]) == [200, 200, 200]


def test_2026_o3_8h_over_800_counts_300() -> None:
    """2026 表3 note c: O3 8 h > 800 → IAQI 300 (not the 1-h IAQI)."""
    res = aqi.daily(o3_8h=850, o3_1h=1100, edition="2026")
    assert res.iaqi["o3_8h"] == 300
    assert res.aqi == 300
    assert res.level == 5
    assert res.primary_indicators == ("o3_8h",)
    assert aqi.daily(o3_8h=850, edition="2012", o3_1h=1100).iaqi["o3_8h"] == 450
    out = aqi.compute("daily", {"o3_8h": [850.0], "o3_1h": [1100.0]}, edition="2026")
    assert out["iaqi_o3_8h"][0] == 300
    assert out["aqi"][0] == 300


def test_2026_daily_ignores_o3_1h() -> None:
    """2026 §2.4: six daily indicators; V7's O3 1-h 1100 no longer enters the AQI."""
    v7 = DAILY_VECTORS[6].inputs
    res = run_daily(v7, edition="2026")
    assert "o3_1h" not in res.iaqi
    # PM2.5 30 → 43, PM10 60 → 58 (57.14), SO2 8, NO2 44, CO 18, O3 8 h 850 → 300
    assert res.iaqi == {
        "so2_24h": 8, "no2_24h": 44, "co_24h": 18, "pm10_24h": 58, "pm25_24h": 43, "o3_8h": 300,
    }  # fmt: skip
    assert res.aqi == 300


@pytest.mark.parametrize(
    ("vid", "want_aqi", "want_primary"),
    [("V1", 114, {"pm25_24h"}), ("V5", 208, {"pm25_24h"}), ("V9", 137, {"pm25_24h", "pm10_24h"})],
)
def test_2026_daily_vectors(vid: str, want_aqi: int, want_primary: set[str]) -> None:
    """§6 days under HJ 633—2026 (表3 + GB/T 8170): V9's PM10 213.5 rounds to 214 → 137, a tie."""
    v = next(v for v in DAILY_VECTORS if v.id == vid)
    res = run_daily(v.inputs, edition="2026")
    for ind in res.iaqi:
        c = v.inputs[ind]
        assert res.iaqi[ind] == expected_iaqi(ind, str(c), "2026"), ind
    assert res.aqi == want_aqi
    assert set(res.primary_indicators) == want_primary
    assert res.exceeding_indicators == ()
    out = aqi.compute("daily", arrays([v.inputs]), edition="2026")
    assert out["aqi"][0] == want_aqi


def test_2026_v10_missing_co_gives_na() -> None:
    """2026 §5.3.1 (spec §2.7): CO missing and AQI 80 ≤ 100 → AQI, level, primary NA."""
    v10 = DAILY_VECTORS[8].inputs
    res = run_daily(v10, edition="2026")
    assert res.iaqi == {
        "so2_24h": 10, "no2_24h": 57, "co_24h": None, "pm10_24h": 72, "pm25_24h": 80, "o3_8h": 67,
    }  # fmt: skip  # single-pollutant values are still published
    assert res.aqi is None
    assert res.level is None
    assert res.primary_indicators == ()
    assert res.primary_pollutants == []
    assert "co" in res.missing
    assert not res.complete
    d = res.to_dict()
    assert (d["aqi"], d["level"], d["category_zh"], d["primary_pollutants"]) == (None, None, None, [])
    json.dumps(d, allow_nan=False)
    out = aqi.compute("daily", arrays([v10]), edition="2026")
    assert math.isnan(out["aqi"][0])
    assert math.isnan(out["level"][0])
    assert out["iaqi_pm25_24h"][0] == 80
    frame = aqi.aqi_frame("daily", pd.DataFrame(arrays([v10])), edition="2026")
    assert pd.isna(frame["aqi"].iloc[0])
    assert frame["primary"].iloc[0] == ""


def test_2026_haze_day_missing_co_still_published() -> None:
    """2026 §5.3.1: with CO missing an AQI > 100 is still published (V5 without CO)."""
    inputs = DAILY_VECTORS[4].inputs | {"co_24h": None}
    res = run_daily(inputs, edition="2026")
    assert res.iaqi["pm25_24h"] == 208
    assert res.iaqi["pm10_24h"] == 133  # 132.69 on the 2026 column
    assert res.iaqi["co_24h"] is None
    assert (res.aqi, res.level, res.primary_pollutants) == (208, 5, ["PM2.5"])
    assert not res.complete
    out = aqi.compute("daily", arrays([inputs]), edition="2026")
    assert out["aqi"][0] == 208
    assert out["complete"][0] == 0


@pytest.mark.parametrize(("pm25", "want"), [(60, None), (61, 101)])
def test_2026_missing_needs_aqi_over_100(pm25: float, want: int | None) -> None:
    """§5.3.1: "大于100" — an incomplete day at exactly 100 is NA, at 101 published."""
    assert aqi.daily(pm25=pm25, edition="2026").aqi == want
    got = aqi.compute("daily", {"pm25_24h": [float(pm25)]}, edition="2026")["aqi"][0]
    assert math.isnan(got) if want is None else got == want


def test_2012_missing_pollutant_aqi_is_max_of_available() -> None:
    """§1.4: 2012 sets no completeness rule; V10's AQI is 69 with CO and O3 1 h missing."""
    assert run_daily(DAILY_VECTORS[8].inputs).aqi == 69
    assert aqi.daily(pm25=20).aqi == 29


@pytest.mark.parametrize("report", ["daily", "hourly"])
def test_2026_all_zero_gives_aqi_1(report: aqi.Report) -> None:
    """2026 §4.1.1 (spec §2.2, §2.9 open edge): AQI range 1～500; all-zero day → 1."""
    inds = INDICATORS[(report, "2026")]
    res = (aqi.daily if report == "daily" else aqi.hourly)(**{kw(report, i): 0 for i in inds}, edition="2026")
    assert all(v == 0 for v in res.iaqi.values())
    assert res.aqi == 1
    assert res.level == 1
    assert res.primary_indicators == ()
    out = aqi.compute(report, {i: [0.0] for i in inds}, edition="2026")
    assert out["aqi"][0] == 1
    # 2012 keeps 0 (表2 "0～50")
    assert aqi.compute(report, {i: [0.0] for i in INDICATORS[(report, "2012")]})["aqi"][0] == 0


@pytest.mark.parametrize(
    ("ind", "c", "want_2026", "want_2012"),
    [
        ("pm25_24h", "35.5", 52, 51),  # → 36
        ("pm25_24h", "34.5", 49, 50),  # → 34 (half to even)
        ("pm25_24h", "36.5", 52, 52),  # → 36 (half to even)
        ("pm25_24h", "35.4", 50, 51),  # → 35
        ("pm25_24h", "35.6", 52, 51),  # → 36
        ("co_24h", "2.25", 55, 57),  # → 2.2
        ("co_24h", "2.35", 60, 59),  # → 2.4
        ("pm10_24h", "213.5", 137, 132),  # → 214 (V9)
    ],
)
def test_2026_gbt8170_input_rounding(ind: str, c: str, want_2026: int, want_2012: int) -> None:
    """2026 §4.2.2: concentrations rounded (GB/T 8170) before the IAQI; 2012 has no such rule."""
    assert expected_iaqi(ind, c, "2026") == want_2026  # the spec arithmetic itself
    assert expected_iaqi(ind, c, "2012") == want_2012
    for edition, want in (("2026", want_2026), ("2012", want_2012)):
        assert aqi.iaqi(ind, c, edition=edition) == want, edition
        assert aqi.iaqi(ind, float(c), edition=edition) == want, edition
        assert aqi.iaqi(ind, Decimal(c), edition=edition) == want, edition
        assert aqi.iaqi_array(ind, [float(c)], edition=edition)[0] == want, edition
        assert aqi.compute("daily", {ind: [float(c)]}, edition=edition)[f"iaqi_{ind}"][0] == want


# ---------------------------------------------------------------------------
# §1.3 float traps
# ---------------------------------------------------------------------------

FLOAT_TRAPS = [
    ("pm25_24h", "4.9"),
    ("pm25_24h", "9.8"),
    ("pm25_24h", "16.1"),
    ("pm25_24h", "19.6"),
    ("pm25_24h", "32.2"),
    ("pm25_24h", "128.3"),
    ("o3_1h", "160.8"),
    ("o3_1h", "162.4"),
    ("o3_8h", "102.4"),
    ("o3_8h", "158.8"),
    ("pm10_24h", "352.1"),
    ("co_1h", "65.4"),
    ("co_24h", "2.2"),  # V12
]


@pytest.mark.parametrize(("ind", "c"), FLOAT_TRAPS)
def test_float_traps_exact_ceiling(ind: str, c: str) -> None:
    want = exact_iaqi(TABLE_2012[ind], Fraction(c))
    assert aqi.iaqi(ind, float(c)) == want
    assert aqi.iaqi(ind, c) == want
    assert aqi.iaqi(ind, Decimal(c)) == want
    assert aqi.iaqi_array(ind, np.array([float(c)]))[0] == want
    report: aqi.Report = "hourly" if ind in ("co_1h",) else "daily"
    assert aqi.compute(report, {ind: [float(c)]})[f"iaqi_{ind}"][0] == want


def test_float_trap_values() -> None:
    """Spot values of §1.3 / §7.2 item 6: CO 2.2 → 55, PM2.5 4.9 → 7, O3 1 h 160.8 → 51."""
    assert aqi.iaqi("co_24h", 2.2) == 55
    assert aqi.iaqi("pm25_24h", 4.9) == 7
    assert aqi.iaqi("o3_1h", 160.8) == 51
    assert aqi.iaqi("pm25_24h", 35.1) == 51  # 50.0625, not 50 (§1.3)


def test_ceiling_not_rounding() -> None:
    """§1.3: 进位取整 — any fraction goes up."""
    assert aqi.iaqi("pm25_24h", "0.001") == 1
    assert aqi.iaqi("pm10_24h", "0.5") == 1
    assert aqi.iaqi("no2_24h", "79.999") == 100


def test_negative_concentration_rejected() -> None:
    """§1.2: C < 0 is invalid input (reject or missing)."""
    with pytest.raises(ValueError):
        aqi.iaqi("pm25_24h", -1)
    with pytest.raises(ValueError):
        aqi.daily(pm25=-0.5)
    assert math.isnan(aqi.iaqi_array("pm25_24h", [-1.0])[0])


# ---------------------------------------------------------------------------
# levels, colours, texts (§1.7; 2026 §2.5, §2.6, §2.8)
# ---------------------------------------------------------------------------

CATEGORY_ZH = ("优", "良", "轻度污染", "中度污染", "重度污染", "严重污染")
CATEGORY_EN_GLOSS = ("excellent", "good", "light", "moderate", "heav", "sever")  # §1.7 English glosses
LEVEL_ZH = ("一级", "二级", "三级", "四级", "五级", "六级")
RGB = ((0, 228, 0), (255, 255, 0), (255, 126, 0), (255, 0, 0), (153, 0, 76), (126, 0, 35))
COLOR_ZH = ("绿色", "黄色", "橙色", "红色", "紫色", "褐红色")
EFFECT_2012 = (
    "空气质量令人满意，基本无空气污染",
    "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
    "易感人群症状有轻度加剧，健康人群出现刺激症状",
    "进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响",
    "心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
    "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
)
ADVICE_2012 = (
    "各类人群可正常活动",
    "极少数异常敏感人群应减少户外活动",
    "儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
    "儿童、老年人及心脏病、呼吸系统疾病患者避免长时间、高强度的户外锻练，一般人群适量减少户外运动",
    "儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动",
    "儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
)
EFFECT_2026 = (
    "空气质量令人满意，基本无空气污染",
    "空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响",
    "敏感人群症状有轻度加剧，健康人群出现刺激症状",
    "进一步加剧敏感人群症状，可能对健康人群心血管系统、呼吸系统有影响",
    "心血管系统和呼吸系统患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状",
    "健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病",
)
ADVICE_2026 = (
    "各类人群可正常活动",
    "极少数异常敏感人群应减少户外活动",
    "青少年儿童、老年人及心血管系统疾病、呼吸系统疾病患者应减少长时间、高强度的户外锻炼",
    "青少年儿童、老年人及心血管系统疾病、呼吸系统疾病患者避免长时间、高强度的户外锻炼，一般人群适量减少户外运动",
    "青少年儿童、老年人和心血管系统疾病、呼吸系统疾病患者应停留在室内，停止户外运动，一般人群减少户外运动",
    "青少年儿童、老年人和病人应当留在室内，避免体力消耗，一般人群应避免户外活动",
)
SENSITIVE_2026 = {
    "SO2": "患有哮喘的人、青少年儿童以及老年人",
    "NO2": "患有呼吸系统疾病（如哮喘）的人、青少年儿童以及老年人",
    "CO": "患有心血管系统疾病的人",
    "O3": "患有呼吸系统疾病（如哮喘）的人、青少年儿童、户外活动频繁的人以及老年人",
    "PM10": "患有心血管系统疾病或呼吸系统疾病（如哮喘）的人、青少年儿童、户外活动频繁的人以及老年人",
    "PM2.5": "患有心血管系统疾病或呼吸系统疾病（如哮喘）的人、青少年儿童、户外活动频繁的人以及老年人",
}

#: AQI → level at every band edge (§1.7; 2026 §2.5 bands unchanged).
LEVEL_EDGES = [
    (0, 1), (1, 1), (50, 1), (51, 2), (100, 2), (101, 3), (150, 3), (151, 4),
    (200, 4), (201, 5), (300, 5), (301, 6), (500, 6),
]  # fmt: skip


@pytest.mark.parametrize(("a", "lv"), LEVEL_EDGES)
def test_level_bands(a: int, lv: int) -> None:
    assert aqi.level_of(a) == lv
    assert aqi.level_array([float(a)])[0] == lv


def test_level_none() -> None:
    assert aqi.level_of(None) is None
    assert math.isnan(aqi.level_array([np.nan])[0])


#: A PM2.5 day per level: (concentration, AQI) — §1.1 arithmetic.
DAY_PER_LEVEL = [(20, 29), (50, 69), (100, 132), (140, 186), (200, 250), (350, 400)]


@pytest.mark.parametrize("lv", range(1, 7))
@pytest.mark.parametrize("edition", ["2012", "2026"])
def test_to_dict_level_texts(lv: int, edition: str) -> None:
    c, want_aqi = DAY_PER_LEVEL[lv - 1]
    if edition == "2026":
        want_aqi = expected_iaqi("pm25_24h", str(c), "2026")
        # complete the day with zeros so §5.3.1 does not blank an AQI ≤ 100
        res = aqi.daily(pm25=c, pm10=0, so2=0, no2=0, co=0, o3_8h=0, edition="2026")
    else:
        res = aqi.daily(pm25=c)
    d = res.to_dict()
    assert d["aqi"] == want_aqi
    assert d["level"] == lv
    assert d["level_zh"] == LEVEL_ZH[lv - 1]
    assert d["category_zh"] == CATEGORY_ZH[lv - 1]
    assert CATEGORY_EN_GLOSS[lv - 1] in d["category_en"].lower()
    assert d["color"].upper() == "#{:02X}{:02X}{:02X}".format(*RGB[lv - 1])
    assert d["color_zh"] == COLOR_ZH[lv - 1]
    effect, advice = (EFFECT_2012, ADVICE_2012) if edition == "2012" else (EFFECT_2026, ADVICE_2026)
    assert d["health_effect_zh"] == effect[lv - 1]
    assert d["advice_zh"] == advice[lv - 1]


def test_colour_constants() -> None:
    """附录A RGB → hex (§1.7 hex line)."""
    assert tuple(h.upper() for h in aqi.COLOR_HEX) == (
        "#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023",
    )  # fmt: skip
    assert tuple("#{:02X}{:02X}{:02X}".format(*rgb) for rgb in RGB) == tuple(aqi.COLOR_HEX)
    assert tuple(aqi.CATEGORY_ZH) == CATEGORY_ZH
    assert tuple(aqi.LEVEL_ZH) == LEVEL_ZH


def test_sensitive_groups_2026() -> None:
    """2026 §2.6 (表2)."""
    assert dict(hj633_2026.SENSITIVE_GROUPS_ZH) == SENSITIVE_2026


# ---------------------------------------------------------------------------
# to_dict: the CLI JSON contract
# ---------------------------------------------------------------------------

CONTRACT = {"aqi", "level", "category_zh", "category_en", "primary_pollutants", "iaqi", "edition"}


@pytest.mark.parametrize("v", DAILY_VECTORS + HOURLY_VECTORS, ids=lambda v: v.id)
def test_to_dict_contract(v: Vec) -> None:
    res = run_hourly(v.inputs | v.extra) if v in HOURLY_VECTORS else run_daily(v.inputs)
    d = res.to_dict()
    assert set(d) >= CONTRACT
    assert d["aqi"] == v.aqi
    assert d["level"] == v.level
    assert d["category_zh"] == CATEGORY_ZH[v.level - 1]
    assert CATEGORY_EN_GLOSS[v.level - 1] in d["category_en"].lower()
    assert set(d["primary_pollutants"]) == v.labels
    assert d["iaqi"] == v.iaqi
    assert d["edition"] == "2012"
    assert json.loads(json.dumps(d, ensure_ascii=False, allow_nan=False)) == d


def test_to_dict_2026_edition_and_exceeding() -> None:
    d = run_daily(DAILY_VECTORS[4].inputs, edition="2026").to_dict()
    assert d["edition"] == "2026"
    assert d["exceeding_pollutants"] == []  # 2026 §2.1 item 4
    d12 = run_daily(DAILY_VECTORS[4].inputs).to_dict()
    assert set(d12["exceeding_pollutants"]) == {"PM2.5", "PM10"}


@pytest.mark.parametrize(
    ("ind", "c", "edition"),
    [
        ("pm25_24h", "35.0000001", "2012"),  # exact 50.0000000625 → 51; code 50
        ("pm25_24h", "35.0000004", "2012"),
        ("pm25_24h", "34.5000004", "2026"),  # GB/T 8170 → 35 (above half) → 50; code 34 → 49
    ],
)
def test_exact_ceiling_beyond_six_decimals(ind: str, c: str, edition: str) -> None:
    want = expected_iaqi(ind, c, edition)
    assert aqi.iaqi(ind, c, edition=edition) == want
    assert aqi.iaqi(ind, Decimal(c), edition=edition) == want


def test_not_monitored_pollutant_does_not_withhold_the_2026_aqi() -> None:
    """HJ 633—2026 §5.3.2: a pollutant outside the programme does not block the AQI."""
    kw = dict(pm25=50, pm10=80, so2=10, no2=45, o3_8h=120, edition="2026")
    assert aqi.daily(**kw).aqi is None  # §5.3.1: CO missing and AQI <= 100
    res = aqi.daily(**kw, not_monitored=["co"])
    assert res.aqi == 80 and res.complete
    vec = aqi.compute(
        "daily",
        {"pm25_24h": [50.0], "pm10_24h": [80.0], "so2_24h": [10.0], "no2_24h": [45.0], "o3_8h": [120.0]},
        edition="2026",
        not_monitored=["co"],
    )
    assert vec["aqi"][0] == 80
