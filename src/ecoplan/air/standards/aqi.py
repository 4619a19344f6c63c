"""AQI and IAQI per HJ 633—2012 and HJ 633—2026, exact and vectorised.

Formula (HJ 633—2012 式1, HJ 633—2026 式1)::

    IAQI_P = (IAQI_Hi − IAQI_Lo) / (BP_Hi − BP_Lo) × (C_P − BP_Lo) + IAQI_Lo

and "计算结果应全部进位取整数" (2012 §6.2; 2026 §4.2.6 "向上进位取整数"): every
IAQI is the **ceiling** of the exact value; AQI = max IAQI (式2).

Exactness. Binary floats break a ceiling (CO 2.2 mg/m³ → 55.00000000000001 → 56,
the standard gives 55), so neither path here computes the IAQI in floating point:

- :func:`iaqi` (scalar, the reference) uses :class:`fractions.Fraction`;
- :func:`iaqi_array` (vectorised, numpy) uses int64 arithmetic on the concentration
  scaled by 10⁶ and an integer ceiling division.

A string or :class:`~decimal.Decimal` concentration is used exactly (spec §1.2–1.3:
the exact ceiling of the decimal). A float — a binary approximation of a decimal —
is read as the decimal resolved to 10⁻⁶ of its unit, ``floor(c·10⁶ + 0.5)·10⁻⁶``
(1 pg/m³; 1 ng/m³ for CO in mg/m³), in both paths. Measured data carry at most three
decimals, so floats are used exactly too; computed means (daily, 8-h, city) are
resolved to 10⁻⁶, far below any rounding the standards apply.
HJ 633—2026 §4.2.2 then rounds concentrations (GB/T 8170: half to even) to integers,
CO to one decimal, before the IAQI; HJ 633—2012 sets no input rounding.

Edges the standards leave open (documented choices, ``docs/air-quality.md``):
a concentration above the top breakpoint gets IAQI 500 and a ``beyond_scale`` flag;
a negative concentration is invalid (scalar: ``ValueError``; vectorised: NA);
HJ 633—2026's AQI range is 1～500 (§4.1.1), so an all-zero day reports AQI 1.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from types import ModuleType
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecoplan.air.standards import hj633_2012, hj633_2026
from ecoplan.air.standards.editions import EDITION_KEYS, EDITIONS
from ecoplan.core.rounding import round_fraction, round_scaled

__all__ = [
    "CATEGORY_EN",
    "CATEGORY_ZH",
    "COLOR_HEX",
    "EXCELLENT_MAX",
    "GOOD_MAX",
    "HEAVY_ABOVE",
    "LEVEL_UPPER",
    "LEVEL_ZH",
    "POLLUTANT_LABEL",
    "PRIMARY_ABOVE",
    "SEVERE_ABOVE",
    "AQIResult",
    "Report",
    "aqi_frame",
    "compute",
    "daily",
    "hourly",
    "iaqi",
    "iaqi_array",
    "indicators",
    "is_primary",
    "level_array",
    "level_of",
    "pollutant_of",
    "primary_array",
    "spec",
]

Report = Literal["daily", "hourly"]
SCALE: Final = 10**6

#: Levels 1–6 (HJ 633—2012 表2 / HJ 633—2026 表1): upper AQI bound of each level,
#: the one table (:data:`ecoplan.air.standards.hj633_2012.LEVEL_UPPER`); the names
#: below, :func:`level_of`, :func:`level_array` and the pipeline's SQL all read it.
LEVEL_UPPER: Final = hj633_2012.LEVEL_UPPER
#: 优 (level 1): AQI ≤ 50.
EXCELLENT_MAX: Final = LEVEL_UPPER[0]
#: 优良天 (levels 1–2): AQI ≤ 100.
GOOD_MAX: Final = LEVEL_UPPER[1]
#: 重度污染及以上 (levels 5–6): AQI > 200.
HEAVY_ABOVE: Final = LEVEL_UPPER[3]
#: 严重污染 (level 6): AQI > 300.
SEVERE_ABOVE: Final = LEVEL_UPPER[4]
#: 首要污染物: the pollutants with the largest IAQI when AQI > 50 (HJ 633—2012 §3.3,
#: HJ 633—2026 §3.3).
PRIMARY_ABOVE: Final = LEVEL_UPPER[0]
LEVEL_ZH: Final = ("一级", "二级", "三级", "四级", "五级", "六级")
CATEGORY_ZH: Final = ("优", "良", "轻度污染", "中度污染", "重度污染", "严重污染")
CATEGORY_EN: Final = (
    "Excellent",
    "Good",
    "Lightly polluted",
    "Moderately polluted",
    "Heavily polluted",
    "Severely polluted",
)
COLOR_ZH: Final = ("绿色", "黄色", "橙色", "红色", "紫色", "褐红色")
COLOR_EN: Final = ("green", "yellow", "orange", "red", "purple", "maroon")
#: Appendix A RGB as hex.
COLOR_HEX: Final = ("#00E400", "#FFFF00", "#FF7E00", "#FF0000", "#99004C", "#7E0023")

#: Pollutant labels as used in official releases.
POLLUTANT_LABEL: Final = {"pm25": "PM2.5", "pm10": "PM10", "so2": "SO2", "no2": "NO2", "co": "CO", "o3": "O3"}
#: The six basic pollutants a complete AQI needs (HJ 633—2026 §5.3.1).
BASIC: Final = ("so2", "no2", "co", "o3", "pm10", "pm25")


def pollutant_of(indicator: str) -> str:
    """``"pm25_24h"`` → ``"pm25"``."""
    return indicator.split("_", 1)[0]


#: The HJ 633 tables of each edition, matched by the standard an edition row of
#: :data:`~ecoplan.air.standards.editions.EDITIONS` names.
_SPECS: Final[dict[str, ModuleType]] = {
    e.key: m for e in EDITIONS for m in (hj633_2012, hj633_2026) if e.aqi == m.STANDARD
}


def spec(edition: str) -> ModuleType:
    """The HJ 633 tables (module) of an edition (``"2012"`` …)."""
    try:
        return _SPECS[edition]
    except KeyError:
        raise ValueError(
            f"unknown AQI edition {edition!r}; expected one of {', '.join(EDITION_KEYS)}"
        ) from None


_spec = spec


def indicators(report: Report, edition: str) -> tuple[str, ...]:
    """The indicators of a daily or real-time (hourly) report under an edition."""
    return _indicators(report, edition)


def _indicators(report: Report, edition: str) -> tuple[str, ...]:
    spec = _spec(edition)
    if report == "daily":
        return tuple(spec.DAILY)
    if report == "hourly":
        return tuple(spec.HOURLY)
    raise ValueError(f"unknown report {report!r}; expected daily or hourly")


# ---------------------------------------------------------------------------
# scalar reference (exact fractions)
# ---------------------------------------------------------------------------


#: Concentrations above this are beyond every table (IAQI 500 or a special rule);
#: clipping here keeps the int64 arithmetic of the vectorised path from overflowing.
CLIP: Final = 10**9


def _to_fraction(c: float | int | str | Decimal) -> Fraction:
    """The concentration as an exact fraction (see module doc).

    Strings, :class:`~decimal.Decimal` and ints are exact; a float is taken as
    the decimal ``floor(c·10⁶ + 0.5)·10⁻⁶``, the rule of the vectorised path.
    Values above :data:`CLIP` are clipped (the result is the same).
    """
    if isinstance(c, float):
        if not math.isfinite(c):
            raise ValueError(f"{c!r} is not a concentration")
        if c > CLIP:
            return Fraction(CLIP)
        return Fraction(math.floor(c * SCALE + 0.5), SCALE)
    try:
        d = Decimal(str(c))
    except ArithmeticError:
        raise ValueError(f"{c!r} is not a concentration") from None
    if not d.is_finite():
        raise ValueError(f"{c!r} is not a concentration")
    f = Fraction(d)
    return min(f, Fraction(CLIP))


def _round_gbt8170(c: Fraction, digits: int) -> Fraction:
    """GB/T 8170 rounding (四舍六入五成双, half to even) of an exact value."""
    return round_fraction(c, digits)


@dataclass(frozen=True)
class _Sub:
    value: int | None
    beyond: bool = False


def _iaqi_exact(table: Sequence[int | None], c: Fraction) -> _Sub:
    levels = hj633_2012.IAQI_LEVELS
    bps = [(b, levels[i]) for i, b in enumerate(table) if b is not None]
    if c > bps[-1][0]:
        return _Sub(500, True)
    for (lo, ilo), (hi, ihi) in itertools.pairwise(bps):
        if lo <= c <= hi:
            return _Sub(math.ceil(Fraction(ihi - ilo, hi - lo) * (c - lo) + ilo))
    raise AssertionError("unreachable: table starts at 0")  # pragma: no cover


def iaqi(
    indicator: str,
    concentration: float | int | str | Decimal | None,
    *,
    edition: str = "2012",
) -> int | None:
    """IAQI of one concentration (µg/m³; CO mg/m³), exact, without special rules.

    ``indicator`` is a column of HJ 633 表1/表3: ``so2_24h``, ``so2_1h``,
    ``no2_24h``, ``no2_1h``, ``co_24h``, ``co_1h``, ``o3_1h``, ``o3_8h``,
    ``pm10_24h``, ``pm25_24h`` (2026 also ``pm10_1h``, ``pm25_1h``). Returns
    ``None`` for a missing concentration or for a cell the table leaves empty
    (SO2 1-h or O3 8-h above 800: see :func:`daily` / :func:`hourly`, which apply
    the substitution rules). Values above the top breakpoint give 500.

    >>> iaqi("pm25_24h", "35.1")
    51
    >>> iaqi("co_24h", 2.2)
    55
    >>> iaqi("pm25_24h", 75, edition="2026")
    114
    """
    if concentration is None:
        return None
    if isinstance(concentration, float) and math.isnan(concentration):
        return None
    spec = _spec(edition)
    table = spec.TABLE.get(indicator)
    if table is None:
        raise ValueError(
            f"unknown indicator {indicator!r} for HJ 633—{edition}; known: {', '.join(spec.TABLE)}"
        )
    c = _to_fraction(concentration)
    if c < 0:
        raise ValueError(f"{indicator}: negative concentration {concentration!r}")
    if spec.ROUND_DIGITS is not None:
        c = _round_gbt8170(c, spec.ROUND_DIGITS[pollutant_of(indicator)])
    special = spec.SPECIAL.get(indicator)
    if special is not None and c > special[0]:
        return None
    return _iaqi_exact(table, c).value


def is_primary(aqi: float | None, sub: float | None) -> bool:
    """Is a sub-index ``sub`` a 首要污染物's, on a day of AQI ``aqi``? (the largest
    IAQI, when AQI > :data:`PRIMARY_ABOVE`). :func:`primary_array` vectorises it."""
    return aqi is not None and sub is not None and aqi > PRIMARY_ABOVE and sub == aqi


def level_of(aqi: int | None) -> int | None:
    """AQI level 1–6 (表2 / 2026 表1)."""
    if aqi is None:
        return None
    for i, upper in enumerate(LEVEL_UPPER):
        if aqi <= upper:
            return i + 1
    return 6


@dataclass(frozen=True)
class AQIResult:
    """One AQI report: the sub-indices, the AQI and what follows from it."""

    edition: str
    report: Report
    aqi: int | None
    iaqi: dict[str, int | None]
    concentrations: dict[str, float | None]
    primary_indicators: tuple[str, ...]
    exceeding_indicators: tuple[str, ...]  # 超标污染物 (HJ 633—2012 only)
    beyond_scale: tuple[str, ...]
    substituted: dict[str, str] = field(default_factory=dict)
    missing: tuple[str, ...] = ()
    complete: bool = True

    @property
    def level(self) -> int | None:
        return level_of(self.aqi)

    @property
    def primary_pollutants(self) -> list[str]:
        out: list[str] = []
        for ind in self.primary_indicators:
            lab = POLLUTANT_LABEL[pollutant_of(ind)]
            if lab not in out:
                out.append(lab)
        return out

    def to_dict(self) -> dict[str, Any]:
        lv = self.level
        spec = _spec(self.edition)
        return {
            "aqi": self.aqi,
            "level": lv,
            "level_zh": LEVEL_ZH[lv - 1] if lv else None,
            "category_zh": CATEGORY_ZH[lv - 1] if lv else None,
            "category_en": CATEGORY_EN[lv - 1] if lv else None,
            "color": COLOR_HEX[lv - 1] if lv else None,
            "color_zh": COLOR_ZH[lv - 1] if lv else None,
            "health_effect_zh": spec.EFFECT_ZH[lv - 1] if lv else None,
            "advice_zh": spec.ADVICE_ZH[lv - 1] if lv else None,
            "primary_pollutants": self.primary_pollutants,
            "primary_indicators": list(self.primary_indicators),
            "exceeding_pollutants": sorted(
                {POLLUTANT_LABEL[pollutant_of(i)] for i in self.exceeding_indicators}
            ),
            "iaqi": dict(self.iaqi),
            "concentrations": dict(self.concentrations),
            "beyond_scale": list(self.beyond_scale),
            "substituted": dict(self.substituted),
            "missing": list(self.missing),
            "complete": self.complete,
            "report": self.report,
            "edition": self.edition,
            "standard": spec.STANDARD,
        }


def _compute_scalar(
    report: Report, edition: str, conc: Mapping[str, Any], not_monitored: Iterable[str] = ()
) -> AQIResult:
    spec = _spec(edition)
    inds = _indicators(report, edition)
    known = set(spec.TABLE) | {"so2_24h"}
    for k in conc:
        if k not in known:
            raise ValueError(f"unknown indicator {k!r}; known: {', '.join(sorted(known))}")
    values: dict[str, float | None] = {}
    for k, v in conc.items():
        if v is None or (isinstance(v, float) and math.isnan(v)):
            values[k] = None
        else:
            if _to_fraction(v) < 0:
                raise ValueError(f"{k}: negative concentration {v!r}")
            values[k] = float(v)
    sub: dict[str, int | None] = {}
    beyond: list[str] = []
    substituted: dict[str, str] = {}
    for ind in inds:
        c = conc.get(ind)
        if c is None or (isinstance(c, float) and math.isnan(c)):
            sub[ind] = None
            continue
        fc = _to_fraction(c)
        if spec.ROUND_DIGITS is not None:
            fc = _round_gbt8170(fc, spec.ROUND_DIGITS[pollutant_of(ind)])
        special = spec.SPECIAL.get(ind)
        if special is not None and fc > special[0]:
            repl = special[1]
            if isinstance(repl, int):
                sub[ind] = repl
                substituted[ind] = str(repl)
            else:
                sub[ind] = iaqi(repl, conc.get(repl), edition=edition)
                substituted[ind] = repl
            continue
        r = _iaqi_exact(spec.TABLE[ind], fc)
        sub[ind] = r.value
        if r.beyond:
            beyond.append(ind)
    present = [v for v in sub.values() if v is not None]
    aqi = max(present) if present else None
    have = {pollutant_of(i) for i, v in sub.items() if v is not None}
    skip = set(not_monitored)
    missing = tuple(p for p in BASIC if p not in have and p not in skip)
    complete = not missing
    if spec.AQI_MIN is not None and aqi is not None and aqi < spec.AQI_MIN:
        aqi = spec.AQI_MIN  # HJ 633—2026 §4.1.1: AQI range 1～500
    withhold = spec.WITHHOLD_INCOMPLETE_UP_TO
    if withhold is not None and not complete and (aqi is None or aqi <= withhold):
        aqi = None  # HJ 633—2026 §5.3.1: AQI with a pollutant missing only if > 100
    primary = tuple(i for i, v in sub.items() if is_primary(aqi, v))
    exceeding = tuple(i for i, v in sub.items() if spec.NON_ATTAINMENT and v is not None and v > 100)
    return AQIResult(
        edition, report, aqi, sub, values, primary, exceeding, tuple(beyond), substituted, missing, complete
    )


def daily(
    *,
    pm25: Any = None,
    pm10: Any = None,
    so2: Any = None,
    no2: Any = None,
    co: Any = None,
    o3_8h: Any = None,
    o3_1h: Any = None,
    edition: str = "2012",
    not_monitored: Iterable[str] = (),
) -> AQIResult:
    """Daily AQI (日报) from daily concentrations.

    ``pm25 pm10 so2 no2 co`` are 24-h (daily) means, ``o3_8h`` the daily maximum
    8-h average, ``o3_1h`` the daily maximum 1-h value (an indicator in HJ 633—2012
    表3; ignored by 2026, except that it is kept in the output). Special rules: 2012
    表1 note 3 (O3 8-h > 800 → the O3 1-h IAQI), 2026 表3 note c (→ 300).
    ``not_monitored``: pollutants (``"co"`` …) outside the monitoring programme;
    their absence does not withhold the AQI (HJ 633—2026 §5.3.2).

    >>> daily(pm25=158, pm10=205, so2=26, no2=72, co=1.8, o3_1h=40, o3_8h=30).aqi
    208
    """
    conc = {
        "pm25_24h": pm25,
        "pm10_24h": pm10,
        "so2_24h": so2,
        "no2_24h": no2,
        "co_24h": co,
        "o3_8h": o3_8h,
        "o3_1h": o3_1h,
    }
    return _compute_scalar("daily", edition, conc, not_monitored)


def hourly(
    *,
    so2_1h: Any = None,
    no2_1h: Any = None,
    co_1h: Any = None,
    o3_1h: Any = None,
    o3_8h: Any = None,
    pm10_24h: Any = None,
    pm25_24h: Any = None,
    pm10_1h: Any = None,
    pm25_1h: Any = None,
    so2_24h: Any = None,
    edition: str = "2012",
    not_monitored: Iterable[str] = (),
) -> AQIResult:
    """Real-time (hourly) AQI (实时报).

    HJ 633—2012 表4: SO2, NO2, CO, O3 1-h values, the O3 8-h moving average and the
    PM10/PM2.5 **24-h moving averages** (1-h PM values carry no IAQI); SO2 1-h
    above 800 → the IAQI of the SO2 24-h average ``so2_24h`` (表1 note 2).
    HJ 633—2026 §4.2.3: the six 1-h values, PM against the daily breakpoints; SO2
    1-h above 800 → 200.
    """
    conc = {
        "so2_1h": so2_1h,
        "no2_1h": no2_1h,
        "co_1h": co_1h,
        "o3_1h": o3_1h,
        "o3_8h": o3_8h,
        "pm10_24h": pm10_24h,
        "pm25_24h": pm25_24h,
        "pm10_1h": pm10_1h,
        "pm25_1h": pm25_1h,
        "so2_24h": so2_24h,
    }
    inds = set(_indicators("hourly", edition)) | {"so2_24h"}
    return _compute_scalar("hourly", edition, {k: v for k, v in conc.items() if k in inds}, not_monitored)


# ---------------------------------------------------------------------------
# vectorised (int64)
# ---------------------------------------------------------------------------

FloatArray = npt.NDArray[np.float64]


def _scaled_array(c: npt.ArrayLike) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """floor(c·10⁶ + 0.5) — an integer, held exactly in float64 (< 2⁵³ after the
    :data:`CLIP`) — and the mask of usable (finite, ≥ 0) values."""
    a = np.asarray(c, dtype=np.float64)
    ok = np.isfinite(a)
    ok &= a >= 0
    # NaN stays NaN and unusable values are masked by ``ok``; above 2⁵³/10⁶ the float
    # is no longer an exact integer, but such a value is beyond every table anyway.
    with np.errstate(over="ignore", invalid="ignore"):
        q: FloatArray = a * SCALE
    q += 0.5
    np.floor(q, out=q)
    return q, ok


def _round_scaled(q: FloatArray, digits: int) -> FloatArray:
    """GB/T 8170 half-to-even rounding of 10⁶-scaled integers to ``digits`` decimals.

    All quantities are integers below 2⁵³, and a non-integer quotient ``q/unit`` is
    at least 10⁻⁶ away from an integer, far above the float spacing, so the floor
    is exact."""
    return round_scaled(q, digits)


#: Half the smallest distance from an integer that a non-integer exact IAQI can
#: have: the fraction is a multiple of 1/(BP_Hi − BP_Lo) in 10⁻⁶ units, and the widest
#: segment (NO2 1-h 1200→2340) is 1.14·10⁹ units, so ≥ 8.8·10⁻¹⁰. The float error of
#: ``slope·C + intercept`` below is under 10⁻¹².
_NEAR_INTEGER = 1e-10


@functools.lru_cache(maxsize=64)
def _segments(table: tuple[int | None, ...]) -> tuple[FloatArray, FloatArray, FloatArray, float]:
    """Interior breakpoints (scaled), per-segment slope and intercept of 式1 in
    scaled units, and the top breakpoint."""
    levels = hj633_2012.IAQI_LEVELS
    pairs = [(float(b * SCALE), float(levels[i])) for i, b in enumerate(table) if b is not None]
    bp = np.array([p[0] for p in pairs])
    lv = np.array([p[1] for p in pairs])
    slope = np.diff(lv) / np.diff(bp)
    intercept = lv[:-1] - slope * bp[:-1]
    return bp[1:-1], slope, intercept, float(bp[-1])


def _iaqi_scaled(table: Sequence[int | None], q: FloatArray) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Ceiling of 式1 for 10⁶-scaled integer concentrations, exact.

    The segment ``BP_Lo < C ≤ BP_Hi`` of each value is counted with comparisons (a
    value on a breakpoint takes the lower segment; both give the same IAQI), 式1 is
    evaluated as ``slope·C + intercept`` in float64 and ceiled after subtracting
    :data:`_NEAR_INTEGER`: a result that close to an integer *is* that integer (no
    exact non-integer value comes that close), and every other result keeps its
    ceiling. Equal to the fraction arithmetic of :func:`iaqi` (property-tested)."""
    inner, slope, intercept, top = _segments(tuple(table))
    k = np.zeros(q.shape, dtype=np.intp)
    for b in inner:
        k += q > b
    x = slope.take(k) * q
    x += intercept.take(k)
    x -= _NEAR_INTEGER
    out: FloatArray = np.ceil(x, out=x)
    beyond = q > top
    # beyond the top the last segment extrapolates above its label: cap at 500 (for
    # the two tables whose top label is lower, SO2 1-h and O3 8-h, the special
    # rule replaces these values afterwards)
    np.minimum(out, 500.0, out=out)
    return out, beyond


