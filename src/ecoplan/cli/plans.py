"""``ecoplan plans …``: list, show, import, extract, export."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.app.lineage import check_stored_links
from ecoplan.cli.root import app
from ecoplan.core.errors import EcoplanError
from ecoplan.kit.cli import (
    DbOpt,
    LangOpt,
    _dump_json,
    _fail,
    _session,
    err,
    out,
    place,
    say,
    unit_text,
    words,
)
from ecoplan.kit.options import TableFmt
from ecoplan.plans.serialize import plan_json

plans_app = typer.Typer(no_args_is_help=True, help="Plans: list, show, import, export / 规划")
app.add_typer(plans_app, name="plans")


@plans_app.command("list")
def plans_list(
    db: DbOpt = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """List stored plans. / 规划列表"""
    try:
        with _session(db, lang) as ep:
            plans = ep.plans()
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc, lang)
    rows = [
        {
            "id": p.id,
            "title": p.title.get(lang),
            "level": p.level.value,
            "region": p.region,
            "period": f"{p.start}-{p.end}",
            "indicators": len(p.indicators),
            "binding": sum(i.attribute.value == "binding" for i in p.indicators),
        }
        for p in plans
    ]
    if fmt is TableFmt.json:
        _dump_json(rows)
        return
    w = words(lang)
    t = Table(
        w("header.code"),
        w("header.plan"),
        w("header.level_of_region"),
        w("header.region"),
        w("header.period"),
        w("header.indicators"),
        w("cli.header.binding"),
    )
    for r in rows:
        cells = (
            r["id"],
            r["title"],
            w.get(f"cli.plan_level.{r['level']}", str(r["level"])),
            place(names.get(str(r["region"])), str(r["region"]), lang),
            str(r["period"]).replace("-", "–"),
            r["indicators"],
            r["binding"],
        )
        t.add_row(*(escape(str(v)) for v in cells))  # user text, not markup
    out.print(t)


@plans_app.command("show")
def plans_show(
    plan_id: str,
    db: DbOpt = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Show a plan's indicators and targets. / 查看规划指标"""
    try:
        with _session(db, lang) as ep:
            plan = ep.plan(plan_id).plan
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is TableFmt.json:
        _dump_json(plan_json(plan))
        return
    w = words(lang)
    out.print(
        f"[bold]{escape(plan.title.get(lang))}[/] {escape(plan.document_number or '')} "
        f"{plan.start}–{plan.end}"
    )
    t = Table(
        w("header.indicator"),
        w("header.unit"),
        w("header.baseline"),
        w("header.target"),
        w("header.attribute"),
    )
    sep = "；" if lang == "zh" else "; "
    for ind in plan.indicators:
        base = "—"
        if ind.baseline.value is not None:
            base = w("cli.with_year", value=f"{ind.baseline.value:g}", year=ind.baseline.year)
        tg = sep.join(
            w("cli.pair", label=s.year, value=s.target.text or s.target.canonical()) for s in ind.targets
        )
        t.add_row(
            escape(ind.name.get(lang)),
            escape(unit_text(ind.unit, lang)),
            base,
            escape(tg),
            w(f"attribute.{ind.attribute.value}"),
        )
    out.print(t)


@plans_app.command("import")
def plans_import(
    file: Path,
    db: DbOpt = None,
    replace: Annotated[bool, typer.Option(help="Overwrite a stored plan of the same id")] = False,
    lang: LangOpt = "zh",
) -> None:
    """Import a plan from YAML or the Excel template. / 导入规划"""
    try:
        with _session(db, lang) as ep:
            plan, changed = ep.import_plan(file, replace=replace)
            broken = check_stored_links(ep, plan.id)
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)
    line = w(
        "cli.plans.imported",
        plan=place(plan.title, plan.id, lang),
        indicators=len(plan.indicators),
        tasks=len(plan.tasks),
        state=w("cli.plans.stored" if changed else "cli.plans.unchanged"),
    )
    say(line)
    plans_lineage.warn_links(broken, lang)  # e.g. to a plan not yet stored: `ecoplan plans check`


class ExtractFmt(StrEnum):
    yaml = "yaml"
    json = "json"


# Documents from this size on get progress lines on stderr while they are extracted.
_PROGRESS_FROM_BYTES = 2 * 1024 * 1024


