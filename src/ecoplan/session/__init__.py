"""The Python API: ``ecoplan.open(db)`` and what the CLI does, as methods.

>>> import ecoplan
>>> ep = ecoplan.open("ecoplan.duckdb")            # doctest: +SKIP
>>> ep.init()                                       # doctest: +SKIP
>>> res = ep.plan("cn-13th-eco").assess("000000", 2020)   # doctest: +SKIP
>>> res.to_frame()[["id", "value", "status", "verdict"]]  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecoplan.assess.evaluate import PlanAssessment, assess_plan
from ecoplan.assess.ranking import RankRow, rank_regions
from ecoplan.assess.scoring import ScoreCard, ScoringRules, load_rules, score
from ecoplan.errors import NotFound
from ecoplan.ingest.plans import read_plan_file
from ecoplan.ingest.values import read_values
from ecoplan.plans.model import Plan
from ecoplan.session.air import AirOps
from ecoplan.store.catalog import Catalog, ImportResult, recorded_moment

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Ecoplan", "PlanHandle", "demo_values_path", "open"]


def demo_values_path() -> Path:
    """The bundled demo values: published national figures 2015–2020 (see its ``source`` column)."""
    return Path(str(resources.files("ecoplan.demo").joinpath("cn_13th_values.csv")))


@dataclass
class PlanHandle:
    """A stored plan bound to its session."""

    session: Ecoplan
    plan: Plan

    def assess(
        self, region: str | None = None, year: int | None = None, as_of: str | None = None
    ) -> PlanAssessment:
        return self.session.assess(self.plan.id, region or self.plan.region, year or self.plan.end, as_of)


class Ecoplan:
    """An ecoplan database and the operations on it."""

    def __init__(self, db: str | Path | None = None, *, read_only: bool = False) -> None:
        self.catalog = Catalog(db, read_only=read_only)
        self._air: AirOps | None = None

    @property
    def air(self) -> AirOps:
        """Ambient-air observations, AQI and evaluation (:class:`~ecoplan.session.air.AirOps`)."""
        if self._air is None:
            self._air = AirOps(self)
        return self._air

    def close(self) -> None:
        self.catalog.close()

    def __enter__(self) -> Ecoplan:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # plans and regions
    def init(self) -> tuple[int, int]:
        """Register regions and built-in plans; returns (regions, plans newly stored)."""
        return self.catalog.init()

    def plans(self) -> list[Plan]:
        return self.catalog.plans()

    def plan(self, plan_id: str) -> PlanHandle:
        return PlanHandle(self, self.catalog.plan(plan_id))

    def import_plan(self, path: str | Path, *, replace: bool = False) -> tuple[Plan, bool]:
        plan = read_plan_file(path)
        if plan.region not in self.catalog.region_codes():
            raise NotFound(f"{path}: region {plan.region} is not in the store (run `ecoplan init`)")
        return plan, self.catalog.save_plan(plan, replace=replace)

    # values
    def import_values(
        self,
        path: str | Path,
        *,
        recorded_at: str | dt.datetime | None = None,
        actor: str | None = None,
        sheet: str | None = None,
        only_new: bool = False,
    ) -> ImportResult:
        """Validate and store a values file (all or nothing; re-import is a no-op).

        ``only_new``: store only values of keys (plan, indicator, region, year) with
        no stored revision at all; the others are left as they are (the demo values).
        """
        plans = {p.id: p for p in self.catalog.plans()}
        names = {r.code: r.name_zh for r in self.catalog.regions()}
        rows = read_values(path, plans, names, sheet=sheet)
        return self.catalog.add_values(
            rows,
            recorded_at=recorded_moment(recorded_at),
            actor=actor,
            origin=Path(path).name,
            only_new=only_new,
        )

    # assessment
    def assess(self, plan_id: str, region: str, year: int, as_of: str | None = None) -> PlanAssessment:
        plan = self.catalog.plan(plan_id)
        self.catalog.region(region)
        values = self.catalog.observations(plan_id, region, as_of)
        return assess_plan(plan, region, year, values, self.catalog.resolver(), as_of=as_of)

    def score(
        self, pa: PlanAssessment, rules: ScoringRules | None = None, flags: set[str] | None = None
    ) -> ScoreCard:
        return score(pa, rules or load_rules(), flags)

    def rank(
        self,
        plan_id: str,
        year: int,
        regions: list[str] | None = None,
        as_of: str | None = None,
        rules: ScoringRules | None = None,
    ) -> list[RankRow]:
        """Rank regions (default: every region with values for the plan)."""
        codes = regions or self.catalog.regions_with_values(plan_id)
        results = []
        for code in codes:
            pa = self.assess(plan_id, code, year, as_of)
            results.append((pa, self.score(pa, rules)))
        return rank_regions(results)


def open(db: str | Path | None = None, *, read_only: bool = False) -> Ecoplan:
    """Open (creating or upgrading) an ecoplan database; ``None`` = ``$ECOPLAN_DB`` or ./ecoplan.duckdb."""
    return Ecoplan(db, read_only=read_only)


def assessment_frame(pa: PlanAssessment) -> pd.DataFrame:
    """One row per indicator, the columns of the JSON form (flattened)."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for d in (a.to_dict() for a in pa.indicators):
        t = d.pop("target") or {}
        b = d.pop("baseline")
        d.pop("milestone")
        rows.append(
            {
                **d,
                "baseline_year": b["year"],
                "baseline_value": b["value"],
                "target_year": t.get("year"),
                "target_expr": t.get("expr"),
                "target_value": t.get("value"),
            }
        )
    return pd.DataFrame(rows)


PlanAssessment.to_frame = assessment_frame  # type: ignore[attr-defined]
