"""``ecoplan targets import|remove|list`` (decomposed targets) and ``ecoplan warnings``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import csv_text
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, bad_choice, out, place, say, words
from ecoplan.kit.options import ListFmt

__all__ = ["targets_app", "warnings"]

targets_app = typer.Typer(
    no_args_is_help=True, help="Targets decomposed to regions (逐级分解): import, remove, list / 分解目标"
)


#: The warning levels ``warnings --level`` takes, most severe first.
WARNING_LEVELS = ("red", "amber", "watch")


@targets_app.command("import")
def targets_import(
    file: Path,
    actor: Annotated[str | None, typer.Option(help="Who imports (kept with each row)")] = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Import decomposed targets (CSV, XLSX or YAML); the regions' assessments follow. / 导入分解目标"""
    try:
        with _session(db, lang) as ep:
            res = ep.import_decompositions(file, actor=actor)
    except EcoplanError as exc:
        _fail(exc, lang)
    line = words(lang)(
        "cli.targets.imported", file=file.name, new=res.inserted, revised=res.revised, unchanged=res.unchanged
    )
    say(line)


@targets_app.command("remove")
def targets_remove(file: Path, db: DbOpt = None, lang: LangOpt = "zh") -> None:
    """Remove the decomposed targets a file lists; those regions inherit again. / 撤销分解目标"""
    try:
        with _session(db, lang) as ep:
            n = ep.remove_decompositions(file)
    except EcoplanError as exc:
        _fail(exc, lang)
    say(words(lang)("cli.targets.removed", file=file.name, count=n))


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
        with _session(db, lang) as ep:
            rows = ep.decompositions(plan, region)
            names = ep.region_names()
            plans = {p.id: p for p in ep.plans()} if fmt is ListFmt.table else {}
    except EcoplanError as exc:
        _fail(exc, lang)
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
    w = words(lang)
    t = Table(*(w(f"header.{k}") for k in ("plan", "indicator", "region", "year", "target", "source")))
    inds = {(p.id, i.id): i for p in plans.values() for i in p.indicators}
    for r in rows:
        p = plans.get(r["plan_id"])
        ind = inds.get((r["plan_id"], r["indicator_id"]))
        t.add_row(
            escape(p.title.get(lang) if p else r["plan_id"]),
            escape(ind.name.get(lang) if ind else r["indicator_id"]),
            escape(place(r["region_name"], r["region"], lang)),
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
    if level is not None and level not in WARNING_LEVELS:
        bad_choice("--level", level, WARNING_LEVELS, lang)
    try:
        with _session(db, lang) as ep:
            page = ep.warnings(plan, year, level=level, limit=limit or None)
    except EcoplanError as exc:
        _fail(exc, lang)
    items = page.items
    if fmt is ListFmt.json:
        _dump_json(items)
        return
    if fmt is ListFmt.csv:
        import pandas as pd

        sys.stdout.write(csv_text(pd.DataFrame(items)))
        return
    zh = lang == "zh"
    w = words(lang)
    heads = ("warning_level", "severity", "plan", "region", "year", "indicator", "why")
    t = Table(*(w(f"header.{k}") for k in heads))
    for it in items:
        t.add_row(
            w.get(f"warning.{it['level']}", it["level"]),
            w.get(f"severity.{it['severity']}", it["severity"]),
            escape(it["plan_title_zh"] if zh else it["plan_title_en"]),
            escape(
                place(it["region_zh"] if zh else (it["region_en"] or it["region_zh"]), it["region"], lang)
            ),
            str(it["year"]),
            escape(it["indicator_zh"] if zh else it["indicator_en"]),
            escape(it["reason_zh"] if zh else it["reason"]),
        )
    out.print(t)
    out.print(w("note.warnings_shown", count=f"{len(items)}/{page.total}"))
