"""GB 3838—2002 地表水环境质量标准: Table 1 (基本项目标准限值) and the class of a value.

- 表1 (24 basic items, classes Ⅰ–Ⅴ), transcribed in ``shared/specs/water-soil.md`` §1
  from the scanned standard [P]; units mg/L, pH dimensionless, 水温 °C, 粪大肠菌群 个/L.
- §3: a higher class number is a lower function; §5.1: 单因子评价 — the class of a
  water body is the class of its worst item ("超标的应说明超标项目和超标倍数").
- Table 1 header: "≥" for 溶解氧 (higher is better), "≤" for the others; pH is the
  range 6–9 for every class. Comparisons are **inclusive**: a value equal to a limit
  belongs to that class (pH 9.0 is in range — CNEMC publishes it so [E]).
- Row 8 总磷 has a river row and a 湖、库 row; row 9 总氮 is defined for 湖、库 only
  (a river's TN has no class here); 水温 (row 1) is a rule on the weekly change, not
  a class limit, so it is never classed.

Classes are integers 1..6 (6 = 劣Ⅴ, worse than Ⅴ), displayed with the Unicode Roman
numerals the CNEMC data use (:data:`CLASS_LABELS`).

Option (UNCONFIRMED, spec §1.1 and §10 item 1): where several classes share one
limit (COD 15 for Ⅰ and Ⅱ, …) the **best** class is returned (COD 15 → Ⅰ), as the
groundwater rule "从优不从劣" (GB/T 14848—2017 §6.2, quoted in two code bases) does; no
official statement for surface water was read, and a 2016 review of the 2011 method
lists "水质类别不同而标准限值相同的指标评价方法" among the rules it lacks.
``equal_limits="worst"`` gives the other reading (COD 15 → Ⅱ).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "CLASSED_ITEMS",
    "CLASS_LABELS",
    "DO_LIMITS",
    "DO_SATURATION_CLASS_I",
    "ITEMS",
    "ITEM_ZH",
    "LE_LIMITS",
    "PH_RANGE",
    "STANDARD",
    "WORSE_THAN_V",
    "EqualLimits",
    "WaterBody",
    "class_label",
    "classed_items",
    "item_class",
    "item_class_array",
    "item_classes",
    "parse_class",
    "row",
    "section_class",
    "section_class_array",
    "worst_class",
]

#: The standard these tables are from.
STANDARD: Final = "GB 3838—2002"

#: ``"river"`` (河流) or ``"lake"`` (湖泊、水库 — 湖、库 of Table 1).
WaterBody = Literal["river", "lake"]

#: How a value equal to a limit shared by several classes is classed (see module doc).
EqualLimits = Literal["best", "worst"]

#: Class 6: worse than Ⅴ (劣Ⅴ类), beyond every limit of Table 1.
WORSE_THAN_V: Final = 6

#: Display labels of classes 1..6 (U+2160…2164, as CNEMC publishes them).
CLASS_LABELS: Final = ("Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "劣Ⅴ")

_ASCII: Final = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "劣V": 6}

#: The 24 basic items of Table 1 in table order (keys of spec §0.3).
ITEMS: Final = (
    "WT", "pH", "DO", "CODMn", "COD", "BOD5", "NH3N", "TP", "TN", "Cu", "Zn", "F",
    "Se", "As", "Hg", "Cd", "Cr6", "Pb", "CN", "Phenol", "Oil", "LAS", "S", "FC",
)  # fmt: skip

#: Table 1 item names (项目).
ITEM_ZH: Final[dict[str, str]] = {
    "WT": "水温",
    "pH": "pH值",
    "DO": "溶解氧",
    "CODMn": "高锰酸盐指数",
    "COD": "化学需氧量",
    "BOD5": "五日生化需氧量",
    "NH3N": "氨氮",
    "TP": "总磷",
    "TN": "总氮",
    "Cu": "铜",
    "Zn": "锌",
    "F": "氟化物",
    "Se": "硒",
    "As": "砷",
    "Hg": "汞",
    "Cd": "镉",
    "Cr6": "铬（六价）",
    "Pb": "铅",
    "CN": "氰化物",
    "Phenol": "挥发酚",
    "Oil": "石油类",
    "LAS": "阴离子表面活性剂",
    "S": "硫化物",
    "FC": "粪大肠菌群",
}

#: Table 1 row 2: pH 6–9 for every class (inclusive); outside → 劣Ⅴ.
PH_RANGE: Final = (6.0, 9.0)

#: Table 1 row 3, "≥", classes Ⅰ–Ⅴ: "饱和率90%（或7.5）", 6, 5, 3, 2 mg/L.
DO_LIMITS: Final = (7.5, 6.0, 5.0, 3.0, 2.0)

#: Table 1 row 3, class Ⅰ: a saturation ≥ 90 % also meets Ⅰ ("饱和率90%（或7.5）").
DO_SATURATION_CLASS_I: Final = 0.90

#: Table 1, the "≤" rows, classes Ⅰ–Ⅴ. Row 8 (总磷) has the river row ``TP_river``
#: and the 湖、库 row ``TP_lake``; row 9 (总氮, 湖、库) is ``TN``.
LE_LIMITS: Final[dict[str, tuple[float, float, float, float, float]]] = {
    "CODMn": (2, 4, 6, 10, 15),
    "COD": (15, 15, 20, 30, 40),
    "BOD5": (3, 3, 4, 6, 10),
    "NH3N": (0.15, 0.5, 1.0, 1.5, 2.0),
    "TP_river": (0.02, 0.1, 0.2, 0.3, 0.4),
    "TP_lake": (0.01, 0.025, 0.05, 0.1, 0.2),
    "TN": (0.2, 0.5, 1.0, 1.5, 2.0),
    "Cu": (0.01, 1.0, 1.0, 1.0, 1.0),
    "Zn": (0.05, 1.0, 1.0, 2.0, 2.0),
    "F": (1.0, 1.0, 1.0, 1.5, 1.5),
    "Se": (0.01, 0.01, 0.01, 0.02, 0.02),
    "As": (0.05, 0.05, 0.05, 0.1, 0.1),
    "Hg": (0.00005, 0.00005, 0.0001, 0.001, 0.001),
    "Cd": (0.001, 0.005, 0.005, 0.005, 0.01),
    "Cr6": (0.01, 0.05, 0.05, 0.05, 0.1),
    "Pb": (0.01, 0.01, 0.05, 0.05, 0.1),
    "CN": (0.005, 0.05, 0.2, 0.2, 0.2),
    "Phenol": (0.002, 0.002, 0.005, 0.01, 0.1),
    "Oil": (0.05, 0.05, 0.05, 0.5, 1.0),
    "LAS": (0.2, 0.2, 0.2, 0.3, 0.3),
    "S": (0.05, 0.1, 0.2, 0.5, 1.0),
    "FC": (200, 2000, 10000, 20000, 40000),
}

#: The items Table 1 gives a class, per water body: all but 水温 (a rule on the
#: weekly change); for rivers also without 总氮 (row 9 is "湖、库" only).
CLASSED_ITEMS: Final[dict[str, tuple[str, ...]]] = {
    "river": tuple(i for i in ITEMS if i not in ("WT", "TN")),
    "lake": tuple(i for i in ITEMS if i != "WT"),
}

FloatArray = npt.NDArray[np.float64]


def class_label(cls: int | None) -> str | None:
    """The display label of class 1..6 (``None`` stays ``None``).

    >>> class_label(3), class_label(6)
    ('Ⅲ', '劣Ⅴ')
    """
    if cls is None:
        return None
    if not 1 <= cls <= WORSE_THAN_V:
        raise ValueError(f"class must be 1..6, got {cls!r}")
    return CLASS_LABELS[cls - 1]


def parse_class(label: str) -> int:
    """Class 1..6 of a label: Unicode ``Ⅰ … 劣Ⅴ`` or ASCII ``I … 劣V`` (spec §0.3).

    >>> parse_class("Ⅳ"), parse_class("劣V"), parse_class("III")
    (4, 6, 3)
    """
    s = label.strip()
    if s in CLASS_LABELS:
        return CLASS_LABELS.index(s) + 1
    if s.upper() in _ASCII:
        return _ASCII[s.upper()]
    raise ValueError(f"not a GB 3838 class: {label!r}")


def _check_water_body(water_body: str) -> None:
    if water_body not in ("river", "lake"):
        raise ValueError(f"water_body must be 'river' or 'lake', got {water_body!r}")


def classed_items(water_body: WaterBody = "river") -> tuple[str, ...]:
    """The Table 1 items that get a class in ``water_body`` (:data:`CLASSED_ITEMS`)."""
    _check_water_body(water_body)
    return CLASSED_ITEMS[water_body]


def row(item: str, water_body: WaterBody = "river") -> str | None:
    """The Table 1 row applied to ``item``: ``TP_river``/``TP_lake`` for 总磷, the item
    itself otherwise; ``None`` when Table 1 gives the item no class there (水温; 总氮
    of a river).

    >>> row("TP", "lake"), row("TN", "river"), row("TN", "lake"), row("WT")
    ('TP_lake', None, 'TN', None)
    """
    _check_water_body(water_body)
    if item not in ITEMS:
        raise ValueError(f"unknown GB 3838 Table 1 item: {item!r}")
    if item not in CLASSED_ITEMS[water_body]:
        return None
    if item == "TP":
        return f"TP_{water_body}"
    return item


def _check_value(item: str, value: float) -> None:
    if value < 0:
        raise ValueError(f"{item}: negative concentration {value!r}")
    if item == "pH" and value > 14:
        raise ValueError(f"pH outside 0–14: {value!r}")


def item_class(
    item: str,
    value: float | None,
    water_body: WaterBody = "river",
    *,
    do_saturation: float | None = None,
    equal_limits: EqualLimits = "best",
) -> int | None:
    """Class 1..6 of one value of ``item`` (spec §1.1; the scalar reference).

    ``None`` when the value is missing (``None``/NaN) or Table 1 gives the item no
    class in this water body (:func:`row`). pH: 1 inside 6–9, else 6. 溶解氧: the
    first class whose limit the value reaches (≥), or a ``do_saturation`` (fraction,
    0.9 = 90 %) ≥ 0.9 for Ⅰ. Other items: the first class whose limit is not exceeded
    (≤); beyond Ⅴ → 6. ``equal_limits`` — see the module doc (UNCONFIRMED option).
    Raises ``ValueError`` for an unknown item, a negative value or pH outside 0–14.

    >>> item_class("DO", 5.0), item_class("COD", 15), item_class("NH3N", 2.01)
    (3, 1, 6)
    >>> item_class("TP", 0.08, "lake"), item_class("TP", 0.08, "river")
    (4, 2)
    """
    key = row(item, water_body)
    if value is None or math.isnan(value):
        return None
    _check_value(item, value)
    if key is None:
        return None
    if key == "pH":
        return 1 if PH_RANGE[0] <= value <= PH_RANGE[1] else WORSE_THAN_V
    if key == "DO":
        if do_saturation is not None and do_saturation >= DO_SATURATION_CLASS_I:
            return 1
        limits: tuple[float, ...] = DO_LIMITS
        hits = [k for k, lim in enumerate(limits, 1) if value >= lim]
    else:
        limits = LE_LIMITS[key]
        hits = [k for k, lim in enumerate(limits, 1) if value <= lim]
    if not hits:
        return WORSE_THAN_V
    best = hits[0]
    if equal_limits == "worst":
        # the last class sharing the limit the value sits on
        while best < len(limits) and limits[best] == limits[best - 1] == value:
            best += 1
    return best


def item_class_array(
    item: str,
    values: npt.ArrayLike,
    water_body: WaterBody | npt.ArrayLike = "river",
    *,
    equal_limits: EqualLimits = "best",
) -> FloatArray:
    """:func:`item_class` vectorised: classes 1..6 as floats, NaN where the value is
    missing or the item has no class (TN in a river row; 水温).

    ``water_body`` is one of ``"river"``/``"lake"`` or an array of them aligned with
    ``values`` (only 总磷 and 总氮 depend on it). Raises ``ValueError`` when a value is
    negative or a pH lies outside 0–14 (never silently dropped, spec §9).
    """
    v = np.asarray(values, dtype=np.float64)
    if item not in ITEMS:
        raise ValueError(f"unknown GB 3838 Table 1 item: {item!r}")
    if np.any(v < 0):
        raise ValueError(f"{item}: negative concentration")
    if item == "pH" and np.any(v > 14):
        raise ValueError("pH outside 0–14")
    wb = np.asarray(water_body)
    if wb.ndim == 0:
        key = row(item, str(wb))  # type: ignore[arg-type]
        if key is None:
            return np.full(v.shape, np.nan)
        return _classify(key, v, equal_limits)
    if not np.isin(wb, ("river", "lake")).all():
        raise ValueError("water_body must be 'river' or 'lake'")
    lake = wb == "lake"
    out = np.full(v.shape, np.nan)
    for name, mask in (("river", ~lake), ("lake", lake)):
        key = row(item, name)  # type: ignore[arg-type]
        if key is not None and mask.any():
            out[mask] = _classify(key, v[mask], equal_limits)
    return out


def _classify(key: str, v: FloatArray, equal_limits: EqualLimits) -> FloatArray:
    side: Literal["left", "right"] = "left" if equal_limits == "best" else "right"
    if key == "pH":
        cls = np.where((v >= PH_RANGE[0]) & (v <= PH_RANGE[1]), 1.0, float(WORSE_THAN_V))
    elif key == "DO":
        # descending "≥" limits: negate to ascending "≤" limits
        cls = np.searchsorted(-np.asarray(DO_LIMITS), -v, side="left") + 1.0
    else:
        lim = np.asarray(LE_LIMITS[key], dtype=np.float64)
        n = np.searchsorted(lim, v, side=side)
        if side == "right":
            # on a limit: the last class sharing it; between limits: the next class
            on_limit = np.isin(v, lim)
            cls = np.where(on_limit, n, n + 1).astype(np.float64)
        else:
            cls = n + 1.0
    out: FloatArray = np.where(np.isnan(v), np.nan, np.minimum(cls, WORSE_THAN_V))
    return out


def item_classes(
    sample: Mapping[str, float | None],
    water_body: WaterBody = "river",
    *,
    items: Iterable[str] | None = None,
    do_saturation: float | None = None,
    equal_limits: EqualLimits = "best",
) -> dict[str, int]:
    """The class of every item of ``sample`` that has one (missing values skipped).

    ``items`` restricts the set (default: every Table 1 item classed in this water
    body). Unknown keys in ``sample`` raise ``ValueError`` — units and items are
    never guessed.
    """
    unknown = [k for k in sample if k not in ITEMS]
    if unknown:
        raise ValueError(f"unknown GB 3838 Table 1 items: {unknown}")
    wanted = classed_items(water_body) if items is None else tuple(items)
    out: dict[str, int] = {}
    for item in wanted:
        if item not in sample:
            continue
        cls = item_class(
            item,
            sample[item],
            water_body,
            do_saturation=do_saturation if item == "DO" else None,
            equal_limits=equal_limits,
        )
        if cls is not None:
            out[item] = cls
    return out


def worst_class(classes: Iterable[int | None]) -> int | None:
    """§5.1 单因子评价: the worst (highest) class; ``None`` when no item has one."""
    present = [c for c in classes if c is not None]
    return max(present) if present else None


def section_class(
    sample: Mapping[str, float | None],
    water_body: WaterBody = "river",
    *,
    items: Iterable[str] | None = None,
    do_saturation: float | None = None,
    equal_limits: EqualLimits = "best",
) -> int | None:
    """The single-factor class of a sample: the worst class of its items (§5.1).

    ``items`` — the items that count (default all classed Table 1 items; the 2011
    method uses its 21 items, :data:`ecoplan.water.standards.evaluation_2011.EVALUATION_ITEMS`).

    >>> section_class({"pH": 7.2, "DO": 6.2, "NH3N": 3.0})
    6
    """
    return worst_class(
        item_classes(
            sample,
            water_body,
            items=items,
            do_saturation=do_saturation,
            equal_limits=equal_limits,
        ).values()
    )


def section_class_array(
    columns: Mapping[str, npt.ArrayLike],
    water_body: WaterBody | npt.ArrayLike = "river",
    *,
    items: Iterable[str] | None = None,
    equal_limits: EqualLimits = "best",
) -> FloatArray:
    """:func:`section_class` vectorised over rows: ``columns`` maps items to aligned
    arrays; the result is the row-wise worst class, NaN where no item has a class."""
    wanted = set(ITEMS if items is None else items)
    unknown = [k for k in columns if k not in ITEMS]
    if unknown:
        raise ValueError(f"unknown GB 3838 Table 1 items: {unknown}")
    classes = [
        item_class_array(item, vals, water_body, equal_limits=equal_limits)
        for item, vals in columns.items()
        if item in wanted
    ]
    if not classes:
        raise ValueError("no evaluable item among the columns")
    stacked = np.vstack([np.atleast_1d(c) for c in classes])
    out = np.full(stacked.shape[1], np.nan)
    has = ~np.all(np.isnan(stacked), axis=0)
    out[has] = np.nanmax(stacked[:, has], axis=0)
    return out
