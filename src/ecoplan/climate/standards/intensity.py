"""CO2 intensity against GDP at constant prices, its decline, and the schedule to a target.

The plans' binding indicator 单位国内生产总值二氧化碳排放降低 (〔18〕 % for 2021–2025) is
the cumulative decline of the intensity ``E/G`` (CO2 emissions over GDP **at the constant
prices of the plan's base year**) against the base year:

    decline % = (1 − (E/G) / (E0/G0)) × 100

GDP at constant prices comes from the user's figures, either way the statistics give it:

* nominal GDP and the GDP deflator (price level, base year = 100):
  ``G = nominal / deflator × 100`` (:func:`constant_price_gdp`);
* the base year's nominal GDP and the chained volume indices (地区生产总值指数, each year
  against the year before = 100): ``G_t = G_base × Π index / 100`` (:func:`chain_volume`).

A target ``D`` % over ``n`` years has two schedules: linear (``D × k / n`` by year ``k``)
and compound (the same yearly rate every year: ``1 − (1 − D)^(k/n)``). The yearly decline
still required after an achieved cumulative decline ``c`` at year ``k`` is
``1 − ((1 − D) / (1 − c))^(1 / (n − k))``. Every function is pure; percentages are
percent (18 means 18 %), rounding is the caller's (GB/T 8170, :mod:`ecoplan.core.rounding`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from ecoplan.core.errors import EcoplanError
from ecoplan.core.rounding import round_half_even

__all__ = [
    "Intensity",
    "chain_volume",
    "compound_schedule",
    "constant_price_gdp",
    "contract",
    "decline_pct",
    "intensity",
    "linear_schedule",
    "required_yearly_decline",
    "yearly_rate",
]


def _positive(name: str, value: float) -> float:
    if not math.isfinite(value) or value <= 0:
        raise EcoplanError.worded("climate.error.not_positive", field=name, value=value)
    return value


def _non_negative(name: str, value: float) -> float:
    if not math.isfinite(value) or value < 0:
        raise EcoplanError.worded("climate.error.negative", field=name, value=value)
    return value


def _pct(name: str, value: float, *, below_100: bool = True) -> float:
    if not math.isfinite(value) or (below_100 and value >= 100):
        raise EcoplanError.worded("climate.error.bad_pct", field=name, value=value)
    return value


def intensity(emissions: float, gdp: float, *, names: tuple[str, str] = ("emissions", "gdp")) -> float:
    """CO2 per unit of GDP (``emissions / gdp``, in the units given: e.g. t per 10⁴ yuan).

    ``names`` are the inputs' names an error quotes (the command's options).
    """
    return _finite(_non_negative(names[0], emissions) / _positive(names[1], gdp))


def _finite(x: float) -> float:
    """``x``, or a worded error when the inputs' scale overflowed (no ``inf`` is reported)."""
    if not math.isfinite(x):
        raise EcoplanError.worded("climate.error.out_of_range")
    return x


#: The largest rise of the intensity reported (%): beyond it the units are wrong (and GB/T 8170
#: rounding to 2 decimals would exceed the 28 digits of a decimal).
_RISE_LIMIT = 1e20
_BASE = ("base-emissions", "base-gdp")
_YEAR = ("emissions", "gdp")


def decline_pct(base_emissions: float, base_gdp: float, emissions: float, gdp: float) -> float:
    """Cumulative intensity decline vs the base year, in percent, unrounded.

    ``(1 − (E/G)/(E0/G0)) × 100``; negative when the intensity rose.
    """
    i0 = intensity(_positive(_BASE[0], base_emissions), base_gdp, names=_BASE)
    if i0 == 0:  # the base intensity underflowed
        raise EcoplanError.worded("climate.error.out_of_range")
    d = _finite((1.0 - intensity(emissions, gdp, names=_YEAR) / i0) * 100.0)
    if d < -_RISE_LIMIT:  # a rise beyond any real economy's: the units are wrong
        raise EcoplanError.worded("climate.error.out_of_range")
    return d


