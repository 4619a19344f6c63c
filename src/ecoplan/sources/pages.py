"""The sources sections of the dashboard (being built, issue 11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecoplan.kit.web import Section

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["PAGES", "SourcesPages"]


class SourcesPages:
    """No sections yet."""

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        return None

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None) -> Section | None:
        return None

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        return None


PAGES = SourcesPages()
