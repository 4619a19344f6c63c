"""Text helpers shared by the table readers: squashed cells, names, units, attributes.

A cell is compared with its Markdown/HTML markup and all whitespace removed
(:func:`_squash`); a name ends at its unit in parentheses (``（%）``,
``(μg/m³)``), whose spelling is normalised (``ug/m3`` → ``μg/m³``, ``％`` →
``%``); Latin class numerals before 类 become Roman ones (``V类`` → ``Ⅴ类``);
the attribute column reads 约束性 (binding) or 预期性 (expected).
"""

from __future__ import annotations

import re
import unicodedata

_CJK = "\u3400-\u9fff"
_ROMAN = {"I": "Ⅰ", "II": "Ⅱ", "III": "Ⅲ", "IV": "Ⅳ", "V": "Ⅴ", "VI": "Ⅵ"}
_ATTRS = {"约束性": "binding", "预期性": "expected"}
_CN_UNITS = (
    r"(?:[万亿千百十]?(?:吨标准煤|吨标煤|标准煤|千瓦时|立方米|平方公里|平方米|公顷|千瓦|公里|"
    r"微克|毫克|吨|亩|个|人|元|天|米|辆|户|座|家|处|条|项|套|台|次|分贝|起|枚))"
)
_UNIT_BODY = (
    rf"(?:[%‰％]|{_CN_UNITS}(?:/{_CN_UNITS}|/(?:年|日|天|人|升|立方米))?|"
    r"[A-Za-zμµ][A-Za-z0-9μµ/²³·.]{0,11})"
)
_UNIT_PAREN = re.compile(rf"[（(]\s*({_UNIT_BODY})\s*[)）]")
_UNIT_AT_END = re.compile(rf"[（(]\s*({_UNIT_BODY})\s*[)）]\s*$")


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _squash(s: str) -> str:
    """Remove Markdown/HTML markup and all whitespace from a cell."""
    if "<" not in s and "\\" not in s and "*" not in s:  # no markup: only the whitespace goes
        return "".join(s.split())
    s = re.sub(r"<sup>\s*2\s*</sup>", "²", s, flags=re.I)
    s = re.sub(r"<sup>\s*3\s*</sup>", "³", s, flags=re.I)
    s = re.sub(r"</?(?:sub|sup|b|i|strong|em|span)[^>]*>", "", s, flags=re.I)
    s = re.sub(r"\\([*_\\|])", r"\1", s)
    s = s.replace("**", "")
    return re.sub(r"\s+", "", s)


def _clean_name(s: str) -> str:
    s = _squash(s).replace("(", "（").replace(")", "）")
    return re.sub(r"(?<![A-Za-z])(VI|IV|V|III|II|I)(?=类)", lambda m: _ROMAN[m.group(1)], s)


def _norm_unit(u: str) -> str:
    u = _squash(u).replace("％", "%").replace("µ", "μ")
    u = re.sub(r"^ug/", "μg/", u)
    u = re.sub(r"m3$", "m³", u)
    u = re.sub(r"m2$", "m²", u)
    return {"微克/立方米": "μg/m³"}.get(u, u)


#: Symbols printed in parentheses inside a name (细颗粒物（PM2.5）浓度): not units.
_SYMBOLS = frozenset(
    s.lower()
    for s in (
        *("PM2.5", "PM25", "PM10", "SO2", "NO2", "NOx", "NOX", "O3", "CO", "CO2", "VOCs", "VOC"),
        *("COD", "CODcr", "CODMn", "BOD", "BOD5", "NH3-N", "NH3N", "TP", "TN", "GDP", "AQI"),
    )
)


def _unit_paren(s: str) -> re.Match[str] | None:
    """The first ``（unit）`` in ``s`` that is a unit, not a symbol such as ``（PM2.5）``."""
    return next((m for m in _UNIT_PAREN.finditer(s) if m.group(1).lower() not in _SYMBOLS), None)


def _split_unit(s: str) -> tuple[str, str]:
    """``name（unit）`` -> (name, unit); unit '' when the text has none (a symbol is no unit)."""
    m = _UNIT_AT_END.search(s)
    if not m or m.group(1).lower() in _SYMBOLS:
        return s, ""
    return s[: m.start()], _norm_unit(m.group(1))
