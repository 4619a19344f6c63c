"""The ``ecoplan`` command line (Typer). Thin: parse, call the session, print.

Errors of the user's making (``EcoplanError``) print one clear message and
exit with status 1; nothing is written when a command fails.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.app import assessment_frame, default_db_path, demo_values_path
from ecoplan.core.domain import load
from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import csv_text, neutralise_rows, write_xlsx
from ecoplan.domains import domains
from ecoplan.kit import server as _server
from ecoplan.kit.cli import (
    DEFAULT_WAIT,
    DbOpt,
    LangOpt,
    _dump_json,
    _fail,
    _session,
    err,
    open_store,
    out,
    place,
    set_wait,
    unit_text,
    with_unit,
    words,
)
from ecoplan.plans.serialize import plan_json

app = typer.Typer(no_args_is_help=True, add_completion=False, help="生态环境规划实施监测评估平台 ecoplan")
plans_app = typer.Typer(no_args_is_help=True, help="Plans: list, show, import, export / 规划")
regions_app = typer.Typer(no_args_is_help=True, help="Regions (GB/T 2260) / 行政区划")
values_app = typer.Typer(no_args_is_help=True, help="Indicator values / 指标数据")
tasks_app = typer.Typer(no_args_is_help=True, help="Tasks and their status / 重点任务")
app.add_typer(plans_app, name="plans")
app.add_typer(regions_app, name="regions")
app.add_typer(values_app, name="values")
app.add_typer(tasks_app, name="tasks")


@app.callback()
def _options(
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            envvar="ECOPLAN_WAIT",
            min=0,
            help="Seconds to wait while another process holds the store, saying so; then fail",
        ),
    ] = DEFAULT_WAIT,
) -> None:
    set_wait(wait)


class Fmt(StrEnum):
    """``--format`` of the listing commands; each command offers only what it writes."""

    table = "table"
    json = "json"


class ValuesFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class AssessFmt(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


STATUS_STYLE = {
    "achieved": "green",
    "on_track": "cyan",
    "at_risk": "yellow",
    "off_track": "red",
    "insufficient_data": "dim",
    "not_assessable": "dim",
}


@app.command()
def init(
    db: DbOpt = None, demo: Annotated[bool, typer.Option(help="Also load the demo values")] = False
) -> None:
    """Create the store; register regions and the built-in plans. / 初始化数据库"""
    try:
        with _session(db) as ep:
            n_regions, n_plans = ep.init()
            out.print(
                f"store {ep.path}: {n_regions} regions, {len(ep.plan_ids())} plans ({n_plans} newly stored)"
            )
            if demo:
                # Demo values never revise a stored value (a user's import, `air feed`): only
                # keys with no revision at all are filled, so `init --demo` can run again.
                res = ep.import_values(
                    demo_values_path(), recorded_at="2021-06-30", actor="ecoplan demo", only_new=True
                )
                out.print(
                    f"demo values: {res.inserted} new, {res.unchanged} already stored, left as they are"
                )
    except EcoplanError as exc:
        _fail(exc)


@plans_app.command("list")
def plans_list(
    db: DbOpt = None, fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table, lang: LangOpt = "zh"
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
    if fmt is Fmt.json:
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
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Show a plan's indicators and targets. / 查看规划指标"""
    try:
        with _session(db, lang) as ep:
            plan = ep.plan(plan_id).plan
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is Fmt.json:
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
) -> None:
    """Import a plan from YAML or the Excel template. / 导入规划"""
    try:
        with _session(db) as ep:
            plan, changed = ep.import_plan(file, replace=replace)
    except EcoplanError as exc:
        _fail(exc)
    state = "stored" if changed else "unchanged (already stored)"
    out.print(
        f"plan {plan.id}: {len(plan.indicators)} indicators, {len(plan.tasks)} tasks — {state}", markup=False
    )


