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
from ecoplan.risk.registries import notation
from ecoplan.risk.standards.hj941 import Grade, GradeError, Rules, grade

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


def run_grade(path: Path, rules_path: Path | None = None) -> Grade:
    """Read the enterprise (and rules) file and grade it (worded errors)."""
    file = str(rules_path) if rules_path else str(path)
    try:
        rules = read_rules(rules_path) if rules_path else Rules()
        file = str(path)
        return grade(read_enterprise(path), rules)
    except GradeError as exc:
        raise grade_error(exc, file) from None


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.4g}"
    return str(v)


def _medium(w: Words, step: str) -> str:
    return w(f"risk.medium.{step.split('.')[1]}")


def describe(e: dict[str, Any], w: Words) -> str:
    """One evidence entry as a sentence in ``w``'s language."""
    step = str(e["step"])
    if step == "q.substance":
        media = (
            "both" if e["air"] and e["water"] else "air" if e["air"] else "water" if e["water"] else "neither"
        )
        text = w(
            "risk.step.q_substance",
            substance=e["substance"],
            pure_t=_fmt(e["pure_t"]),
            threshold_t=_fmt(e["threshold_t"]),
            ratio=_fmt(e["ratio"]),
            media=w(f"risk.media.{media}"),
        )
        return text if e["threshold_source"] != "file" else f"{text}; {w('risk.step.threshold_file')}"
    if step in ("q.air", "q.water"):
        return w(
            "risk.step.q_medium",
            medium=_medium(w, step),
            q=_fmt(e["q"]),
            terms=e["terms"],
            q_class=e["q_class"],
        )
    if step == "m.process_unit":
        kind = w(f"risk.process.{e['kind']}")
        return w(
            "risk.step.m_process_unit", unit=e["unit"], kind=kind, count=e["count"], points=_fmt(e["points"])
        )
    if step == "m.process":
        return w("risk.step.m_process", raw=_fmt(e["raw"]), cap=_fmt(e["cap"]), points=_fmt(e["points"]))
    if step.endswith(".control"):
        item = w(f"risk.control.{e['item']}")
        return w("risk.step.m_control", medium=_medium(w, step), item=item, points=_fmt(e["points"]))
    if step.endswith(".event"):
        level = w(f"risk.event.{e['level']}")
        return w("risk.step.m_event", medium=_medium(w, step), level=level, points=_fmt(e["points"]))
    if step in ("m.air", "m.water"):
        return w(
            "risk.step.m_medium",
            medium=_medium(w, step),
            m=_fmt(e["m"]),
            process=_fmt(e["process"]),
            m_class=e["m_class"],
        )
    if step in ("e.air", "e.water") and e.get("source") == "file":
        return w("risk.step.e_given", medium=_medium(w, step), e=e["e"])
    if step == "e.air":
        zone = w("risk.yes" if e["special_zone_5km"] else "risk.no")
        return w(
            "risk.step.e_air",
            p5=_fmt(e["population_5km"]),
            p05=_fmt(e["population_500m"]),
            zone=zone,
            e=e["e"],
        )
    if step == "e.water":
        kinds = "、".join(w(f"risk.receptor.{k}") for k in e["receptors"]) or w("risk.none")
        return w("risk.step.e_water", receptors=kinds, e=e["e"])
    if step in ("level.air", "level.water"):
        level = w(f"risk.level.{e['level']}")
        if e.get("rule") == "Q<1":
            return w("risk.step.level_q0", medium=_medium(w, step), level=level)
        return w(
            "risk.step.level_medium", medium=_medium(w, step), e=e["matrix"], cell=e["cell"], level=level
        )
    if step == "level.penalty":
        return w(
            "risk.step.penalty",
            from_level=w(f"risk.level.{e['from']}"),
            to_level=w(f"risk.level.{e['to']}"),
        )
    return w("risk.step.level", level=w(f"risk.level.{e['level']}"))


def basis(text: str, w: Words) -> str:
    """A citation (``HJ 941-2018 表1``) in ``w``'s language."""
    return text.replace("附录A", w("risk.basis.appendix_a")).replace("表1", w("risk.basis.table1"))


def rule_name(code: str, w: Words) -> str:
    """An unconfirmed rule's name in ``w``'s language (``threshold:<substance>`` too)."""
    kind, _, what = code.partition(":")
    if kind == "threshold":
        return w("risk.rule.threshold", substance=what)
    if kind in ("e_air", "e_water"):
        return w("risk.rule.e_given", medium=w(f"risk.medium.{kind[2:]}"))
    return w(f"risk.rule.{kind.split('.')[0]}")


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
            _fmt(m.q),
            m.q_class,
            _fmt(m.m),
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
        lang: LangOpt = "zh",
    ) -> None:
        try:
            g = run_grade(file, rules)
        except EcoplanError as exc:
            _fail(exc, lang)
        if fmt == GradeFmt.json:
            d = g.to_dict()
            d["notation"] = {k: notation(g, k) for k in ("zh", "en")}
            _dump_json(d)
        else:
            show(g, lang)
