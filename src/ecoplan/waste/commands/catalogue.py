"""``ecoplan waste catalogue``: every code of the 名录 edition in force (the contract command).

``ecoplan waste catalogue [--edition 2021] [--date YYYY-MM-DD] [--catalogue FILE]
--format json|csv`` prints ``[{code, category, industry, description, hazard}]`` (JSON)
or the same columns as CSV with a header, in the table's order; a summary line goes to
stderr. The edition is ``--edition``, else the one in force on ``--date`` (today by
default); both given must agree. ``--catalogue FILE`` is the table (the shipped CSV's
format) of that edition — the way to use an edition not shipped (2025); the folder named
by ``ECOPLAN_WASTE_CATALOGUES`` is read too (:mod:`ecoplan.waste.catalogue`).
``--editions`` prints the known editions instead (JSON: name, order, dates, loaded,
source, counts); ``--exemptions`` the edition's exemption list (豁免管理清单: ``item, code,
waste, stage, condition, exemption``, JSON or CSV). Exit status 1 with a worded error for
an unknown or unloaded edition, a bad date or a bad table file (each problem with its
row and field).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ecoplan.core.errors import InputFileError
from ecoplan.kit.cli import LangOpt, _dump_json, _fail, err, words
from ecoplan.waste.catalogue import ENV_FOLDER, Catalogue, CatalogueError, exemptions

__all__ = ["CatalogueFmt", "register"]


class CatalogueFmt(StrEnum):
    """``--format``: json (a list of objects) or csv (a header and one row per code)."""

    json = "json"
    csv = "csv"


def _date(value: str | None, lang: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(words(lang)("waste.catalogue.cli.bad_date", value=value), lang)


def _file_problems(exc: InputFileError, lang: str) -> None:
    w = words(lang)
    err.print(
        w("waste.catalogue.cli.file_problems", file=exc.file, count=len(exc.problems)),
        markup=False,
        highlight=False,
    )
    for p in exc.problems:
        reason = w(f"waste.catalogue.problem.{p.reason}")
        line = w(
            "waste.catalogue.cli.problem", file=p.file, row=p.row, field=p.field, text=p.text, reason=reason
        )
        err.print(line, markup=False, highlight=False)
    raise typer.Exit(1)


def _catalogue(file: Path | None, edition: str | None, on: dt.date | None) -> Catalogue:
    base = Catalogue(folder=os.environ.get(ENV_FOLDER) or None)
    if file is None:
        return base
    return Catalogue(files={base.resolve(edition, on).name: file}, folder=os.environ.get(ENV_FOLDER) or None)


def _write(records: Sequence[Mapping[str, object]], fmt: CatalogueFmt) -> None:
    if fmt is CatalogueFmt.json:
        _dump_json(records)
    else:
        out = csv.DictWriter(sys.stdout, fieldnames=list(records[0]) if records else [], lineterminator="\n")
        out.writeheader()
        out.writerows(records)


def _exemptions(edition: str, fmt: CatalogueFmt, lang: str) -> None:
    try:
        rows = exemptions(edition)
    except KeyError:
        _fail(words(lang)("waste.catalogue.cli.no_exemptions", edition=edition), lang)
    _write([asdict(e) for e in rows], fmt)
    summary = words(lang)(
        "waste.catalogue.cli.exemptions_summary",
        edition=edition,
        items=len({e.item for e in rows}),
        rows=len(rows),
    )
    err.print(summary, markup=False, highlight=False)


def catalogue(
    edition: Annotated[str | None, typer.Option("--edition", help="Edition by year: 2021")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD: the edition in force that day [today]")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option("--catalogue", help="CSV table of the edition (the shipped format), e.g. for 2025"),
    ] = None,
    fmt: Annotated[CatalogueFmt, typer.Option("--format", help="json or csv")] = CatalogueFmt.json,
    list_editions: Annotated[
        bool, typer.Option("--editions", help="List the known editions and whether each is loaded")
    ] = False,
    list_exemptions: Annotated[
        bool, typer.Option("--exemptions", help="The exemption list (豁免管理清单) of the edition instead")
    ] = False,
    lang: LangOpt = "zh",
) -> None:
    """Every code of the national catalogue of hazardous wastes in force. / 国家危险废物名录"""
    on = _date(date, lang)
    try:
        cat = _catalogue(file, edition, on)
        if list_editions:
            _dump_json([s.record() for s in cat.editions()])
            return
        if list_exemptions:
            _exemptions(cat.resolve(edition, on).name, fmt, lang)
            return
        rows = cat.entries(edition, on)
    except CatalogueError as exc:
        hint = (
            words(lang)("waste.catalogue.cli.hint_not_loaded") if exc.reason == "edition_not_loaded" else ""
        )
        _fail(exc.message(lang) + ("\n" + hint if hint else ""), lang)
    except InputFileError as exc:
        _file_problems(exc, lang)
    _write([e.record() for e in rows], fmt)
    name = rows[0].edition if rows else (edition or "—")
    summary = words(lang)(
        "waste.catalogue.cli.summary",
        edition=name,
        codes=len(rows),
        categories=len({e.category for e in rows}),
    )
    err.print(summary, markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``catalogue`` to the ``ecoplan waste`` group ``app``."""
    app.command("catalogue")(catalogue)
