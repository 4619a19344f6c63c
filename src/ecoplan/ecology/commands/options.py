"""What the ``ecoplan ecology …`` commands share: the group, the output formats and the
``--format`` option of the table-or-JSON commands (:data:`FmtOpt`)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

__all__ = ["FmtOpt", "OutFmt", "ecology_app"]

ecology_app = typer.Typer(
    no_args_is_help=True, help="Ecology: HJ 192-2015 ecological status index of counties / 生态"
)


class OutFmt(StrEnum):
    table = "table"
    json = "json"


#: ``--format table|json`` (``fmt: FmtOpt = OutFmt.table``).
FmtOpt = Annotated[OutFmt, typer.Option("--format")]
