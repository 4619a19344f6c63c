"""The soil sections of the dashboard: on the home page, the regions with soil data and
their class counts; on a region's page, its samples on a map coloured by GB 15618 class
(longitude/latitude scaled into an SVG, as the dashboard draws its maps in SVG), the
counts and the safe-use rates per year. The web shell finds :data:`PAGES` through the
registry and includes the templates of ``templates/soil/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecoplan.core.errors import NotFound
from ecoplan.core.words import word
from ecoplan.kit.web import Section
from ecoplan.soil.standards.gb15618_2018 import CATEGORIES

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["PAGES", "SoilPages"]

_W, _H, _PAD = 480.0, 360.0, 16.0


def _points(df: Any) -> list[dict[str, Any]]:
    """Samples with a position, placed in a 480×360 box (north up, equal degrees)."""
    pts = df.dropna(subset=["lon", "lat"])
    if pts.empty:
        return []
    x0, x1, y0, y1 = pts["lon"].min(), pts["lon"].max(), pts["lat"].min(), pts["lat"].max()
    span = max(x1 - x0, y1 - y0, 1e-6)
    k = min((_W - 2 * _PAD), (_H - 2 * _PAD)) / span
    return [
        {
            "x": round(_PAD + (r.lon - x0) * k, 1),
            "y": round(_H - _PAD - (r.lat - y0) * k, 1),
            "category": r.category or "not_computable",
            "title": f"{r.sample_id} pH {r.ph:g}" if r.ph == r.ph else str(r.sample_id),
        }
        for r in pts.itertuples(index=False)
    ]


class SoilPages:
    """The soil sections (home, region); soil has no ranking."""

    def _counts(self, ep: Ecoplan, region: str, lang: str) -> list[dict[str, Any]]:
        try:
            df = ep.soil.counts(region)
        except NotFound:
            return []
        rows = []
        for lu in sorted(set(df["land_use"])):
            sub = df[df["land_use"] == lu]
            n = {c: int(sub[sub["category"] == c]["samples"].sum()) for c in (*CATEGORIES, "not_computable")}
            rows.append({"land_use": word(f"soil.land_use.{lu}", lang), **n, "total": sum(n.values())})
        return rows

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        rows = []
        for region in ep.soil.regions():
            counts = self._counts(ep, region, lang)
            if counts:
                total = {c: sum(r[c] for r in counts) for c in (*CATEGORIES, "not_computable", "total")}
                rows.append({"region": region, "name": ep.region(region).name(lang), **total})
        if not rows:
            return None
        return Section({"soil": rows}, "soil/home.html", {"rows": rows, "categories": CATEGORIES})

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None = None) -> Section | None:
        counts = self._counts(ep, code, lang)
        try:
            rates = ep.soil.rates(code)
            rate_rows = [
                {k: (None if v != v else v) for k, v in r.items()} for r in rates.to_dict(orient="records")
            ]
        except NotFound:
            rate_rows = []
        if not counts and not rate_rows:
            return None
        points: list[dict[str, Any]] = []
        if counts:
            points = _points(ep.soil.classify(code))
        ctx = {
            "counts": counts,
            "rates": rate_rows,
            "points": points,
            "categories": CATEGORIES,
            "w_box": _W,
            "h_box": _H,
        }
        return Section({"soil": {"counts": counts, "rates": rate_rows}}, "soil/region.html", ctx)

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        return None


PAGES = SoilPages()