class ExtractFmt(StrEnum):
    yaml = "yaml"
    json = "json"


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
    lang: LangOpt = "zh",
) -> None:
    """Extract a reviewable plan from a plan document (text, Markdown, HTML, .docx, PDF). / 从规划文本提取"""
    import yaml

    from ecoplan.plans.extract import extract_plan
    from ecoplan.plans.extract.report import render_report

    try:
        res = extract_plan(file, id=plan_id, region=region, start=start, end=end)
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is ExtractFmt.json:
        text = json.dumps(res.to_json(), ensure_ascii=False, indent=2) + "\n"
    else:
        header = (
            f"# Extracted by `ecoplan plans extract` from {file.name}: review, then `ecoplan plans import`.\n"
            f"# {len(res.indicators)} indicators ({res.source}), {len(res.commitments)} dated commitments.\n"
        )
        text = header + yaml.safe_dump(res.to_mapping(), allow_unicode=True, sort_keys=False)
    if out_file is not None:
        out_file.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    if report is not None:
        report.write_text(render_report(res, lang), encoding="utf-8")
    msg = (
        f"{file}: {len(res.indicators)} indicators ({'table' if res.source == 'table' else 'prose'}), "
        f"{len(res.commitments)} dated commitments, {len(res.projects)} 专栏 lists"
    )
    for w in res.warnings:
        msg += f"\n  warning: {w}"
    err.print(msg, highlight=False, markup=False)


@plans_app.command("export")
def plans_export(plan_id: str, file: Path, db: DbOpt = None) -> None:
    """Export a plan to .yaml or .xlsx (the import template). / 导出规划"""
    from ecoplan.ingest.plans import write_plan_excel, write_plan_yaml

    try:
        with _session(db) as ep:
            plan = ep.plan(plan_id).plan
    except EcoplanError as exc:
        _fail(exc)
    if file.suffix.lower() == ".xlsx":
        write_plan_excel(plan, file)
    elif file.suffix.lower() in (".yaml", ".yml"):
        write_plan_yaml(plan, file)
    else:
        _fail(EcoplanError(f"{file}: export to .yaml or .xlsx"))
    out.print(f"wrote {file}", markup=False)


@regions_app.command("list")
def regions_list(
    db: DbOpt = None,
    level: Annotated[str | None, typer.Option(help="national|province|prefecture|county")] = None,
    parent: Annotated[str | None, typer.Option(help="parent code")] = None,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
    lang: LangOpt = "zh",
) -> None:
    """List regions. / 行政区划列表"""
    try:
        with _session(db, lang) as ep:
            regions = ep.regions(level, parent)
            names = ep.region_names()
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is Fmt.json:
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
) -> None:
    """Import indicator values from CSV/XLSX (all or nothing; idempotent). / 导入指标数据"""
    try:
        with _session(db) as ep:
            res = ep.import_values(file, recorded_at=recorded_at, actor=actor, sheet=sheet)
    except EcoplanError as exc:
        _fail(exc)
    except ValueError as exc:
        _fail(exc)
    out.print(f"{file}: {res.inserted} new, {res.revised} revised, {res.unchanged} unchanged", markup=False)


@values_app.command("list")
def values_list(
    db: DbOpt = None,
    plan: Annotated[str | None, typer.Option()] = None,
    region: Annotated[str | None, typer.Option()] = None,
    indicator: Annotated[str | None, typer.Option()] = None,
    history: Annotated[bool, typer.Option(help="Every revision, not just the latest")] = False,
    fmt: Annotated[ValuesFmt, typer.Option("--format")] = ValuesFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """List stored values (latest revision, or the whole history). / 指标数据"""
    try:
        with _session(db, lang) as ep:
            rows = ep.values(plan, region, indicator, history=history)
            plans = {p.id: p for p in ep.plans()} if fmt is ValuesFmt.table else {}
            names = ep.region_names() if fmt is ValuesFmt.table else {}
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is ValuesFmt.json:
        _dump_json(rows)
        return
    if fmt is ValuesFmt.csv:
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
            escape(r["source"] or ""),
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
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
    lang: LangOpt = "zh",
) -> None:
    """List tasks with deadline and latest status. / 任务列表"""
    try:
        with _session(db, lang) as ep:
            rows = ep.tasks(plan)
            titles = {p.id: p.title.get(lang) for p in ep.plans()}
    except EcoplanError as exc:
        _fail(exc, lang)
    if fmt is Fmt.json:
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
) -> None:
    """Record a task's status (kept as history, with evidence). / 更新任务进展"""
    allowed = {"not_started", "in_progress", "done", "overdue", "cancelled"}
    if status not in allowed:
        _fail(EcoplanError(f"--status {status!r}: choose one of {', '.join(sorted(allowed))}"))
    try:
        with _session(db) as ep:
            seq = ep.update_task(plan, task, status, note=note, evidence=evidence, actor=actor)
    except EcoplanError as exc:
        _fail(exc)
    out.print(f"task {plan}/{task}: status {status} recorded (entry {seq})", markup=False)


