"""HJ 663—2013 环境空气质量评价技术规范（试行）: statistics and evaluation rules.

Together with GB 3095 表4 (data validity) and the 2014 city-ranking rule
(城市环境空气质量排名技术规定, 环办〔2014〕64号) for the composite index. The
primary text of HJ 663—2013 was not read by the spec authors (``specs/air-quality.md``
§3): rules marked UNCONFIRMED there are parameters here, with the spec's default.

Constants are the single source for both the numpy functions below and the SQL
the pipeline generates (:mod:`ecoplan.air.pipeline`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Final

import numpy as np
import numpy.typing as npt

from ecoplan.air.standards import gb3095
from ecoplan.air.standards.editions import EDITIONS
from ecoplan.core.rounding import round_half_even

__all__ = [
    "ANNUAL_ITEMS",
    "ANNUAL_MIN_DAYS",
    "ANNUAL_PERCENTILES",
    "ANNUAL_POLLUTANTS",
    "DAILY_MIN_HOURS",
    "FEB_MIN_DAYS",
    "MDA8_MIN_WINDOWS",
    "MDA8_WINDOW_HOURS",
    "MDA8_WINDOW_STARTS",
    "MONTH_MIN_DAYS",
    "O3_8H_MIN_HOURS",
    "REPORT_DIGITS",
    "AnnualItem",
    "annual_item",
    "annual_valid",
    "attains",
    "composite_index",
    "exceedance_multiple",
    "mda8",
    "monthly_valid",
    "percentile",
    "percentile_interpolate",
    "percentile_position",
    "round_report",
]

#: GB 3095 表4: a daily (24-h) mean needs ≥ 20 hourly values.
DAILY_MIN_HOURS: Final = 20
#: GB 3095 表4: an O3 8-h average needs ≥ 6 hourly values in the 8 h.
O3_8H_MIN_HOURS: Final = 6
#: HJ 663—2013 §3 (MDA8): the 8-h windows lie inside the calendar day, ending at
#: 08:00 … 24:00; with hours labelled by their start, windows start at 0 … 16.
MDA8_WINDOW_HOURS: Final = 8
MDA8_WINDOW_STARTS: Final = tuple(range(24 - MDA8_WINDOW_HOURS + 1))
#: HJ 663—2013 §6.1.2: MDA8 valid with ≥ 14 valid 8-h values; with fewer, valid only
#: if it exceeds the 8-h limit.
MDA8_MIN_WINDOWS: Final = 14
#: The class-2 O3 8-h limit an MDA8 with few windows must exceed (§6.1.2); the same
#: in every GB 3095 phase.
_O3_8H_LIMIT: Final = gb3095.limit("o3", "8h", on=EDITIONS[-1].effective_from)
#: GB 3095 表4: annual statistics need ≥ 324 daily values and ≥ 27 in every month
#: (≥ 25 in February).
ANNUAL_MIN_DAYS: Final = 324
MONTH_MIN_DAYS: Final = 27
FEB_MIN_DAYS: Final = 25
#: Reported decimals (published practice; HJ 633—2026 §4.2.2 for concentrations).
REPORT_DIGITS: Final = {"so2": 0, "no2": 0, "pm10": 0, "pm25": 0, "o3": 0, "co": 1}


@dataclass(frozen=True)
class AnnualItem:
    """One annual evaluation item (HJ 663—2013 表1, as summarised in the spec §3.3)."""

    pollutant: str
    statistic: str  # "mean" or "p90" / "p95" / "p98"
    averaging: str  # GB 3095 averaging time of the limit it is compared with
    #: The city daily series the statistic is taken over (daily means; O3: MDA8).
    series: str
    #: The item the composite index (环办〔2014〕64号) uses for the pollutant: its
    #: headline statistic.
    composite: bool = False

    @property
    def p(self) -> int | None:
        return int(self.statistic[1:]) if self.statistic.startswith("p") else None

    @property
    def key(self) -> str:
        return f"{self.pollutant}_{self.statistic}"


#: The annual (and monthly) evaluation items, in reporting order. The one list: the
#: pipeline's SQL (:func:`ecoplan.air.pipeline.sql.annual_sql`) and its assembly
#: (:mod:`ecoplan.air.pipeline.evaluate`) are generated from it.
ANNUAL_ITEMS: Final = (
    AnnualItem("pm25", "mean", "annual", "pm25", composite=True),
    AnnualItem("pm25", "p95", "24h", "pm25"),
    AnnualItem("pm10", "mean", "annual", "pm10", composite=True),
    AnnualItem("pm10", "p95", "24h", "pm10"),
    AnnualItem("so2", "mean", "annual", "so2", composite=True),
    AnnualItem("so2", "p98", "24h", "so2"),
    AnnualItem("no2", "mean", "annual", "no2", composite=True),
    AnnualItem("no2", "p98", "24h", "no2"),
    AnnualItem("co", "p95", "24h", "co", composite=True),
    AnnualItem("o3", "p90", "8h", "o3_8h", composite=True),
)
#: The evaluated pollutants, in reporting order.
ANNUAL_POLLUTANTS: Final = tuple(dict.fromkeys(i.pollutant for i in ANNUAL_ITEMS))
#: The percentiles the items use (90, 95, 98).
ANNUAL_PERCENTILES: Final = tuple(sorted({i.p for i in ANNUAL_ITEMS if i.p is not None}))


def annual_item(pollutant: str, statistic: str) -> AnnualItem:
    """The item of ``pollutant`` and ``statistic`` (``"mean"``, ``"p95"`` …)."""
    for i in ANNUAL_ITEMS:
        if i.pollutant == pollutant and i.statistic == statistic:
            return i
    raise ValueError(f"HJ 663 evaluates no {statistic} of {pollutant}")


def percentile_position(n: int, p: float | int | str) -> tuple[int, Fraction]:
    """HJ 663—2013 附录A: ``k = 1 + (n − 1)·p%`` for n sorted values, as the integer
    part ``s`` (1-based rank of the lower order statistic) and the exact fraction
    ``k − s``. The one definition: :func:`percentile` and the pipeline (which takes
    X(s) and X(min(s + 1, n)) in SQL, then :func:`percentile_interpolate`) use it.
    """
    if n < 1:
        raise ValueError("a percentile needs at least one value")
    k = 1 + Fraction(n - 1) * Fraction(str(p)) / 100
    s = math.floor(k)
    return s, k - s


def percentile_interpolate(
    lo: Fraction | int | float, hi: Fraction | int | float, frac: Fraction
) -> Fraction:
    """``m_p = X(s) + (X(s+1) − X(s))·(k − s)`` (附录A), exactly."""
    flo = Fraction(lo)
    return flo + (Fraction(hi) - flo) * frac


def percentile(values: Sequence[float] | npt.ArrayLike, p: float | int | str) -> float | None:
    """The p-th percentile of HJ 663—2013 附录A (Hyndman–Fan type 7).

    Sort the n valid values, ``k = 1 + (n − 1)·p%``, ``s`` = integer part of k,
    ``m_p = X(s) + (X(s+1) − X(s))·(k − s)``. k is computed exactly, so its integer
    part never suffers float error. NaN values are ignored; empty → ``None``.

    >>> percentile([61, 35, 160, 42, 95, 58, 110, 80, 134, 77], 90)
    136.6
    """
    a = np.asarray(values, dtype=np.float64)
    a = np.sort(a[~np.isnan(a)])
    n = len(a)
    if n == 0:
        return None
    s, frac = percentile_position(n, p)
    if s >= n:
        return float(a[-1])
    lo, hi = float(a[s - 1]), float(a[s])
    return lo + (hi - lo) * float(frac)


def mda8(hours: npt.ArrayLike) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]:
    """Daily maximum 8-h O3 (MDA8) of days given as rows of 24 hourly values.

    Windows start at hours 0 … 16 (end 08:00 … 24:00); a window is valid with
    ≥ 6 of its 8 hours; its value is the mean of the valid hours. Returns the MDA8
    (NaN with no valid window) and the number of valid windows per day; validity
    (≥ 14 windows, or above the limit) is :func:`mda8_valid`.
    """
    h = np.asarray(hours, dtype=np.float64)
    if h.ndim != 2 or h.shape[1] != 24:
        raise ValueError("mda8 expects an (n, 24) array of hourly values")
    valid = ~np.isnan(h)
    vals = np.where(valid, h, 0.0)
    w = MDA8_WINDOW_HOURS
    sums = np.stack([vals[:, s : s + w].sum(axis=1) for s in MDA8_WINDOW_STARTS], axis=1)
    cnts = np.stack([valid[:, s : s + w].sum(axis=1) for s in MDA8_WINDOW_STARTS], axis=1)
    ok = cnts >= O3_8H_MIN_HOURS
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(ok, sums / np.maximum(cnts, 1), np.nan)
    with np.errstate(invalid="ignore"):
        best = np.fmax.reduce(means, axis=1)
    return best, ok.sum(axis=1).astype(np.int64)


def mda8_valid(value: float, windows: int, limit: float | None = None) -> bool:
    """HJ 663—2013 §6.1.2: ≥ 14 valid 8-h values, or the MDA8 exceeds the limit
    (default: the GB 3095 class-2 O3 8-h limit, 160 µg/m³ in every phase)."""
    if limit is None:
        limit = _O3_8H_LIMIT
    if math.isnan(value):
        return False
    return windows >= MDA8_MIN_WINDOWS or value > limit


def annual_valid(days_per_month: Mapping[int, int]) -> tuple[bool, str]:
    """GB 3095 表4 annual validity: ≥ 324 days, ≥ 27 per month (February ≥ 25).

    Returns (valid, reason); the reason names the first shortfall, in English.
    """
    total = sum(days_per_month.get(m, 0) for m in range(1, 13))
    short = [
        m for m in range(1, 13) if days_per_month.get(m, 0) < (FEB_MIN_DAYS if m == 2 else MONTH_MIN_DAYS)
    ]
    if total < ANNUAL_MIN_DAYS:
        return False, f"{total} valid days < {ANNUAL_MIN_DAYS}"
    if short:
        return False, "too few valid days in month(s) " + ", ".join(str(m) for m in short)
    return True, ""


def monthly_valid(month: int, days: int) -> tuple[bool, str]:
    """Monthly statistics: ≥ 27 daily values (February ≥ 25) — the monthly clause of
    the GB 3095 表4 annual rule, applied to the month itself (the standards set no
    separate monthly row; UNCONFIRMED)."""
    need = FEB_MIN_DAYS if month == 2 else MONTH_MIN_DAYS
    if days < need:
        return False, f"{days} valid days < {need}"
    return True, ""


def round_report(value: float | None, pollutant: str) -> float | None:
    """Round a statistic to its reported digits (GB/T 8170, half to even)."""
    return round_half_even(value, REPORT_DIGITS[pollutant])


def attains(value: float | None, limit: float, pollutant: str, *, rounded: bool = True) -> bool | None:
    """Statistic ≤ limit; by default the reported (rounded) statistic is compared
    (spec §3.5, UNCONFIRMED; ``rounded=False`` compares the raw value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    v = round_report(value, pollutant) if rounded else value
    assert v is not None
    return v <= limit


def exceedance_multiple(value: float | None, limit: float) -> float | None:
    """超标倍数 ``(C − S) / S`` for C > S, else 0; two decimals (spec §3.5)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value <= limit:
        return 0.0
    return float(Decimal(repr((value - limit) / limit)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class Composite:
    """环境空气质量综合指数 and its single indices."""

    total: float
    single: dict[str, float]
    primary: str


def composite_index(
    stats: Mapping[str, float | None],
    limits: Mapping[str, float],
    weights: Mapping[str, float] | None = None,
) -> Composite | None:
    """The composite index of the 2014 ranking rule: ``Σ C_i / S_i``.

    ``stats``: pollutant → period statistic (SO2, NO2, PM10, PM2.5 means; CO
    95th percentile of daily means; O3 90th percentile of MDA8). ``limits``: the
    class-2 limits they are divided by (annual limits; CO 24-h 4; O3 8-h 160).
    ``weights`` (default 1) allows the weighted variant some sources attribute to
    HJ 663—2026 (UNCONFIRMED). Single indices and the total: two decimals; the
    largest single index names the period's primary pollutant. ``None`` when any
    of the six statistics is missing.

    >>> composite_index({"pm25": 21, "pm10": 39, "so2": 9, "no2": 15, "o3": 192, "co": 0.7},
    ...                 {"pm25": 35, "pm10": 70, "so2": 60, "no2": 40, "o3": 160, "co": 4}).total
    3.06
    """
    single: dict[str, float] = {}
    for p in ("so2", "no2", "pm10", "pm25", "co", "o3"):
        v = stats.get(p)
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        w = 1.0 if weights is None else float(weights.get(p, 1.0))
        single[p] = w * float(v) / float(limits[p])
    total = sum(single.values())
    primary = max(single, key=lambda k: single[k])

    def r2(x: float) -> float:
        return float(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN))

    return Composite(r2(total), {k: r2(v) for k, v in single.items()}, primary)
