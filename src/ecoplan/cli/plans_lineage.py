"""``ecoplan plans lineage`` and ``ecoplan plans check``: indicators across periods.

``lineage`` shows each indicator of a plan that follows one of an earlier plan: the
predecessor and the relation, the predecessor's end value with its source, this plan's
baseline with its source, the difference when the two are one series, and the verdict
(``docs/plan-format.md`` "Across periods"). ``check`` reports the broken links among
the stored plans (exit status 1 when there is one).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ecoplan.app.lineage import check_stored_links, plan_lineage
from ecoplan.assess.lineage import RELATION_REASONS
from ecoplan.cli.plans import plans_app
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
from ecoplan.plans.lineage import Link

__all__ = ["plans_check", "plans_lineage", "warn_links"]


def _number(x: Any) -> str:
    return "—" if x is None else f"{round(float(x), 4):g}"


def _end_cell(d: dict[str, Any], lang: str) -> str:
    w = words(lang)
    end = d["end"]
    if end is None:
        return "—"
    if end["value"] is None:
        value = w("label.lineage.no_value")
    else:
        value = f"{_number(end['value'])} {unit_text(end['unit'], lang)}".strip()
        if end["basis"] == "change":
            value = w("cli.lineage.with_note", text=value, note=w("label.lineage.change_form"))
    head = w("label.lineage.end", year=end["year"])
    return f"{head}: {value}\n{w('header.source')}: {end['source'] or '—'}"


def _base_cell(d: dict[str, Any], lang: str) -> str:
    w = words(lang)
    b = d["baseline"]
    value = "—" if b["value"] is None else f"{_number(b['value'])} {unit_text(b['unit'], lang)}".strip()
    src = w("label.lineage.from_plan") if b["source"] == "plan" else b["source"] or "—"
    lines = [f"{w('label.lineage.baseline', year=b['year'])}: {value}", f"{w('header.source')}: {src}"]
    if b["source"] == "plan" and b["quote"]:
        lines.append(f"“{b['quote']}”")
    if b["source"] == "plan" and b["file"]:
        lines.append(b["file"])
    return "\n".join(lines)


def warn_links(broken: list[Link], lang: str) -> None:
    """Each broken link on stderr, one line each (``plans import``, ``plans check``)."""
    w = words(lang)
    for link in broken:
        line = w(
            "cli.lineage.problem",
            plan=link.plan.id,
            field=link.field,
            indicator=link.indicator.id,
            why=link.problem_text(lang),
        )
        err.print(escape(line), highlight=False, soft_wrap=True)


@plans_app.command("lineage")
def plans_lineage(
    plan_id: str,
    region: Annotated[str | None, typer.Option(help="Region code; default: the plan's region")] = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Values as known on this date")] = None,
    db: DbOpt = None,
    fmt: Annotated[TableFmt, typer.Option("--format")] = TableFmt.table,
    lang: LangOpt = "zh",
) -> None:
    """Indicators linked to an earlier plan: its end value beside this baseline. / 跨期指标关联"""
    try:
        with _session(db, lang) as ep:
            lin = plan_lineage(ep, plan_id, region, as_of)
            region_name = ep.region_names().get(lin.region)
    except EcoplanError as exc:
        _fail(exc, lang)
    data = lin.to_dict()
    if fmt is TableFmt.json:
        _dump_json(data)
        return
    w = words(lang)
    say(w("cli.lineage.title", plan=lin.plan.title.get(lang), region=place(region_name, lin.region, lang)))
    if not data["links"]:
        say(w("cli.lineage.none", plan=lin.plan.id))
        return
    rule = data["comparable_baseline"]
    if rule is not None:
        key = "reason.lineage.rule." + rule["rule"].replace("-", "_")
        note = rule["note_zh"] if lang == "zh" else rule["note_en"] or rule["note_zh"]
        say(f"{w('label.lineage.comparable_baseline')}: {w(key)}" + (f" — {note}" if note else ""))
    t = Table(
        w("header.indicator"),
        w("header.lineage.predecessor"),
        w("header.lineage.end"),
        w("header.lineage.baseline"),
        w("header.lineage.difference"),
        w("header.lineage.verdict"),
        w("header.reason"),
    )
    for d in data["links"]:
        p = d["predecessor"]
        relation = RELATION_REASONS[p["relation"]].text(lang)
        pred_name = (d["end"] or {}).get("name_zh" if lang == "zh" else "name_en") or p["indicator"]
        cells = (
            d["name_zh"] if lang == "zh" else d["name_en"] or d["name_zh"],
            w("cli.lineage.with_note", text=f"{p['plan']} {pred_name}", note=relation),
            _end_cell(d, lang),
            _base_cell(d, lang),
            _number(d["difference"]) if d["difference"] is not None else "—",
            w(f"verdict.lineage.{d['verdict']}"),
            d["reason_zh"] if lang == "zh" else d["reason"],
        )
        t.add_row(*(escape(str(c)) for c in cells))
    out.print(t)


@plans_app.command("check")
def plans_check(
    plan_id: Annotated[str | None, typer.Argument(help="Only this plan's links")] = None,
    db: DbOpt = None,
    lang: LangOpt = "zh",
) -> None:
    """Check the links between the stored plans' indicators across periods. / 检查跨期指标关联"""
    try:
        with _session(db, lang) as ep:
            problems = check_stored_links(ep, plan_id)
            n = len(ep.plan_ids())
    except EcoplanError as exc:
        _fail(exc, lang)
    w = words(lang)
    if not problems:
        say(w("cli.lineage.check_ok", n=n))
        return
    err.print(escape(w("cli.lineage.check_problems", n=len(problems))), highlight=False)
    warn_links(problems, lang)
    raise typer.Exit(1)
