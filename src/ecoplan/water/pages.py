"""The water sections of the dashboard: sections by GB 3838—2002 class on a map, river
basins and the class distribution on the home page; a region's classes by year, its
sections and one section's monthly means against the class limits (GB 3838—2002
Table 1); the regions ranked by their class Ⅰ–Ⅲ share (环办〔2011〕22号 §3.2). The web
shell finds :data:`PAGES` through the registry and includes ``templates/water/``.

Colours are CNEMC's class colours (:data:`evaluation_2011.CNEMC_COLOR_HEX`), always
with the class written beside or on them: a colour alone never carries the class.
Results are pure functions of the stored samples, so they are cached per state of the
water store (pages stay fast and never stale).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ecoplan.core.words import word
from ecoplan.kit.web import Cache, Section
from ecoplan.water.standards import gb3838_2002 as gb
from ecoplan.water.standards.evaluation_2011 import CNEMC_COLOR_HEX

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["PAGES", "WaterPages", "classes", "in_region"]

_CACHE_SIZE = 256
#: The items whose monthly means a region page draws, in order of preference.
_SERIES_ITEMS = ("NH3N", "TP", "CODMn", "DO", "COD", "BOD5", "TN")
#: The map's frame: longitude and latitude of mainland China and Hainan (plate carrée).
_LON, _LAT = (73.0, 136.0), (17.0, 54.0)
_W, _H = 640, 380


def classes(lang: str) -> list[dict[str, Any]]:
    """The six classes: number, colour, legend word and chip text."""
    return [
        {
            "cls": c,
            "color": CNEMC_COLOR_HEX[c - 1],
            "word": word(f"water.web.class.{c}", lang),
            "chip": word(f"water.web.chip.{c}", lang),
        }
        for c in range(1, 7)
    ]


def in_region(region: Any, code: str) -> bool:
    """Whether a section's region code lies in ``code`` (GB/T 2260: province, city, county)."""
    if code == "000000":
        return True
    r = "" if region is None or region != region else str(region)
    prefix = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
    return r.startswith(prefix)


