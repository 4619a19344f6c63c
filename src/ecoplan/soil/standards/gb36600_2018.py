"""GB 36600—2018 土壤环境质量 建设用地土壤污染风险管控标准（试行）, Table 1 (basic items).

Values in mg/kg: screening (筛选值) and intervention (管制值) for 第一类用地 (type 1:
residential, schools, hospitals, parks …) and 第二类用地 (type 2: industrial,
logistics, roads …) [GB 36600—2018 §3.3, §4.1].

Sources and confidence (spec §0.1 labels): items 1–34 (7 heavy metals and inorganics,
27 volatile organics) agree value for value in two transcriptions — the CSV
``data/standards/gb36600_2018_official.csv`` of GitHub ``lensis22414017/SRS`` (commit
82050c3, "transcribed from official scan; double-read", MEE PDF p.3–4) and the Table 1
text reproduced at ``m.boteman.cn/paper/239121497.html`` — so **[S×2]**. Items 35–45
(semi-volatile organics) come from the first source only — **[S×1]**, except the
type-2 screening value of 苯并[a]芘 (1.5), which a third public code base repeats.

Use (§4.2, §4.3 as the two sources paraphrase them; [S×1] each): content ≤ screening →
risk negligible; screening < content ≤ intervention → a risk may exist, investigate
in detail and assess the risk; content > intervention → usually an unacceptable risk,
control or remediate. Footnote ① of 砷 (As above screening but within the local
background value is not managed as contaminated) is the option ``background``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["CATEGORIES", "ITEMS", "Item", "PlotClass", "classify", "values"]


@dataclass(frozen=True)
class Item:
    """One Table 1 row: key, number, Chinese name, CAS, group and the four values."""

    key: str
    no: int
    name_zh: str
    cas: str
    group: str  # metal | voc | svoc
    screening1: float
    screening2: float
    intervention1: float
    intervention2: float
    confidence: str


_ROWS: tuple[tuple[str, str, str, str, float, float, float, float], ...] = (
    ("As", "砷", "7440-38-2", "metal", 20, 60, 120, 140),
    ("Cd", "镉", "7440-43-9", "metal", 20, 65, 47, 172),
    ("Cr6", "铬（六价）", "18540-29-9", "metal", 3.0, 5.7, 30, 78),
    ("Cu", "铜", "7440-50-8", "metal", 2000, 18000, 8000, 36000),
    ("Pb", "铅", "7439-92-1", "metal", 400, 800, 800, 2500),
    ("Hg", "汞", "7439-97-6", "metal", 8, 38, 33, 82),
    ("Ni", "镍", "7440-02-0", "metal", 150, 900, 600, 2000),
    ("carbon_tetrachloride", "四氯化碳", "56-23-5", "voc", 0.9, 2.8, 9, 36),
    ("chloroform", "氯仿", "67-66-3", "voc", 0.3, 0.9, 5, 10),
    ("chloromethane", "氯甲烷", "74-87-3", "voc", 12, 37, 21, 120),
    ("dca_11", "1,1-二氯乙烷", "75-34-3", "voc", 3, 9, 20, 100),
    ("dca_12", "1,2-二氯乙烷", "107-06-2", "voc", 0.52, 5, 6, 21),
    ("dce_11", "1,1-二氯乙烯", "75-35-4", "voc", 12, 66, 40, 200),
    ("dce_12_cis", "顺-1,2-二氯乙烯", "156-59-2", "voc", 66, 596, 200, 2000),
    ("dce_12_trans", "反-1,2-二氯乙烯", "156-60-5", "voc", 10, 54, 31, 163),
    ("dichloromethane", "二氯甲烷", "75-09-2", "voc", 94, 616, 300, 2000),
    ("dcp_12", "1,2-二氯丙烷", "78-87-5", "voc", 1, 5, 5, 47),
    ("teca_1112", "1,1,1,2-四氯乙烷", "630-20-6", "voc", 2.6, 10, 26, 100),
    ("teca_1122", "1,1,2,2-四氯乙烷", "79-34-5", "voc", 1.6, 6.8, 14, 50),
    ("tetrachloroethylene", "四氯乙烯", "127-18-4", "voc", 11, 53, 34, 183),
    ("tca_111", "1,1,1-三氯乙烷", "71-55-6", "voc", 701, 840, 840, 840),
    ("tca_112", "1,1,2-三氯乙烷", "79-00-5", "voc", 0.6, 2.8, 5, 15),
    ("trichloroethylene", "三氯乙烯", "79-01-6", "voc", 0.7, 2.8, 7, 20),
    ("tcp_123", "1,2,3-三氯丙烷", "96-18-4", "voc", 0.05, 0.5, 0.5, 5),
    ("vinyl_chloride", "氯乙烯", "75-01-4", "voc", 0.12, 0.43, 1.2, 4.3),
    ("benzene", "苯", "71-43-2", "voc", 1, 4, 10, 40),
    ("chlorobenzene", "氯苯", "108-90-7", "voc", 68, 270, 200, 1000),
    ("dcb_12", "1,2-二氯苯", "95-50-1", "voc", 560, 560, 560, 560),
    ("dcb_14", "1,4-二氯苯", "106-46-7", "voc", 5.6, 20, 56, 200),
    ("ethylbenzene", "乙苯", "100-41-4", "voc", 7.2, 28, 72, 280),
    ("styrene", "苯乙烯", "100-42-5", "voc", 1290, 1290, 1290, 1290),
    ("toluene", "甲苯", "108-88-3", "voc", 1200, 1200, 1200, 1200),
    ("xylene_mp", "间二甲苯+对二甲苯", "108-38-3,106-42-3", "voc", 163, 570, 500, 570),
    ("xylene_o", "邻二甲苯", "95-47-6", "voc", 222, 640, 640, 640),
    ("nitrobenzene", "硝基苯", "98-95-3", "svoc", 34, 76, 190, 760),
    ("aniline", "苯胺", "62-53-3", "svoc", 92, 260, 211, 663),
    ("chlorophenol_2", "2-氯酚", "95-57-8", "svoc", 250, 2256, 500, 4500),
    ("benz_a_anthracene", "苯并[a]蒽", "56-55-3", "svoc", 5.5, 15, 55, 151),
    ("benzo_a_pyrene", "苯并[a]芘", "50-32-8", "svoc", 0.55, 1.5, 5.5, 15),
    ("benzo_b_fluoranthene", "苯并[b]荧蒽", "205-99-2", "svoc", 5.5, 15, 55, 151),
    ("benzo_k_fluoranthene", "苯并[k]荧蒽", "207-08-9", "svoc", 55, 151, 550, 1500),
    ("chrysene", "䓛", "218-01-9", "svoc", 490, 1293, 4900, 12900),
    ("dibenz_ah_anthracene", "二苯并[a,h]蒽", "53-70-3", "svoc", 0.55, 1.5, 5.5, 15),
    ("indeno_123cd_pyrene", "茚并[1,2,3-cd]芘", "193-39-5", "svoc", 5.5, 15, 55, 151),
    ("naphthalene", "萘", "91-20-3", "svoc", 25, 70, 255, 700),
)

#: Table 1 by item key (``As``, ``Cd``, ``Cr6`` … ``naphthalene``), in the table's order.
ITEMS: Mapping[str, Item] = {
    r[0]: Item(r[0], n, r[1], r[2], r[3], *r[4:], confidence="S×2" if n <= 34 else "S×1")
    for n, r in enumerate(_ROWS, start=1)
}
#: Plot sample classes by level 1..3.
CATEGORIES = ("below_screening", "above_screening", "above_intervention")


def values(key: str, land_type: int) -> tuple[float, float]:
    """(screening, intervention) of item ``key`` for 第一类 (1) or 第二类 (2) 用地."""
    item = ITEMS.get(key)
    if item is None:
        raise ValueError(f"{key}: not a GB 36600—2018 Table 1 item")
    if land_type == 1:
        return item.screening1, item.intervention1
    if land_type == 2:
        return item.screening2, item.intervention2
    raise ValueError(f"land type {land_type}: 1 (第一类用地) or 2 (第二类用地)")


@dataclass(frozen=True)
class PlotClass:
    """A plot sample against Table 1: the worst level and each item's."""

    land_type: int
    level: int | None
    items: Mapping[str, int]
    screening: Mapping[str, float]
    intervention: Mapping[str, float]

    @property
    def category(self) -> str | None:
        return None if self.level is None else CATEGORIES[self.level - 1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "standard": "GB 36600—2018",
            "land_type": self.land_type,
            "category": self.category,
            "items": {k: CATEGORIES[v - 1] for k, v in self.items.items()},
            "screening": dict(self.screening),
            "intervention": dict(self.intervention),
        }


def classify(
    land_type: int, contents: Mapping[str, float | None], *, background: Mapping[str, float] | None = None
) -> PlotClass:
    """Each item: 1 (≤ screening), 2 (≤ intervention), 3 (> intervention); the sample:
    the worst. ``background``: local background values (footnote ① of 砷): an item above
    screening but not above its background value counts as 1. Negative contents raise."""
    levels: dict[str, int] = {}
    screens: dict[str, float] = {}
    controls: dict[str, float] = {}
    for key, v in contents.items():
        if v is None or v != v:
            continue
        if v < 0:
            raise ValueError(f"{key} {v}: a concentration is a number ≥ 0")
        s, c = values(key, land_type)
        screens[key], controls[key] = s, c
        level = 1 if v <= s else 2 if v <= c else 3
        if level > 1 and background and key in background and v <= background[key]:
            level = 1
        levels[key] = level
    return PlotClass(land_type, max(levels.values(), default=None), levels, screens, controls)