def iaqi_array(indicator: str, concentration: npt.ArrayLike, *, edition: str = "2012") -> FloatArray:
    """Vectorised :func:`iaqi`: float64 array of integer IAQIs, NaN where missing.

    Negative or non-finite concentrations give NaN; cells the table leaves empty
    (SO2 1-h / O3 8-h above 800) give NaN, as in :func:`iaqi`.
    """
    spec = _spec(edition)
    table = spec.TABLE.get(indicator)
    if table is None:
        raise ValueError(f"unknown indicator {indicator!r} for HJ 633—{edition}")
    q, ok = _scaled_array(concentration)
    if spec.ROUND_DIGITS is not None:
        q = _round_scaled(q, spec.ROUND_DIGITS[pollutant_of(indicator)])
    out, _ = _iaqi_scaled(table, q)
    special = spec.SPECIAL.get(indicator)
    if special is not None:
        out[q > special[0] * SCALE] = np.nan
    out[~ok] = np.nan
    return out


def level_array(aqi: npt.ArrayLike) -> FloatArray:
    """Vectorised :func:`level_of` (NaN stays NaN)."""
    a = np.asarray(aqi, dtype=np.float64)
    lv: FloatArray = np.ones(a.shape, dtype=np.float64)
    for upper in LEVEL_UPPER:
        lv += a > upper
    lv[np.isnan(a)] = np.nan
    return lv


