"""Risk operations of a session (``ep.risk``): the registries and the recorded gradings.

``ep.risk.load("targets", ["targets.geojson"])`` imports a registry (rows of an unknown
region, and plans of an unknown source, are rejected with their reason);
``ep.risk.sources()``, ``.targets()``, ``.plans(overdue=True)`` read them;
``ep.risk.record_grade(source_id, grade)`` stores an HJ 941-2018 grading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.risk.readers.registry import REASONS, RegistryBatch, read_registry
from ecoplan.risk.registries import KINDS, LEVELS, REVIEW_YEARS, TARGET_KINDS, notation, plan_status
from ecoplan.risk.standards.hj941 import Grade
from ecoplan.risk.storage import RiskImportResult, RiskStore

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["RiskOps"]


class RiskOps:
    """The risk part of an :class:`~ecoplan.app.Ecoplan` session."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = RiskStore(session.catalog)

    # -- write -------------------------------------------------------------------
    def read(self, kind: str, paths: Sequence[str | Path]) -> RegistryBatch:
        """Read registry files, rejecting rows of an unknown region or (plans) source."""
        batch = read_registry(kind, paths)
        regions = self.session.catalog.region_codes()
        sources = self.store.ids("sources") if kind == "plans" else set()
        keep = []
        for r in batch.rows:
            if r.get("region") and regions and r["region"] not in regions:
                batch.reject(r["__file__"], r["__row__"], "region", r["region"], "unknown_region")
            elif kind == "plans" and r["source_id"] not in sources:
                batch.reject(r["__file__"], r["__row__"], "source_id", r["source_id"], "unknown_source")
            else:
                keep.append(r)
        batch.rows = keep
        batch.rejects.sort(key=lambda r: (r["file"], r["row"] or 0))
        return batch

    def load(self, kind: str, paths: Sequence[str | Path]) -> tuple[RegistryBatch, RiskImportResult]:
        """Read and store registry files (idempotent; one transaction)."""
        batch = self.read(kind, paths)
        fmt = ",".join(sorted({Path(p).suffix.lower().lstrip(".") for p in paths}))
        return batch, self.store.import_batch(batch, fmt=fmt)

    def record_grade(self, source_id: str, grade: Grade, graded_on: dt.date | None = None) -> None:
        """Store ``grade`` as the source's grading (the whole grading kept with its evidence)."""
        if source_id not in self.store.ids("sources"):
            raise NotFound.worded(
                "risk.error.no_source", source=source_id, command="ecoplan risk import sources"
            )
        fields = {
            "level": grade.level,
            "air_level": grade.air.level,
            "water_level": grade.water.level,
            "notation": notation(grade, "zh"),
            "graded_on": graded_on or dt.date.today(),
        }
        self.store.record_grade(source_id, fields, grade.to_dict())

    # -- read --------------------------------------------------------------------
    def sources(self, region: str | None = None, level: str | None = None) -> list[dict[str, Any]]:
        """Risk sources (of a region and its subdivisions, of a level), without the gradings' evidence."""
        if level is not None and level not in LEVELS:
            raise EcoplanError.worded(
                "risk.error.bad_choice", option="level", value=level, choices=", ".join(LEVELS)
            )
        where, params = self._region(region)
        if level:
            where = f"{where} AND level = ?" if where else "level = ?"
            params.append(level)
        rows = self.store.rows("sources", where, params)
        for r in rows:
            r.pop("grade", None)
        return rows

    def source(self, source_id: str) -> dict[str, Any]:
        """One risk source with its grading (evidence included) and its plans."""
        rows = self.store.rows("sources", "source_id = ?", [source_id])
        if not rows:
            raise NotFound.worded(
                "risk.error.no_source", source=source_id, command="ecoplan risk import sources"
            )
        row = rows[0]
        row["plans"] = self.plans(source_id=source_id)
        return row

    def targets(self, kind: str | None = None, region: str | None = None) -> list[dict[str, Any]]:
        """Sensitive targets (``id``, ``name``, ``kind``, ``lon``, ``lat``, ``polygon`` …):
        the rows incident screening takes."""
        if kind is not None and kind not in TARGET_KINDS:
            raise EcoplanError.worded(
                "risk.error.bad_choice", option="kind", value=kind, choices=", ".join(TARGET_KINDS)
            )
        where, params = self._region(region)
        if kind:
            where = f"{where} AND kind = ?" if where else "kind = ?"
            params.append(kind)
        rows = self.store.rows("targets", where, params)
        for r in rows:
            r["id"] = r["target_id"]
        return rows

    def plans(
        self,
        *,
        overdue: bool = False,
        as_of: dt.date | None = None,
        source_id: str | None = None,
        years: int = REVIEW_YEARS,
    ) -> list[dict[str, Any]]:
        """Emergency plans with their review due date and overdue flag on ``as_of`` (today)."""
        day = as_of or dt.date.today()
        where, params = ("source_id = ?", [source_id]) if source_id else ("", [])
        names = {r["source_id"]: r["name"] for r in self.store.rows("sources")}
        out = []
        for r in self.store.rows("plans", where, params):
            st = plan_status(r, day, years)
            if overdue and not st.overdue:
                continue
            out.append(
                {**r, "source_name": names.get(r["source_id"]), **st.to_dict(), "as_of": day.isoformat()}
            )
        return out

    def rejects(self, kind: str | None = None, reason: str | None = None) -> list[dict[str, Any]]:
        """Rejected rows of the imports (of a registry, of a reason)."""
        if kind is not None and kind not in KINDS:
            raise EcoplanError.worded(
                "risk.error.bad_choice", option="kind", value=kind, choices=", ".join(KINDS)
            )
        if reason is not None and reason not in REASONS:
            raise EcoplanError.worded(
                "risk.error.bad_choice", option="reason", value=reason, choices=", ".join(REASONS)
            )
        rows = self.store.rejects(kind)
        return [r for r in rows if reason is None or r["reason"] == reason]

    def state(self) -> tuple[object, ...]:
        return self.store.state()

    def _region(self, region: str | None) -> tuple[str, list[Any]]:
        """A condition on ``region`` (a code and its subdivisions: 110000 → 11xxxx)."""
        if region is None:
            return "", []
        code = region
        while code.endswith("00") and len(code) > 2:
            code = code[:-2]
        return "region LIKE ?", [code + "%"]