def _extract_progress(file: Path, max_bytes: int, lang: str) -> Callable[[str], None] | None:
    """A progress callback printing each extraction stage on stderr (with the
    seconds so far), or ``None`` for a small document, one over ``max_bytes``
    or one that cannot be sized (the extractor then says what is wrong)."""
    from ecoplan.plans.extract import STAGES

    try:
        size = file.stat().st_size
    except OSError:
        return None
    if size < _PROGRESS_FROM_BYTES or size > max_bytes:
        return None
    w = words(lang)
    began = time.monotonic()
    err.print(w("extract.progress.start", file=file, size_mb=f"{size / 1048576:.1f}"), markup=False)

    def tell(stage: str) -> None:
        seconds = f"{time.monotonic() - began:.1f}"
        if stage == "done":
            err.print(w("extract.progress.done", seconds=seconds), markup=False, highlight=False)
            return
        line = w(
            "extract.progress.stage",
            step=STAGES.index(stage) + 1,
            steps=len(STAGES),
            stage=w(f"extract.stage.{stage}"),
            seconds=seconds,
        )
        err.print(line, markup=False, highlight=False)

    return tell


@plans_app.command("extract")
def plans_extract(
    file: Path,
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the plan here (else stdout)")
    ] = None,
    fmt: Annotated[
        ExtractFmt, typer.Option("--format", help="yaml (for plans import) or json")
    ] = ExtractFmt.yaml,
    report: Annotated[Path | None, typer.Option(help="Write an HTML review page")] = None,
    plan_id: Annotated[str | None, typer.Option("--id", help="Plan id (default ext-<file name>)")] = None,
    region: Annotated[str | None, typer.Option(help="Region code, when the document does not say")] = None,
    start: Annotated[int | None, typer.Option(help="First year of the plan period")] = None,
    end: Annotated[int | None, typer.Option(help="Last year of the plan period")] = None,
    max_mb: Annotated[
        float,
        typer.Option("--max-mb", min=0.001, help="Largest document read, MB / 大小上限（兆字节）"),
    ] = 20.0,
    lang: LangOpt = "zh",
) -> None:
    """Extract a reviewable plan from a plan document (text, Markdown, HTML, .docx, PDF). / 从规划文本提取"""
    import yaml

    from ecoplan.plans.extract import extract_plan
    from ecoplan.plans.extract.report import render_report

    max_bytes = round(max_mb * 1024 * 1024)
    progress = _extract_progress(file, max_bytes, lang)
    try:
        res = extract_plan(
            file, max_bytes=max_bytes, progress=progress, id=plan_id, region=region, start=start, end=end
        )
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)
    source = w(f"cli.extract.source.{'table' if res.source == 'table' else 'prose'}")
    if fmt is ExtractFmt.json:
        text = json.dumps(res.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        header = w(
            "cli.extract.header",
            file=file.name,
            indicators=len(res.indicators),
            source=source,
            commitments=len(res.commitments),
        )
        text = header + "\n" + yaml.safe_dump(res.to_mapping(), allow_unicode=True, sort_keys=False)
    if out_file is not None:
        out_file.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if report is not None:
        report.write_text(render_report(res, lang), encoding="utf-8")
    msg = w(
        "cli.extract.summary",
        file=file,
        indicators=len(res.indicators),
        source=source,
        commitments=len(res.commitments),
        projects=len(res.projects),
    )
    for warning in res.warnings:
        msg += "\n  " + w("cli.pair", label=w("label.warning"), value=warning)
    if progress is not None:
        progress("done")
    err.print(msg, highlight=False, markup=False)


@plans_app.command("export")
def plans_export(plan_id: str, file: Path, db: DbOpt = None, lang: LangOpt = "zh") -> None:
    """Export a plan to .yaml or .xlsx (the import template). / 导出规划"""
    from ecoplan.ingest.plans import write_plan_excel, write_plan_yaml

    w = words(lang)
    suffix = file.suffix.lower()
    if suffix not in (".xlsx", ".yaml", ".yml"):
        _fail(w("cli.plans.export_suffix", file=file), lang)
    try:
        with _session(db, lang) as ep:
            plan = ep.plan(plan_id).plan
    except EcoplanError as exc:
        _fail(exc, lang)
    if suffix == ".xlsx":
        write_plan_excel(plan, file)
    else:
        write_plan_yaml(plan, file)
    say(w("cli.plans.exported", plan=place(plan.title, plan.id, lang), file=file))


from ecoplan.cli import plans_lineage as plans_lineage  # noqa: E402  (plans lineage, plans check)
