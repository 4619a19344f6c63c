"""The ecology dashboard sections (:data:`PAGES`) and its pages of its own (:mod:`.web`).

The county EI page is the domain's own (``/ecology/ei/{county}``); the home, region and
rankings pages get no ecology section yet (each returns None), but the object is
declared so the web shell loads ``templates/ecology/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecoplan.kit.web import Section

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["PAGES", "EcologyPages"]


class EcologyPages:
    """No dashboard sections yet: the county page is a page of its own."""

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        return None

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None = None) -> Section | None:
        return None

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        return None


PAGES = EcologyPages()
