"""Centralised drinking-water sources (集中式生活饮用水地表水源地): GB 3838—2002 Tables 2
and 3, and the attainment rule behind 集中式饮用水水源地水质达标率 (``water-soil.md`` §1, §6).

- 表2 集中式生活饮用水地表水源地补充项目标准限值 (5 items, mg/L) [P]: read in the scanned
  standard (S1 of the spec) and again in GitHub ``thincen/WorkHelper``
  ``bin/template/stdTpl/sur.csv`` and ``sm1lewc/Silence.Water``
  ``Silence.Water/SurfaceWater/Data/GB_3838_2002.json`` (:data:`TABLE2_LIMITS`).
- 表3 集中式生活饮用水地表水源地特定项目标准限值 (80 items, mg/L): the Silence.Water
  transcription (commit 907c6d3) for all 80; items 1–19 and 21–39 agree with a web
  reproduction of the table (``tezngx.com/yggc/43955.htm``, stored copy cut after item
  39) [S×2]; 甲苯 (item 20, cut in that copy) and items 40–80 are [S×1]
  (:data:`TABLE3_LIMITS`, :data:`TABLE3_CONFIDENCE`). §5.3 [P] and the 前言 [R,
  ``eadiag.com/news_detail/246.html``]: Table 3 items are selected by the local
  authority ("根据本地区地表水水质特点和环境管理的需要进行选择") — the caller names them
  (``table3_items``).
- §5.3 [P]: a source is evaluated on Table 1 + Table 2 + the selected Table 3 items.
  Attainment [S×4: official monthly source reports — Quzhou 2016-06
  (``360docs.net/doc/761761476.html``), Hunan 2022-10 (a mirror of the 湖南省生态环境厅
  page, ``prpwpmw.cn/sthjt/xxgk/zdly/hjjc/hjzl/shjzl/yys/202303/t20230323_29289907.html``),
  Wenshan 2021 Q1 (``ynwss.gov.cn/info/2421/84625.htm``); the ``thincen/WorkHelper``
  README]: "基本项目按照《地表水环境质量评价办法（试行）》进行评价（水温、总氮、粪大肠菌群作为
  参考指标单独评价，不参与水质类别评价），补充项目、特定项目采用单因子评价法" against the Ⅲ
  class: Table 1 at or better than Ⅲ and no Table 2 or selected Table 3 item above its
  limit. Reference items (:data:`REFERENCE_ITEMS`) are reported beside the verdict.
- Table 1 items: the recent reports monitor "表1的基本项目（23项，化学需氧量除外）" and
  class "按照20项基本指标" (Hunan 2022, Wenshan 2021, a 2018 county report) [S×3] — the
  2011 method's 21 items without COD (:data:`SOURCE_ITEMS`, the default ``items``).
  The spec (§6) says the 21 items; the Quzhou 2016 report still monitored COD. Pass
  ``items=evaluation_2011.EVALUATION_ITEMS`` for that reading.
- 达标率 [S×2: Quzhou 2016, Jinyun 2016 Q2 in the page index]: by count (sources
  meeting ÷ sources monitored) and by volume ("实际取水量…达标水量…水量达标率")
  (:func:`rates`).

Options for rules the spec marks UNCONFIRMED (§10 item 15):

- ``rule="mean"`` of :func:`attains_period` — a period (year) attains when its item
  means (:func:`ecoplan.water.standards.evaluation_2011.period_mean`) attain, as the
  2011 method classes period means; ``"every_sample"`` asks every sample to attain.
- ``target_class=3`` — the Table 1 bar (Ⅲ; a source zoned Ⅱ may pass ``2``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Final, Literal

from ecoplan.water.standards import evaluation_2011 as ev
from ecoplan.water.standards import gb3838_2002 as gb

__all__ = [
    "CONFIDENCE",
    "REFERENCE_ITEMS",
    "SOURCE_ITEMS",
    "TABLE2_LIMITS",
    "TABLE2_ZH",
    "TABLE3_CONFIDENCE",
    "TABLE3_LIMITS",
    "Attainment",
    "Rates",
    "SourceType",
    "attains",
    "attains_period",
    "rates",
]

#: ``"river"`` (河流型) or ``"lake"`` (湖库型) source.
SourceType = Literal["river", "lake"]

#: 表2 (mg/L), single limits [P].
TABLE2_LIMITS: Final[dict[str, float]] = {
    "SO4": 250.0,  # 硫酸盐 (以SO4 2-计)
    "Cl": 250.0,  # 氯化物 (以Cl-计)
    "NO3N": 10.0,  # 硝酸盐 (以N计)
    "Fe": 0.3,
    "Mn": 0.1,
}
TABLE2_ZH: Final[dict[str, str]] = {"SO4": "硫酸盐", "Cl": "氯化物", "NO3N": "硝酸盐", "Fe": "铁", "Mn": "锰"}

#: 表3 (mg/L), keyed by the table's item names [S×1, Silence.Water].
TABLE3_LIMITS: Final[dict[str, float]] = {
    "三氯甲烷": 0.06,
    "四氯化碳": 0.002,
    "三溴甲烷": 0.1,
    "二氯甲烷": 0.02,
    "1,2-二氯乙烷": 0.03,
    "环氧氯丙烷": 0.02,
    "氯乙烯": 0.005,
    "1,1-二氯乙烯": 0.03,
    "1,2-二氯乙烯": 0.05,
    "三氯乙烯": 0.07,
    "四氯乙烯": 0.04,
    "氯丁二烯": 0.002,
    "六氯丁二烯": 0.0006,
    "苯乙烯": 0.02,
    "甲醛": 0.9,
    "乙醛": 0.05,
    "丙烯醛": 0.1,
    "三氯乙醛": 0.01,
    "苯": 0.01,
    "甲苯": 0.7,
    "乙苯": 0.3,
    "二甲苯": 0.5,
    "异丙苯": 0.25,
    "氯苯": 0.3,
    "1,2-二氯苯": 1.0,
    "1,4-二氯苯": 0.3,
    "三氯苯": 0.02,
    "四氯苯": 0.02,
    "六氯苯": 0.05,
    "硝基苯": 0.017,
    "二硝基苯": 0.5,
    "2,4-二硝基甲苯": 0.0003,
    "2,4,6-三硝基甲苯": 0.5,
    "硝基氯苯": 0.05,
    "2,4-二硝基氯苯": 0.5,
    "2,4-二氯苯酚": 0.093,
    "2,4,6-三氯苯酚": 0.2,
    "五氯酚": 0.009,
    "苯胺": 0.1,
    "联苯胺": 0.0002,
    "丙烯酰胺": 0.0005,
    "丙烯腈": 0.1,
    "邻苯二甲酸二丁酯": 0.003,
    "邻苯二甲酸二(2-乙基己基)酯": 0.008,
    "水合肼": 0.01,
    "四乙基铅": 0.0001,
    "吡啶": 0.2,
    "松节油": 0.2,
    "苦味酸": 0.5,
    "丁基黄原酸": 0.005,
    "活性氯": 0.01,
    "滴滴涕": 0.001,
    "林丹": 0.002,
    "环氧七氯": 0.0002,
    "对硫磷": 0.003,
    "甲基对硫磷": 0.002,
    "马拉硫磷": 0.05,
    "乐果": 0.08,
    "敌敌畏": 0.05,
    "敌百虫": 0.05,
    "内吸磷": 0.03,
    "百菌清": 0.01,
    "甲萘威": 0.05,
    "溴氰菊酯": 0.02,
    "阿特拉津": 0.003,
    "苯并(a)芘": 0.0000028,
    "甲基汞": 0.000001,
    "多氯联苯": 0.00002,
    "微囊藻毒素-LR": 0.001,
    "黄磷": 0.003,
    "钼": 0.07,
    "钴": 1.0,
    "铍": 0.002,
    "硼": 0.5,
    "锑": 0.005,
    "镍": 0.02,
    "钡": 0.7,
    "钒": 0.05,
    "钛": 0.1,
    "铊": 0.0001,
}

#: Confidence label of each table (Table 3 per item: :data:`TABLE3_CONFIDENCE`).
CONFIDENCE: Final[dict[str, str]] = {"table1": "P", "table2": "P", "table3": "S×1 / S×2"}

#: Table 3 per item: items 1–19 and 21–39 read in two transcriptions, the rest in one.
TABLE3_CONFIDENCE: Final[dict[str, str]] = {
    name: ("S×2" if n <= 39 and n != 20 else "S×1") for n, name in enumerate(TABLE3_LIMITS, 1)
}

#: The Table 1 items classed for a drinking source: the 2011 method's 21 without
#: 化学需氧量 ("23项，化学需氧量除外"; "按照20项基本指标进行水质类别评价") [S×3].
SOURCE_ITEMS: Final = tuple(i for i in ev.EVALUATION_ITEMS if i != "COD")

#: Reference items reported beside the verdict, per source type [S×1].
REFERENCE_ITEMS: Final[dict[str, tuple[str, ...]]] = {"river": ("FC",), "lake": ("TN", "FC")}


@dataclass(frozen=True)
class Attainment:
    """The verdict for one sample (or period means) of a source.

    ``cls`` — the single-factor class of the Table 1 evaluation items; ``failing`` —
    the items that break the rule (Table 1 items worse than the target class, Table
    2/3 items above their limit), in that order; ``reference`` — classes of the
    reference items (not in the verdict)."""

    meets: bool
    cls: int | None
    failing: list[str] = field(default_factory=list)
    reference: dict[str, int] = field(default_factory=dict)


def _split(sample: Mapping[str, float | None]) -> tuple[dict[str, float | None], dict[str, float | None]]:
    t1: dict[str, float | None] = {}
    other: dict[str, float | None] = {}
    for k, v in sample.items():
        if k in gb.ITEMS:
            t1[k] = v
        elif k in TABLE2_LIMITS or k in TABLE3_LIMITS:
            other[k] = v
        else:
            raise ValueError(f"not a GB 3838 Table 1, 2 or 3 item: {k!r}")
    return t1, other


def attains(
    sample: Mapping[str, float | None],
    source_type: SourceType = "river",
    *,
    table3_items: Iterable[str] = (),
    items: Iterable[str] = SOURCE_ITEMS,
    target_class: int = 3,
    rounding: ev.Rounding = "none",
) -> Attainment:
    """Whether a sample meets the drinking-source standard (module doc).

    ``sample`` mixes Table 1 keys (:data:`ecoplan.water.standards.gb3838_2002.ITEMS`),
    Table 2 keys (:data:`TABLE2_LIMITS`) and Table 3 names; the Table 3 items that
    count are ``table3_items`` (a selected item missing from the sample is not
    judged); ``items`` — the Table 1 items classed (default :data:`SOURCE_ITEMS`).
    A sample with no Table 1 evaluation item raises ``ValueError``.

    >>> attains({"pH": 7.5, "DO": 6.1, "CODMn": 3.2, "NH3N": 0.4, "TP": 0.08, "Fe": 0.35}).failing
    ['Fe']
    """
    if target_class not in (1, 2, 3, 4, 5):
        raise ValueError(f"target_class must be 1..5, got {target_class!r}")
    selected = tuple(table3_items)
    unknown = [i for i in selected if i not in TABLE3_LIMITS]
    if unknown:
        raise ValueError(f"not GB 3838 Table 3 items: {unknown}")
    t1, other = _split(sample)
    wanted = tuple(items)
    classes = ev.item_classes(t1, source_type, items=wanted, rounding=rounding)
    if not classes:
        raise ValueError("no GB 3838 Table 1 evaluation item in the sample")
    failing = [i for i in wanted if classes.get(i, 0) > target_class]
    limits = {**TABLE2_LIMITS, **{i: TABLE3_LIMITS[i] for i in selected}}
    for item, limit in limits.items():
        value = other.get(item)
        if value is None or math.isnan(value):
            continue
        if value < 0:
            raise ValueError(f"{item}: negative concentration {value!r}")
        if value > limit:
            failing.append(item)
    reference = gb.item_classes(t1, source_type, items=REFERENCE_ITEMS[source_type])
    return Attainment(not failing, max(classes.values()), failing, reference)


def attains_period(
    samples: Sequence[Mapping[str, float | None]],
    source_type: SourceType = "river",
    *,
    table3_items: Iterable[str] = (),
    items: Iterable[str] = SOURCE_ITEMS,
    target_class: int = 3,
    rule: Literal["mean", "every_sample"] = "mean",
) -> Attainment:
    """A period's verdict: the verdict of the item means (``rule="mean"``) or a pass
    only when every sample passes (``"every_sample"``, ``failing`` then lists each
    failing item once). UNCONFIRMED option (§10 item 15)."""
    if not samples:
        raise ValueError("no sample in the period")
    selected, wanted = tuple(table3_items), tuple(items)
    if rule == "every_sample":
        verdicts = [
            attains(s, source_type, table3_items=selected, items=wanted, target_class=target_class)
            for s in samples
        ]
        failing = list(dict.fromkeys(i for v in verdicts for i in v.failing))
        worst = gb.worst_class(v.cls for v in verdicts)
        return Attainment(not failing, worst, failing, verdicts[-1].reference)
    if rule != "mean":
        raise ValueError(f"rule must be 'mean' or 'every_sample', got {rule!r}")
    keys = list(dict.fromkeys(k for s in samples for k in s))
    means: dict[str, float | None] = {}
    for k in keys:
        vals = [v for s in samples if (v := s.get(k)) is not None and not math.isnan(v)]
        means[k] = ev.period_mean(vals) if vals else None
    return attains(means, source_type, table3_items=selected, items=wanted, target_class=target_class)


@dataclass(frozen=True)
class Rates:
    """集中式饮用水水源地水质达标率 by count and (when volumes are given) by volume."""

    sources: int
    by_count: float
    by_volume: float | None


def rates(meets: Sequence[bool], volumes: Sequence[float] | None = None) -> Rates:
    """Attainment rates over the monitored sources: by count, and by the water taken
    (``volumes`` aligned with ``meets``; negative volumes raise).

    >>> r = rates([True, False, True, True], [10.0, 30.0, 20.0, 40.0])
    >>> r.by_count, r.by_volume
    (0.75, 0.7)
    """
    n = len(meets)
    if n == 0:
        raise ValueError("no monitored source")
    by_count = float(Fraction(sum(1 for m in meets if m), n))
    if volumes is None:
        return Rates(n, by_count, None)
    if len(volumes) != n:
        raise ValueError(f"{len(volumes)} volumes for {n} sources")
    if any(math.isnan(v) or v < 0 for v in volumes):
        raise ValueError("volumes must be ≥ 0")
    total = math.fsum(volumes)
    if total == 0:
        raise ValueError("the total volume is 0")
    return Rates(n, by_count, math.fsum(v for v, m in zip(volumes, meets, strict=True) if m) / total)
