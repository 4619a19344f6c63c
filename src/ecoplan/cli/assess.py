"""``ecoplan assess`` and ``ecoplan rank``: one region's assessment, the ranking of a level."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.app import assessment_frame
from ecoplan.cli.root import STATUS_STYLE, AssessFmt, app
from ecoplan.core.errors import EcoplanError
from ecoplan.core.exports import csv_text, write_xlsx
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
from ecoplan.kit.options import TableFmt


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
    submitted: Annotated[
        bool,
        typer.Option(
            "--submitted", help="Lay the values of submissions not yet published over the published ones"
        ),
    ] = False,
    db: DbOpt = None,
) -> None:
    """Assess a plan for a region and year. / 规划实施评估"""
    from ecoplan.assess.scoring import load_rules

    try:
        with _session(db, lang) as ep:
            p = ep.plan(plan).plan
            pending = ep.review.pending(plan, region or p.region) if submitted else None
            pa = ep.assess(plan, region or p.region, year or p.end, as_of, pending=pending)
            card = ep.score(pa, load_rules(rules), set(flag or ()))
            region_name = ep.region_names().get(pa.region)
            version = ep.plan_version(plan)
    except (EcoplanError, ValueError) as exc:
        _fail(exc, lang)
    data = pa.to_dict()
    data["score"] = card.to_dict()
    data["plan_version"] = version
    data["basis"] = "submitted" if submitted else "published"
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
            say(words(lang)("cli.wrote", file=target))
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


#: The region levels ``rank --level`` takes.
RANK_LEVELS = ("province", "prefecture", "county")


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
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
    db: DbOpt = None,
) -> None:
    """Rank the regions of one level on a plan's indicators. / 同级地区排名"""
    if level is not None and level not in RANK_LEVELS:
        bad_choice("--level", level, RANK_LEVELS, lang)
    try:
        with _session(db, lang) as ep:
            rows = ep.rank(plan, year, region, as_of, level=level)
    except (EcoplanError, ValueError) as exc:
        _fail(exc, lang)
    if fmt is TableFmt.json:
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
