"""What the ``ecoplan sources …`` commands share: the group."""

from __future__ import annotations

import typer

__all__ = ["sources_app"]

sources_app = typer.Typer(
    no_args_is_help=True,
    help="Pollution sources: HJ 212 frames, permits, exceedances, alarms, cards, totals / 污染源在线监控",
)
