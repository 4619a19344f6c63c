"""What the ``ecoplan ecology …`` commands share: the group and the output formats."""

from __future__ import annotations

from enum import StrEnum

import typer

__all__ = ["OutFmt", "ecology_app"]

ecology_app = typer.Typer(
    no_args_is_help=True, help="Ecology: HJ 192-2015 ecological status index of counties / 生态"
)


class OutFmt(StrEnum):
    table = "table"
    json = "json"
