"""Language purity: the words of the other language that slipped onto a surface.

``foreign(text, "zh")`` lists the Latin words (two letters or more) of a Chinese text
that are not units, symbols, standard codes, file formats, codes (plan ids, region
codes, ISO dates), URLs, `backquoted` literals (commands, column names) or names in
``allowed``; ``foreign(text, "en")`` lists the runs of CJK characters (Han, CJK and
full-width punctuation, kana) of an English text not in ``allowed``. ``allowed``
holds names quoted from documents (a plan's title, a target as written, ``15左右``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

__all__ = ["ALLOWED_LATIN", "foreign"]

#: Latin tokens a Chinese surface may show: units, pollutant and index symbols,
#: standard prefixes, file formats, the product's name.
ALLOWED_LATIN: Final = frozenset(
    {
        # units
        "µg/m³", "μg/m³", "mg/m³", "ug/m3", "mg/m3", "µg", "μg", "ug", "mg", "kg", "km", "km²",
        "km2", "m²", "m³", "ha", "tce", "mm", "cm", "mL", "mg/L", "kWh", "ppm", "ppb",
        # pollutants and indices
        "AQI", "IAQI", "PM2.5", "PM₂.₅", "PM10", "PM₁₀", "SO2", "SO₂", "NO2", "NO₂", "NOx",
        "NOₓ", "O3", "O₃", "CO", "CO2", "CO₂", "COD", "BOD", "BOD5", "BOD₅", "NH3-N", "TP", "TN",
        "pH", "DO", "CODMn", "NH3N", "Cd", "Hg", "As", "Pb", "Cr", "Cu", "Ni", "Zn", "TLI",
        # standards
        "GB", "HJ", "GB/T", "HJ/T", "ISO",
        # file formats, encodings and the product
        "JSON", "CSV", "XLSX", "PDF", "HTML", "YAML", "Excel", "UTF-8", "GBK", "ASCII", "API",
        "ecoplan",
        # HJ 212 field names and checks as the standard writes them in Chinese text
        # (数据段 QN/ST/CN/PW/MN, CRC 校验, SM4 加密)
        "QN", "ST", "CN", "PW", "MN", "CRC", "CRC16", "SM4", "ECB",
    }
)  # fmt: skip

# Spans removed before looking for words: URLs, `literals`, standard numbers
# (GB 3095—2012, HJ 633-2013, GB/T 8170), ids with a digit and a hyphen (cn-13th-eco).
_SKIP_ZH: Final = re.compile(
    r"https?://[!-~]+"
    r"|`[^`]*`"
    r"|(?<![A-Za-z0-9])(?:GB|HJ|ISO)(?:/T)?\s*\d+(?:\s*[.\-—–]\s*\d+)*"
    r"|(?<![A-Za-z0-9])(?=[a-z0-9-]*\d)(?=[a-z0-9-]*-)[a-z0-9]+(?:-[a-z0-9]+)+(?![A-Za-z0-9])"
)
# A token: letters, digits and what units and symbols are made of.
_TOKEN: Final = re.compile(r"[A-Za-z0-9µμ./_²³₀-₉ₓ⁰-⁹-]+")
_LATIN: Final = re.compile(r"[A-Za-z]")
_CJK: Final = re.compile(
    "["
    "\u2e80-\u2fdf"  # CJK radicals, Kangxi radicals
    "\u3000-\u303f"  # CJK symbols and punctuation (、。〔〕「」)
    "\u3040-\u30ff"  # kana
    "\u3100-\u312f\u31a0-\u31bf"  # bopomofo
    "\u3200-\u33ff"  # enclosed CJK, compatibility
    "\u3400-\u4dbf"  # extension A
    "\u4e00-\u9fff"  # unified ideographs
    "\uf900-\ufaff"  # compatibility ideographs
    "\ufe30-\ufe4f"  # compatibility forms
    "\uff00-\uffef"  # full-width forms (，：（）)
    "\U00020000-\U0003134f"  # extensions B-G
    "]+"
)


def _blank(text: str, spans: Iterable[str]) -> str:
    """``text`` with every occurrence of ``spans`` replaced by a space (longest first)."""
    for s in sorted({s for s in spans if s}, key=len, reverse=True):
        text = text.replace(s, " ")
    return text


def _latin_ok(token: str) -> bool:
    if len(_LATIN.findall(token)) < 2 or token in ALLOWED_LATIN:
        return True
    # compounds: PM2.5/PM10, O3-8h, mg/m3
    parts = [p for p in re.split(r"[/\-]", token) if p]
    return len(parts) > 1 and all(len(_LATIN.findall(p)) < 2 or p in ALLOWED_LATIN for p in parts)


def foreign(text: str, lang: str, *, allowed: Iterable[str] = ()) -> list[str]:
    """The fragments of ``text`` that are not in ``lang`` (``zh`` or ``en``), in order."""
    rest = _blank(text, allowed)
    if lang == "en":
        return _CJK.findall(rest)
    if lang != "zh":
        raise ValueError(f"language {lang!r}: zh or en")
    rest = _SKIP_ZH.sub(" ", rest)
    out = []
    for m in _TOKEN.finditer(rest):
        token = m.group().strip(".-/_")
        if token and not _latin_ok(token):
            out.append(token)
    return out
