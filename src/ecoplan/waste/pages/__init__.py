"""The waste sections of the dashboard (none yet) and the pages of its own (:mod:`.web`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecoplan.kit.web import Section

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["PAGES", "WastePages"]


class WastePages:
    """The waste sections: none on the home, region and rankings pages yet."""

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        return None

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None = None) -> Section | None:
        return None

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        return None


PAGES = WastePages()
