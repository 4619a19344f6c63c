"""``ecoplan risk grade FILE``: an enterprise's HJ 941-2018 risk level.

The JSON contract (``--format json``): ``{level, air: {q, m, e, level, …}, water: {…},
evidence: […], unconfirmed: […]}``; the default is a table in ``--lang``.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import Words
from ecoplan.kit.cli import DbOpt, LangOpt, _dump_json, _fail, _session, out, say, words
from ecoplan.risk.readers.enterprise import read_appendix, read_enterprise, read_rules
from ecoplan.risk.registries import notation
from ecoplan.risk.standards.hj941 import AppendixRow, Grade, GradeError, Rules, grade
from ecoplan.risk.standards.hj941_text import basis, describe, number, rule_name

__all__ = ["describe", "grade_error", "notation", "register", "rule_name", "run_grade"]


class GradeFmt(StrEnum):
    table = "table"
    json = "json"


def grade_error(exc: GradeError, file: str) -> EcoplanError:
    """The worded error of a grading failure, naming the file (media as words)."""
    params: dict[str, object] = dict(exc.params)
    if "medium" in params:
        m = str(params["medium"])
        params["medium"] = {lang: Words(lang)(f"risk.medium.{m}") for lang in ("zh", "en")}
    return EcoplanError.worded(f"risk.error.{exc.code}", file=file, **params)


def run_grade(path: Path, rules_path: Path | None = None, appendix_path: Path | None = None) -> Grade:
    """Read the enterprise file (and a rules file, and an Appendix A table the user
    transcribed) and grade it (worded errors naming the file)."""
    file = str(rules_path) if rules_path else str(path)
    try:
        rules = read_rules(rules_path) if rules_path else Rules()
        table: tuple[AppendixRow, ...] = ()
        if appendix_path is not None:
            file = str(appendix_path)
            table = read_appendix(appendix_path)
        file = str(path)
        return grade(read_enterprise(path), rules, table)
    except GradeError as exc:
        raise grade_error(exc, file) from None


def show(g: Grade, lang: str) -> None:
    """The grading as tables in ``lang``."""
    w = words(lang)
    out.print(f"{w('risk.grade.enterprise')}: {g.enterprise}", markup=False, highlight=False)
    out.print(f"{w('risk.grade.level')}: {w(f'risk.level.{g.level}')}", markup=False, highlight=False)
    out.print(f"{w('risk.grade.notation')}: {notation(g, lang)}", markup=False, highlight=False)
    if g.raised:
        out.print(w("risk.grade.raised"), markup=False, highlight=False)
    t = Table(show_lines=False)
    for k in ("medium", "q", "q_class", "m", "m_class", "e", "level"):
        t.add_column(w(f"risk.grade.{k}"))
    for m in (g.air, g.water):
        t.add_row(
            w(f"risk.medium.{m.medium}"),
            number(m.q),
            m.q_class,
            number(m.m),
            m.m_class or "—",
            m.e or "—",
            w(f"risk.level.{m.level}"),
        )
    out.print(t)
    ev = Table(show_lines=False)
    ev.add_column(w("risk.grade.step"), justify="right")
    ev.add_column(w("risk.grade.detail"))
    ev.add_column(w("risk.grade.basis"))
    for i, e in enumerate(g.evidence, 1):
        mark = "" if e.get("confirmed", True) else f" ({w('risk.grade.unconfirmed')})"
        ev.add_row(str(i), describe(e, w), f"{basis(str(e.get('basis', '')), w)}{mark}")
    out.print(ev, markup=False)
    if g.unconfirmed:
        items = "; ".join(rule_name(c, w) for c in g.unconfirmed)
        out.print(w("risk.grade.unconfirmed_note", items=items), markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``grade`` to the ``ecoplan risk`` group."""

    @app.command("grade", help=Words("en")("risk.grade.help"))
    def grade_cmd(
        file: Annotated[Path, typer.Argument(help="Enterprise file (YAML or JSON; docs/risk.md)")],
        fmt: Annotated[GradeFmt, typer.Option("--format", help="table or json")] = GradeFmt.table,
        rules: Annotated[
            Path | None, typer.Option("--rules", help="Rules file overriding the unconfirmed defaults")
        ] = None,
        appendix: Annotated[
            Path | None,
            typer.Option(
                "--appendix", help="Appendix A thresholds you transcribed (CSV: cas,name,threshold_t,part)"
            ),
        ] = None,
        source: Annotated[
            str | None, typer.Option("--source", help="Record the grading as this risk source's (needs --db)")
        ] = None,
        graded_on: Annotated[
            str | None, typer.Option("--graded-on", help="Date of the grading (YYYY-MM-DD)")
        ] = None,
        db: DbOpt = None,
        lang: LangOpt = "zh",
    ) -> None:
        try:
            day = dt.date.fromisoformat(graded_on) if graded_on else None
        except ValueError:
            _fail(EcoplanError.worded("risk.error.bad_date", option="--graded-on", value=graded_on), lang)
        try:
            g = run_grade(file, rules, appendix)
        except EcoplanError as exc:
            _fail(exc, lang)
        if source is not None:
            try:
                with _session(db, lang) as ep:
                    ep.risk.record_grade(source, g, day)
            except EcoplanError as exc:
                _fail(exc, lang)
        if fmt == GradeFmt.json:
            d = g.to_dict()
            d["notation"] = {k: notation(g, k) for k in ("zh", "en")}
            _dump_json(d)
        else:
            show(g, lang)
        if source is not None and fmt != GradeFmt.json:
            say(
                words(lang)(
                    "risk.cli.graded_stored", source=source, level=words(lang)(f"risk.level.{g.level}")
                )
            )
