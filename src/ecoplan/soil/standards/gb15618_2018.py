"""GB 15618—2018 土壤环境质量 农用地土壤污染风险管控标准（试行）.

Tables and rules as ``shared/specs/water-soil.md`` §5 records them. Confidence labels
(spec §0.1): the standard text itself was not read; Table 1 and Table 3 come from two
transcriptions that agree value for value ([S×2]). What is UNCONFIRMED is an option,
never hard-wired:

- §5.1: pH bands ``pH ≤ 5.5 | 5.5 < pH ≤ 6.5 | 6.5 < pH ≤ 7.5 | pH > 7.5`` [S×2];
  Cd, Hg, As, Pb, Cr have a 水田 (paddy) and an 其他 (other) row, Cu an 果园 (orchard)
  and an 其他 row, Ni and Zn one row [S×2].
- Table 1 risk screening values (风险筛选值), Table 3 risk intervention values
  (风险管制值; Cd, Hg, As, Pb, Cr only) [S×2].
- §5.4 classes: content ≤ screening → 优先保护类; screening < content ≤ intervention →
  安全利用类; content > intervention → 严格管控类 (equal to screening is low risk,
  equal to intervention is not yet 严格管控) [S×2]. The sample's class is the worst
  level over Cd, Hg, As, Pb, Cr.
- Cu, Ni, Zn above screening: a "加强监测" flag by default; whether they raise the
  class is UNCONFIRMED → option ``include_cu_ni_zn``.
- 水旱轮作 (rotation) uses the stricter row: UNCONFIRMED → option ``rotation`` (the
  minimum of the paddy and other rows).
- The crop-based adjustment of 《农用地土壤环境质量类别划分技术指南（试行）》 was not
  read: UNCONFIRMED → hook ``crop_adjust`` (identity by default).
- pH missing: no band, so no class ("not computable"); pH outside 0–14 or a negative
  content is an error, never clamped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BASIC",
    "CATEGORIES",
    "CONFIDENCE",
    "CONTROLLED",
    "INTERVENTION",
    "LAND_USES",
    "SCREENING",
    "ItemResult",
    "SoilClass",
    "category_of_level",
    "classify",
    "intervention",
    "item_level",
    "land_use_of",
    "ph_band",
    "screening",
]

#: The 8 basic items of Table 1, in the table's order.
BASIC = ("Cd", "Hg", "As", "Pb", "Cr", "Cu", "Ni", "Zn")
#: The items with an intervention value (Table 3); only they set the class by default.
CONTROLLED = ("Cd", "Hg", "As", "Pb", "Cr")
#: Land-use groups: 水田, 其他 (dryland, upland …), 果园 (orchard; "other" except for Cu).
LAND_USES = ("paddy", "other", "orchard")
#: Class keys by level 1..3 (优先保护类, 安全利用类, 严格管控类; 土壤污染防治法 Art. 49).
CATEGORIES = ("priority_protection", "safe_use", "strict_control")

# Table 1, mg/kg, by pH band (≤5.5, 5.5–6.5, 6.5–7.5, >7.5) [S×2].
_P, _O = "paddy", "other"
SCREENING: Mapping[str, Mapping[str, tuple[float, float, float, float]]] = {
    "Cd": {_P: (0.3, 0.4, 0.6, 0.8), _O: (0.3, 0.3, 0.3, 0.6)},
    "Hg": {_P: (0.5, 0.5, 0.6, 1.0), _O: (1.3, 1.8, 2.4, 3.4)},
    "As": {_P: (30, 30, 25, 20), _O: (40, 40, 30, 25)},
    "Pb": {_P: (80, 100, 140, 240), _O: (70, 90, 120, 170)},
    "Cr": {_P: (250, 250, 300, 350), _O: (150, 150, 200, 250)},
    "Cu": {"orchard": (150, 150, 200, 200), _O: (50, 50, 100, 100)},
    "Ni": {"all": (60, 70, 100, 190)},
    "Zn": {"all": (200, 200, 250, 300)},
}
# Table 3, mg/kg, all land uses [S×2].
INTERVENTION: Mapping[str, tuple[float, float, float, float]] = {
    "Cd": (1.5, 2.0, 3.0, 4.0),
    "Hg": (2.0, 2.5, 4.0, 6.0),
    "As": (200, 150, 120, 100),
    "Pb": (400, 500, 700, 1000),
    "Cr": (800, 850, 1000, 1300),
}
#: Confidence of each table and rule (spec §0.1 labels).
CONFIDENCE: Mapping[str, str] = {
    "ph_bands": "S×2",
    "table1": "S×2",
    "table3": "S×2",
    "class_rule": "S×2",
    "cu_ni_zn_effect": "UNCONFIRMED",
    "rotation_stricter": "UNCONFIRMED",
    "crop_adjustment": "UNCONFIRMED",
}

_ALIASES = {
    "paddy": "paddy",
    "水田": "paddy",
    "rice": "paddy",
    "other": "other",
    "其他": "other",
    "dryland": "other",
    "upland": "other",
    "旱地": "other",
    "orchard": "orchard",
    "果园": "orchard",
}


def land_use_of(text: str) -> str:
    """The land-use group of ``text`` (``Paddy``→paddy, ``Upland``/``dryland``/``旱地``→other,
    ``果园``→orchard); :class:`ValueError` for anything else."""
    key = _ALIASES.get(str(text).strip().lower())
    if key is None:
        raise ValueError(f"land use {text!r}: paddy (水田), other (其他/旱地) or orchard (果园)")
    return key


def ph_band(ph: float) -> int:
    """The pH band 0..3 of §5.1 (5.5 belongs to the first band, 6.5 to the second, 7.5 to
    the third). pH outside 0–14 (or not a number) is an error."""
    if ph != ph or not 0 <= ph <= 14:
        raise ValueError(f"pH {ph}: outside 0–14")
    if ph <= 5.5:
        return 0
    if ph <= 6.5:
        return 1
    if ph <= 7.5:
        return 2
    return 3


def _row(metal: str, land_use: str) -> tuple[float, float, float, float]:
    rows = SCREENING[metal]
    if "all" in rows:
        return rows["all"]
    if metal == "Cu":
        return rows["orchard" if land_use == "orchard" else "other"]
    return rows["paddy" if land_use == "paddy" else "other"]


def screening(metal: str, land_use: str, ph: float, *, rotation: bool = False) -> float:
    """The Table 1 risk screening value (mg/kg); ``rotation`` (水旱轮作): the stricter of
    the paddy and other rows (UNCONFIRMED option)."""
    if metal not in SCREENING:
        raise ValueError(f"{metal}: not a GB 15618—2018 Table 1 basic item ({', '.join(BASIC)})")
    band = ph_band(ph)
    lu = land_use_of(land_use)
    if rotation:
        return min(_row(metal, "paddy")[band], _row(metal, "other")[band])
    return _row(metal, lu)[band]


def intervention(metal: str, ph: float) -> float | None:
    """The Table 3 risk intervention value (mg/kg); None for Cu, Ni, Zn (no value)."""
    row = INTERVENTION.get(metal)
    return None if row is None else row[ph_band(ph)]


def item_level(value: float, screen: float, control: float | None) -> int:
    """1 if value ≤ screening; 2 if above screening and ≤ intervention (or no
    intervention value); 3 if above intervention (§5.4)."""
    if value != value or value < 0:
        raise ValueError(f"content {value}: a concentration is a number ≥ 0")
    if value <= screen:
        return 1
    if control is None or value <= control:
        return 2
    return 3


def category_of_level(level: int) -> str:
    """``priority_protection`` | ``safe_use`` | ``strict_control`` for level 1 | 2 | 3."""
    return CATEGORIES[level - 1]


@dataclass(frozen=True)
class ItemResult:
    """One metal of one sample against Table 1 and Table 3."""

    metal: str
    value: float
    screening: float
    intervention: float | None
    level: int

    @property
    def category(self) -> str:
        return category_of_level(self.level)

    @property
    def ratio_to_screening(self) -> float:
        return self.value / self.screening


@dataclass(frozen=True)
class SoilClass:
    """A sample's class: ``category`` None when not computable (``reason`` says why)."""

    land_use: str
    ph: float | None
    items: tuple[ItemResult, ...] = ()
    flags: tuple[str, ...] = ()
    level: int | None = None
    reason: str | None = None  # "ph_missing" | "no_metals"
    options: Mapping[str, Any] = field(default_factory=dict)

    @property
    def category(self) -> str | None:
        return None if self.level is None else category_of_level(self.level)

    def to_dict(self) -> dict[str, Any]:
        """The ``ecoplan soil class`` JSON form (docs/json.md)."""
        return {
            "standard": "GB 15618—2018",
            "land_use": self.land_use,
            "ph": self.ph,
            "category": self.category,
            "computable": self.level is not None,
            "reason": self.reason,
            "items": {i.metal: i.category for i in self.items},
            "screening": {i.metal: i.screening for i in self.items},
            "intervention": {i.metal: i.intervention for i in self.items},
            "flags": list(self.flags),
            "options": dict(self.options),
        }


