"""The items and units the water readers know: names, declared units, ceilings.

:func:`item_key` knows the GB 3838—2002 Table 1 items by code (``NH3N``, ``NH3-N``) and
by Chinese name (``氨氮``), the extra items of the automatic stations (电导率, 浊度,
叶绿素a, 藻密度, 透明度), and the lake/river rows of 总磷 (Table 1 row 8: ``TP_lake``,
``总磷（湖、库）``). :func:`unit_factor` gives the exact decimal factor from a declared
unit to the item's canonical unit (:data:`~.batch.ITEM_UNITS`), or ``None``
(``unknown_unit``): units are declared, never guessed. :data:`CEILINGS` are the
``impossible`` limits. Internal to :mod:`ecoplan.water.readers`.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ecoplan.water.readers.batch import DRINKING_ITEMS, EXTRA_ITEMS, ITEM_UNITS
from ecoplan.water.standards import drinking_source as ds
from ecoplan.water.standards import gb3838_2002 as gb

__all__ = ["CEILINGS", "item_key", "unit_factor"]

#: Generous ceilings in the canonical unit (:data:`~.batch.ITEM_UNITS`); above → ``impossible``.
#: Far above any surface water (raw sewage: COD ~ 1,000 mg/L, NH3-N ~ 100 mg/L): they
#: catch unit slips (µg/L given as mg/L) and typing errors, not pollution.
CEILINGS: dict[str, float] = {
    "WT": 60.0,
    "pH": 14.0,
    "DO": 50.0,
    "CODMn": 1000.0,
    "COD": 10000.0,
    "BOD5": 5000.0,
    "NH3N": 1000.0,
    "TP": 100.0,
    "TN": 1000.0,
    "Cu": 100.0,
    "Zn": 100.0,
    "F": 100.0,
    "Se": 10.0,
    "As": 10.0,
    "Hg": 1.0,
    "Cd": 10.0,
    "Cr6": 10.0,
    "Pb": 10.0,
    "CN": 10.0,
    "Phenol": 100.0,
    "Oil": 1000.0,
    "LAS": 100.0,
    "S": 100.0,
    "FC": 1e10,
    "Cond": 200000.0,
    "Turb": 100000.0,
    "Chla": 10.0,
    "Algae": 1e12,
    "SD": 100.0,
    # GB 3838 Table 2: far above any raw water (seawater: Cl ~ 19,000, SO4 ~ 2,700 mg/L)
    "SO4": 10000.0,
    "Cl": 50000.0,
    "NO3N": 1000.0,
    "Fe": 1000.0,
    "Mn": 100.0,
    # GB 3838 Table 3: 10,000 × the limit, at least 10 mg/L (a unit slip µg/L → mg/L is ×1,000)
    **{k: max(10.0, 10000.0 * v) for k, v in ds.TABLE3_LIMITS.items()},
}

_SEP = re.compile(r"[\s_\-—–·.]+")


def _norm(text: str) -> str:
    """Lower case, full-width brackets and commas made ASCII, blanks and dashes dropped."""
    t = str(text).strip().translate(str.maketrans("（）【】［］，、：", "()[][],,:"))
    return _SEP.sub("", t).lower()


_ALIASES: dict[str, str] = {}
for _code in (*gb.ITEMS, *EXTRA_ITEMS):
    _ALIASES[_norm(_code)] = _code
for _code, _zh in gb.ITEM_ZH.items():
    _ALIASES[_norm(_zh)] = _code
for _code in DRINKING_ITEMS:  # Table 3 items are keyed by their Chinese names
    _ALIASES.setdefault(_norm(_code), _code)
for _code, _zh in ds.TABLE2_ZH.items():
    _ALIASES[_norm(_zh)] = _code
_ALIASES.update(
    {
        _norm(k): v
        for k, v in {
            "pH值": "pH",
            "水温": "WT",
            "溶解氧": "DO",
            "CODCr": "COD",
            "化学需氧量(COD)": "COD",
            "BOD₅": "BOD5",
            "NH3-N": "NH3N",
            "NH₃-N": "NH3N",
            "氨氮(NH3-N)": "NH3N",
            "总磷(以P计)": "TP",
            "总氮(以N计)": "TN",
            "六价铬": "Cr6",
            "铬(六价)": "Cr6",
            "Cr(VI)": "Cr6",
            "氟化物(以F-计)": "F",
            "volatile phenol": "Phenol",
            "petroleum": "Oil",
            "sulfide": "S",
            "fecal coliform": "FC",
            "电导率": "Cond",
            "浊度": "Turb",
            "叶绿素a": "Chla",
            "叶绿素α": "Chla",
            "chlorophyll a": "Chla",
            "藻密度": "Algae",
            "透明度": "SD",
            "硫酸盐(以SO42-计)": "SO4",
            "硫酸盐(以SO4计)": "SO4",
            "氯化物(以Cl-计)": "Cl",
            "硝酸盐(以N计)": "NO3N",
            "硝酸盐氮": "NO3N",
            "NO3-N": "NO3N",
            "conductivity": "Cond",
            "turbidity": "Turb",
        }.items()
    }
)

#: Items naming the lake or the river row of Table 1 row 8 (总磷): ``(item, water body)``.
_QUALIFIED: dict[str, tuple[str, str]] = {
    _norm(k): v
    for k, v in {
        "TP_lake": ("TP", "lake"),
        "TP_river": ("TP", "river"),
        "总磷(湖、库)": ("TP", "lake"),
        "总磷(湖库)": ("TP", "lake"),
        "总磷(湖泊、水库)": ("TP", "lake"),
        "总磷(河流)": ("TP", "river"),
    }.items()
}


def item_key(text: str) -> tuple[str, str | None] | None:
    """``(item, water body named by the item or None)`` for an item as written, else ``None``.

    >>> item_key("氨氮"), item_key("NH3-N"), item_key("总磷（湖、库）"), item_key("x")
    (('NH3N', None), ('NH3N', None), ('TP', 'lake'), None)
    """
    n = _norm(text)
    if n in _QUALIFIED:
        return _QUALIFIED[n]
    code = _ALIASES.get(n)
    return None if code is None else (code, None)


_UNIT_SPELLINGS: dict[str, str] = {
    "mg/l": "mg/L",
    "毫克/升": "mg/L",
    "ug/l": "µg/L",
    "µg/l": "µg/L",
    "μg/l": "µg/L",
    "微克/升": "µg/L",
    "mg/m3": "µg/L",
    "mg/m³": "µg/L",
    "°c": "°C",
    "℃": "°C",
    "c": "°C",
    "": "",
    "无量纲": "",
    "dimensionless": "",
    "个/l": "个/L",
    "mpn/l": "个/L",
    "us/cm": "µS/cm",
    "µs/cm": "µS/cm",
    "μs/cm": "µS/cm",
    "ms/cm": "mS/cm",
    "ntu": "NTU",
    "cells/l": "cells/L",
    "m": "m",
    "cm": "cm",
    "米": "m",
    "厘米": "cm",
}
"""Unit spellings (normalised) -> unit. ``mg/m³`` is µg/L (chlorophyll a in TLI use)."""

#: Exact factors from a declared unit to the canonical unit, per canonical unit.
_FACTORS: dict[str, dict[str, Decimal]] = {
    "mg/L": {"mg/L": Decimal(1), "µg/L": Decimal("0.001")},
    "°C": {"°C": Decimal(1)},
    "": {"": Decimal(1)},
    "个/L": {"个/L": Decimal(1)},
    "µS/cm": {"µS/cm": Decimal(1), "mS/cm": Decimal(1000)},
    "NTU": {"NTU": Decimal(1)},
    "cells/L": {"cells/L": Decimal(1), "个/L": Decimal(1)},
    "m": {"m": Decimal(1), "cm": Decimal("0.01")},
}


def unit_factor(item: str, unit: str) -> Decimal | None:
    """The exact factor from ``unit`` (as declared) to ``item``'s canonical unit, or
    ``None`` when the unit is unknown or does not fit the item (``unknown_unit``).
    Only pH (dimensionless) takes an empty unit.

    >>> unit_factor("NH3N", "µg/L"), unit_factor("pH", ""), unit_factor("TP", "NTU")
    (Decimal('0.001'), Decimal('1'), None)
    """
    t = str(unit).strip().replace(" ", "").lower()
    declared = _UNIT_SPELLINGS.get(t)
    if declared is None:
        return None
    return _FACTORS.get(ITEM_UNITS.get(item, "?"), {}).get(declared)
