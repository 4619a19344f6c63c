"""How the reports and the dashboard show an assessment's things, in one language.

Every word comes from the catalog (:mod:`ecoplan.core.words`): statuses, verdicts,
attributes, warning levels, where a target comes from, units, the source of a value.
Names, not ids: an indicator by its name in the language (its Chinese name when the
plan gives no English one: a name quoted from the document).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from ecoplan.core.words import has, keys, word
from ecoplan.domains import domains

__all__ = [
    "attribute",
    "indicator_name",
    "localize_units",
    "reason",
    "source",
    "status",
    "target",
    "unit",
    "verdict",
    "warning_level",
]

#: Units that mean "no unit" (an index, a ratio already named by the indicator).
_NO_UNIT = frozenset({"", "1", "-", "—"})


@cache
def _units() -> tuple[tuple[str, str], ...]:
    """(zh, en) of every ``label.unit.*`` word, longest first (for replacing in text)."""
    pairs = [(word(k, "zh"), word(k, "en")) for k in keys() if k.startswith("label.unit.")]
    return tuple(sorted(pairs, key=lambda p: -max(len(p[0]), len(p[1]))))


def localize_units(text: Any, lang: str) -> Any:
    """``text`` with the units of the other language written in ``lang`` (``万平方公里`` ->
    ``10⁴ km²`` on an English surface, ``%/yr`` -> ``%/年`` on a Chinese one)."""
    if not isinstance(text, str):
        return text
    for zh, en in _units():
        text = text.replace(zh, en) if lang == "en" else text.replace(en, zh)
    return text


def unit(u: str | None, lang: str) -> str:
    """A unit as ``lang`` writes it; ``""`` for none."""
    if u is None or u.strip() in _NO_UNIT:
        return ""
    return str(localize_units(u, lang))


def _coded(area: str, code: Any, lang: str) -> str:
    key = f"{area}.{code}"
    return word(key, lang) if has(key) else str(code)


def status(code: str, lang: str) -> str:
    """The catalog's ``status.*`` word: one status reads the same on every surface."""
    return _coded("status", code, lang)


def verdict(code: str, lang: str) -> str:
    return _coded("verdict", code, lang)


def attribute(code: str, lang: str) -> str:
    return _coded("attribute", code, lang)


def warning_level(code: str, lang: str) -> str:
    return _coded("warning", code, lang)


def indicator_name(a: Mapping[str, Any], lang: str) -> str:
    """An assessed indicator's name (``name_zh``/``name_en``) in ``lang``."""
    if lang == "en":
        return str(a.get("name_en") or a.get("name_zh") or a.get("id"))
    return str(a.get("name_zh") or a.get("id"))


def reason(item: Mapping[str, Any], lang: str) -> str:
    """Why (an assessment's or a warning's ``reason``/``reason_zh``) in ``lang``."""
    text = item.get("reason_zh") if lang == "zh" else item.get("reason")
    return "" if text is None else str(localize_units(text, lang))


def target(a: Mapping[str, Any], lang: str) -> str:
    """The target expression as the plan writes it, marked when inherited or decomposed."""
    expr = str((a.get("target") or {}).get("expr") or "—")
    src = str(a.get("target_source") or "own")
    if src == "own" or not has(f"target_source.{src}"):
        return expr
    return word("label.report.target_source", lang, target=expr, source=word(f"target_source.{src}", lang))


def source(src: str | None, lang: str) -> str:
    """The source of a value: a document's title as given, ``store`` (not recorded), or a
    domain's pipeline (``pipeline <domain>``: the domain's word ``<domain>.pipeline_source``)."""
    if not src:
        return ""
    if src == "store":
        return word("label.source.store", lang)
    if src.startswith("pipeline "):
        domains()  # the domains' words are in the catalog
        key = f"{src.removeprefix('pipeline ').strip()}.pipeline_source"
        if has(key):
            return word(key, lang)
    return src
