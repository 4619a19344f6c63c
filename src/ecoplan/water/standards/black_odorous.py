"""Urban black and odorous water: 城市黑臭水体整治工作指南 (2015), ``water-soil.md`` §4.

Sources: the 指南's 表1 as reproduced in 周道静 & 王传胜 2017 (``progressingeography.com``),
the detection rules quoted at ``ahhmxh.com/xwdt/003001/20220413/…``, the C# code of
GitHub ``sm1lewc/Silence.Water`` (``CityService.cs``) [S×3], and a standards digest at
``ryyc.cn/wenku/rdaac/Q2KN6reGmX`` that prints the same 表1 with its footnote
"※水深不足25cm时，透明度指标按水深的40%取值" [R]. The 指南 (2015年8月) "由住房城乡建设部
会同环境保护部、水利部、农业部组织编制" (its 前言, web copies ``m.imdsx.com/news/201509/12/
37367.html`` and ``2011df.com/html/1082439072content_1163455.html`` [R]); its issuing
number (commonly 建城〔2015〕130号) was not read.

表1 (:data:`LIGHT_BAND`, :data:`HEAVY`):

=========================  ================  ==========
indicator                  轻度黑臭           重度黑臭
=========================  ================  ==========
透明度 SD (cm)             25 ~ 10 ※          < 10 ※
溶解氧 DO (mg/L)           0.2 ~ 2.0          < 0.2
氧化还原电位 ORP (mV)      −200 ~ 50          < −200
氨氮 NH3N (mg/L)           8.0 ~ 15           > 15
=========================  ================  ==========

Judgment (ahhmxh, quoting the 指南): a point is 重度黑臭 when one indicator has ≥ 60 %
of its results at the 重度 level, or two or more indicators have ≥ 30 %; otherwise
轻度黑臭. A water body: 3 or more consecutive 重度 points make that reach 重度; ≥ 60 %
重度 points make the whole water body 重度 [S×1]. At least 3 points and 3 samplings.

Options for rules the spec marks UNCONFIRMED (§10 item 11), with the spec's defaults:

- band edges: 重度 is strict (SD < 10 …), the 轻度 band includes both ends;
- ``shallow_factor=0.4`` — below 25 cm of water the SD thresholds are 40 % of the depth
  (the footnote [R]; how it applies is read from the Silence.Water code: the 重度
  threshold becomes 0.4 × depth, and the 轻度 bound 25 cm becomes the depth itself);
- ``single_share=0.6``, ``pair_share=0.3`` — "以上" read as inclusive (≥);
- ``run_length=3``, ``whole_share=0.6`` — the water-body rule, inclusive;
- a point whose every result is below the 轻度 level is ``"none"`` (not black-odorous) —
  a design choice: the 指南's rule grades bodies already identified, and the
  elimination of a body (:func:`eliminated`) is read as "no point black-odorous".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "BODY_VERDICTS",
    "BODY_VERDICT_EN",
    "BODY_VERDICT_ZH",
    "GRADES",
    "GRADE_EN",
    "GRADE_ZH",
    "GUIDE",
    "HEAVY",
    "INDICATORS",
    "LEVELS",
    "LIGHT_BAND",
    "BodyVerdict",
    "PointGrade",
    "body_verdict",
    "eliminated",
    "elimination_ratio",
    "levels",
    "point_grade",
]

#: The guide these rules are from.
GUIDE: Final = "城市黑臭水体整治工作指南（2015）"

#: The four indicators: 透明度 (cm), 溶解氧 (mg/L), 氧化还原电位 (mV), 氨氮 (mg/L).
INDICATORS: Final = ("SD", "DO", "ORP", "NH3N")

#: Per-result levels: 0 below the 轻度 band, 1 轻度, 2 重度.
LEVELS: Final = ("none", "light", "heavy")

#: 表1 重度 thresholds: SD, DO, ORP below; NH3N above (strict).
HEAVY: Final[dict[str, float]] = {"SD": 10.0, "DO": 0.2, "ORP": -200.0, "NH3N": 15.0}

#: 表1 轻度 bands (both ends inclusive).
LIGHT_BAND: Final[dict[str, tuple[float, float]]] = {
    "SD": (10.0, 25.0),
    "DO": (0.2, 2.0),
    "ORP": (-200.0, 50.0),
    "NH3N": (8.0, 15.0),
}

#: Depth (cm) below which the SD footnote applies.
SHALLOW_DEPTH_CM: Final = 25.0

#: Point grades.
GRADES: Final = ("none", "light", "heavy")
GRADE_ZH: Final = ("非黑臭", "轻度黑臭", "重度黑臭")
GRADE_EN: Final = ("not black-odorous", "lightly black-odorous", "heavily black-odorous")

#: Water-body verdicts.
BODY_VERDICTS: Final = ("heavy_whole", "by_point")
BODY_VERDICT_ZH: Final = ("整体重度黑臭", "非整体重度(按点位/区段分级)")
BODY_VERDICT_EN: Final = ("heavily black-odorous as a whole", "graded by point and reach")

FloatArray = npt.NDArray[np.float64]


def _sd_thresholds(depth_cm: float | None, shallow_factor: float) -> tuple[float, float]:
    """(重度 threshold, 轻度 upper bound) of SD for a water depth."""
    if depth_cm is None or depth_cm >= SHALLOW_DEPTH_CM:
        return HEAVY["SD"], LIGHT_BAND["SD"][1]
    if depth_cm <= 0:
        raise ValueError(f"water depth must be > 0 cm, got {depth_cm!r}")
    return shallow_factor * depth_cm, depth_cm


def levels(
    indicator: str,
    values: npt.ArrayLike,
    *,
    depth_cm: float | None = None,
    shallow_factor: float = 0.4,
) -> npt.NDArray[np.int64]:
    """The level of each result (0 none, 1 轻度, 2 重度; :data:`LEVELS`) per 表1.

    Raises ``ValueError`` for an unknown indicator, NaN, a negative SD, DO or NH3-N
    (ORP may be negative).

    >>> levels("DO", [0.1, 0.2, 2.0, 2.1]).tolist()
    [2, 1, 1, 0]
    >>> levels("SD", [9.9, 10, 25, 25.1]).tolist()
    [2, 1, 1, 0]
    """
    if indicator not in INDICATORS:
        raise ValueError(f"unknown black-odour indicator: {indicator!r}")
    v = np.asarray(values, dtype=np.float64)
    if np.any(np.isnan(v)):
        raise ValueError(f"{indicator}: missing value")
    if indicator != "ORP" and np.any(v < 0):
        raise ValueError(f"{indicator}: negative value")
    lo, hi = LIGHT_BAND[indicator]
    if indicator == "SD":
        heavy_at, hi = _sd_thresholds(depth_cm, shallow_factor)
        lo = min(lo, heavy_at)
        heavy = v < heavy_at
        light = (v >= lo) & (v <= hi)
    elif indicator == "NH3N":
        heavy = v > HEAVY[indicator]
        light = (v >= lo) & (v <= hi)
    else:
        heavy = v < HEAVY[indicator]
        light = (v >= lo) & (v <= hi)
    return np.where(heavy, 2, np.where(light, 1, 0)).astype(np.int64)


@dataclass(frozen=True)
class PointGrade:
    """A point's share of 重度 results per indicator and its grade (:data:`GRADES`)."""

    heavy_share: dict[str, float]
    grade: str


