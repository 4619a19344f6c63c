"""The sources section of a plan's assessment report (being built, issue 11)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ecoplan.core.domain import ReportSection

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.plans.model import Plan

__all__ = ["section"]


def section(ep: Ecoplan, plan: Plan, region: str, year: int, lang: str) -> ReportSection | None:
    """Nothing yet."""
    return None
