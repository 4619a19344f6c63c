"""What the ``ecoplan climate …`` commands share: the group, the output formats and their option."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

__all__ = ["Fmt", "OutFmt", "climate_app"]

climate_app = typer.Typer(
    no_args_is_help=True,
    help="Climate: energy CO2 inventories, CO2 intensity and its targets / 应对气候变化",
)


class OutFmt(StrEnum):
    text = "text"
    json = "json"


#: The ``--format`` option of every climate command.
Fmt = Annotated[OutFmt, typer.Option("--format", help="text or json")]
