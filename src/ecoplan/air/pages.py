"""The air sections of the dashboard: the cities with air data on the home page, a
region's HJ 663 evaluations by year and its daily AQI calendar (HJ 633 levels), and the
composite-index ranking (HJ 663 §5.3). The web shell finds :data:`PAGES` through the
registry and includes the templates of ``templates/air/``.

Evaluations are pure functions of the stored observations and events, so they are kept
per state of the air store (last import, events): pages stay fast and never stale.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

from ecoplan.air.standards.aqi import level_of
from ecoplan.core.words import word
from ecoplan.kit.web import Cache, Section

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["PAGES", "AirPages"]

_CACHE_SIZE = 4096


class AirPages:
    """The air sections (home, region, rankings), with their evaluations cached."""

    def __init__(self) -> None:
        self._cached = Cache(_CACHE_SIZE)

    def evaluate(
        self, ep: Ecoplan, region: str, year: int, state: tuple[Any, ...] | None = None
    ) -> dict[str, Any]:
        """The annual evaluation of ``region`` (its JSON form), cached per store state
        (``state``: the air store's, when the caller has read it already)."""
        key = ("eval", ep.path, state if state is not None else ep.air.state(), region, year)
        result: dict[str, Any] = self._cached(key, lambda: ep.air.evaluate(region, year).to_dict())
        return result

    def daily_aqi(
        self, ep: Ecoplan, region: str, year: int, state: tuple[Any, ...] | None = None
    ) -> list[dict[str, Any]]:
        """Each day's AQI of ``year`` (None where the day is not valid)."""

        def make() -> list[dict[str, Any]]:
            df = ep.air.daily(region, dt.date(year, 1, 1), dt.date(year, 12, 31))
            aqis = df["aqi"].to_numpy(dtype="float64", na_value=float("nan"))
            return [
                {"day": str(day), "aqi": None if a != a else int(a)}
                for day, a in zip(df["day"], aqis, strict=True)
            ]

        key = ("daily", ep.path, state if state is not None else ep.air.state(), region, year)
        result: list[dict[str, Any]] = self._cached(key, make)
        return result

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        """The latest valid year of every region with air data."""
        rows = []
        state = ep.air.state()  # one read for the page: the evaluations' cache key
        for region in ep.air.regions():
            for y in sorted(ep.air.years(region), reverse=True):
                d = self.evaluate(ep, region, y, state)
                if d["good_days_ratio_pct"] is not None:
                    keep = ("year", "good_days_ratio_pct", "pm25_annual_ugm3")
                    rows.append(
                        {"region": region, "name": ep.region(region).name(lang), **{k: d[k] for k in keep}}
                    )
                    break
        return Section({"air": rows}, "air/home.html", {"rows": rows}) if rows else None

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None = None) -> Section | None:
        """The region's evaluations by year and the calendar of its latest valid year."""
        state = ep.air.state()
        evals = [self.evaluate(ep, code, y, state) for y in ep.air.years(code)]
        if not evals:
            return None
        keep = ("year", "days_valid", "good_days_ratio_pct", "heavy_days_ratio_pct", "pm25_annual_ugm3")
        rows = [{**{k: e[k] for k in keep}, "composite_index": e["composite_index"]} for e in evals]
        valid = [e for e in evals if e["good_days_ratio_pct"] is not None]
        daily = self.daily_aqi(ep, code, valid[-1]["year"], state) if valid else []
        calendar = None
        if daily:
            cells = []
            for d in daily:
                lv = level_of(d["aqi"])
                category = None if lv is None else word(f"aqi.category.{lv}", lang)
                cells.append({"day": d["day"], "aqi": d["aqi"], "level": lv, "category": category})
            calendar = {
                "year": valid[-1]["year"],
                "cells": cells,
                "labels": json.dumps(
                    [word(f"aqi.category.{i}", lang) for i in range(1, 7)], ensure_ascii=False
                ),
                "points": json.dumps([[d["day"], d["aqi"]] for d in daily if d["aqi"] is not None]),
            }
        return Section({"air": rows, "daily": daily}, "air/region.html", {"rows": rows, "calendar": calendar})

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        """Cities ranked by the composite index of the latest year that has one (or ``year``)."""
        years = sorted({y for r in ep.air.regions() for y in ep.air.years(r)})
        for y in reversed(years if year is None else [y for y in years if y == year]):
            ranked = ep.air.rank(y)
            if any(r["composite_index"] is not None for r in ranked):
                rows = [{"year": y, **r, "name": ep.region(r["region"]).name(lang)} for r in ranked]
                return Section({"air": rows}, "air/rankings.html", {"rows": rows, "year": y})
        return None


PAGES = AirPages()