@app.command()
def assess(
    plan: str,
    region: Annotated[str | None, typer.Option(help="Region code; default: the plan's region")] = None,
    year: Annotated[int | None, typer.Option(help="Evaluation year; default: the plan's end")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Use the values as known on this date")] = None,
    fmt: Annotated[AssessFmt, typer.Option("--format")] = AssessFmt.table,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File for xlsx (or any format)")
    ] = None,
    lang: LangOpt = "zh",
    rules: Annotated[Path | None, typer.Option(help="Scoring rules YAML (default: built-in)")] = None,
    flag: Annotated[list[str] | None, typer.Option(help="Scoring flag, e.g. major_incident")] = None,
    db: DbOpt = None,
) -> None:
    """Assess a plan for a region and year. / 规划实施评估"""
    from ecoplan.assess.scoring import load_rules

    try:
        with _session(db, lang) as ep:
            p = ep.plan(plan).plan
            pa = ep.assess(plan, region or p.region, year or p.end, as_of)
            card = ep.score(pa, load_rules(rules), set(flag or ()))
            region_name = ep.region_names().get(pa.region)
    except (EcoplanError, ValueError) as exc:
        _fail(exc, lang)
    data = pa.to_dict()
    data["score"] = card.to_dict()
    if fmt is AssessFmt.json:
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if output:
            output.write_text(text + "\n", "utf-8")
        else:
            sys.stdout.write(text + "\n")
        return
    if fmt in (AssessFmt.csv, AssessFmt.xlsx):
        frame = assessment_frame(pa)
        if fmt is AssessFmt.xlsx:
            target = output or Path(f"{plan}-{pa.region}-{pa.year}.xlsx")
            write_xlsx(frame, target)
            out.print(f"wrote {target}", markup=False)
        elif output:
            output.write_text(csv_text(frame), encoding="utf-8")
        else:
            sys.stdout.write(csv_text(frame))
        return
    _print_assessment(pa, data, lang, place(region_name, pa.region, lang))


def status_cell(code: str, lang: str) -> str:
    """The status word of ``code`` (``status.<code>`` of the catalog), coloured."""
    return f"[{STATUS_STYLE.get(code, 'default')}]{escape(words(lang)(f'status.{code}'))}[/]"


