"""GB 3095 limits, edition dates, HJ 663 statistics.

References:

- ``air-quality.md`` §2.2 (GB 3095—2012 表1/表2), §2.4 (表4 validity), §3.2 (MDA8),
  §3.3 (annual items), §3.4 (percentile), §3.5 (attainment, 超标倍数), §3.6 (rounding),
  §4 (composite index), §6 E1/E2/E5;
- ``air-quality-2026.md`` §1.2/§1.3 (GB 3095—2026 limits, transitional and final),
  §1.4 (phasing), §1.7 (表4), §3.2 (HJ 663—2026, provisional).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.air.standards import editions, gb3095, hj663_2013, hj663_2026

# ---------------------------------------------------------------------------
# GB 3095 limits: (pollutant, averaging) → (class 1, class 2)
# ---------------------------------------------------------------------------

#: air-quality.md §2.2, 表1 and 表2 of GB 3095—2012.
LIMITS_2012 = {
    ("so2", "annual"): (20, 60),
    ("so2", "24h"): (50, 150),
    ("so2", "1h"): (150, 500),
    ("no2", "annual"): (40, 40),
    ("no2", "24h"): (80, 80),
    ("no2", "1h"): (200, 200),
    ("co", "24h"): (4, 4),
    ("co", "1h"): (10, 10),
    ("o3", "8h"): (100, 160),
    ("o3", "1h"): (160, 200),
    ("pm10", "annual"): (40, 70),
    ("pm10", "24h"): (50, 150),
    ("pm25", "annual"): (15, 35),
    ("pm25", "24h"): (35, 75),
    ("tsp", "annual"): (80, 200),
    ("tsp", "24h"): (120, 300),
    ("nox", "annual"): (50, 50),
    ("nox", "24h"): (100, 100),
    ("nox", "1h"): (250, 250),
    ("pb", "annual"): (0.5, 0.5),
    ("pb", "quarter"): (1, 1),
    ("bap", "annual"): (0.001, 0.001),
    ("bap", "24h"): (0.0025, 0.0025),
}

#: air-quality-2026.md §1.3 (表2), common to both phases except NOx (notes a, b).
OTHER_2026 = {
    ("tsp", "annual"): (80, 200),
    ("tsp", "24h"): (120, 300),
    ("nox", "1h"): (250, 250),
    ("pb", "annual"): (0.5, 0.5),
    ("pb", "quarter"): (1.0, 1.0),
    ("bap", "annual"): (0.001, 0.001),
    ("bap", "24h"): (0.0025, 0.0025),
}

#: air-quality-2026.md §1.2 phase 1 (transitional) + §1.3 notes a/b.
LIMITS_2026_TRANSITION = {
    ("so2", "annual"): (20, 60),
    ("so2", "24h"): (50, 150),
    ("so2", "1h"): (150, 500),
    ("no2", "annual"): (40, 40),
    ("no2", "24h"): (80, 80),
    ("no2", "1h"): (200, 200),
    ("co", "24h"): (4, 4),
    ("co", "1h"): (10, 10),
    ("o3", "8h"): (100, 160),
    ("o3", "1h"): (160, 200),
    ("pm10", "annual"): (40, 60),
    ("pm10", "24h"): (50, 120),
    ("pm25", "annual"): (15, 30),
    ("pm25", "24h"): (35, 60),
    ("nox", "annual"): (50, 50),
    ("nox", "24h"): (100, 100),
    **OTHER_2026,
}

#: air-quality-2026.md §1.2 phase 2 (final, from 2031-01-01) + §1.3.
LIMITS_2026_FINAL = {
    ("so2", "annual"): (20, 20),
    ("so2", "24h"): (50, 50),
    ("so2", "1h"): (150, 150),
    ("no2", "annual"): (30, 30),
    ("no2", "24h"): (50, 50),
    ("no2", "1h"): (200, 200),
    ("co", "24h"): (4, 4),
    ("co", "1h"): (10, 10),
    ("o3", "8h"): (100, 160),
    ("o3", "1h"): (160, 200),
    ("pm10", "annual"): (20, 50),
    ("pm10", "24h"): (50, 100),
    ("pm25", "annual"): (10, 25),
    ("pm25", "24h"): (25, 50),
    ("nox", "annual"): (40, 40),
    ("nox", "24h"): (70, 70),
    **OTHER_2026,
}

PHASE_TABLES = {
    "2012": LIMITS_2012,
    "2026-transition": LIMITS_2026_TRANSITION,
    "2026-final": LIMITS_2026_FINAL,
}
#: A day inside each phase and the days at its edges (air-quality-2026.md §1.4).
PHASE_DAYS = {
    "2012": ["2016-01-01", "2025-06-01", "2026-02-28"],
    "2026-transition": ["2026-03-01", "2026-06-01", "2030-12-31"],
    "2026-final": ["2031-01-01", "2040-01-01"],
}

LIMIT_ROWS = [
    pytest.param(phase, pol, avg, cls, pair[cls - 1], id=f"{phase}-{pol}-{avg}-class{cls}")
    for phase, table in PHASE_TABLES.items()
    for (pol, avg), pair in table.items()
    for cls in (1, 2)
]


@pytest.mark.parametrize(("phase", "pollutant", "averaging", "cls", "want"), LIMIT_ROWS)
def test_limit_by_phase(phase: str, pollutant: str, averaging: str, cls: int, want: float) -> None:
    assert gb3095.limit(pollutant, averaging, cls=cls, phase=phase) == want  # type: ignore[arg-type]


@pytest.mark.parametrize(("phase", "pollutant", "averaging", "cls", "want"), LIMIT_ROWS)
def test_limit_by_date(phase: str, pollutant: str, averaging: str, cls: int, want: float) -> None:
    for day in PHASE_DAYS[phase]:
        assert gb3095.limit(pollutant, averaging, cls=cls, on=day) == want, day
        assert gb3095.limit(pollutant, averaging, cls=cls, on=dt.date.fromisoformat(day)) == want, day


def test_limit_default_class_2() -> None:
    """City assessment uses class 2 (air-quality.md §2.1)."""
    assert gb3095.limit("pm25", "annual", phase="2012") == 35
    assert gb3095.limit("pm25", "annual", on="2026-03-01") == 30
    assert gb3095.limit("pm25", "annual", on="2031-01-01") == 25


def test_limit_errors() -> None:
    with pytest.raises(ValueError):
        gb3095.limit("pm25", "annual")  # neither phase nor date
    with pytest.raises(ValueError):
        gb3095.limit("pm25", "annual", cls=3, phase="2012")
    with pytest.raises(ValueError):
        gb3095.limit("co", "annual", phase="2012")  # CO has no annual limit (§2.4 notes)
    with pytest.raises(ValueError):
        gb3095.limit("pm25", "1h", phase="2026-final")  # no PM 1-h limit


def test_no_extra_limits() -> None:
    """The module holds exactly the spec rows, no more."""
    for phase, table in PHASE_TABLES.items():
        assert set(gb3095.LIMITS[phase]) == set(table), phase  # type: ignore[index]


# ---------------------------------------------------------------------------
# editions
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "key", "names"),
    [
        ("2026-02-28", "2012", ("HJ 633—2012", "GB 3095—2012", "HJ 663—2013")),
        ("2026-03-01", "2026", ("HJ 633—2026", "GB 3095—2026", "HJ 663—2026")),
        ("2016-01-01", "2012", ("HJ 633—2012", "GB 3095—2012", "HJ 663—2013")),
        ("2031-01-01", "2026", ("HJ 633—2026", "GB 3095—2026", "HJ 663—2026")),
    ],
)
def test_edition_for(day: str, key: str, names: tuple[str, str, str]) -> None:
    """All three standards were replaced on 2026-03-01 (air-quality.md header, 2026 §1)."""
    for d in (day, dt.date.fromisoformat(day), dt.datetime.fromisoformat(day + "T23:00")):
        e = editions.edition_for(d)
        assert e.key == key
        assert (e.aqi, e.limits, e.evaluation) == names


@pytest.mark.parametrize(
    ("day", "phase"),
    [
        ("2026-02-28", "2012"),
        ("2026-03-01", "2026-transition"),
        ("2030-12-31", "2026-transition"),
        ("2031-01-01", "2026-final"),
    ],
)
def test_gb3095_phase(day: str, phase: str) -> None:
    """GB 3095—2026 §4.4 (2026 spec §1.4)."""
    assert editions.gb3095_phase(day) == phase
    assert editions.gb3095_phase(dt.date.fromisoformat(day)) == phase


def test_edition_for_period_straddles() -> None:
    """Calendar 2026 straddles the change (2026 spec §1.4: flag it, make it configurable)."""
    p = editions.edition_for_period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert p.straddles
    p12 = editions.edition_for_period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), override="2012")
    assert (p12.edition.key, p12.phase, p12.straddles) == ("2012", "2012", True)
    p26 = editions.edition_for_period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), override="2026")
    assert (p26.edition.key, p26.phase, p26.straddles) == ("2026", "2026-transition", True)
    auto = editions.edition_for_period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), override="auto")
    assert auto == p


@pytest.mark.parametrize(
    ("start", "end", "key", "phase"),
    [
        ("2025-01-01", "2025-12-31", "2012", "2012"),
        ("2026-02-01", "2026-02-28", "2012", "2012"),
        ("2026-03-01", "2026-03-31", "2026", "2026-transition"),
        ("2030-01-01", "2030-12-31", "2026", "2026-transition"),
        ("2031-01-01", "2031-12-31", "2026", "2026-final"),
    ],
)
def test_edition_for_period_inside_one_edition(start: str, end: str, key: str, phase: str) -> None:
    """2026 spec §1.4: before 2026-03-01 → 2012; ≤ 2030-12-31 → phase 1; ≥ 2031-01-01 → phase 2."""
    p = editions.edition_for_period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    assert (p.edition.key, p.phase, p.straddles) == (key, phase, False)


def test_edition_override_wins() -> None:
    p = editions.edition_for_period(dt.date(2027, 1, 1), dt.date(2027, 12, 31), override="2012")
    assert (p.edition.key, p.phase) == ("2012", "2012")
    p = editions.edition_for_period(dt.date(2025, 1, 1), dt.date(2025, 12, 31), override="2026")
    assert p.edition.key == "2026"
    assert p.phase != "2012"  # the 2026 edition has no 2012 limit set
    with pytest.raises(ValueError):
        editions.edition_for_period(dt.date(2025, 1, 1), dt.date(2025, 12, 31), override="2013")


# ---------------------------------------------------------------------------
# HJ 663 percentile (附录A, air-quality.md §3.4, E1)
# ---------------------------------------------------------------------------

E1 = [61, 35, 160, 42, 95, 58, 110, 80, 134, 77]


@pytest.mark.parametrize(
    ("values", "p", "want"),
    [(E1, 90, 136.6), (E1, 95, 148.3), (E1, 98, 155.32), ([3, 4, 8, 2, 5, 4], 90, 6.5)],
)
def test_percentile_examples(values: list[float], p: int, want: float) -> None:
    assert hj663_2013.percentile(values, p) == pytest.approx(want, abs=1e-9)


@pytest.mark.parametrize(
    ("n", "p", "k"),
    [(365, 90, 328.6), (365, 95, 346.8), (365, 98, 357.72), (324, 90, 291.7), (324, 95, 307.85),
     (324, 98, 317.54)],
)  # fmt: skip
def test_percentile_ordinal_k(n: int, p: int, k: float) -> None:
    """§3.4: k for a full year; with X(i) = i the percentile equals k."""
    assert hj663_2013.percentile(np.arange(1, n + 1), p) == pytest.approx(k, abs=1e-9)


def test_percentile_edges() -> None:
    assert hj663_2013.percentile([], 90) is None
    assert hj663_2013.percentile([np.nan, np.nan], 90) is None
    assert hj663_2013.percentile([7.0], 90) == 7.0
    assert hj663_2013.percentile([5, np.nan, 1], 100) == 5  # s = n → X(n)
    assert hj663_2013.percentile([5, 1, 3], 0) == 1
    assert hj663_2013.percentile([5, 1, 3, np.nan], 50) == 3  # NaN ignored
    # k integer (n = 11, p = 90 → k = 10): X(10), no float fuzz in the integer part
    assert hj663_2013.percentile(list(range(1, 12)), 90) == 10


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.floats(min_value=0, max_value=1e4, allow_nan=False), min_size=1, max_size=60),
    p=st.sampled_from([90, 95, 98]) | st.integers(0, 100),
)
def test_percentile_is_numpy_linear(values: list[float], p: int) -> None:
    """§3.4: Hyndman–Fan type 7 = numpy ``quantile(method="linear")``."""
    want = float(np.quantile(np.array(values), p / 100, method="linear"))
    got = hj663_2013.percentile(values, p)
    assert got == pytest.approx(want, rel=1e-9, abs=1e-9)


# ---------------------------------------------------------------------------
# MDA8 (air-quality.md §3.2, §2.4)
# ---------------------------------------------------------------------------


def day(**hours: float) -> np.ndarray:
    """One day of 24 hourly values, NaN except the given ``h<start>`` hours."""
    row = np.full(24, np.nan)
    for k, v in hours.items():
        row[int(k[1:])] = v
    return row


def test_mda8_full_day_17_windows() -> None:
    vals, n = hj663_2013.mda8(np.arange(24, dtype=float)[None, :])
    assert n[0] == 17  # windows ending 08:00 … 24:00
    assert vals[0] == pytest.approx(np.mean(np.arange(16, 24)))  # last window: hours 16–23


def test_mda8_windows_stay_inside_the_day() -> None:
    """A high evening and a high next morning do not form one window across midnight."""
    d1 = np.full(24, 10.0)
    d1[20:] = 200.0
    d2 = np.full(24, 10.0)
    d2[:4] = 200.0
    vals, n = hj663_2013.mda8(np.vstack([d1, d2]))
    assert list(vals) == [105.0, 105.0]  # (4·10 + 4·200) / 8, not 200
    assert list(n) == [17, 17]


def test_mda8_first_window_ends_at_0800() -> None:
    d = np.zeros(24)
    d[:8] = 120.0
    vals, _ = hj663_2013.mda8(d[None, :])
    assert vals[0] == 120.0  # window 00–08 counts


def test_mda8_window_needs_6_of_8_hours() -> None:
    five = day(h0=100, h1=100, h2=100, h3=100, h4=100)
    six = day(h0=60, h1=70, h2=80, h3=90, h4=100, h5=110)
    vals, n = hj663_2013.mda8(np.vstack([five, six]))
    assert math.isnan(vals[0])
    assert n[0] == 0  # 5 valid hours: no valid window
    assert n[1] == 1  # only hours 0–7 hold 6 values
    assert vals[1] == pytest.approx(85.0)  # mean of the valid hours


def test_mda8_counts_windows() -> None:
    """Hours 0–12 valid: windows starting 0…7 hold ≥ 6 values → 8 windows (< 14)."""
    d = np.full(24, np.nan)
    d[:13] = 50.0
    _, n = hj663_2013.mda8(d[None, :])
    assert n[0] == 8


def test_mda8_shape_checked() -> None:
    with pytest.raises(ValueError):
        hj663_2013.mda8(np.zeros((2, 23)))


@pytest.mark.parametrize(
    ("value", "windows", "limit", "valid"),
    [
        (150.0, 17, 160, True),
        (150.0, 14, 160, True),
        (150.0, 13, 160, False),
        (160.0, 13, 160, False),  # equal to the limit does not exceed it
        (161.0, 13, 160, True),  # fewer windows but above the limit (§6.1.2 exception)
        (161.0, 1, 160, True),
        (101.0, 5, 100, True),  # class-1 limit
        (float("nan"), 17, 160, False),
    ],
)
def test_mda8_valid(value: float, windows: int, limit: float, valid: bool) -> None:
    assert hj663_2013.mda8_valid(value, windows, limit) is valid


def test_mda8_valid_end_to_end() -> None:
    """A day with 8 windows: invalid at 50, valid at 200 (> 160)."""
    d = np.full((2, 24), np.nan)
    d[0, :13] = 50.0
    d[1, :13] = 200.0
    vals, n = hj663_2013.mda8(d)
    assert [hj663_2013.mda8_valid(float(v), int(k)) for v, k in zip(vals, n, strict=True)] == [False, True]


def test_validity_constants() -> None:
    """GB 3095 表4 (2012 §2.4; 2026 §1.7) and HJ 663 §6.1.2."""
    assert hj663_2013.DAILY_MIN_HOURS == 20
    assert hj663_2013.O3_8H_MIN_HOURS == 6
    assert hj663_2013.MDA8_MIN_WINDOWS == 14
    assert tuple(hj663_2013.MDA8_WINDOW_STARTS) == tuple(range(17))
    assert (hj663_2013.ANNUAL_MIN_DAYS, hj663_2013.MONTH_MIN_DAYS, hj663_2013.FEB_MIN_DAYS) == (324, 27, 25)


# ---------------------------------------------------------------------------
# annual validity (表4: 324 days, 27 per month, February 25)
# ---------------------------------------------------------------------------


def months(feb: int = 27, **override: int) -> dict[int, int]:
    m = dict.fromkeys(range(1, 13), 27)
    m[2] = feb
    for k, v in override.items():
        m[int(k[1:])] = v
    return m


@pytest.mark.parametrize(
    ("days", "valid"),
    [
        (months(), True),  # 12 × 27 = 324
        (months(feb=25, m1=28, m3=28), True),  # February 25, 324 days
        (months(feb=25, m1=28), False),  # 323 days
        (months(feb=25), False),  # 322 days
        (months(m5=26, m1=31), False),  # a month below 27 although ≥ 324
        (months(feb=24, m1=31), False),  # February below 25
        ({m: 30 for m in range(1, 13)}, True),
        ({m: 30 for m in range(1, 12)}, False),  # December missing
    ],
)
def test_annual_valid(days: dict[int, int], valid: bool) -> None:
    ok, reason = hj663_2013.annual_valid(days)
    assert ok is valid
    assert (reason == "") is valid


# ---------------------------------------------------------------------------
# rounding, attainment, exceedance (air-quality.md §3.5, §3.6; E5)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "pollutant", "want"),
    [
        (35.5, "pm25", 36),
        (34.5, "pm25", 34),  # half to even
        (35.4, "pm25", 35),
        (35.6, "pm25", 36),
        (0.5, "so2", 0),
        (1.5, "no2", 2),
        (2.25, "co", 2.2),
        (2.35, "co", 2.4),
        (0.15, "co", 0.2),  # on the decimal representation, not the binary float
        (2.675, "co", 2.7),
        (160.5, "o3", 160),
    ],
)
def test_round_report_half_to_even(value: float, pollutant: str, want: float) -> None:
    assert hj663_2013.round_report(value, pollutant) == want


def test_round_report_missing() -> None:
    assert hj663_2013.round_report(None, "pm25") is None
    assert hj663_2013.round_report(float("nan"), "pm25") is None


def test_report_digits() -> None:
    """§3.6 / 2026 §4.2.2: µg/m³ integers, CO one decimal."""
    assert dict(hj663_2013.REPORT_DIGITS) == {"so2": 0, "no2": 0, "pm10": 0, "pm25": 0, "o3": 0, "co": 1}


@pytest.mark.parametrize(
    ("value", "limit", "pollutant", "rounded", "want"),
    [
        (35.4, 35, "pm25", True, True),  # §3.5: 35.4 → 35 attains
        (35.4, 35, "pm25", False, False),
        (35.5, 35, "pm25", True, False),  # → 36
        (34.5, 35, "pm25", True, True),
        (35.0, 35, "pm25", False, True),  # equal to the limit attains (§2.2)
        (4.04, 4, "co", True, True),  # → 4.0
        (4.05, 4, "co", True, True),  # → 4.0 (half to even)
        (4.06, 4, "co", True, False),
    ],
)
def test_attains(value: float, limit: float, pollutant: str, rounded: bool, want: bool) -> None:
    assert hj663_2013.attains(value, limit, pollutant, rounded=rounded) is want


def test_attains_default_is_rounded() -> None:
    assert hj663_2013.attains(35.4, 35, "pm25") is True
    assert hj663_2013.attains(None, 35, "pm25") is None
    assert hj663_2013.attains(float("nan"), 35, "pm25") is None


@pytest.mark.parametrize(
    ("value", "limit", "want"),
    [(36, 35, 0.03), (35, 35, 0.0), (20, 35, 0.0), (70, 35, 1.0), (52.5, 35, 0.5), (160 * 1.254, 160, 0.25)],
)
def test_exceedance_multiple(value: float, limit: float, want: float) -> None:
    """E5: PM2.5 annual 36 vs 35 → 0.03 (0.0286); only C > S, else 0."""
    assert hj663_2013.exceedance_multiple(value, limit) == want


def test_exceedance_multiple_missing() -> None:
    assert hj663_2013.exceedance_multiple(None, 35) is None
    assert hj663_2013.exceedance_multiple(float("nan"), 35) is None


def test_annual_items() -> None:
    """§3.3: which statistic each pollutant is evaluated with, against which limit."""
    items = {(i.pollutant, i.statistic, i.averaging) for i in hj663_2013.ANNUAL_ITEMS}
    assert items == {
        ("so2", "mean", "annual"), ("so2", "p98", "24h"),
        ("no2", "mean", "annual"), ("no2", "p98", "24h"),
        ("pm10", "mean", "annual"), ("pm10", "p95", "24h"),
        ("pm25", "mean", "annual"), ("pm25", "p95", "24h"),
        ("co", "p95", "24h"),
        ("o3", "p90", "8h"),
    }  # fmt: skip


# ---------------------------------------------------------------------------
# composite index (air-quality.md §4, E2)
# ---------------------------------------------------------------------------

E2_STATS = {"pm25": 21, "pm10": 39, "so2": 9, "no2": 15, "o3": 192, "co": 0.7}
#: §4: class-2 limits — annual for the four, CO 24 h, O3 8 h (GB 3095—2012).
E2_LIMITS = {"so2": 60, "no2": 40, "pm10": 70, "pm25": 35, "co": 4, "o3": 160}
E2_SINGLE = {"pm25": 0.600, "pm10": 0.557, "so2": 0.150, "no2": 0.375, "o3": 1.200, "co": 0.175}


def test_composite_index_worked_example() -> None:
    r = hj663_2013.composite_index(E2_STATS, E2_LIMITS)
    assert r is not None
    assert r.total == 3.06
    assert r.primary == "o3"  # largest single index (1.200)
    for p, want in E2_SINGLE.items():
        assert r.single[p] == pytest.approx(want, abs=0.00501), p  # two decimals (§4)


def test_composite_index_limits_from_gb3095() -> None:
    limits = {p: gb3095.limit(p, "annual", phase="2012") for p in ("so2", "no2", "pm10", "pm25")}
    limits |= {"co": gb3095.limit("co", "24h", phase="2012"), "o3": gb3095.limit("o3", "8h", phase="2012")}
    assert limits == E2_LIMITS
    r = hj663_2013.composite_index(E2_STATS, limits)
    assert r is not None and r.total == 3.06


def test_composite_index_missing_statistic() -> None:
    assert hj663_2013.composite_index({**E2_STATS, "co": None}, E2_LIMITS) is None
    assert hj663_2013.composite_index({k: v for k, v in E2_STATS.items() if k != "o3"}, E2_LIMITS) is None


def test_composite_index_weighted_provisional() -> None:
    """2026 spec §3.2 (UNCONFIRMED): I = Σ wᵢ·Cᵢ/Sᵢ, PM2.5 ×3, NO2 ×2, O3 ×2, others ×1."""
    assert dict(hj663_2026.WEIGHTS_PROVISIONAL) == {
        "pm25": 3,
        "no2": 2,
        "o3": 2,
        "pm10": 1,
        "so2": 1,
        "co": 1,
    }
    r = hj663_2013.composite_index(E2_STATS, E2_LIMITS, weights=hj663_2026.WEIGHTS_PROVISIONAL)
    assert r is not None
    # 3·0.6 + 0.5571 + 0.15 + 2·0.375 + 2·1.2 + 0.175 = 5.8321
    assert r.total == 5.83


# ---------------------------------------------------------------------------
# HJ 663—2026 three-year moving average (2026 spec §3.2, PROVISIONAL)
# ---------------------------------------------------------------------------


def test_three_year_mean() -> None:
    """C_3yr(Y) = (S(Y−2) + S(Y−1) + S(Y)) / 3 — the spec's guess; all three years needed."""
    assert hj663_2026.three_year_mean([40.0, 38.0, 36.0]) == 38.0
    assert hj663_2026.three_year_mean([30, 31, 35]) == pytest.approx(32.0)
    assert hj663_2026.three_year_mean([40.0, None, 36.0]) is None
    assert hj663_2026.three_year_mean([40.0, 38.0, float("nan")]) is None
    assert hj663_2026.PROVISIONAL is True
    with pytest.raises(ValueError):
        hj663_2026.three_year_mean([40.0, 38.0])
    with pytest.raises(ValueError):
        hj663_2026.three_year_mean([40.0, 38.0, 36.0, 34.0])