def _distribution(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Counts per class, with each class's share of the classed sections."""
    counts = [0] * 6
    for r in rows:
        if r["class"] is not None and r["class"] == r["class"]:
            counts[int(r["class"]) - 1] += 1
    n = sum(counts)
    parts = [
        {**k, "n": counts[k["cls"] - 1], "pct": round(100.0 * counts[k["cls"] - 1] / n, 1) if n else 0.0}
        for k in classes(lang)
    ]
    return {"n": n, "parts": parts, "share_i_iii": round(100.0 * sum(counts[:3]) / n, 1) if n else None}


def _name(v: Any) -> str:
    return "" if v is None or v != v else str(v)


def _chip(r: dict[str, Any], lang: str) -> dict[str, Any]:
    c = int(r["class"])
    return {
        "cls": c,
        "color": CNEMC_COLOR_HEX[c - 1],
        "chip": word(f"water.web.chip.{c}", lang),
        "name": _name(r["name"]),
        "region": _name(r["region"]),
    }


def _map(rows: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Points at the sections' coordinates, or (none has any) chips grouped by province."""
    classed = [r for r in rows if r["class"] is not None and r["class"] == r["class"]]
    placed = [r for r in classed if _finite(r.get("lat")) and _finite(r.get("lon"))]
    if placed:
        pts = []
        for r in placed:
            x = (float(r["lon"]) - _LON[0]) / (_LON[1] - _LON[0]) * _W
            y = (_LAT[1] - float(r["lat"])) / (_LAT[1] - _LAT[0]) * _H
            pts.append({**_chip(r, lang), "x": round(x, 1), "y": round(y, 1)})
        return {"points": pts, "width": _W, "height": _H, "groups": []}
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in sorted(classed, key=lambda r: (_name(r["province"]), int(r["class"]), _name(r["name"]))):
        groups.setdefault(_name(r["province"]), []).append(_chip(r, lang))
    return {"points": [], "groups": [{"province": k, "chips": v} for k, v in groups.items()]}


def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and math.isfinite(v)


def _pollutants(text: Any, lang: str) -> str:
    """The main pollutants (JSON text of the pipeline) as item names in ``lang``."""
    items = json.loads(text) if isinstance(text, str) and text else []
    names = [word(f"water.cli.item.{str(i['item']).lower()}", lang) for i in items]
    return word("label.report.list_sep", lang).join(names) if names else word("water.web.none", lang)


def _limits(item: str, water_body: str) -> tuple[tuple[float, ...], bool]:
    """The class limits of ``item`` (GB 3838—2002 Table 1) and whether higher is better (DO)."""
    if item == "DO":
        return tuple(gb.DO_LIMITS), True
    key = f"TP_{water_body}" if item == "TP" else item
    return tuple(gb.LE_LIMITS.get(key, ())), False


def series_chart(points: list[tuple[str, float]], limits: tuple[float, ...], lang: str) -> dict[str, Any]:
    """Coordinates of a small line chart (320×160) of monthly means with the class limits
    as dashed lines labelled with the class they bound."""
    w, h, pad = 320.0, 160.0, 24.0
    values = [v for _, v in points] + list(limits)
    lo, hi = min(0.0, *values), max(values) * 1.08 or 1.0

    def y(v: float) -> float:
        return round(h - pad - (v - lo) / (hi - lo) * (h - 2 * pad), 1)

    n = len(points)
    xs = [round(pad + (i + 0.5) * (w - 2 * pad) / max(n, 1), 1) for i in range(n)]
    lines = [
        {"y": y(v), "label": f"{word(f'water.web.chip.{i + 1}', lang)} {v:g}", "color": CNEMC_COLOR_HEX[i]}
        for i, v in enumerate(limits)
    ]
    pts = [
        {"x": x, "y": y(v), "period": p, "value": round(v, 3)} for x, (p, v) in zip(xs, points, strict=True)
    ]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p['x']},{p['y']}" for i, p in enumerate(pts))
    return {"width": w, "height": h, "lines": lines, "points": pts, "path": path}


#: A year with data in fewer months than this is shown on the home page only when no
#: year has more (a snapshot of a month or two says little about a year).
HOME_MIN_MONTHS = 3


def _registers(ep: Ecoplan, code: str, lang: str) -> dict[str, Any]:
    """The region's drinking-water sources (the latest year with monitoring of one of
    them: each source's verdict, the rate by count and by volume over city- and
    county-level sources) and its black-odorous water bodies (the latest year with one
    of them assessed: the remaining share per built-up area kind); empty when the
    region has neither."""
    out: dict[str, Any] = {}
    for y in reversed(ep.water.drinking.years()):
        att = ep.water.drinking.attainment(year=y)
        mine = att[[in_region(r, code) for r in att["region"]]]
        if len(mine):
            rates = ep.water.drinking.rates(year=y, region=code)
            rate = rates.iloc[0].to_dict() if len(rates) else None
            out["drinking"] = {
                "year": y,
                "rate_count": None if rate is None else rate["rate_count_pct"],
                "rate_volume": None if rate is None else rate["rate_volume_pct"],
                "n": None if rate is None else int(rate["n_sources"]),
                "meeting": None if rate is None else int(rate["n_meeting"]),
                "rows": [
                    {
                        "source": r["source"],
                        "name": r["name"],
                        "type": word(f"water.drinking.type.{r['type']}", lang),
                        "level": word(f"water.drinking.level.{r['level']}", lang),
                        "meets": r["meets"] if r["meets"] is not None and r["meets"] == r["meets"] else None,
                        "verdict": word(
                            "water.drinking.meets."
                            + ("none" if r["meets"] is None or r["meets"] != r["meets"] else
                               "yes" if r["meets"] else "no"),
                            lang,
                        ),
                    }
                    for r in mine.to_dict("records")
                ],
            }  # fmt: skip
            break
    for y in reversed(ep.water.black_odorous.years()):
        ratios = ep.water.black_odorous.ratios(year=y, region=code)
        ratios = ratios[ratios["n_assessed"] > 0]
        if len(ratios):
            out["black"] = {
                "year": y,
                "rows": [
                    {
                        "area": r["area"],
                        "area_word": word(f"water.black_odorous.area.{r['area']}", lang),
                        "listed": int(r["n_listed"]),
                        "assessed": int(r["n_assessed"]),
                        "eliminated": int(r["n_eliminated"]),
                        "remaining": float(r["remaining_pct"]),
                    }
                    for r in ratios.to_dict("records")
                ],
            }
            break
    return out


def _register_data(registers: dict[str, Any]) -> dict[str, Any]:
    """The JSON of the register parts (words left out)."""
    d, b = registers.get("drinking"), registers.get("black")
    return {
        "drinking": None
        if d is None
        else {
            "year": d["year"],
            "rate_count_pct": d["rate_count"],
            "rate_volume_pct": d["rate_volume"],
            "sources": [{"source": r["source"], "meets": r["meets"]} for r in d["rows"]],
        },
        "black_odorous": None
        if b is None
        else {"year": b["year"], "areas": [{k: r[k] for k in ("area", "listed", "assessed", "eliminated",
                                                                  "remaining")} for r in b["rows"]]},
    }  # fmt: skip


def home_year(months: dict[int, int], sections: Callable[[int], int]) -> int:
    """The year the home page shows, from the number of months with data per year: the
    latest year with at least :data:`HOME_MIN_MONTHS` months; else the year with the most
    months, then the most sections (``sections(year)``, asked only for those tied), then
    the latest."""
    full = [y for y, n in months.items() if n >= HOME_MIN_MONTHS]
    if full:
        return max(full)
    most = max(months.values())
    tied = [y for y, n in months.items() if n == most]
    return max(tied, key=lambda y: (sections(y), y)) if len(tied) > 1 else tied[0]


class WaterPages:
    """The water sections (home, region, rankings), with their results cached."""

    def __init__(self) -> None:
        self._cached = Cache(_CACHE_SIZE)

    def sections(
        self, ep: Ecoplan, year: int, period: str = "year", state: Any = None
    ) -> list[dict[str, Any]]:
        """Every section's class in ``year`` (or its months), as records, cached per store state."""
        key = ("sections", ep.path, state if state is not None else ep.water.state(), year, period)

        def make() -> list[dict[str, Any]]:
            df = ep.water.sections(year=year, period=period)
            rows: list[dict[str, Any]] = json.loads(df.to_json(orient="records", force_ascii=False))
            return rows

        result: list[dict[str, Any]] = self._cached(key, make)
        return result

    def shares(self, ep: Ecoplan, year: int, by: str, state: Any = None) -> list[dict[str, Any]]:
        key = ("shares", ep.path, state if state is not None else ep.water.state(), year, by)

        def make() -> list[dict[str, Any]]:
            df = ep.water.rank(year=year) if by == "rank" else ep.water.shares(year=year, by=by)
            rows: list[dict[str, Any]] = json.loads(df.to_json(orient="records", force_ascii=False))
            return rows

        result: list[dict[str, Any]] = self._cached(key, make)
        return result

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        """The year shown (:func:`home_year`): the map of sections by class, the class
        distribution, the basins, and how many months of that year have data."""
        years = ep.water.years()
        if not years:
            return None
        state = ep.water.state()
        months = {y: len(ep.water.months(y)) for y in years}
        seen: dict[int, list[dict[str, Any]]] = {}

        def sections(year: int) -> list[dict[str, Any]]:
            if year not in seen:
                seen[year] = self.sections(ep, year, state=state)
            return seen[year]

        y = home_year(months, lambda year: len(sections(year)))
        rows = sections(y)
        dist = _distribution(rows, lang)
        basins = sorted(self.shares(ep, y, "basin", state), key=lambda b: (-b["n_sections"], str(b["key"])))
        for b in basins:
            b["grade_word"] = word(f"water.grade.{b['grade']}", lang) if b.get("grade") else None
        ctx = {
            "year": y,
            "months": months[y],
            "dist": dist,
            "basins": basins,
            "map": _map(rows, lang),
            "classes": classes(lang),
        }
        data = {
            "year": y,
            "months": months[y],
            "distribution": {str(p["cls"]): p["n"] for p in dist["parts"]},
            "basins": basins,
        }
        return Section({"water": data}, "water/home.html", ctx)

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None = None) -> Section | None:
        """The region's classes by year, its sections in the latest year (or ``year``), and
        the monthly means of the worst section's deciding item against the class limits."""
        state = ep.water.state()
        by_year = []
        latest: tuple[int, list[dict[str, Any]]] | None = None
        for y in ep.water.years():
            rows = [r for r in self.sections(ep, y, state=state) if in_region(r["region"], code)]
            if rows:
                by_year.append({"year": y, **_distribution(rows, lang)})
                if year is None or y == year:
                    latest = (y, rows)
        registers = _registers(ep, code, lang)
        if latest is None:
            if not registers:
                return None
            ctx0 = {
                "year": None,
                "by_year": [],
                "rows": [],
                "series": None,
                "classes": classes(lang),
                "drinking": None,
                "black": None,
                **registers,
            }
            return Section({"water": {"registers": _register_data(registers)}}, "water/region.html", ctx0)
        y, rows = latest
        table = []
        for r in sorted(rows, key=lambda r: (-(r["class"] or 0), _name(r["name"]))):
            c = r["class"]
            table.append(
                {
                    **(_chip(r, lang) if c is not None else {"cls": None, "name": _name(r["name"])}),
                    "river": _name(r["river"]),
                    "basin": _name(r["basin"]),
                    "grade": word(f"water.grade.{r['grade']}", lang) if r.get("grade") else None,
                    "main": _pollutants(r["main_pollutants"], lang),
                }
            )
        ctx = {
            "year": y,
            "by_year": by_year,
            "rows": table,
            "series": self._series(ep, rows, lang, state),
            "classes": classes(lang),
            "drinking": None,
            "black": None,
            **registers,
        }
        data = {"year": y, "by_year": [{k: v for k, v in d.items() if k != "parts"} for d in by_year]}
        data["sections"] = [{k: r[k] for k in ("station", "name", "class", "grade")} for r in rows]
        if registers:
            data["registers"] = _register_data(registers)
        return Section({"water": data}, "water/region.html", ctx)

    def _series(
        self, ep: Ecoplan, rows: list[dict[str, Any]], lang: str, state: Any
    ) -> dict[str, Any] | None:
        """The worst section's monthly means of its deciding item, with the class limits."""
        classed = [r for r in rows if r["class"] is not None]
        if not classed:
            return None
        worst = sorted(classed, key=lambda r: (-int(r["class"]), _name(r["name"])))[0]
        mains = [m["item"] for m in json.loads(worst["main_pollutants"] or "[]")]
        order = [i for i in mains if i in _SERIES_ITEMS] + [
            i for i in sorted(_SERIES_ITEMS, key=lambda i: -(worst.get(f"class_{i}") or 0))
        ]
        for item in order:
            points = []
            for y in ep.water.years():
                for m in self.sections(ep, y, "month", state):
                    v = m.get(f"mean_{item}")
                    if m["station"] == worst["station"] and isinstance(v, int | float) and _finite(v):
                        points.append((str(m["period"]), float(v)))
            limits, _ = _limits(item, _name(worst["water_body"]) or "river")
            if points and limits:
                name = word(f"water.cli.item.{item.lower()}", lang)
                return {
                    "section": _name(worst["name"]),
                    "item": name,
                    "chart": series_chart(sorted(points), limits, lang),
                }
        return None

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        """Provinces ranked by their class Ⅰ–Ⅲ share in the latest year (or ``year``)."""
        years = ep.water.years()
        for y in reversed(years if year is None else [y for y in years if y == year]):
            ranked = [r for r in self.shares(ep, y, "rank") if str(r["key"]).endswith("0000")]
            if ranked:
                rows = []
                for i, r in enumerate(sorted(ranked, key=lambda r: (-r["share_i_iii_pct"], str(r["key"])))):
                    better = sum(x["share_i_iii_pct"] > r["share_i_iii_pct"] for x in ranked)
                    rows.append(
                        {**r, "rank": better + 1, "order": i, "name": ep.region(str(r["key"])).name(lang)}
                    )
                return Section({"water": rows}, "water/rankings.html", {"rows": rows, "year": y})
        return None


PAGES = WaterPages()
