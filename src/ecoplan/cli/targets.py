"""``ecoplan targets import|remove|list`` (decomposed targets) and ``ecoplan warnings``."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import csv_text
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, out

__all__ = ["targets_app", "warnings"]

targets_app = typer.Typer(
    no_args_is_help=True, help="Targets decomposed to regions (逐级分解): import, remove, list / 分解目标"
)


class ListFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@targets_app.command("import")
def targets_import(
    file: Path,
    actor: Annotated[str | None, typer.Option(help="Who imports (kept with each row)")] = None,
    db: DbOpt = None,
) -> None:
    """Import decomposed targets (CSV, XLSX or YAML); the regions' assessments follow. / 导入分解目标"""
    try:
        with _session(db) as ep:
            res = ep.import_decompositions(file, actor=actor)
    except EcoplanError as exc:
        _fail(exc)
    out.print(
        f"{file.name}: {res.inserted} new, {res.revised} changed, {res.unchanged} unchanged "
        "decomposed targets; the regions' assessments are updated",
        markup=False,
    )


@targets_app.command("remove")
def targets_remove(file: Path, db: DbOpt = None) -> None:
    """Remove the decomposed targets a file lists; those regions inherit again. / 撤销分解目标"""
    try:
        with _session(db) as ep:
            n = ep.remove_decompositions(file)
    except EcoplanError as exc:
        _fail(exc)
    out.print(f"{file.name}: {n} decomposed targets removed; those regions inherit again", markup=False)


@targets_app.command("list")
def targets_list(
    plan: Annotated[str | None, typer.Option(help="Plan id")] = None,
    region: Annotated[str | None, typer.Option(help="Region code")] = None,
    fmt: Annotated[ListFmt, typer.Option("--format")] = ListFmt.table,
    lang: LangOpt = "zh",
    db: DbOpt = None,
) -> None:
    """List stored decomposed targets. / 列出分解目标"""
    try:
        with _session(db) as ep:
            rows = ep.decompositions(plan, region)
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc)
    zh = lang == "zh"
    for r in rows:
        n = names.get(r["region"])
        r["region_name"] = None if n is None else (n.zh if zh else n.en)
    if fmt is ListFmt.json:
        _dump_json(rows)
        return
    if fmt is ListFmt.csv:
        import pandas as pd

        sys.stdout.write(csv_text(pd.DataFrame(rows)))
        return
    heads = (
        ("规划", "指标", "地区", "年份", "目标", "出处")
        if zh
        else ("plan", "indicator", "region", "year", "target", "source")
    )
    t = Table(*heads)
    for r in rows:
        t.add_row(
            escape(r["plan_id"]),
            escape(r["indicator_id"]),
            f"{r['region_name'] or ''} {r['region']}".strip(),
            str(r["year"]),
            escape(r["expr"]),
            escape(r["source"] or ""),
        )
    out.print(t)


def warnings(
    plan: Annotated[str | None, typer.Option(help="Plan id (default: every plan)")] = None,
    year: Annotated[
        int | None, typer.Option(help="Evaluation year (default: each region's latest year with a value)")
    ] = None,
    level: Annotated[str | None, typer.Option(help="red, amber or watch")] = None,
    limit: Annotated[int, typer.Option(help="Show the first N (0 = all)")] = 50,
    fmt: Annotated[ListFmt, typer.Option("--format")] = ListFmt.table,
    lang: LangOpt = "zh",
    db: DbOpt = None,
) -> None:
    """Early warnings of every region, most severe first. / 预警清单"""
    if level is not None and level not in ("red", "amber", "watch"):
        _fail(ValueError(f"--level {level!r}: red, amber or watch"))
    try:
        with _session(db) as ep:
            page = ep.warnings(plan, year, level=level, limit=limit or None)
    except EcoplanError as exc:
        _fail(exc)
    items = page.items
    if fmt is ListFmt.json:
        _dump_json(items)
        return
    if fmt is ListFmt.csv:
        import pandas as pd

        sys.stdout.write(csv_text(pd.DataFrame(items)))
        return
    zh = lang == "zh"
    label = {"red": "红色", "amber": "橙色", "watch": "关注"} if zh else {}
    heads = (
        ("级别", "地区", "年份", "指标", "依据") if zh else ("level", "region", "year", "indicator", "why")
    )
    t = Table(*heads)
    for w in items:
        t.add_row(
            label.get(w["level"], w["level"]),
            w["region_zh"] if zh else w["region_en"],
            str(w["year"]),
            escape(w["indicator_zh"] if zh else w["indicator_en"]),
            escape(w["reason_zh"] if zh else w["reason"]),
        )
    out.print(t)
    shown = f"{len(items)}/{page.total}"
    out.print(f"显示{shown}条预警" if zh else f"{shown} warnings shown")
