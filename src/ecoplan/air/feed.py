"""The plan indicators the air evaluation measures, declared as data.

Each :class:`Feed` names the indicator code a plan gives (``Indicator.code``), the
statistic of the HJ 663 annual evaluation it reads and how: the level itself, or its
relative decline since the plan's base year. The 13th FYP's "PM2.5 concentration of
cities not attaining the standard" (未达标地级及以上城市PM2.5浓度下降) counts only cities
whose base-year annual mean exceeded the GB 3095 annual limit (Table 1, class 2, the
phase in force in the base year: 35 µg/m³ under GB 3095—2012), taken from
:func:`ecoplan.air.standards.gb3095.limit`, not written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ecoplan.air.pipeline import AirEvaluation
from ecoplan.air.standards import gb3095
from ecoplan.air.standards.editions import get_edition
from ecoplan.core.feeds import Skip
from ecoplan.core.rounding import round_half_even
from ecoplan.core.words import word
from ecoplan.plans.model import Basis

__all__ = ["FEEDS", "Feed", "Skip", "feed_value"]


@dataclass(frozen=True)
class Feed:
    """One plan indicator the air evaluation produces."""

    code: str  # the plan indicator's code (Indicator.code)
    statistic: str  # a key of AirEvaluation.to_dict()
    decline: bool = False  # relative decline since the base year (%), else the level
    #: Only regions whose base-year value exceeds the GB 3095 annual limit of this pollutant.
    above_limit_of: str | None = None

    @property
    def basis(self) -> Basis:
        return Basis.CHANGE if self.decline else Basis.LEVEL


FEEDS: Mapping[str, Feed] = {
    f.code: f
    for f in (
        Feed("air.good_days_ratio", "good_days_ratio_pct"),
        Feed("air.pm25_concentration", "pm25_annual_ugm3"),
        Feed("air.heavy_pollution_days_ratio", "heavy_days_ratio_pct"),
        Feed("air.pm25_noncompliant_decline", "pm25_annual_ugm3", decline=True, above_limit_of="pm25"),
        Feed("air.heavy_pollution_days_decline", "heavy_days_ratio_pct", decline=True),
    )
}

#: The catalog's name of each statistic a feed reads.
_NAME_KEYS = {
    "pm25_annual_ugm3": "air.pm25_annual",
    "heavy_days_ratio_pct": "air.heavy_days",
    "good_days_ratio_pct": "air.good_days",
}
_UNITS = {"pm25_annual_ugm3": "µg/m³", "heavy_days_ratio_pct": "%", "good_days_ratio_pct": "%"}


def _name(statistic: str) -> dict[str, str]:
    key = _NAME_KEYS.get(statistic)
    if key is None:
        return {"zh": statistic, "en": statistic}
    return {"zh": word(key, "zh"), "en": word(key, "en")}


def _raw(e: AirEvaluation, statistic: str) -> float | None:
    """The statistic a decline is computed from: a concentration unrounded (``stat``), a
    days ratio as reported (it has no raw form)."""
    if statistic.endswith("_ratio_pct"):
        v = e.to_dict()[statistic]
        return None if v is None else float(v)
    return e.stat(statistic)


def _explains(note: Mapping[str, Any], statistic: str) -> bool:
    """Does an evaluation's note say why ``statistic`` is missing?"""
    if "ratio" in statistic:
        return note.get("key") == "note.air.ratios_not_reported"
    return note.get("key") in ("note.air.annual_invalid", "note.air.monthly_invalid") and (
        note.get("params", {}).get("pollutant") == "PM2.5"
    )


def feed_value(
    feed: Feed, e: AirEvaluation, base: AirEvaluation | None, base_year: int
) -> tuple[float, str] | Skip:
    """The value ``feed`` takes from the evaluation ``e`` (``base``: the base year's) with
    its provenance note (stored with the value), or why there is none."""
    ed = get_edition(e.edition)
    std = f"{ed.aqi}/{ed.limits}; {e.stations} stations, {e.days_valid} valid days"
    name = _name(feed.statistic)
    if not feed.decline:
        v = e.to_dict()[feed.statistic]
        if v is None:
            notes = [n for n in e.notes if _explains(n, feed.statistic)]
            why = {lang: "; ".join(n[lang] for n in notes) for lang in ("zh", "en")}
            return Skip("air.feed.invalid", {"statistic": name, "why": why})
        return v, std
    if base is None:
        return Skip("air.feed.no_base", {"year": base_year})
    b, c = _raw(base, feed.statistic), _raw(e, feed.statistic)
    if b is None or c is None:
        return Skip("air.feed.invalid_base", {"statistic": name, "year": base_year})
    unit = _UNITS.get(feed.statistic, "")
    if feed.above_limit_of is not None:
        lim = gb3095.limit(feed.above_limit_of, "annual", on=f"{base_year}-12-31")
        if b <= lim:
            params = {"statistic": name, "value": b, "unit": unit, "year": base_year, "limit": lim}
            return Skip("air.feed.attains", params)
    if b == 0:
        return Skip("air.feed.zero_base", {"statistic": name, "year": base_year})
    decline = round_half_even((b - c) / b * 100, 1)
    assert decline is not None
    return decline, f"{std}; {name['en']} {b:g} → {c:g} {unit} since {base_year}"