def _print_assessment(pa: Any, data: dict[str, Any], lang: str, region: str) -> None:
    w = words(lang)
    stage = w("stage.final") if pa.year >= pa.plan.end else w("stage.mid")
    title = w("cli.assess.title", title=pa.plan.title.get(lang), region=region, year=pa.year, stage=stage)
    if pa.as_of:
        title += w("cli.assess.as_of", date=pa.as_of)
    out.print(f"[bold]{escape(title)}[/]")
    t = Table(
        w("header.indicator"),
        w("header.attribute"),
        w("header.baseline"),
        w("header.value"),
        w("header.target"),
        w("header.status"),
        w("header.verdict"),
        w("header.reason"),
    )
    names = {}
    for a in pa.indicators:
        d = a.to_dict()
        names[a.indicator.id] = a.indicator.name.get(lang)
        tgt = d["target"]["expr"] if d["target"] else "—"
        if a.target_source != "own":
            tgt = w("cli.assess.target_source", target=tgt, source=w(f"target_source.{a.target_source}"))
        base = "—"
        if a.baseline_value is not None and a.space == "level":
            base = w(
                "cli.with_year",
                value=with_unit(a.baseline_value, a.indicator.unit, lang),
                year=a.baseline_year,
            )
        t.add_row(
            escape(a.indicator.name.get(lang)),
            w(f"attribute.{a.attribute.value}"),
            escape(base),
            escape(with_unit(a.value, a.indicator.unit, lang)),
            escape(tgt),
            status_cell(d["status"], lang),
            w(f"verdict.{d['verdict']}"),
            escape(a.reason.get(lang)),
        )
    out.print(t)
    s = data["summary"]
    counts = w("cli.list_sep").join(
        w("cli.assess.count", status=w(f"status.{k}"), count=v) for k, v in s["by_status"].items() if v
    )
    summary = w(
        "cli.assess.summary",
        met=s["binding_met"],
        on_schedule=s["binding_on_schedule"],
        total=s["binding_total"],
        by_status=counts,
    )
    out.print(summary, markup=False)
    sc = data["score"]
    if sc["score"] is not None:
        line = w("cli.assess.score", score=sc["score"], grade=sc["grade"][lang])
        if sc["vetoed_by"]:
            vetoed = w("cli.list_sep").join(names.get(i, i) for i in sc["vetoed_by"])
            line += w("cli.assess.vetoed", indicators=vetoed)
        out.print(line + w("cli.assess.rules", rules=sc["rules"]), markup=False)
    else:
        out.print(sc["note_zh"] if lang == "zh" else sc["note"], markup=False)
    for wn in data["warnings"]:
        head = w(
            "cli.assess.warning", level=w(f"warning.{wn['level']}"), severity=w(f"severity.{wn['severity']}")
        )
        why = w(
            "cli.pair",
            label=names.get(wn["indicator"], wn["indicator"]),
            value=wn["reason_zh"] if lang == "zh" else wn["reason"],
        )
        out.print(f"[{'red' if wn['level'] == 'red' else 'yellow'}]{escape(head)}[/] {escape(why)}")


@app.command()
def rank(
    plan: str,
    year: Annotated[int, typer.Option()],
    region: Annotated[
        list[str] | None, typer.Option(help="Regions to rank (default: all with values)")
    ] = None,
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    level: Annotated[
        str | None,
        typer.Option(help="province, prefecture or county (default: the highest level below the plan's)"),
    ] = None,
    fmt: Annotated[Fmt, typer.Option("--format")] = Fmt.table,
    lang: LangOpt = "zh",
    db: DbOpt = None,
) -> None:
    """Rank the regions of one level on a plan's indicators. / 同级地区排名"""
    if level is not None and level not in ("province", "prefecture", "county"):
        _fail(ValueError(f"--level {level!r}: province, prefecture or county"), lang)
    try:
        with _session(db, lang) as ep:
            rows = ep.rank(plan, year, region, as_of, level=level)
    except (EcoplanError, ValueError) as exc:
        _fail(exc, lang)
    if fmt is Fmt.json:
        _dump_json([vars(r) for r in rows])
        return
    zh = lang == "zh"
    w = words(lang)
    keys = ("rank", "region", "total_score", "grade", "binding_met", "assessed", "note")
    t = Table(*(w(f"header.{k}") for k in keys))
    for r in rows:
        t.add_row(
            str(r.rank or "—"),
            escape(place(r.name_zh if zh else (r.name_en or r.name_zh), r.region, lang)),
            "—" if r.score is None else f"{r.score:.2f}",
            (r.grade if zh else r.grade_en) or "-",
            str(r.binding_met),
            f"{r.assessed}/{r.total}",
            escape((r.note_zh if zh else r.note) or ""),
        )
    out.print(t)


from ecoplan.cli.targets import targets_app, warnings  # noqa: E402

# Each registered domain adds its command group (``ecoplan air …``) and top-level commands.
for _domain in domains():
    if _domain.commands is not None:
        app.add_typer(load(_domain.commands), name=_domain.name)
    for _ref in _domain.top_commands:
        _command = load(_ref)
        app.command(_command.__name__)(_command)