def point_grade(
    series: Mapping[str, npt.ArrayLike],
    *,
    depth_cm: float | None = None,
    shallow_factor: float = 0.4,
    single_share: float = 0.6,
    pair_share: float = 0.3,
    min_samples: int = 3,
) -> PointGrade:
    """The grade of one detection point from its results per indicator.

    重度 when one indicator has ≥ ``single_share`` of its results at the 重度 level or
    at least two indicators have ≥ ``pair_share``; else 轻度 when any result reaches
    the 轻度 level; else ``"none"``. Fewer than ``min_samples`` results of an
    indicator raise ``ValueError`` (the 指南 asks for at least 3 samplings).

    >>> point_grade({"DO": [0.1, 0.15, 0.05, 0.6, 0.12], "SD": [9, 14, 18, 20, 16]}).grade
    'heavy'
    """
    unknown = [k for k in series if k not in INDICATORS]
    if unknown:
        raise ValueError(f"unknown black-odour indicators: {unknown}")
    if not series:
        raise ValueError("no indicator given")
    shares: dict[str, float] = {}
    exact: dict[str, Fraction] = {}
    any_level = False
    for ind in INDICATORS:
        if ind not in series:
            continue
        lv = levels(ind, series[ind], depth_cm=depth_cm, shallow_factor=shallow_factor)
        n = int(lv.size)
        if n < max(min_samples, 1):
            raise ValueError(f"{ind}: {n} results, the guide asks for at least {min_samples}")
        exact[ind] = Fraction(int(np.count_nonzero(lv == 2)), n)
        shares[ind] = float(exact[ind])
        any_level = any_level or bool(np.any(lv > 0))
    single = Fraction(str(single_share))
    pair = Fraction(str(pair_share))
    heavy = any(s >= single for s in exact.values()) or sum(1 for s in exact.values() if s >= pair) >= 2
    grade = "heavy" if heavy else ("light" if any_level else "none")
    return PointGrade(shares, grade)


