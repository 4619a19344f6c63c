"""Emission standards a permit cites: reference O2 and typical concentration limits (pure data).

Used to default an outlet's reference oxygen (基准氧含量) from its ``standard`` and to check
the unit of a permit limit. Every figure names its table. Figures marked ``verified=False``
([M] in ``docs/sources-registry.md``) were written from memory of the published texts and
not re-read here; they are typical values for examples and checks, never a substitute for
the limit written in the permit (排污许可证), which is what the facts compare with.

Sources (read for this module):

- GB 13271-2014 锅炉大气污染物排放标准, Table 6 (基准含氧量): 9 % for coal-fired boilers,
  3.5 % for oil- and gas-fired boilers (hj212 spec §9.4, which read the text).
- GB 18484-2020 危险废物焚烧污染控制标准: 11 % O2, dry (hj212 spec §9.4).

From memory ([M]): GB 13223-2011 火电厂大气污染物排放标准 Table 1 (limits), Table 2
(special limits, 重点地区) and Table 3 (reference O2: coal-fired boiler 6 %, oil- and
gas-fired boiler 3 %, gas turbine 15 %); GB 13271-2014 Tables 2 and 3; GB 18484-2020 Table 3;
GB 4915-2013 水泥工业 Table 1 (kiln 10 %); GB 28662-2012 钢铁烧结 Table 2 (16 %);
GB 8978-1996 污水综合排放标准 Table 4; GB 18918-2002 城镇污水处理厂 Table 1.
Air limits are mg/m³ at standard state, dry, at the reference O2; water limits mg/L.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from ecoplan.core.words import has, word

__all__ = [
    "FACTORS",
    "STANDARDS",
    "UNITS",
    "Factor",
    "Limit",
    "Standard",
    "factor_code",
    "factor_name",
    "limit_of",
    "medium_of_factor",
    "normalise_unit",
    "ref_o2_of",
    "standard_of",
    "unit_fits",
]

Medium = Literal["air", "water"]


@dataclass(frozen=True)
class Factor:
    """An HJ 212 monitoring factor (HJ 212-2017 Annex B Tables B.1/B.2; hj212 spec §8)."""

    code: str
    zh: str
    en: str
    medium: Medium
    unit: str  #: the concentration unit of Annex B, in this module's spelling (:data:`UNITS`)


#: The factors permits limit and quantify (HJ 212-2017 Annex B Table B.2 air, B.1 water).
FACTORS: Final = MappingProxyType(
    {
        f.code: f
        for f in (
            Factor("a21026", "二氧化硫", "SO2", "air", "mg/m3"),
            Factor("a21002", "氮氧化物", "NOx", "air", "mg/m3"),
            Factor("a34013", "颗粒物", "particulate matter", "air", "mg/m3"),
            Factor("a21005", "一氧化碳", "CO", "air", "mg/m3"),
            Factor("a24088", "非甲烷总烃", "NMHC", "air", "mg/m3"),
            Factor("a19001", "氧气含量", "O2", "air", "%"),
            Factor("w01018", "化学需氧量", "COD", "water", "mg/L"),
            Factor("w21003", "氨氮", "NH3-N", "water", "mg/L"),
            Factor("w21011", "总磷", "total phosphorus", "water", "mg/L"),
            Factor("w21001", "总氮", "total nitrogen", "water", "mg/L"),
            Factor("w01012", "悬浮物", "suspended solids", "water", "mg/L"),
            Factor("w01017", "五日生化需氧量", "BOD5", "water", "mg/L"),
            Factor("w01001", "pH值", "pH", "water", "dimensionless"),
            Factor("w22001", "石油类", "petroleum", "water", "mg/L"),
        )
    }
)
#: Other names of factors (Chinese names, formulas) → code.
_ALIASES: Final = MappingProxyType(
    {
        **{f.zh.lower(): f.code for f in FACTORS.values()},
        **{f.en.lower(): f.code for f in FACTORS.values()},
        "so2": "a21026",
        "nox": "a21002",
        "氮氧化物（以no2计）": "a21002",
        "pm": "a34013",
        "烟尘": "a34013",
        "颗粒物（烟尘）": "a34013",
        "dust": "a34013",
        "co": "a21005",
        "nmhc": "a24088",
        "cod": "w01018",
        "codcr": "w01018",
        "nh3-n": "w21003",
        "氨氮（nh3-n）": "w21003",
        "tp": "w21011",
        "tn": "w21001",
        "ss": "w01012",
        "bod5": "w01017",
        "ph": "w01001",
    }
)
_CODE = re.compile(r"^[a-z][0-9a-z]{5}$")

#: Units as this module writes them, by their other spellings (lower case).
UNITS: Final = MappingProxyType(
    {
        "mg/m3": "mg/m3",
        "mg/m³": "mg/m3",
        "mg/nm3": "mg/m3",
        "mg/nm³": "mg/m3",
        "毫克/立方米": "mg/m3",
        "µg/m3": "ug/m3",
        "ug/m3": "ug/m3",
        "μg/m3": "ug/m3",
        "µg/m³": "ug/m3",
        "微克/立方米": "ug/m3",
        "ng-teq/m3": "ng-TEQ/m3",
        "ngteq/m3": "ng-TEQ/m3",
        "mg/l": "mg/L",
        "毫克/升": "mg/L",
        "µg/l": "ug/L",
        "ug/l": "ug/L",
        "μg/l": "ug/L",
        "微克/升": "ug/L",
        "无量纲": "dimensionless",
        "dimensionless": "dimensionless",
        "%": "%",
    }
)
_MEDIUM_UNITS: Final = MappingProxyType(
    {
        "air": frozenset({"mg/m3", "ug/m3", "ng-TEQ/m3", "%"}),
        "water": frozenset({"mg/L", "ug/L", "dimensionless"}),
    }
)


@dataclass(frozen=True)
class Limit:
    """A typical limit of a standard: factor, value, unit, basis and the table it is in."""

    factor: str
    value: float
    unit: str
    basis: str  #: hour | day | instant (HJ 212 rollups: hourly and daily means)
    table: str
    verified: bool = False


@dataclass(frozen=True)
class Standard:
    """An emission standard (or one category of it, ``GB 13271-2014/coal``)."""

    key: str
    zh: str
    medium: Medium
    ref_o2: float | None  #: reference O2 in %, dry (None: none, e.g. water)
    ref_o2_table: str | None
    ref_o2_verified: bool
    limits: tuple[Limit, ...]


def _air(
    factor_limits: dict[str, float], table: str, basis: str = "hour", verified: bool = False
) -> tuple[Limit, ...]:
    return tuple(Limit(f, v, "mg/m3", basis, table, verified) for f, v in factor_limits.items())


def _water(factor_limits: dict[str, float], table: str) -> tuple[Limit, ...]:
    return tuple(Limit(f, v, "mg/L", "day", table) for f, v in factor_limits.items())


SO2, NOX, PM, CO = "a21026", "a21002", "a34013", "a21005"
COD, NH3N, TP, TN, SS, BOD = "w01018", "w21003", "w21011", "w21001", "w01012", "w01017"

#: The standards by key; a key is ``<number>/<category>`` where one standard has several
#: reference O2 values. Limits: new sources, general (not special) limits unless the
#: category says ``special``.
STANDARDS: Final = MappingProxyType(
    {
        s.key: s
        for s in (
            Standard(
                "GB 13223-2011/coal",
                "火电厂 燃煤锅炉",
                "air",
                6.0,
                "GB 13223-2011 Table 3",
                False,
                _air({PM: 30, SO2: 100, NOX: 100}, "GB 13223-2011 Table 1"),
            ),
            Standard(
                "GB 13223-2011/coal-special",
                "火电厂 燃煤锅炉 特别排放限值",
                "air",
                6.0,
                "GB 13223-2011 Table 3",
                False,
                _air({PM: 20, SO2: 50, NOX: 100}, "GB 13223-2011 Table 2"),
            ),
            Standard(
                "GB 13223-2011/oil",
                "火电厂 燃油锅炉",
                "air",
                3.0,
                "GB 13223-2011 Table 3",
                False,
                _air({PM: 30, SO2: 100, NOX: 100}, "GB 13223-2011 Table 1"),
            ),
            Standard(
                "GB 13223-2011/gas",
                "火电厂 燃气锅炉（天然气）",
                "air",
                3.0,
                "GB 13223-2011 Table 3",
                False,
                _air({PM: 5, SO2: 35, NOX: 100}, "GB 13223-2011 Table 1"),
            ),
            Standard(
                "GB 13223-2011/gas-turbine",
                "火电厂 燃气轮机组（天然气）",
                "air",
                15.0,
                "GB 13223-2011 Table 3",
                False,
                _air({PM: 5, SO2: 35, NOX: 50}, "GB 13223-2011 Table 1"),
            ),
            Standard(
                "GB 13271-2014/coal",
                "锅炉 燃煤",
                "air",
                9.0,
                "GB 13271-2014 Table 6",
                True,
                _air({PM: 50, SO2: 300, NOX: 300}, "GB 13271-2014 Table 2"),
            ),
            Standard(
                "GB 13271-2014/coal-special",
                "锅炉 燃煤 特别排放限值",
                "air",
                9.0,
                "GB 13271-2014 Table 6",
                True,
                _air({PM: 30, SO2: 200, NOX: 200}, "GB 13271-2014 Table 3"),
            ),
            Standard(
                "GB 13271-2014/oil",
                "锅炉 燃油",
                "air",
                3.5,
                "GB 13271-2014 Table 6",
                True,
                _air({PM: 30, SO2: 200, NOX: 250}, "GB 13271-2014 Table 2"),
            ),
            Standard(
                "GB 13271-2014/gas",
                "锅炉 燃气",
                "air",
                3.5,
                "GB 13271-2014 Table 6",
                True,
                _air({PM: 20, SO2: 50, NOX: 200}, "GB 13271-2014 Table 2"),
            ),
            Standard(
                "GB 13271-2014/gas-special",
                "锅炉 燃气 特别排放限值",
                "air",
                3.5,
                "GB 13271-2014 Table 6",
                True,
                _air({PM: 20, SO2: 50, NOX: 150}, "GB 13271-2014 Table 3"),
            ),
            Standard(
                "GB 18484-2020",
                "危险废物焚烧",
                "air",
                11.0,
                "GB 18484-2020 §5 (hj212 spec §9.4)",
                True,
                _air({PM: 30, SO2: 100, NOX: 300, CO: 100}, "GB 18484-2020 Table 3")
                + _air({PM: 20, SO2: 80, NOX: 250, CO: 80}, "GB 18484-2020 Table 3", "day"),
            ),
            Standard(
                "GB 4915-2013/kiln",
                "水泥窑及窑尾余热利用系统",
                "air",
                10.0,
                "GB 4915-2013 §4.4",
                False,
                _air({PM: 30, SO2: 200, NOX: 400}, "GB 4915-2013 Table 1"),
            ),
            Standard(
                "GB 28662-2012/sinter",
                "钢铁烧结 烧结机机头",
                "air",
                16.0,
                "GB 28662-2012 §4.6",
                False,
                _air({PM: 50, SO2: 200, NOX: 300}, "GB 28662-2012 Table 2"),
            ),
            Standard(
                "GB 8978-1996/1",
                "污水综合排放 一级",
                "water",
                None,
                None,
                False,
                _water({COD: 100, NH3N: 15, SS: 70, BOD: 20}, "GB 8978-1996 Table 4"),
            ),
            Standard(
                "GB 8978-1996/2",
                "污水综合排放 二级",
                "water",
                None,
                None,
                False,
                _water({COD: 150, NH3N: 25, SS: 150, BOD: 30}, "GB 8978-1996 Table 4"),
            ),
            Standard(
                "GB 18918-2002/1A",
                "城镇污水处理厂 一级A",
                "water",
                None,
                None,
                False,
                _water({COD: 50, NH3N: 5, TN: 15, TP: 0.5, SS: 10, BOD: 10}, "GB 18918-2002 Table 1"),
            ),
            Standard(
                "GB 18918-2002/1B",
                "城镇污水处理厂 一级B",
                "water",
                None,
                None,
                False,
                _water({COD: 60, NH3N: 8, TN: 20, TP: 1, SS: 20, BOD: 20}, "GB 18918-2002 Table 1"),
            ),
        )
    }
)
#: Category words of a standard's text → the key's category.
_CATEGORY: Final = (
    ("special", ("special", "特别")),
    ("gas-turbine", ("gas-turbine", "gas turbine", "燃气轮机")),
    ("coal", ("coal", "燃煤")),
    ("oil", ("oil", "燃油")),
    ("gas", ("gas", "燃气", "天然气")),
    ("kiln", ("kiln", "水泥窑", "窑")),
    ("sinter", ("sinter", "烧结")),
    ("1A", ("1a", "一级a")),
    ("1B", ("1b", "一级b")),
    ("2", ("二级", "/2", "grade 2")),
    ("1", ("一级", "/1", "grade 1")),
)


def _number(text: str) -> str | None:
    """``GB 13271-2014`` from ``GB13271—2014 燃煤锅炉`` (dashes and spaces normalised)."""
    m = re.search(r"GB\s*/?\s*T?\s*(\d{4,5})\s*[-—–]\s*(\d{4})", text, re.IGNORECASE)
    return f"GB {m.group(1)}-{m.group(2)}" if m else None


def standard_of(text: str | None) -> Standard | None:
    """The standard (and category) a free-text ``standard`` names, or None.

    ``GB 13271-2014/coal``, ``GB13271—2014 燃煤锅炉``, ``GB 13271-2014 燃煤 特别排放限值`` …
    A standard number with several categories and none given is None (ambiguous)."""
    if not text:
        return None
    if text in STANDARDS:
        return STANDARDS[text]
    num = _number(text)
    if num is None:
        return None
    rest = text.lower().replace(" ", "")
    cats = [c for c, words in _CATEGORY if any(w.replace(" ", "") in rest for w in words)]
    options = [s for s in STANDARDS.values() if s.key.split("/")[0] == num]
    if len(options) == 1 and "/" not in options[0].key:
        return options[0]
    special = "special" in cats
    for cat in cats:
        if cat == "special":
            continue
        key = f"{num}/{cat}-special" if special else f"{num}/{cat}"
        if key in STANDARDS:
            return STANDARDS[key]
        if f"{num}/{cat}" in STANDARDS:
            return STANDARDS[f"{num}/{cat}"]
    return None


def ref_o2_of(text: str | None) -> float | None:
    """The reference O2 (%) of the standard ``text`` names, or None (unknown, ambiguous, water)."""
    s = standard_of(text)
    return s.ref_o2 if s else None


def limit_of(standard: str, factor: str, basis: str = "hour") -> Limit | None:
    """The typical limit of ``factor`` on ``basis`` under ``standard`` (a key or text), or None."""
    s = standard_of(standard)
    if s is None:
        return None
    return next((lim for lim in s.limits if lim.factor == factor and lim.basis == basis), None)


def factor_code(text: str) -> str | None:
    """The HJ 212 factor code of ``text`` (a code such as ``a21026`` or a name), or None."""
    t = text.strip()
    if _CODE.match(t):
        return t
    if _CODE.match(t.lower()) and t[0].isalpha():
        return t.lower()
    return _ALIASES.get(t.lower().replace(" ", ""), _ALIASES.get(t.lower()))


def medium_of_factor(code: str) -> Medium | None:
    """``air`` for ``a…`` codes (HJ 524 / Table B.2), ``water`` for ``w…`` (HJ 525 / Table B.1)."""
    return "air" if code.startswith("a") else "water" if code.startswith("w") else None


def normalise_unit(text: str) -> str | None:
    """A unit in this module's spelling (:data:`UNITS`), or None when unknown."""
    t = text.strip().lower().replace(" ", "").replace("³", "3").replace("·", "")
    return UNITS.get(t) or UNITS.get(text.strip().lower())


def unit_fits(unit: str, medium: str) -> bool:
    """Whether a limit in ``unit`` can apply to a ``medium`` outlet (air: mass per volume of
    gas or %; water: mass per litre or dimensionless)."""
    return unit in _MEDIUM_UNITS.get(medium, frozenset())


def factor_name(code: str, lang: str) -> str:
    """The factor's name (HJ 212-2017 Annex B Tables B.1/B.2, as the register's code table
    names it) in ``lang``, else its code."""
    for key in (f"sources.factor.{code}", f"sources.web.factor.{code}"):
        if has(key):
            return word(key, lang)
    f = FACTORS.get(code)
    return code if f is None else (f.zh if lang == "zh" else f.en)
