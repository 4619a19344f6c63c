"""``ecoplan risk …``: ``grade`` (:mod:`.grade`), the registries (:mod:`.registry`) and,
when its module is present, the incidents (``incident``)."""

from __future__ import annotations

import importlib
import importlib.util

import typer

from ecoplan.risk.commands import grade, registry

__all__ = ["risk_app"]

risk_app = typer.Typer(
    no_args_is_help=True,
    help="Environmental risk: HJ 941 grading, registries, incidents / 环境风险与应急",
)

grade.register(risk_app)
registry.register(risk_app)
if importlib.util.find_spec("ecoplan.risk.commands.incident") is not None:
    importlib.import_module("ecoplan.risk.commands.incident").register(risk_app)
