"""What the ``ecoplan climate …`` commands share: the group and the output formats."""

from __future__ import annotations

from enum import StrEnum

import typer

__all__ = ["OutFmt", "climate_app"]

climate_app = typer.Typer(
    no_args_is_help=True,
    help="Climate: energy CO2 inventories, CO2 intensity and its targets / 应对气候变化",
)


class OutFmt(StrEnum):
    text = "text"
    json = "json"
