"""The risk section of the dashboard's home page (risk sources per level, emergency
plans overdue for review, a link to the risk page) and the pages of the domain's own
(:mod:`.web`). The web shell finds :data:`PAGES` through the registry and includes the
templates of ``templates/risk/``; every word comes from the domain's words files.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ecoplan.kit.web import Section

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["LEVEL_ORDER", "PAGES", "RiskPages", "summary"]

#: The levels, most severe first (the order the pages list sources in).
LEVEL_ORDER = ("major", "larger", "general")


def summary(ep: Ecoplan, as_of: dt.date | None = None) -> dict[str, Any]:
    """Sources per level (``None``: not graded) and the count of plans overdue on ``as_of`` (today)."""
    sources = ep.risk.sources()
    by_level = {lvl: sum(1 for s in sources if s["level"] == lvl) for lvl in LEVEL_ORDER}
    by_level["none"] = sum(1 for s in sources if s["level"] is None)
    return {
        "sources": len(sources),
        "by_level": by_level,
        "plans_overdue": len(ep.risk.plans(overdue=True, as_of=as_of)),
    }


class RiskPages:
    """The risk section of the home page; no region or rankings section."""

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        s = summary(ep)
        if not s["sources"]:
            return None
        return Section({"risk": s}, "risk/home.html", {"s": s, "levels": LEVEL_ORDER})

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None = None) -> Section | None:
        return None

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        return None


PAGES = RiskPages()