def compute(
    report: Report,
    concentrations: Mapping[str, npt.ArrayLike],
    *,
    edition: str = "2012",
    not_monitored: Iterable[str] = (),
) -> dict[str, FloatArray]:
    """Sub-indices and AQI of many reports at once.

    ``concentrations`` maps indicator names (as in :func:`iaqi`; plus ``so2_24h``
    for the 2012 hourly substitution) to equal-length arrays; absent indicators
    are missing. Returns arrays ``iaqi_<indicator>``, ``aqi``, ``level``,
    ``complete`` (1.0/0.0) and ``beyond_<indicator>`` (boolean: capped at 500).
    ``not_monitored`` as in :func:`daily`.
    """
    spec = _spec(edition)
    inds = _indicators(report, edition)
    n = None
    for v in concentrations.values():
        n = len(np.asarray(v))
        break
    if n is None:
        raise ValueError("no concentrations given")
    nan = np.full(n, np.nan)
    out: dict[str, npt.NDArray[Any]] = {}
    scaled: dict[str, tuple[FloatArray, npt.NDArray[np.bool_]]] = {}
    for ind in inds:
        q, ok = _scaled_array(concentrations.get(ind, nan))
        if spec.ROUND_DIGITS is not None:
            q = _round_scaled(q, spec.ROUND_DIGITS[pollutant_of(ind)])
        scaled[ind] = (q, ok)
    # indicators with a special rule last, so their substitute is already computed
    for ind in sorted(inds, key=lambda i: i in spec.SPECIAL):
        q, ok = scaled[ind]
        sub, beyond = _iaqi_scaled(spec.TABLE[ind], q)
        special = spec.SPECIAL.get(ind)
        if special is not None:
            over = ok & (q > special[0] * SCALE)
            repl = special[1]
            if over.any():
                if isinstance(repl, int):
                    sub[over] = float(repl)
                else:
                    if f"iaqi_{repl}" in out:
                        alt = out[f"iaqi_{repl}"]
                    else:
                        alt = iaqi_array(repl, concentrations.get(repl, nan), edition=edition)
                    sub[over] = alt[over]
                beyond &= ~over
        np.copyto(sub, np.nan, where=~ok)
        beyond &= ok
        out[f"iaqi_{ind}"] = sub
        out[f"beyond_{ind}"] = beyond
    aqi = np.full(n, np.nan)
    have = {p: np.zeros(n, dtype=bool) for p in BASIC}
    for ind in inds:
        sub = out[f"iaqi_{ind}"]
        np.fmax(aqi, sub, out=aqi)
        have[pollutant_of(ind)] |= sub == sub  # not NaN
    skip = set(not_monitored)
    complete = np.logical_and.reduce([have[p] | (p in skip) for p in BASIC])
    if spec.AQI_MIN is not None:
        aqi = np.where(aqi < spec.AQI_MIN, float(spec.AQI_MIN), aqi)
    if spec.WITHHOLD_INCOMPLETE_UP_TO is not None:
        aqi = np.where(~complete & ~(aqi > spec.WITHHOLD_INCOMPLETE_UP_TO), np.nan, aqi)
    out["aqi"] = aqi
    out["level"] = level_array(aqi)
    out["complete"] = complete.astype(np.float64)
    return out


