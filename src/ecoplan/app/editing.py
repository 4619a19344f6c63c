"""``ep.editing``: plan edits as new versions and decomposed targets, by principals (issue #12).

A plan edited over the web is stored as a new version of the same id; the definition it
replaces is kept (``plan_versions``) and assessments name the version they used
(``ep.plan_version``). Decomposed targets (逐级分解) are written by an admin whose scope
covers every region the file hands a target to. Both are audited with before → after.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import EcoplanError, InputFileError
from ecoplan.ingest.decompositions import read_decompositions
from ecoplan.ingest.uploads import check_values_upload
from ecoplan.plans.model import Plan
from ecoplan.plans.serialize import plan_from_mapping, plan_to_mapping

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["Editing"]


class Editing:
    def __init__(self, ep: Ecoplan) -> None:
        self.ep = ep

    def edit_plan(self, who: Principal, plan_id: str, definition: Any) -> dict[str, Any]:
        """Store ``definition`` (a plan mapping, as ``plans show --format json`` gives it) as
        the next version of ``plan_id``; returns ``{plan, version, changed}``."""
        with self.ep.writer() as w:
            old = w.catalog.plan(plan_id)
            w.people.require(who, Role.ADMIN, old.region, "plan.edit")
            plan: Plan = plan_from_mapping(definition, file=f"plan {plan_id}")
            if plan.id != plan_id:
                raise EcoplanError.worded("review.error.plan_id", id=plan.id, path=plan_id)
            if plan.region != old.region:
                w.people.require(who, Role.ADMIN, plan.region, "plan.edit")
            before = w.catalog.plan_version(plan_id)
            with w.catalog.transaction():
                changed = w.catalog.save_plan(plan, replace=True)
                if changed:
                    w.audit.record(
                        who,
                        "plan.edit",
                        target=f"plan/{plan_id}",
                        region=plan.region,
                        before={"version": before, "definition": plan_to_mapping(old)},
                        after={"version": before + 1, "definition": plan_to_mapping(plan)},
                    )
            return {"plan": plan_id, "version": w.catalog.plan_version(plan_id), "changed": changed}

    def import_decompositions(self, who: Principal, name: str, data: bytes) -> dict[str, Any]:
        """Store the decomposed targets of an uploaded CSV/XLSX (the CLI's format and checks)."""
        self.ep.people.require(who, Role.ADMIN, None, "decomposition.import")
        suffix = check_values_upload(name, data)
        with self.ep.writer() as w:
            plans = {p.id: p for p in w.catalog.plans()}
            names = {c: m.zh for c, m in w.catalog.region_names().items()}
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / ("upload" + suffix)  # never the sent name: "", NUL, "/"
                path.write_bytes(data)
                try:
                    rows = read_decompositions(path, plans, names)
                except InputFileError as exc:  # name the uploaded file, not the temporary copy
                    problems = [replace(p, file=name) for p in exc.problems]
                    raise InputFileError(name, problems) from None
            for region in sorted({r.region for r in rows}):
                w.people.require(who, Role.ADMIN, region, "decomposition.import")
            with w.catalog.transaction():
                res = w.catalog.save_decompositions(rows, actor=who.user, origin=name)
                w.audit.record(
                    who,
                    "decomposition.import",
                    target=name[:200],
                    region=who.region,
                    after={
                        "rows": [
                            {
                                "plan": r.plan,
                                "indicator": r.indicator,
                                "region": r.region,
                                "year": r.year,
                                "expr": r.expr,
                            }
                            for r in rows
                        ],
                        "inserted": res.inserted,
                        "revised": res.revised,
                        "unchanged": res.unchanged,
                    },
                )
            return {
                "file": name,
                "inserted": res.inserted,
                "revised": res.revised,
                "unchanged": res.unchanged,
            }
