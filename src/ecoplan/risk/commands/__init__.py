"""``ecoplan risk …``: ``grade`` (:mod:`.grade`), the registries (:mod:`.registry`), the
incident calculators (``plume``, ``incident``: :mod:`.incident`) and the recorded incidents
(``incidents``, ``report``: :mod:`.record`)."""

from __future__ import annotations

import typer

from ecoplan.risk.commands import grade, incident, record, registry

__all__ = ["risk_app"]

risk_app = typer.Typer(
    no_args_is_help=True,
    help="Environmental risk: HJ 941 grading, registries, incidents / 环境风险与应急",
)

grade.register(risk_app)
registry.register(risk_app)
incident.register(risk_app)
record.register(risk_app)