app.add_typer(targets_app, name="targets")
app.command("warnings")(warnings)


@app.command()
def report(
    plan_id: str,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="Output file")],
    region: Annotated[str | None, typer.Option(help="Region code (default: the plan's)")] = None,
    year: Annotated[int | None, typer.Option(help="Year (default: the plan's last)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="html, pdf or xlsx")] = "html",
    lang: LangOpt = "zh",
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Use the values as known on this date (the report's date)")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Mid-term / final assessment report of a plan. / 评估报告"""
    from ecoplan.reports import FORMATS, build, write_report

    if fmt not in FORMATS:
        _fail(ValueError(f"--format must be one of {', '.join(FORMATS)}"), lang)
    try:
        with _session(db, lang) as ep:
            data = build(ep, plan_id, region, year, lang, as_of)
        write_report(data, fmt, out_file)
    except EcoplanError as exc:
        _fail(exc, lang)
    out.print(f"{out_file}: {fmt} report, {len(data['indicators'])} indicators", markup=False)


class _Stop(Exception):
    """SIGINT or SIGTERM, after uvicorn's graceful shutdown."""


def _stop(signum: int, frame: object) -> None:
    raise _Stop(signum)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0: any free port)")] = 8000,
    db: DbOpt = None,
) -> None:
    """Serve the dashboard and the read-only API; other commands run through it. / 启动网页与开放接口

    The server owns the store: it opens it once, read-write, and answers every request
    from a snapshot. Other ecoplan commands on the same store are sent to it (through an
    admin endpoint on 127.0.0.1, with the token of the file <db>.serve.json) and run in it.
    """
    import signal
    import threading
    import time

    import uvicorn

    from ecoplan.api import create_app
    from ecoplan.api.admin import AdminHook, create_admin_app
    from ecoplan.web import register

    path = _server.store_key(db or default_db_path())
    running = _server.live_server(path)
    if running is not None:
        _fail(f"{path} is already served by process {running.pid} ({running.url}); stop that server first")
    try:
        ep = open_store(path, forward=False)  # creates or upgrades the file
    except EcoplanError as exc:
        _fail(exc)
    web = create_app(path, ecoplan=ep)
    register(web)
    hook = AdminHook(_server.new_token(), path, _server.make_runner(ep, app))
    admin = uvicorn.Server(
        uvicorn.Config(create_admin_app(hook), host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    )
    public = uvicorn.Server(uvicorn.Config(web, host=host, port=port, log_level="warning"))

    def announce() -> None:
        while not (admin.started and public.started):
            if public.should_exit or admin.should_exit:
                return
            time.sleep(0.02)
        bound = public.servers[0].sockets[0].getsockname()[1]
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        url = f"http://{shown}:{bound}"
        admin_port = admin.servers[0].sockets[0].getsockname()[1]
        try:
            _server.write_server_file(
                _server.ServerInfo(os.getpid(), f"http://127.0.0.1:{admin_port}", hook.token, url, path)
            )
        except OSError as exc:
            err.print(
                f"warning: cannot write the server file beside {path} ({exc}); other ecoplan "
                "commands on this store will wait until the server stops",
                highlight=False,
            )
        out.print(
            f"ecoplan dashboard: {url}/  (English: {url}/?lang=en; API: {url}/api/docs) — Ctrl-C to stop\n"
            f"this server owns {path}: other ecoplan commands on it run here"
        )

    admin_thread = threading.Thread(target=admin.run, name="ecoplan-admin", daemon=True)
    old = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        with _server.thread_streams():
            admin_thread.start()
            threading.Thread(target=announce, name="ecoplan-announce", daemon=True).start()
            public.run()
    except _Stop:
        pass
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
        _server.remove_server_file(path)
        admin.should_exit = True
        admin_thread.join(timeout=10)
        with ep.writer():  # a forwarded command still running ends first
            ep.close()


def main() -> None:
    _server.ARGV.set(sys.argv[1:])
    app()


if __name__ == "__main__":
    main()
