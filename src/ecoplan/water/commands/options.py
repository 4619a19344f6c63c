"""What the ``ecoplan water …`` commands share: the command group (more to come)."""

from __future__ import annotations

import typer

water_app = typer.Typer(
    no_args_is_help=True, help="Surface water: classify, load, evaluate, rank, feed / 地表水"
)
