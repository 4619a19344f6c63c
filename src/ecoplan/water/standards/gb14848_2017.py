"""GB/T 14848—2017 地下水质量标准: Table 1 (常规指标, 39 items), classes Ⅰ–Ⅴ.

Sources (the standard's text itself was not read) — two independent transcriptions of
表1 that agree value for value on all 39 items [S×2]:

- GitHub ``sm1lewc/Silence.Water`` ``Silence.Water/Groundwater/Data/GBT_14848_2017.json``
  (commit 907c6d3), with comparison types (≤; pH ranges);
- GitHub ``thincen/WorkHelper`` ``bin/template/stdTpl/wel.csv`` (commit d55b9b0).

A third (GitHub ``ppp123ZXP/Environmental`` ``algotirhm/common/standard.py``) agrees on
the items checked except a typo (Se Ⅱ 0.011). The pH row (Ⅰ–Ⅲ 6.5 ≤ pH ≤ 8.5; Ⅳ
5.5 ≤ pH < 6.5 or 8.5 < pH ≤ 9.0; Ⅴ outside) is in Silence.Water and in a Python
judge module of the code index that quotes the standard (repository not named by the
index) [S×2].

Evaluation (quoted verbatim in that judge module and in a report-table module of the
code index [S×2]):

- §6.2 单指标评价: "按指标值所在的限值范围确定地下水质量类别，指标限值相同时，从优不从劣"
  → inclusive "≤" limits, the best class on shared limits (:func:`item_class`);
- §6.3 综合评价: "按单指标评价结果最差的类别确定，并指出最差类别的指标"
  (:func:`section_class`, :func:`worst_items`).

Ⅴ is "> Ⅳ limit" for every numeric item. 总α/总β放射性 have "> 0.5"/"> 1.0" for both Ⅳ
and Ⅴ (表1 注: above Ⅲ a nuclide analysis is needed); a value above Ⅲ is classed Ⅳ
here (从优不从劣). 阴离子表面活性剂 Ⅰ is "不得检出": any detected value is at least Ⅱ.
嗅和味 and 肉眼可见物 are "无" for Ⅰ–Ⅳ and "有" for Ⅴ: pass ``True`` (有) / ``False``.

Grades for plan indicators (地下水质量极差比例): :data:`GRADE_OF_CLASS` maps Ⅰ–Ⅲ to
"良好及以上", Ⅳ to 较差 and Ⅴ to 极差 — UNCONFIRMED (the 1993 edition's F-score grades
优良/良好/较好/较差/极差 have no official mapping to the 2017 classes that was read;
national bulletins since 2018 report the share of Ⅴ points); ``grade_of_class`` is a
keyword option of :func:`grade`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "CLASS_LABELS",
    "GRADES",
    "GRADE_EN",
    "GRADE_OF_CLASS",
    "GRADE_ZH",
    "ITEMS",
    "ITEM_UNIT",
    "ITEM_ZH",
    "LE_LIMITS",
    "PH_CLASS_IV",
    "PH_CLASS_I_III",
    "PRESENCE_ITEMS",
    "STANDARD",
    "grade",
    "grade_share",
    "item_class",
    "item_class_array",
    "section_class",
    "worst_items",
]

#: The standard these tables are from.
STANDARD: Final = "GB/T 14848—2017"

#: Classes 1..5.
CLASS_LABELS: Final = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ")

#: 表1 "≤" limits, classes Ⅰ–Ⅳ (Ⅴ is above Ⅳ). ``0.0`` for Ⅰ of LAS = "不得检出".
LE_LIMITS: Final[dict[str, tuple[float, float, float, float]]] = {
    # 感官性状及一般化学指标
    "color": (5, 5, 15, 25),  # 色 (铂钴色度单位)
    "turbidity": (3, 3, 3, 10),  # 浑浊度 (NTU)
    "hardness": (150, 300, 450, 650),  # 总硬度 (以CaCO3计)
    "TDS": (300, 500, 1000, 2000),  # 溶解性总固体
    "SO4": (50, 150, 250, 350),  # 硫酸盐
    "Cl": (50, 150, 250, 350),  # 氯化物
    "Fe": (0.1, 0.2, 0.3, 2.0),
    "Mn": (0.05, 0.05, 0.10, 1.50),
    "Cu": (0.01, 0.05, 1.00, 1.50),
    "Zn": (0.05, 0.5, 1.00, 5.00),
    "Al": (0.01, 0.05, 0.20, 0.50),
    "Phenol": (0.001, 0.001, 0.002, 0.01),  # 挥发性酚类 (以苯酚计)
    "LAS": (0.0, 0.1, 0.3, 0.3),  # 阴离子表面活性剂 (Ⅰ 不得检出)
    "CODMn": (1.0, 2.0, 3.0, 10.0),  # 耗氧量 (CODMn法, 以O2计)
    "NH3N": (0.02, 0.10, 0.50, 1.50),  # 氨氮 (以N计)
    "S": (0.005, 0.01, 0.02, 0.10),  # 硫化物
    "Na": (100, 150, 200, 400),
    # 微生物指标
    "TC": (3.0, 3.0, 3.0, 100),  # 总大肠菌群 (MPN/100mL 或 CFU/100mL)
    "TBC": (100, 100, 100, 1000),  # 菌落总数 (CFU/mL)
    # 毒理学指标
    "NO2N": (0.01, 0.10, 1.00, 4.80),  # 亚硝酸盐 (以N计)
    "NO3N": (2.0, 5.0, 20.0, 30.0),  # 硝酸盐 (以N计)
    "CN": (0.001, 0.01, 0.05, 0.1),
    "F": (1.0, 1.0, 1.0, 2.0),
    "I": (0.04, 0.04, 0.08, 0.50),  # 碘化物
    "Hg": (0.0001, 0.0001, 0.001, 0.002),
    "As": (0.001, 0.001, 0.01, 0.05),
    "Se": (0.01, 0.01, 0.01, 0.1),
    "Cd": (0.0001, 0.001, 0.005, 0.01),
    "Cr6": (0.005, 0.01, 0.05, 0.10),
    "Pb": (0.005, 0.005, 0.01, 0.10),
    "CHCl3": (0.5, 6, 60, 300),  # 三氯甲烷 (µg/L)
    "CCl4": (0.5, 0.5, 2.0, 50.0),  # 四氯化碳 (µg/L)
    "benzene": (0.5, 1.0, 10.0, 120),  # 苯 (µg/L)
    "toluene": (0.5, 140, 700, 1400),  # 甲苯 (µg/L)
    # 放射性指标 (Ⅳ and Ⅴ are both "> Ⅲ": Ⅳ limit = inf)
    "alpha": (0.1, 0.1, 0.5, math.inf),  # 总α放射性 (Bq/L)
    "beta": (0.1, 1.0, 1.0, math.inf),  # 总β放射性 (Bq/L)
}

#: 嗅和味, 肉眼可见物: "无" Ⅰ–Ⅳ, "有" Ⅴ.
PRESENCE_ITEMS: Final = ("odor", "visible")

#: pH: Ⅰ–Ⅲ 6.5 ≤ pH ≤ 8.5; Ⅳ 5.5 ≤ pH < 6.5 or 8.5 < pH ≤ 9.0; Ⅴ otherwise.
PH_CLASS_I_III: Final = (6.5, 8.5)
PH_CLASS_IV: Final = (5.5, 9.0)

#: The 39 items of 表1, in table order.
ITEMS: Final = (
    "color", "odor", "turbidity", "visible", "pH", "hardness", "TDS", "SO4", "Cl", "Fe",
    "Mn", "Cu", "Zn", "Al", "Phenol", "LAS", "CODMn", "NH3N", "S", "Na", "TC", "TBC",
    "NO2N", "NO3N", "CN", "F", "I", "Hg", "As", "Se", "Cd", "Cr6", "Pb", "CHCl3", "CCl4",
    "benzene", "toluene", "alpha", "beta",
)  # fmt: skip

ITEM_ZH: Final[dict[str, str]] = {
    "color": "色", "odor": "嗅和味", "turbidity": "浑浊度", "visible": "肉眼可见物",
    "pH": "pH", "hardness": "总硬度", "TDS": "溶解性总固体", "SO4": "硫酸盐", "Cl": "氯化物",
    "Fe": "铁", "Mn": "锰", "Cu": "铜", "Zn": "锌", "Al": "铝", "Phenol": "挥发性酚类",
    "LAS": "阴离子表面活性剂", "CODMn": "耗氧量", "NH3N": "氨氮", "S": "硫化物", "Na": "钠",
    "TC": "总大肠菌群", "TBC": "菌落总数", "NO2N": "亚硝酸盐", "NO3N": "硝酸盐",
    "CN": "氰化物", "F": "氟化物", "I": "碘化物", "Hg": "汞", "As": "砷", "Se": "硒",
    "Cd": "镉", "Cr6": "铬（六价）", "Pb": "铅", "CHCl3": "三氯甲烷", "CCl4": "四氯化碳",
    "benzene": "苯", "toluene": "甲苯", "alpha": "总α放射性", "beta": "总β放射性",
}  # fmt: skip

_UG = "µg/L"
ITEM_UNIT: Final[dict[str, str]] = {
    **{k: "mg/L" for k in LE_LIMITS},
    "color": "铂钴色度单位", "turbidity": "NTU", "hardness": "mg/L (以CaCO3计)",
    "TC": "MPN/100mL", "TBC": "CFU/mL", "CHCl3": _UG, "CCl4": _UG, "benzene": _UG,
    "toluene": _UG, "alpha": "Bq/L", "beta": "Bq/L", "pH": "无量纲", "odor": "有/无",
    "visible": "有/无",
}  # fmt: skip

#: Grade codes of :func:`grade` (UNCONFIRMED mapping, module doc).
GRADES: Final = ("good", "poor", "very_poor")
GRADE_ZH: Final = ("良好及以上", "较差", "极差")
GRADE_EN: Final = ("good or better", "poor", "very poor")
GRADE_OF_CLASS: Final[dict[int, str]] = {1: "good", 2: "good", 3: "good", 4: "poor", 5: "very_poor"}

FloatArray = npt.NDArray[np.float64]


def _check(item: str, v: FloatArray) -> None:
    if item not in ITEMS:
        raise ValueError(f"unknown GB/T 14848 Table 1 item: {item!r}")
    if np.any(v < 0):
        raise ValueError(f"{item}: negative value")
    if item == "pH" and np.any(v > 14):
        raise ValueError("pH outside 0–14")


def item_class_array(item: str, values: npt.ArrayLike) -> FloatArray:
    """Class 1..5 of each value (NaN stays NaN): §6.2, inclusive limits, the best class
    on shared limits. Presence items take 0/1 (无/有)."""
    v = np.asarray(values, dtype=np.float64)
    _check(item, v)
    if item == "pH":
        mid = (v >= PH_CLASS_I_III[0]) & (v <= PH_CLASS_I_III[1])
        iv = (v >= PH_CLASS_IV[0]) & (v <= PH_CLASS_IV[1])
        cls = np.where(mid, 1.0, np.where(iv, 4.0, 5.0))
    elif item in PRESENCE_ITEMS:
        if np.any((v != 0) & (v != 1) & ~np.isnan(v)):
            raise ValueError(f"{item}: presence is 0 (无) or 1 (有)")
        cls = np.where(v == 1, 5.0, 1.0)
    else:
        lim = np.asarray(LE_LIMITS[item], dtype=np.float64)
        cls = np.searchsorted(lim, v, side="left") + 1.0
    out: FloatArray = np.where(np.isnan(v), np.nan, cls)
    return out


def item_class(item: str, value: float | bool | None) -> int | None:
    """Class 1..5 of one value (``None``/NaN → ``None``).

    >>> item_class("NO3N", 20.0), item_class("NO3N", 20.01), item_class("NO3N", 30.01)
    (3, 4, 5)
    >>> item_class("pH", 6.4), item_class("pH", 9.1), item_class("LAS", 0.05), item_class("alpha", 0.6)
    (4, 5, 2, 4)
    """
    if value is None:
        return None
    c = float(item_class_array(item, [float(value)])[0])
    return None if math.isnan(c) else int(c)


def _classes(sample: Mapping[str, float | bool | None]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item, value in sample.items():
        c = item_class(item, value)
        if c is not None:
            out[item] = c
    return out


def section_class(sample: Mapping[str, float | bool | None]) -> int | None:
    """§6.3 综合评价: the worst single-item class of the sample (``None`` if none).

    >>> section_class({"pH": 7.2, "NH3N": 0.3, "NO3N": 22.0, "Mn": 0.08})
    4
    """
    classes = _classes(sample)
    return max(classes.values()) if classes else None


def worst_items(sample: Mapping[str, float | bool | None]) -> list[str]:
    """§6.3 "并指出最差类别的指标": the items at the worst class (table order)."""
    classes = _classes(sample)
    if not classes:
        return []
    worst = max(classes.values())
    return [i for i in ITEMS if classes.get(i) == worst]


def grade(cls: int, *, grade_of_class: Mapping[int, str] = GRADE_OF_CLASS) -> str:
    """The grade code of a class (UNCONFIRMED mapping, keyword option).

    >>> grade(3), grade(4), grade(5)
    ('good', 'poor', 'very_poor')
    """
    if cls not in (1, 2, 3, 4, 5):
        raise ValueError(f"class must be 1..5, got {cls!r}")
    return grade_of_class[cls]


def grade_share(
    classes: Iterable[int | None],
    code: str = "very_poor",
    *,
    grade_of_class: Mapping[int, str] = GRADE_OF_CLASS,
) -> float:
    """Share of the classed points whose grade is ``code`` — 地下水质量极差比例 with the
    default (plain count; points without a class are left out).

    >>> grade_share([3, 4, 5, 5, None])
    0.5
    """
    if code not in set(grade_of_class.values()):
        raise ValueError(f"not a grade of the mapping: {code!r}")
    present = [c for c in classes if c is not None]
    if not present:
        raise ValueError("no classed point")
    return float(
        Fraction(sum(1 for c in present if grade(c, grade_of_class=grade_of_class) == code), len(present))
    )
