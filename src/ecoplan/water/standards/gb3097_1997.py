"""GB 3097—1997 海水水质标准: Table 1 (海水水质标准), classes 第一类–第四类 and 劣四类.

The standard's table itself was not read (the stored copies end before 表1:
``52ocean.cn`` forum tid 20773, ``universaldating.net/law/biaozhun/zhiliang/871.html``,
``doc.wtbworld.com/doc/1068015.html`` give the 前言 and §3.1 only). Values and their
labels (:data:`CONFIDENCE`):

- [S×2] — a full transcription in GitHub ``ppp123ZXP/Environmental``
  ``algotirhm/common/standard.py`` (table ``do_cal_hj442``) agreeing with a web copy:
  第二类 in an EIA report quoting the standard (``wanglu.net/thread/t12-172215-3.html``:
  DO > 5, COD ≤ 3, BOD5 ≤ 3, 无机氮 ≤ 0.30, 活性磷酸盐 ≤ 0.03, 石油类 ≤ 0.05) and
  第三/四类 in a standards digest (``ryyc.cn/wenku/rdaac/Q2KN6reGmX``: COD 4/5, 无机氮
  0.4/0.5, 非离子氨 0.02, 活性磷酸盐 0.03/0.045, pH 6.8–8.8);
- [S×1] — the other values, from that transcription only (metals, cyanide, sulfide,
  phenol; pH 7.8–8.5 for 第一、二类, which the EIA copy misprints as 7.5–8.5).

Rules:

- §3.1: 第一类 (海洋渔业水域、海上自然保护区…) to 第四类 (海洋港口水域、海洋开发作业区);
  a value beyond 第四类 is 劣四类 (class 5 here) — the name used by the national
  bulletins for 近岸海域 (e.g. "劣四类海水比例").
- 表1 header: 溶解氧 "＞" (strictly greater, :data:`DO_LIMITS`); the others "≤"; pH a
  range "同时不超出该海域正常变动范围的0.2/0.5 pH单位" (the second clause needs the
  local normal range and is not applied).
- Single factor: a sample's class is its worst item's class (as in GB 3838 §5.1 —
  the 近岸海域 practice; UNCONFIRMED for this standard, no clause read). Where
  classes share a limit the best class is taken (``equal_limits`` like GB 3838).
- 近岸海域水质优良比例 = share of points of 第一、二类 (:func:`good_share`) [S×1: the
  bulletin wording "优良（一、二类）水质面积比例"; UNCONFIRMED whether by point or area].
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
    "CONFIDENCE",
    "DO_LIMITS",
    "ITEMS",
    "ITEM_ZH",
    "LE_LIMITS",
    "PH_RANGES",
    "STANDARD",
    "WORSE_THAN_IV",
    "good_share",
    "item_class",
    "item_class_array",
    "sample_class",
]

#: The standard these tables are from.
STANDARD: Final = "GB 3097—1997"

#: Class 5: 劣四类 (beyond every limit of 第四类).
WORSE_THAN_IV: Final = 5
CLASS_LABELS: Final = ("第一类", "第二类", "第三类", "第四类", "劣四类")

#: 溶解氧 "＞" 6, 5, 4, 3 mg/L (strict).
DO_LIMITS: Final = (6.0, 5.0, 4.0, 3.0)

#: pH ranges (inclusive) of classes 1–4: 第一、二类 7.8–8.5, 第三、四类 6.8–8.8.
PH_RANGES: Final = ((7.8, 8.5), (7.8, 8.5), (6.8, 8.8), (6.8, 8.8))

#: 表1 "≤" limits (mg/L), classes 1–4.
LE_LIMITS: Final[dict[str, tuple[float, float, float, float]]] = {
    "COD": (2, 3, 4, 5),
    "BOD5": (1, 3, 4, 5),
    "DIN": (0.20, 0.30, 0.40, 0.50),  # 无机氮 (以N计)
    "NH3": (0.020, 0.020, 0.020, 0.020),  # 非离子氨 (以N计)
    "PO4P": (0.015, 0.030, 0.030, 0.045),  # 活性磷酸盐 (以P计)
    "Hg": (0.00005, 0.0002, 0.0002, 0.0005),
    "Cd": (0.001, 0.005, 0.010, 0.010),
    "Pb": (0.001, 0.005, 0.010, 0.050),
    "Cr6": (0.005, 0.010, 0.020, 0.050),
    "Cr": (0.05, 0.10, 0.20, 0.50),  # 总铬
    "As": (0.020, 0.030, 0.050, 0.050),
    "Cu": (0.005, 0.010, 0.050, 0.050),
    "Zn": (0.020, 0.050, 0.10, 0.50),
    "Se": (0.010, 0.020, 0.020, 0.050),
    "Ni": (0.005, 0.010, 0.020, 0.050),
    "CN": (0.005, 0.005, 0.10, 0.20),
    "S": (0.02, 0.05, 0.10, 0.25),  # 硫化物 (以S计)
    "Phenol": (0.005, 0.005, 0.010, 0.050),  # 挥发性酚
    "Oil": (0.05, 0.05, 0.30, 0.50),  # 石油类
}

#: Confidence label of each row (module doc).
CONFIDENCE: Final[dict[str, str]] = {
    **{k: "S×1" for k in LE_LIMITS},
    **{k: "S×2" for k in ("COD", "BOD5", "DIN", "NH3", "PO4P", "Oil")},
    "DO": "S×2",
    "pH": "S×1",
}

ITEMS: Final = ("pH", "DO", *LE_LIMITS)

ITEM_ZH: Final[dict[str, str]] = {
    "pH": "pH", "DO": "溶解氧", "COD": "化学需氧量", "BOD5": "五日生化需氧量",
    "DIN": "无机氮", "NH3": "非离子氨", "PO4P": "活性磷酸盐", "Hg": "汞", "Cd": "镉",
    "Pb": "铅", "Cr6": "六价铬", "Cr": "总铬", "As": "砷", "Cu": "铜", "Zn": "锌",
    "Se": "硒", "Ni": "镍", "CN": "氰化物", "S": "硫化物", "Phenol": "挥发性酚",
    "Oil": "石油类",
}  # fmt: skip

FloatArray = npt.NDArray[np.float64]


def item_class_array(item: str, values: npt.ArrayLike) -> FloatArray:
    """Class 1..5 of each value (5 = 劣四类; NaN stays NaN). Raises on an unknown item,
    a negative value or a pH outside 0–14."""
    if item not in ITEMS:
        raise ValueError(f"unknown GB 3097 Table 1 item: {item!r}")
    v = np.asarray(values, dtype=np.float64)
    if np.any(v < 0):
        raise ValueError(f"{item}: negative value")
    if item == "pH":
        if np.any(v > 14):
            raise ValueError("pH outside 0–14")
        cls = np.full(v.shape, float(WORSE_THAN_IV))
        for k in range(len(PH_RANGES), 0, -1):
            lo, hi = PH_RANGES[k - 1]
            cls = np.where((v >= lo) & (v <= hi), float(k), cls)
    elif item == "DO":
        # strict "＞": the first class whose limit the value exceeds
        cls = np.searchsorted(-np.asarray(DO_LIMITS), -v, side="right") + 1.0
    else:
        lim = np.asarray(LE_LIMITS[item], dtype=np.float64)
        cls = np.searchsorted(lim, v, side="left") + 1.0
    out: FloatArray = np.where(np.isnan(v), np.nan, np.minimum(cls, WORSE_THAN_IV))
    return out


def item_class(item: str, value: float | None) -> int | None:
    """Class 1..5 of one value (``None``/NaN → ``None``).

    >>> item_class("DO", 6.0), item_class("DO", 6.01), item_class("DO", 3.0)
    (2, 1, 5)
    >>> item_class("DIN", 0.30), item_class("PO4P", 0.03), item_class("PO4P", 0.046)
    (2, 2, 5)
    """
    if value is None or math.isnan(value):
        return None
    return int(item_class_array(item, [value])[0])


def sample_class(sample: Mapping[str, float | None], *, items: Iterable[str] | None = None) -> int | None:
    """Single-factor class of a sample: its worst item (``None`` when none is present).
    ``items`` restricts the set; unknown keys raise ``ValueError``.

    >>> sample_class({"pH": 8.1, "DO": 6.5, "COD": 1.2, "DIN": 0.35, "PO4P": 0.02})
    3
    """
    unknown = [k for k in sample if k not in ITEMS]
    if unknown:
        raise ValueError(f"unknown GB 3097 Table 1 items: {unknown}")
    wanted = ITEMS if items is None else tuple(items)
    classes = [c for i in wanted if i in sample and (c := item_class(i, sample[i])) is not None]
    return max(classes) if classes else None


def good_share(classes: Iterable[int | None]) -> float:
    """近岸海域水质优良比例: share of 第一、二类 among the classed points (plain count).

    >>> good_share([1, 2, 2, 3, 5])
    0.6
    """
    present = [c for c in classes if c is not None]
    if not present:
        raise ValueError("no classed point")
    if any(c not in (1, 2, 3, 4, 5) for c in present):
        raise ValueError("classes must be 1..5")
    return float(Fraction(sum(1 for c in present if c <= 2), len(present)))