def classify(
    land_use: str,
    ph: float | None,
    metals: Mapping[str, float | None],
    *,
    include_cu_ni_zn: bool = False,
    rotation: bool = False,
    crop_adjust: Callable[[int, Any], int] | None = None,
    crop: Any = None,
) -> SoilClass:
    """The class of one sample (GB 15618—2018 §5.4 as spec §5.4 records it).

    ``metals``: mg/kg by item key (``Cd`` … ``Zn``); None values are not measured.
    ``crop_adjust(level, crop)`` is the hook for the crop-based adjustment (identity
    when not given; UNCONFIRMED rule, spec §5.4).
    """
    lu = land_use_of(land_use)
    options = {"include_cu_ni_zn": include_cu_ni_zn, "rotation": rotation}
    given = {m: v for m, v in metals.items() if v is not None and v == v}
    unknown = sorted(set(given) - set(BASIC))
    if unknown:
        raise ValueError(f"{', '.join(unknown)}: not GB 15618—2018 Table 1 basic items ({', '.join(BASIC)})")
    if ph is None or ph != ph:
        return SoilClass(lu, None, reason="ph_missing", options=options)
    ph_band(ph)  # range check
    items = tuple(
        ItemResult(
            m,
            float(given[m]),
            screening(m, lu, ph, rotation=rotation),
            intervention(m, ph),
            item_level(float(given[m]), screening(m, lu, ph, rotation=rotation), intervention(m, ph)),
        )
        for m in BASIC
        if m in given
    )
    if not items:
        return SoilClass(lu, ph, reason="no_metals", options=options)
    counted = [i.level for i in items if include_cu_ni_zn or i.metal in CONTROLLED]
    flags = tuple(i.metal for i in items if i.metal not in CONTROLLED and i.level > 1)
    level = max(counted, default=1)
    if crop_adjust is not None:
        level = crop_adjust(level, crop)
        if level not in (1, 2, 3):
            raise ValueError(f"crop_adjust returned {level}: a level 1..3")
    return SoilClass(lu, ph, items, flags, level, options=options)
