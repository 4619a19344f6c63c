"""《地表水环境质量评价办法（试行）》(环办〔2011〕22号), as ``water-soil.md`` §2 distills it.

- §一 evaluation items: GB 3838—2002 Table 1 minus 水温、总氮、粪大肠菌群 = 21 items,
  for rivers and lakes alike (:data:`EVALUATION_ITEMS`) [S×4: also a training quiz on
  the 办法 in the page index, no address stored: "表1中除水温、总氮、粪大肠菌群以外的
  21项指标"]; 水温, 总氮 and 粪大肠菌群 are reference indicators reported beside the class
  (:func:`reference_classes`): "水温、总氮、粪大肠菌群作为参考指标单独评价，不参与水质类别评价",
  as an official source report restates the 办法 (Wenshan 2021, ``ynwss.gov.cn/info/
  2421/84625.htm``) [S×1; the 办法's own sentence not read]; a river's TN has no class
  ("总氮不做评价" in a 2018 county report), a lake's TN is classed with Table 1 row 9
  but kept out of the class.
- §二(一)1 period statistics: the arithmetic mean of the valid values of the period,
  classed afterwards (:func:`period_mean`).
- §二(一)1 section class: single-factor, the worst item (:func:`section_class`).
- §二(一)2 qualitative grade of a section: Ⅰ–Ⅱ 优, Ⅲ 良好, Ⅳ 轻度污染, Ⅴ 中度污染,
  劣Ⅴ 重度污染 (:data:`GRADE_ZH`) [S×2].
- §二(一)2 rivers/basins: < 5 sections → class of the item means over sections;
  ≥ 5 sections → 断面水质类别比例法 on the share of Ⅰ–Ⅲ and of 劣Ⅴ sections
  (:func:`river_grade`) [S×3].
- §二(二) lakes/reservoirs: mean over time per point, then over points, then
  single-factor with the lake TP row (:func:`mean_class`) [R].
- §二(一)3 main pollutants: items worse than Ⅲ, ranked by class then by the
  exceedance multiple ``(C − C_Ⅲ)/C_Ⅲ``, at most three; 氰化物 and heavy metals first;
  no multiple for 水温, pH and 溶解氧 (:func:`main_pollutants`) [R].

Options for rules the spec marks UNCONFIRMED (§10), each with the spec's default:

- ``heavy_metal_priority="first"`` and ``priority_items=PRIORITY_ITEMS`` — whether the
  "优先作为主要污染指标" rule overrides the class order, and which metals "等重金属"
  covers (CN, Pb, Cr named [R]; Hg, Cd, As, Cu, Zn, Se UNCONFIRMED) (§10 item 5);
- ``unmultiplied="last"`` — pH/DO (no multiple) rank after the items of their class
  that carry a multiple (tie rule, §10 item 5);
- ``severe_below=0.75`` — the 重度污染 row of the share table: "p₁₃ < 75 %" (S4, no gap)
  vs "p₁₃ < 60 %" (code of S7; leaves p₁₃ = 60 %, p₆ = 40 % ungraded) (§10 item 4);
- ``min_count=1`` and the non-detect factor ``nd_factor=0.5`` of :func:`period_mean`
  (minimum number of values; ½ × detection limit) (§10 item 3);
- ``rounding="none"`` — whether concentrations are rounded before classing; the
  CNEMC automatic-station practice (§2.8, verified on 8,552 rows [E]) is
  ``"cnemc_autostation"`` (GB/T 8170 half-to-even, :data:`CNEMC_AUTOSTATION_DIGITS`);
- ``equal_limits="best"`` of :mod:`.gb3838_2002` (§10 item 1), passed through.

Not in the 办法 (so the options above stay options): a 2016 review of its use
(《环境监测管理与技术》2016(6), copy at ``meizhang.com/nongyezazhi/hjjcglyjszz/701956.html``)
asks to add "数据修约方式、检出限以下测值的评价方法及水质类别不同而标准限值相同的指标评价方法" —
i.e. the 办法 fixes neither rounding, nor non-detects, nor the shared-limit class. The
same quiz gives the 劣Ⅴ colour as 红 (the other colour names stay UNCONFIRMED).

The exceedance multiple is kept at full precision; :func:`format_multiple` displays it
with one decimal, half to even (the 办法's example "高锰酸盐指数(1.2)"; the rounding
rule is UNCONFIRMED, §10 item 6).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from ecoplan.core.rounding import round_half_even
from ecoplan.water.standards import gb3838_2002 as gb
from ecoplan.water.standards.gb3838_2002 import EqualLimits, WaterBody

__all__ = [
    "CNEMC_AUTOSTATION_DIGITS",
    "CNEMC_AUTOSTATION_ITEMS",
    "CNEMC_COLOR_HEX",
    "EVALUATION_ITEMS",
    "GRADE_CODES",
    "GRADE_EN",
    "GRADE_ZH",
    "MAX_MAIN_POLLUTANTS",
    "METHOD",
    "NO_MULTIPLE",
    "PRIORITY_ITEMS",
    "REFERENCE_ITEMS",
    "SHARE_METHOD_MIN_SECTIONS",
    "MainPollutant",
    "RiverGrade",
    "exceedance_multiple",
    "exceedance_multiple_array",
    "format_main_pollutants",
    "format_multiple",
    "grade",
    "item_classes",
    "main_pollutants",
    "mean_class",
    "period_mean",
    "reference_classes",
    "river_grade",
    "round_cnemc",
    "section_class",
]

#: The method these rules are from.
METHOD: Final = "地表水环境质量评价办法（试行）（环办〔2011〕22号）"

#: §一: the 21 evaluation items — Table 1 minus 水温、总氮、粪大肠菌群 [S×3].
EVALUATION_ITEMS: Final = tuple(i for i in gb.ITEMS if i not in ("WT", "TN", "FC"))

#: Reference indicators reported separately, not in the class (UNCONFIRMED wording).
REFERENCE_ITEMS: Final = ("WT", "TN", "FC")

#: §二(一)3: "对于水温、pH值和溶解氧等项目不计算超标倍数" [R].
NO_MULTIPLE: Final = frozenset({"WT", "pH", "DO"})

#: §二(一)3: "当氰化物或铅、铬等重金属超标时，优先作为主要污染指标". CN, Pb, Cr named
#: [R]; the other heavy metals (Hg, Cd, As, Cu, Zn, Se) are UNCONFIRMED members.
PRIORITY_ITEMS: Final = frozenset({"CN", "Pb", "Cr6", "Hg", "Cd", "As", "Cu", "Zn", "Se"})

#: §二(一)3: at most three main pollutants ("前三项").
MAX_MAIN_POLLUTANTS: Final = 3

#: §二(一)2: the share method applies from 5 sections ("少于5个" → means) [S×2].
SHARE_METHOD_MIN_SECTIONS: Final = 5

#: 水质状况 of a section by class 1..6 as codes (words ``water.grade.<code>``) [S×2].
GRADE_CODES: Final = ("excellent", "excellent", "good", "light", "moderate", "severe")

#: 水质状况 of a section by class 1..6, the method's own terms [S×2].
GRADE_ZH: Final = ("优", "优", "良好", "轻度污染", "中度污染", "重度污染")
GRADE_EN: Final = (
    "excellent",
    "excellent",
    "good",
    "slightly polluted",
    "moderately polluted",
    "heavily polluted",
)

#: Cell colours of classes 1..6 on the CNEMC publication page [E] (the 办法's own
#: colour names are UNCONFIRMED).
CNEMC_COLOR_HEX: Final = ("#CCFFFF", "#00CCFF", "#00FF00", "#FFFF00", "#FF9B00", "#FF0000")

#: §2.8 [E]: the five items classed by the CNEMC automatic stations.
CNEMC_AUTOSTATION_ITEMS: Final = ("pH", "DO", "CODMn", "NH3N", "TP")

#: §2.8 [E]: decimals of the printed values of the 2025 snapshots (TN printed, not
#: classed). The 2026 snapshots print pH, DO, CODMn with 2 and NH3-N with 3 decimals.
CNEMC_AUTOSTATION_DIGITS: Final[dict[str, int]] = {
    "pH": 0,
    "DO": 1,
    "CODMn": 1,
    "NH3N": 2,
    "TP": 3,
    "TN": 2,
}

Rounding = Literal["none", "cnemc_autostation"]
FloatArray = npt.NDArray[np.float64]


def grade(cls: int | None, lang: Literal["zh", "en"] = "zh") -> str | None:
    """水质状况 of a class 1..6 (``None`` stays ``None``).

    >>> grade(2), grade(3), grade(6, "en")
    ('优', '良好', 'heavily polluted')
    """
    if cls is None:
        return None
    if not 1 <= cls <= gb.WORSE_THAN_V:
        raise ValueError(f"class must be 1..6, got {cls!r}")
    return (GRADE_ZH if lang == "zh" else GRADE_EN)[cls - 1]


def round_cnemc(
    sample: Mapping[str, float | None], digits: Mapping[str, int] | None = None
) -> dict[str, float | None]:
    """The sample with the printed roundings of the CNEMC automatic stations (GB/T 8170
    half to even on the decimal value, §2.8 [E]); other items unchanged.

    >>> round_cnemc({"pH": 8.6, "NH3N": 0.025, "TP": 0.02047})
    {'pH': 9.0, 'NH3N': 0.02, 'TP': 0.02}
    """
    d = CNEMC_AUTOSTATION_DIGITS if digits is None else digits
    return {k: (round_half_even(v, d[k]) if k in d and v is not None else v) for k, v in sample.items()}


def _prepared(sample: Mapping[str, float | None], rounding: Rounding) -> Mapping[str, float | None]:
    if rounding == "cnemc_autostation":
        return round_cnemc(sample)
    if rounding != "none":
        raise ValueError(f"rounding must be 'none' or 'cnemc_autostation', got {rounding!r}")
    return sample


def item_classes(
    sample: Mapping[str, float | None],
    water_body: WaterBody = "river",
    *,
    items: Iterable[str] = EVALUATION_ITEMS,
    rounding: Rounding = "none",
    equal_limits: EqualLimits = "best",
) -> dict[str, int]:
    """The class of each evaluation item present in ``sample`` (reference items
    excluded; see :func:`reference_classes`)."""
    return gb.item_classes(_prepared(sample, rounding), water_body, items=items, equal_limits=equal_limits)


def section_class(
    sample: Mapping[str, float | None],
    water_body: WaterBody = "river",
    *,
    items: Iterable[str] = EVALUATION_ITEMS,
    rounding: Rounding = "none",
    equal_limits: EqualLimits = "best",
) -> int | None:
    """§二(一)1: a section's class = the worst class of its evaluation items present;
    ``None`` when none is present. For the CNEMC station class pass
    ``items=CNEMC_AUTOSTATION_ITEMS, rounding="cnemc_autostation"``.

    >>> section_class({"pH": 7.0, "DO": 7.1, "CODMn": 3.8, "NH3N": 2.87, "TP": 0.18})
    6
    """
    return gb.worst_class(
        item_classes(sample, water_body, items=items, rounding=rounding, equal_limits=equal_limits).values()
    )


def reference_classes(sample: Mapping[str, float | None], water_body: WaterBody = "river") -> dict[str, int]:
    """Classes of the reference indicators, reported beside the section class: 粪大肠菌群
    always, 总氮 for lakes/reservoirs only (a river's TN has no class); 水温 never."""
    return gb.item_classes(sample, water_body, items=REFERENCE_ITEMS)


def exceedance_multiple(item: str, value: float, water_body: WaterBody = "river") -> float | None:
    """超标倍数 ``(C − C_Ⅲ) / C_Ⅲ`` against the Ⅲ limit of the water body's Table 1 row
    (§二(一)3 [R]); positive exactly when ``C`` exceeds Ⅲ, negative below it.
    ``None`` for 水温, pH and 溶解氧 (no multiple) and for items without a class here.

    >>> round(exceedance_multiple("TP", 0.08, "lake"), 4), exceedance_multiple("DO", 2.5)
    (0.6, None)
    """
    key = gb.row(item, water_body)
    if item in NO_MULTIPLE or key is None:
        return None
    if value < 0 or math.isnan(value):
        raise ValueError(f"{item}: not a concentration: {value!r}")
    # exact on the decimals (1.85 → 0.85, not 0.8500000000000001), so that the
    # half-even display of :func:`format_multiple` sees the true value
    s3 = Decimal(repr(float(gb.LE_LIMITS[key][2])))
    return float((Decimal(repr(float(value))) - s3) / s3)


def exceedance_multiple_array(
    item: str, values: npt.ArrayLike, water_body: WaterBody = "river"
) -> FloatArray:
    """:func:`exceedance_multiple` vectorised (NaN where there is none), in floating
    point: within a few ulps of the exact scalar value, with the same sign."""
    v = np.asarray(values, dtype=np.float64)
    key = gb.row(item, water_body)
    if item in NO_MULTIPLE or key is None:
        return np.full(v.shape, np.nan)
    if np.any(v < 0):
        raise ValueError(f"{item}: negative concentration")
    s3 = gb.LE_LIMITS[key][2]
    out: FloatArray = (v - s3) / s3
    return out


@dataclass(frozen=True)
class MainPollutant:
    """A main pollutant: the item, its class and its multiple (``None`` for pH/DO)."""

    item: str
    cls: int
    multiple: float | None


def main_pollutants(
    sample: Mapping[str, float | None],
    water_body: WaterBody = "river",
    *,
    items: Iterable[str] = EVALUATION_ITEMS,
    n: int = MAX_MAIN_POLLUTANTS,
    heavy_metal_priority: Literal["first", "off"] = "first",
    priority_items: Iterable[str] = PRIORITY_ITEMS,
    unmultiplied: Literal["last", "first"] = "last",
    rounding: Rounding = "none",
    equal_limits: EqualLimits = "best",
) -> list[MainPollutant]:
    """§二(一)3 主要污染指标 of a section: none when the section is Ⅰ–Ⅲ (优/良好);
    otherwise the items worse than Ⅲ, worst class first, within a class the larger
    multiple first (items without a multiple — pH, DO — after them with
    ``unmultiplied="last"``), at most ``n``. With ``heavy_metal_priority="first"``
    the exceeding members of ``priority_items`` come before all others, ranked the
    same way among themselves. Both options are UNCONFIRMED (module doc).

    >>> [(p.item, round(p.multiple, 2)) for p in main_pollutants(
    ...     {"pH": 7.2, "CODMn": 16.0, "NH3N": 3.0, "TP": 0.5, "Cd": 0.008})]
    [('Cd', 0.6), ('NH3N', 2.0), ('CODMn', 1.67)]
    """
    if heavy_metal_priority not in ("first", "off"):
        raise ValueError(f"heavy_metal_priority must be 'first' or 'off': {heavy_metal_priority!r}")
    s = _prepared(sample, rounding)
    classes = gb.item_classes(s, water_body, items=items, equal_limits=equal_limits)
    prio = frozenset(priority_items) if heavy_metal_priority == "first" else frozenset()
    found: list[MainPollutant] = []
    for item, cls in classes.items():
        if cls <= 3:
            continue
        value = s[item]
        assert value is not None  # classed → present
        found.append(MainPollutant(item, cls, exceedance_multiple(item, value, water_body)))

    def key(p: MainPollutant) -> tuple[int, int, int, float]:
        # within a class: items without a multiple after (``last``) or before the others
        after = (p.multiple is None) == (unmultiplied == "last")
        return (
            0 if p.item in prio else 1,
            -p.cls,
            1 if after else 0,
            -(p.multiple if p.multiple is not None else 0.0),
        )

    return sorted(found, key=key)[:n]


def format_multiple(multiple: float | None, digits: int = 1) -> str | None:
    """A multiple for display, half to even (one decimal by default)."""
    if multiple is None:
        return None
    r = round_half_even(multiple, digits)
    return None if r is None else f"{r:.{digits}f}"


def format_main_pollutants(pollutants: Sequence[MainPollutant], digits: int = 1) -> str:
    """The 办法's notation, e.g. ``"氨氮(0.8)、总磷(0.8)、溶解氧"``."""
    parts = []
    for p in pollutants:
        m = format_multiple(p.multiple, digits)
        parts.append(gb.ITEM_ZH[p.item] + (f"({m})" if m is not None else ""))
    return "、".join(parts)


def period_mean(
    values: npt.ArrayLike,
    *,
    nondetect: npt.ArrayLike | None = None,
    detection_limit: float | npt.ArrayLike | None = None,
    nd_factor: float = 0.5,
    min_count: int = 1,
) -> float:
    """§二(一)1 the period value: the arithmetic mean of the valid values (NaN = no
    value). A value flagged in ``nondetect`` counts as ``nd_factor × detection_limit``
    (default ½ DL — UNCONFIRMED design choice, spec §2.2); fewer than ``min_count``
    valid values give NaN (the minimum is UNCONFIRMED; default 1).

    >>> round(period_mean([0.62, 0.85, 1.40, 1.10]), 6)
    0.9925
    """
    v = np.asarray(values, dtype=np.float64).copy()
    if np.any(v < 0):
        raise ValueError("negative concentration")
    if nondetect is not None:
        nd = np.asarray(nondetect, dtype=bool)
        if detection_limit is None:
            raise ValueError("non-detects need a detection limit")
        dl = np.broadcast_to(np.asarray(detection_limit, dtype=np.float64), v.shape)
        v[nd] = nd_factor * dl[nd]
    valid = v[~np.isnan(v)]
    if valid.size < max(min_count, 1):
        return math.nan
    return float(valid.mean())


def mean_class(
    samples: Sequence[Mapping[str, float | None]],
    water_body: WaterBody = "river",
    *,
    items: Iterable[str] = EVALUATION_ITEMS,
    equal_limits: EqualLimits = "best",
) -> tuple[int | None, dict[str, float]]:
    """§二(一)2 river with fewer than 5 sections, §二(二)2 lake with several points:
    the arithmetic mean of each item over the samples (those that have it), then the
    single-factor class of the means. Returns ``(class, means)``. For several times
    and points, pass the per-point time means (:func:`period_mean`) first."""
    wanted = tuple(items)
    means: dict[str, float] = {}
    for item in wanted:
        vals = [v for s in samples if (v := s.get(item)) is not None and not math.isnan(v)]
        if vals:
            means[item] = period_mean(vals)
    sample: dict[str, float | None] = dict(means)
    cls = gb.section_class(sample, water_body, items=wanted, equal_limits=equal_limits)
    return cls, means


@dataclass(frozen=True)
class RiverGrade:
    """A river/basin graded by section shares: p₁₃, p₆ and the 水质状况 (``None`` when
    the chosen rule leaves the case ungraded)."""

    sections: int
    share_i_iii: float
    share_worse_v: float
    status: str | None


def river_grade(section_classes: Iterable[int | str], *, severe_below: float = 0.75) -> RiverGrade:
    """§二(一)2 断面水质类别比例法 (rivers, basins, regions with ≥ 5 sections):

    ===========================================  ========
    p₁₃ ≥ 90 %                                   优
    75 % ≤ p₁₃ < 90 %                            良好
    p₁₃ < 75 % and p₆ < 20 %                     轻度污染
    p₁₃ < 75 % and 20 % ≤ p₆ < 40 %              中度污染
    p₁₃ < ``severe_below`` and p₆ ≥ 40 %         重度污染
    ===========================================  ========

    p₁₃ = share of Ⅰ–Ⅲ sections, p₆ = share of 劣Ⅴ sections (plain counts). Classes
    as 1..6 or labels. ``severe_below=0.6`` gives the reading of the code of S7
    (UNCONFIRMED which is the 办法's); it leaves p₁₃ ≥ 60 %, p₆ ≥ 40 % ungraded.
    Raises ``ValueError`` below 5 sections (use :func:`mean_class`).

    >>> river_grade(["Ⅲ"] * 6 + ["劣Ⅴ"] * 4).status
    '重度污染'
    >>> river_grade(["Ⅲ"] * 6 + ["劣Ⅴ"] * 4, severe_below=0.6).status is None
    True
    """
    cls = np.asarray(
        [c if isinstance(c, int) else gb.parse_class(c) for c in section_classes], dtype=np.int64
    )
    if np.any((cls < 1) | (cls > gb.WORSE_THAN_V)):
        raise ValueError("classes must be 1..6")
    n = int(cls.size)
    if n < SHARE_METHOD_MIN_SECTIONS:
        raise ValueError(f"the share method needs ≥ 5 sections, got {n}")
    # exact shares (no float edge at 90 %, 75 %, 20 %, 40 %)
    p13 = Fraction(int(np.count_nonzero(cls <= 3)), n)
    p6 = Fraction(int(np.count_nonzero(cls == gb.WORSE_THAN_V)), n)
    status: str | None
    if p13 >= Fraction(9, 10):
        status = "优"
    elif p13 >= Fraction(3, 4):
        status = "良好"
    elif p6 < Fraction(1, 5):
        status = "轻度污染"
    elif p6 < Fraction(2, 5):
        status = "中度污染"
    elif p13 < Fraction(str(severe_below)):
        status = "重度污染"
    else:
        status = None
    return RiverGrade(n, float(p13), float(p6), status)
