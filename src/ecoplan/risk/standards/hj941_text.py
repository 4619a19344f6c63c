"""HJ 941-2018 gradings in words: each evidence entry as a sentence, a citation and an
unconfirmed rule's name in zh or en (shared by ``ecoplan risk grade`` and the pages)."""

from __future__ import annotations

from typing import Any

from ecoplan.core.words import Words

__all__ = ["basis", "describe", "number", "rule_name"]


def number(v: Any) -> str:
    """A figure as the texts show it (four significant digits; — for none)."""
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
            pure_t=number(e["pure_t"]),
            threshold_t=number(e["threshold_t"]),
            ratio=number(e["ratio"]),
            media=w(f"risk.media.{media}"),
        )
        if e["threshold_source"] == "file":
            return f"{text}; {w('risk.step.threshold_file')}"
        if not e["confirmed"]:
            return f"{text}; {w('risk.step.threshold_table', source=e['threshold_source'])}"
        return text
    if step in ("q.air", "q.water"):
        return w(
            "risk.step.q_medium",
            medium=_medium(w, step),
            q=number(e["q"]),
            terms=e["terms"],
            q_class=e["q_class"],
        )
    if step == "m.process_unit":
        kind = w(f"risk.process.{e['kind']}")
        return w(
            "risk.step.m_process_unit",
            unit=e["unit"],
            kind=kind,
            count=e["count"],
            points=number(e["points"]),
        )
    if step == "m.process":
        return w(
            "risk.step.m_process", raw=number(e["raw"]), cap=number(e["cap"]), points=number(e["points"])
        )
    if step.endswith(".control"):
        item = w(f"risk.control.{e['item']}")
        return w("risk.step.m_control", medium=_medium(w, step), item=item, points=number(e["points"]))
    if step.endswith(".event"):
        level = w(f"risk.event.{e['level']}")
        return w("risk.step.m_event", medium=_medium(w, step), level=level, points=number(e["points"]))
    if step in ("m.air", "m.water"):
        return w(
            "risk.step.m_medium",
            medium=_medium(w, step),
            m=number(e["m"]),
            process=number(e["process"]),
            m_class=e["m_class"],
        )
    if step in ("e.air", "e.water") and e.get("source") == "file":
        return w("risk.step.e_given", medium=_medium(w, step), e=e["e"])
    if step == "e.air":
        zone = w("risk.yes" if e["special_zone_5km"] else "risk.no")
        return w(
            "risk.step.e_air",
            p5=number(e["population_5km"]),
            p05=number(e["population_500m"]),
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
