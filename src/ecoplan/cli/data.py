"""``ecoplan regions|values|tasks …``: the regions, the indicator values and the tasks."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.cli.root import app
from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import neutralise_rows
from ecoplan.kit.cli import (
    DbOpt,
    LangOpt,
    _dump_json,
    _fail,
    _session,
    bad_choice,
    out,
    place,
    say,
    with_unit,
    words,
)
from ecoplan.kit.options import ListFmt, TableFmt
from ecoplan.reports.labels import source as source_text

regions_app = typer.Typer(no_args_is_help=True, help="Regions (GB/T 2260) / 行政区划")
values_app = typer.Typer(no_args_is_help=True, help="Indicator values / 指标数据")
tasks_app = typer.Typer(no_args_is_help=True, help="Tasks and their status / 重点任务")
app.add_typer(regions_app, name="regions")
app.add_typer(values_app, name="values")
app.add_typer(tasks_app, name="tasks")


@regions_app.command("list")
def regions_list(
    db: DbOpt = None,
    level: Annotated[str | None, typer.Option(help="national|province|prefecture|county")] = None,
    parent: Annotated[str | None, typer.Option(help="parent code")] = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """List regions. / 行政区划列表"""
    try:
        with _session(db, lang) as ep:
            regions = ep.regions(level, parent)
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is TableFmt.json:
        _dump_json([vars(r) for r in regions])
        return
    w = words(lang)
    t = Table(w("header.code"), w("header.name"), w("header.level_of_region"), w("header.parent"))
    for r in regions:
        name = r.name_en if lang == "en" and r.name_en else r.name_zh
        up = "" if not r.parent else place(names.get(r.parent), r.parent, lang)
        t.add_row(r.code, escape(name), w.get(f"cli.region_level.{r.level}", r.level), escape(up))
    out.print(t)
    out.print(w("cli.regions.count", count=len(regions)))


@values_app.command("import")
def values_import(
    file: Path,
    db: DbOpt = None,
    recorded_at: Annotated[
        str | None, typer.Option(help="When these values became known (data vintage), ISO date; default now")
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Who imports (kept in the revision history)")] = None,
    sheet: Annotated[str | None, typer.Option(help="Excel sheet name")] = None,
    lang: LangOpt = "zh",
) -> None:
    """Import indicator values from CSV/XLSX (all or nothing; idempotent). / 导入指标数据"""
    try:
        with _session(db, lang) as ep:
            res = ep.import_values(file, recorded_at=recorded_at, actor=actor, sheet=sheet)
    except (EcoplanError, ValueError) as exc:
        _fail(exc, lang)
    line = words(lang)(
        "cli.values.imported", file=file, new=res.inserted, revised=res.revised, unchanged=res.unchanged
    )
    say(line)


@values_app.command("list")
def values_list(
    db: DbOpt = None,
    plan: Annotated[str | None, typer.Option()] = None,
    region: Annotated[str | None, typer.Option()] = None,
    indicator: Annotated[str | None, typer.Option()] = None,
    history: Annotated[bool, typer.Option(help="Every revision, not just the latest")] = False,
    fmt: Annotated[ListFmt, typer.Option("--format")] = ListFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """List stored values (latest revision, or the whole history). / 指标数据"""
    try:
        with _session(db, lang) as ep:
            rows = ep.values(plan, region, indicator, history=history)
            plans = {p.id: p for p in ep.plans()} if fmt is ListFmt.table else {}
            names = ep.region_names() if fmt is ListFmt.table else {}
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is ListFmt.json:
        _dump_json(rows)
        return
    if fmt is ListFmt.csv:
        _write_csv(rows)
        return
    w = words(lang)
    t = Table(
        w("header.plan"),
        w("header.indicator"),
        w("header.region"),
        w("header.year"),
        w("header.value"),
        w("cli.header.basis"),
        w("cli.header.revision"),
        w("cli.header.recorded_at"),
        w("header.source"),
    )
    inds = {(p.id, i.id): i for p in plans.values() for i in p.indicators}
    for r in rows:
        p = plans.get(r["plan_id"])
        ind = inds.get((r["plan_id"], r["indicator_id"]))
        t.add_row(
            escape(p.title.get(lang) if p else r["plan_id"]),
            escape(ind.name.get(lang) if ind else r["indicator_id"]),
            escape(place(names.get(r["region"]), r["region"], lang)),
            str(r["year"]),
            escape(with_unit(r["value"], r["unit"], lang)),
            w.get(f"cli.basis.{r['basis']}", r["basis"]),
            str(r["revision"]),
            str(r["recorded_at"])[:19],
            escape(source_text(r["source"], lang)),
        )
    out.print(t)


def _write_csv(rows: list[dict[str, Any]]) -> None:
    """Rows as CSV on stdout; text a spreadsheet could run as a formula is neutralised."""
    if not rows:
        return
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(neutralise_rows(rows))
    sys.stdout.write(buf.getvalue())


@tasks_app.command("list")
def tasks_list(
    db: DbOpt = None,
    plan: Annotated[str | None, typer.Option()] = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """List tasks with deadline and latest status. / 任务列表"""
    try:
        with _session(db, lang) as ep:
            rows = ep.tasks(plan)
            titles = {p.id: p.title.get(lang) for p in ep.plans()}
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is TableFmt.json:
        _dump_json(rows)
        return
    w = words(lang)
    t = Table(w("header.plan"), w("cli.header.task"), w("header.due"), w("header.status"))
    for r in rows:
        text = r["text_en"] if lang == "en" and r["text_en"] else r["text_zh"]
        t.add_row(
            escape(titles.get(r["plan_id"], r["plan_id"])),
            escape(text),
            str(r["due"] or ""),
            task_status(r["status"], lang),
        )
    out.print(t)


def task_status(code: str | None, lang: str) -> str:
    """A task status in ``lang`` (``status.done``, ``cli.task_status.in_progress`` …; ``—`` for none)."""
    if not code:
        return "—"
    w = words(lang)
    return w.get(f"status.{code}", w.get(f"cli.task_status.{code}", code))


@tasks_app.command("update")
def tasks_update(
    plan: str,
    task: str,
    status: Annotated[str, typer.Option(help="e.g. not_started, in_progress, done, overdue")],
    note: Annotated[str | None, typer.Option()] = None,
    evidence: Annotated[str | None, typer.Option(help="document, link or file backing the status")] = None,
    actor: Annotated[str | None, typer.Option()] = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Record a task's status (kept as history, with evidence). / 更新任务进展"""
    if status not in TASK_STATUSES:
        bad_choice("--status", status, TASK_STATUSES, lang)
    try:
        with _session(db, lang) as ep:
            seq = ep.update_task(plan, task, status, note=note, evidence=evidence, actor=actor)
            title = ep.plan(plan).plan.title
            row = next((r for r in ep.tasks(plan) if r["id"] == task), None)
    except EcoplanError as exc:
        _fail(exc, lang)
    text = task if row is None else (row["text_en"] if lang == "en" and row["text_en"] else row["text_zh"])
    line = words(lang)(
        "cli.tasks.updated",
        plan=place(title, plan, lang),
        task=text,
        status=task_status(status, lang),
        entry=seq,
    )
    say(line)


#: The statuses ``tasks update --status`` takes.
TASK_STATUSES = ("not_started", "in_progress", "done", "overdue", "cancelled")