def aqi_frame(report: Report, frame: pd.DataFrame, *, edition: str = "2012") -> pd.DataFrame:
    """:func:`compute` on a DataFrame whose columns are indicator names.

    Returns a frame with the same index: ``aqi``, ``level`` (nullable Int64),
    ``iaqi_<indicator>`` (Int64), ``primary`` (comma-joined indicators, empty when
    AQI ≤ 50), ``category_zh``, ``category_en``.
    """
    res = compute(
        report,
        {c: frame[c].to_numpy(dtype=np.float64, na_value=np.nan) for c in frame.columns},
        edition=edition,
    )
    inds = _indicators(report, edition)
    out = pd.DataFrame(index=frame.index)
    aqi = res["aqi"]
    out["aqi"] = pd.array(aqi, dtype="Float64").astype("Int64")
    out["level"] = pd.array(res["level"], dtype="Float64").astype("Int64")
    for ind in inds:
        out[f"iaqi_{ind}"] = pd.array(res[f"iaqi_{ind}"], dtype="Float64").astype("Int64")
    out["primary"] = primary_array(aqi, [(ind, res[f"iaqi_{ind}"]) for ind in inds])
    lv = res["level"]
    cat_zh = np.array(("", *CATEGORY_ZH), dtype=object)
    cat_en = np.array(("", *CATEGORY_EN), dtype=object)
    idx = np.where(np.isnan(lv), 0, lv).astype(int)
    out["category_zh"] = cat_zh[idx]
    out["category_en"] = cat_en[idx]
    out["complete"] = res["complete"].astype(bool)
    return out


def primary_array(aqi: npt.ArrayLike, subs: Iterable[tuple[str, npt.ArrayLike]]) -> npt.NDArray[np.object_]:
    """Vectorised :func:`is_primary`: per row, the comma-joined labels (in the order
    of ``subs``, each once) whose sub-index is primary; ``""`` when none.

    ``subs``: (label, sub-indices) pairs; a label is an indicator, or a pollutant
    label several indicators share (then named once). NaN is missing."""
    a = np.asarray(aqi, dtype=np.float64)
    prim = np.full(a.shape, "", dtype=object)
    done: dict[str, npt.NDArray[np.bool_]] = {}
    with np.errstate(invalid="ignore"):
        high = a > PRIMARY_ABOVE
    for label, sub in subs:
        m = high & (np.asarray(sub, dtype=np.float64) == a)
        seen = done.get(label)
        if seen is not None:
            m &= ~seen
            done[label] = seen | m
        else:
            done[label] = m
        if m.any():
            prim[m] = np.where(prim[m] == "", label, prim[m] + "," + label)
    return prim
