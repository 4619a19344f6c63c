"""``ecoplan risk grade FILE``: an enterprise's HJ 941-2018 risk level.

The JSON contract (``--format json``): ``{level, air: {q, m, e, level, …}, water: {…},
evidence: […], unconfirmed: […]}``; the default is a table in ``--lang``.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ecoplan.core.errors import EcoplanError
from ecoplan.core.words import Words
from ecoplan.kit.cli import LangOpt, _dump_json, _fail, out, words
from ecoplan.risk.readers.enterprise import read_enterprise, read_rules
from ecoplan.risk.standards.hj941 import Grade, GradeError, MediumGrade, Rules, grade

__all__ = ["grade_error", "notation", "register", "run_grade"]


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


def run_grade(path: Path, rules_path: Path | None = None) -> Grade:
    """Read the enterprise (and rules) file and grade it (worded errors)."""
    file = str(rules_path) if rules_path else str(path)
    try:
        rules = read_rules(rules_path) if rules_path else Rules()
        file = str(path)
        return grade(read_enterprise(path), rules)
    except GradeError as exc:
        raise grade_error(exc, file) from None


def notation(g: Grade, w: Words) -> str:
    """``较大[较大-大气(Q1-M2-E1)+一般-水(Q0)]``."""

    def part(m: MediumGrade) -> str:
        return f"{w(f'risk.level.{m.level}')}-{w(f'risk.medium.{m.medium}')}({m.notation()})"

    return f"{w(f'risk.level.{g.level}')}[{part(g.air)}+{part(g.water)}]"


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _detail(e: dict[str, Any]) -> str:
    skip = {"step", "basis", "confirmed"}
    return "; ".join(f"{k}={_fmt(v)}" for k, v in e.items() if k not in skip)


def show(g: Grade, lang: str) -> None:
    """The grading as tables in ``lang``."""
    w = words(lang)
    out.print(f"{w('risk.grade.enterprise')}: {g.enterprise}", markup=False, highlight=False)
    out.print(f"{w('risk.grade.level')}: {w(f'risk.level.{g.level}')}", markup=False, highlight=False)
    out.print(f"{w('risk.grade.notation')}: {notation(g, w)}", markup=False, highlight=False)
    if g.raised:
        out.print(w("risk.grade.raised"), markup=False, highlight=False)
    t = Table(show_lines=False)
    for k in ("medium", "q", "q_class", "m", "m_class", "e", "level"):
        t.add_column(w(f"risk.grade.{k}"))
    for m in (g.air, g.water):
        t.add_row(
            w(f"risk.medium.{m.medium}"),
            _fmt(m.q),
            m.q_class,
            _fmt(m.m),
            m.m_class or "—",
            m.e or "—",
            w(f"risk.level.{m.level}"),
        )
    out.print(t)
    ev = Table(show_lines=False)
    ev.add_column(w("risk.grade.step"))
    ev.add_column(w("risk.grade.detail"))
    for e in g.evidence:
        mark = "" if e.get("confirmed", True) else f" ({w('risk.grade.unconfirmed')})"
        ev.add_row(str(e["step"]), f"{_detail(e)} [{e.get('basis', '')}]{mark}")
    out.print(ev, markup=False)
    if g.unconfirmed:
        out.print(
            w("risk.grade.unconfirmed_note", items=", ".join(g.unconfirmed)), markup=False, highlight=False
        )


def register(app: typer.Typer) -> None:
    """Add ``grade`` to the ``ecoplan risk`` group."""

    @app.command("grade", help=Words("en")("risk.grade.help"))
    def grade_cmd(
        file: Annotated[Path, typer.Argument(help="Enterprise file (YAML or JSON; docs/risk.md)")],
        fmt: Annotated[GradeFmt, typer.Option("--format", help="table or json")] = GradeFmt.table,
        rules: Annotated[
            Path | None, typer.Option("--rules", help="Rules file overriding the unconfirmed defaults")
        ] = None,
        lang: LangOpt = "zh",
    ) -> None:
        try:
            g = run_grade(file, rules)
        except EcoplanError as exc:
            _fail(exc, lang)
        if fmt == GradeFmt.json:
            d = g.to_dict()
            d["notation"] = {k: notation(g, words(k)) for k in ("zh", "en")}
            _dump_json(d)
        else:
            show(g, lang)
