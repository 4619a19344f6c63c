"""The ecology dashboard sections (:data:`PAGES`) and its pages of its own (:mod:`.web`).

A region's page gets the mean EI of its key ecological function counties per year and
its counties' latest EI, each linked to the county's page (``/ecology/ei/{county}``);
the home and rankings pages get no ecology section yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecoplan.kit.web import Section

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["PAGES", "EcologyPages"]


class EcologyPages:
    """The ecology section of a region's page (the county EI of the region)."""

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        return None

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None = None) -> Section | None:
        counties = ep.ecology.counties(region=code)
        if counties.empty:
            return None
        means = ep.ecology.key_means(code).to_dict(orient="records")
        latest = counties.sort_values("year").groupby("county", sort=True).tail(1)
        latest = latest.sort_values(["ei", "county"], ascending=[False, True])
        rows = [
            {
                "county": str(r["county"]),
                "name": r["name"] if isinstance(r["name"], str) else None,
                "year": int(r["year"]),
                "ei": float(r["ei"]),
                "grade": str(r["grade"]),
                "key": bool(r["key_county"]),
            }
            for r in latest.to_dict(orient="records")
        ]
        means = [
            {"year": int(m["year"]), "ei": float(m["ei"]), "counties": int(m["counties"])} for m in means
        ]
        data = {"ecology": {"key_county_means": means, "counties": rows}}
        return Section(data, "ecology/region.html", {"ei_means": means, "ei_counties": rows})

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        return None


PAGES = EcologyPages()
