"""``ep.sources.facts``: rollups, hourly compliance, exceedances with evidence, alarms,
cards, totals, the plan feed (being built, issue 11: the names are fixed, see the API
note of the issue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.core.errors import NotFound

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["FactsOps"]

When = str | dt.date | dt.datetime | None


class FactsOps:
    """The facts part of ``ep.sources``."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session

    def _todo(self) -> NotFound:
        return NotFound("sources facts: not computed yet (issue 11, being built)")

    def compute(self, *, engine: str = "duckdb", start: When = None, end: When = None) -> Any:
        """Rollups, compliance, exceedances, alarms, cards and totals of a period."""
        raise self._todo()

    def hourly(
        self, outlet_id: str | None = None, factor: str | None = None, start: When = None, end: When = None
    ) -> pd.DataFrame:
        raise self._todo()

    def daily(
        self, outlet_id: str | None = None, factor: str | None = None, start: When = None, end: When = None
    ) -> pd.DataFrame:
        raise self._todo()

    def exceedances(
        self, region: str | None = None, credit_code: str | None = None, start: When = None, end: When = None
    ) -> pd.DataFrame:
        raise self._todo()

    def evidence(self, event_id: str) -> pd.DataFrame:
        raise self._todo()

    def alarms(
        self,
        region: str | None = None,
        credit_code: str | None = None,
        kind: str | None = None,
        start: When = None,
        end: When = None,
    ) -> pd.DataFrame:
        raise self._todo()

    def cards(self, quarter: str | None = None, region: str | None = None) -> pd.DataFrame:
        raise self._todo()

    def credit(self, year: int | None = None, region: str | None = None) -> pd.DataFrame:
        raise self._todo()

    def totals(
        self, year: int | None = None, region: str | None = None, by: str = "enterprise"
    ) -> pd.DataFrame:
        raise self._todo()

    def load_reported(self, paths: Sequence[str | Path]) -> Any:
        raise self._todo()

    def reported(self, region: str | None = None, year: int | None = None) -> pd.DataFrame:
        raise self._todo()

    def feed(self, plan: str | None = None, region: str | None = None, dry_run: bool = False) -> Any:
        raise self._todo()
