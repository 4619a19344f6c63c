"""The spatial vocabulary: layer kinds, zones and their priority, human-activity classes,
confidence tiers — as codes, with the spellings readers accept.

Zones [V]: a nature reserve "可以分为核心区、缓冲区和实验区" (自然保护区条例, Art. 18; no
production facility in the core and buffer zones, Art. 32; a reserve not zoned is
managed by the rules of the core and buffer zones, Art. 30); a national park is zoned
核心保护区 / 一般控制区 (GB/T 39736—2020; 核心保护区 "原则上禁止人为活动", 一般控制区
"禁止开发性、生产性建设活动", 国家公园管理暂行办法 draft, 2022). The priority of a patch
is decided by the zone it falls in, core and buffer first:

1. core (核心区, 核心保护区) and a protected area without zones (Art. 30);
2. buffer (缓冲区) and general control (一般控制区: no productive construction, as the
   buffer's Art. 32);
3. experimental (实验区), and a red line or function zone without zones.

Classes [V]: the seven human-activity classes of 《自然保护地人类活动遥感监测技术规范》
(征求意见稿, 2020): 矿产资源开发, 工业开发, 能源开发, 旅游开发, 交通开发, 养殖开发, 其他.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "CLASSES",
    "CLASS_ALIASES",
    "CONFIDENCES",
    "KINDS",
    "PRIORITY",
    "UNZONED_RESERVE_PRIORITY",
    "ZONES",
    "ZONE_ALIASES",
    "class_code",
    "priority",
    "zone_code",
]

KINDS: Final = ("redline", "protected_area", "function_zone")

#: Zone codes, most protected first; "none" for a polygon without zones.
ZONES: Final = ("core", "core_protection", "buffer", "experimental", "general_control", "none")
PRIORITY: Final[dict[str, int]] = {
    "core": 1,
    "core_protection": 1,
    "buffer": 2,
    "experimental": 3,
    "general_control": 2,
    "none": 3,
}
ZONE_ALIASES: Final[dict[str, str]] = {
    **{z: z for z in ZONES},
    "核心区": "core",
    "核心保护区": "core_protection",
    "缓冲区": "buffer",
    "实验区": "experimental",
    "一般控制区": "general_control",
    "": "none",
    "core zone": "core",
    "buffer zone": "buffer",
    "experimental zone": "experimental",
    "transition": "experimental",
    "core protection zone": "core_protection",
    "general control zone": "general_control",
}

CLASSES: Final = ("mining", "industry", "energy", "tourism", "transport", "farming", "other")
CLASS_ALIASES: Final[dict[str, str]] = {
    **{c: c for c in CLASSES},
    "矿产资源开发": "mining",
    "工业开发": "industry",
    "能源开发": "energy",
    "旅游开发": "tourism",
    "交通开发": "transport",
    "养殖开发": "farming",
    "其他": "other",
    "其它": "other",
}

#: Integrated confidence tiers, lowest first (GFW integrated alerts: low, high, highest).
CONFIDENCES: Final = ("low", "high", "highest")


#: The priority of a protected area drawn without zones (自然保护区条例 Art. 30).
UNZONED_RESERVE_PRIORITY: Final = 1


def priority(zone: str, kind: str) -> int:
    """The priority of a zone of a layer of ``kind`` (see the module)."""
    if zone == "none" and kind == "protected_area":
        return UNZONED_RESERVE_PRIORITY
    return PRIORITY[zone]


def zone_code(value: object) -> str | None:
    """The zone code of a spelling (None when unknown); a missing value is "none"."""
    if value is None or (isinstance(value, float) and value != value):
        return "none"
    return ZONE_ALIASES.get(str(value).strip().lower())


def class_code(value: object) -> str | None:
    """The class code of a spelling (None when unknown or missing)."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    return CLASS_ALIASES.get(str(value).strip().lower())