@dataclass(frozen=True)
class BodyVerdict:
    """A water body from its points in order along it: the share of 重度 points, the
    runs of ≥ ``run_length`` consecutive 重度 points (1-based, inclusive) and the
    verdict (:data:`BODY_VERDICTS`)."""

    heavy_point_share: float
    heavy_runs: list[tuple[int, int]]
    verdict: str


def body_verdict(
    point_grades_in_order: Sequence[str],
    *,
    run_length: int = 3,
    whole_share: float = 0.6,
    min_points: int = 3,
) -> BodyVerdict:
    """The water-body rule: ≥ ``whole_share`` of the points 重度 → the whole body is
    重度黑臭; runs of ≥ ``run_length`` consecutive 重度 points are 重度 reaches.
    Grades are codes of :data:`GRADES` (or their zh words). Fewer than ``min_points``
    points raise ``ValueError`` (the 指南 asks for at least 3).

    >>> body_verdict(["heavy", "heavy", "heavy", "light", "heavy"]).verdict
    'heavy_whole'
    """
    codes = [_grade_code(g) for g in point_grades_in_order]
    n = len(codes)
    if n < max(min_points, 1):
        raise ValueError(f"{n} points, the guide asks for at least {min_points}")
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for i, g in enumerate([*codes, "end"]):
        if g == "heavy" and start is None:
            start = i
        elif g != "heavy" and start is not None:
            if i - start >= run_length:
                runs.append((start + 1, i))
            start = None
    share = Fraction(sum(1 for g in codes if g == "heavy"), n)
    verdict = "heavy_whole" if share >= Fraction(str(whole_share)) else "by_point"
    return BodyVerdict(float(share), runs, verdict)


def _grade_code(g: str) -> str:
    if g in GRADES:
        return g
    if g in GRADE_ZH:
        return GRADES[GRADE_ZH.index(g)]
    raise ValueError(f"not a black-odour grade: {g!r}")


def eliminated(point_grades: Sequence[str]) -> bool:
    """A listed water body counts as eliminated when none of its points is black-odorous
    (every point ``"none"``) — design choice, see the module doc."""
    codes = [_grade_code(g) for g in point_grades]
    if not codes:
        raise ValueError("a water body needs its points")
    return all(c == "none" for c in codes)


def elimination_ratio(eliminated_flags: Sequence[bool]) -> float:
    """黑臭水体消除比例: eliminated bodies ÷ listed bodies (plain count).

    >>> elimination_ratio([True, True, False, True])
    0.75
    """
    if not eliminated_flags:
        raise ValueError("the water-body list is empty")
    return float(Fraction(sum(1 for f in eliminated_flags if f), len(eliminated_flags)))
