"""The plan indicators the climate data measure, declared as data, and the pure steps of the feed.

Three indicators: ``climate.energy_intensity_decline`` (单位国内生产总值能源消耗降低) is the
same decline with the loaded total energy consumption in place of CO2;
``climate.nonfossil_energy_share`` (非化石能源消费占能源消费比重, %, a level) is the loaded
non-fossil consumption over the total. Every value has 2 decimals (GB/T 8170).

``climate.co2_intensity_decline`` (单位国内生产总值二氧化碳排放降低, the plans' binding
indicator, 〔18〕 % for 2016–2020 and 2021–2025): the cumulative decline (%) of CO2 per
unit of GDP at the constant prices of the plan's base year, against the base year,
2 decimals (GB/T 8170). CO2 is the stored energy use's fuel combustion plus net
imported electricity (:mod:`ecoplan.climate.inventory`). GDP is taken, in this order:

1. both years at the same constant prices (``prices`` = a year): as given;
2. the base year at current prices (or its own constant prices) and the year at the
   base year's constant prices: as given;
3. the base year at current prices and the volume indices (上年=100) of every year after
   it up to the year: chained (:func:`~ecoplan.climate.standards.intensity.chain_volume`).

Otherwise the year is skipped with a reason (no value is guessed).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ecoplan.climate.readers import GdpLine
from ecoplan.climate.standards.intensity import chain_volume
from ecoplan.core.feeds import Skip
from ecoplan.plans.model import Basis

__all__ = ["FEEDS", "SOURCE", "Feed", "gdp_pair"]

#: The source every value the feed writes carries.
SOURCE = "pipeline climate"


@dataclass(frozen=True)
class Feed:
    """One plan indicator the climate data produce."""

    code: str
    rule: str
    #: a cumulative decline since the base year is a change (the plans' 〔x〕 targets)
    basis: Basis = Basis.CHANGE


FEEDS: Mapping[str, Feed] = {
    f.code: f
    for f in (
        Feed(
            "climate.co2_intensity_decline",
            "(1 − (E/G)/(E0/G0)) × 100; E: fuel combustion (省级温室气体清单编制指南 method) + net imported "
            "electricity; G: GDP at the base year's constant prices",
        ),
        Feed(
            "climate.energy_intensity_decline",
            "(1 − (T/G)/(T0/G0)) × 100; T: total energy consumption as loaded; G: GDP at the base year's "
            "constant prices",
        ),
        Feed(
            "climate.nonfossil_energy_share",
            "non-fossil energy consumption / total energy consumption × 100, as loaded",
            Basis.LEVEL,
        ),
    )
}


def gdp_pair(rows: Mapping[int, GdpLine], base: int, year: int) -> tuple[float, float] | Skip:
    """GDP of the base year and of ``year`` at the same constant prices (module docstring)."""
    b, y = rows.get(base), rows.get(year)
    if b is not None and y is not None and b.gdp is not None and y.gdp is not None:
        if b.prices == y.prices != "current":
            return b.gdp, y.gdp
        if b.prices in ("current", str(base)) and y.prices == str(base):
            return b.gdp, y.gdp
    if b is not None and b.gdp is not None and b.prices in ("current", str(base)):
        idx = [rows[t].index for t in range(base + 1, year + 1) if t in rows]
        if len(idx) == year - base and all(i is not None for i in idx):
            return b.gdp, chain_volume(b.gdp, [i for i in idx if i is not None])[-1]
    return Skip("climate.skip.no_constant_gdp", {"year": year, "base": base})