@dataclass(frozen=True)
class Intensity:
    """The contract's three figures (``ecoplan climate intensity``)."""

    intensity_base: float
    intensity: float
    decline_pct: float

    @classmethod
    def of(cls, base_emissions: float, base_gdp: float, emissions: float, gdp: float) -> Intensity:
        """Base and current intensity and the decline (unrounded)."""
        return cls(
            intensity(_positive(_BASE[0], base_emissions), base_gdp, names=_BASE),
            intensity(emissions, gdp, names=_YEAR),
            decline_pct(base_emissions, base_gdp, emissions, gdp),
        )


def contract(base_emissions: float, base_gdp: float, emissions: float, gdp: float) -> dict[str, float | None]:
    """The JSON contract of ``ecoplan climate intensity`` (and ``GET /api/v1/climate/intensity``):
    both intensities unrounded, ``decline_pct`` rounded to 2 decimals by GB/T 8170."""
    it = Intensity.of(base_emissions, base_gdp, emissions, gdp)
    return {
        "intensity_base": it.intensity_base,
        "intensity": it.intensity,
        "decline_pct": round_half_even(it.decline_pct, 2),
    }


def constant_price_gdp(nominal: float, deflator: float, base: float = 100.0) -> float:
    """GDP at the base year's prices: ``nominal / deflator × base`` (deflator: base year = ``base``)."""
    return _non_negative("nominal", nominal) / _positive("deflator", deflator) * _positive("base", base)


def chain_volume(base_gdp: float, indices: Sequence[float]) -> list[float]:
    """GDP at the base year's prices for each following year, from volume indices.

    ``indices[i]`` is year ``i + 1`` against year ``i`` = 100 (the yearbooks' 上年=100);
    the result holds one value per index (the base year itself excluded).
    """
    level = _non_negative("base_gdp", base_gdp)
    out = []
    for i, idx in enumerate(indices):
        level *= _positive(f"indices[{i}]", idx) / 100.0
        out.append(level)
    return out


def _years(n: int) -> int:
    if n < 1:
        raise EcoplanError.worded("climate.error.bad_years", years=n)
    return n


def linear_schedule(target_pct: float, years: int) -> list[float]:
    """Cumulative decline (%) required at the end of each year 1…n, linear: ``D × k / n``."""
    _pct("target_pct", target_pct)
    n = _years(years)
    return [target_pct * k / n for k in range(1, n + 1)]


def yearly_rate(target_pct: float, years: int) -> float:
    """The constant yearly decline (%) that compounds to ``target_pct`` over ``years``."""
    _pct("target_pct", target_pct)
    return (1.0 - math.pow(1.0 - target_pct / 100.0, 1.0 / _years(years))) * 100.0


def compound_schedule(target_pct: float, years: int) -> list[float]:
    """Cumulative decline (%) at the end of each year 1…n at a constant yearly rate."""
    _pct("target_pct", target_pct)
    n = _years(years)
    return [(1.0 - math.pow(1.0 - target_pct / 100.0, k / n)) * 100.0 for k in range(1, n + 1)]


def required_yearly_decline(achieved_pct: float, elapsed: int, target_pct: float, years: int) -> float:
    """The yearly decline (%) still required in each remaining year to meet the target.

    ``achieved_pct``: cumulative decline reached after ``elapsed`` years of ``years``.
    Negative when the target is already exceeded (the intensity may rise that much).
    """
    _pct("achieved_pct", achieved_pct)
    _pct("target_pct", target_pct)
    n = _years(years)
    if not 0 <= elapsed < n:
        raise EcoplanError.worded("climate.error.bad_elapsed", elapsed=elapsed, years=n)
    ratio = (1.0 - target_pct / 100.0) / (1.0 - achieved_pct / 100.0)
    return (1.0 - math.pow(ratio, 1.0 / (n - elapsed))) * 100.0
