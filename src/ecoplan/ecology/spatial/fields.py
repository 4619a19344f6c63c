"""Field mapping of the readers: which column of a file holds each canonical field.

A caller may name the column (``fields={"zone": "GNQ"}``); otherwise the first of the
usual spellings found is used (case-insensitive), e.g. WDPA's ``WDPAID`` and ``NAME``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

__all__ = ["LAYER_FIELDS", "PATCH_FIELDS", "resolve"]

LAYER_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("feature_id", "id", "fid_", "code", "编号", "wdpa_pid", "wdpaid"),
    "name": ("name", "名称", "orig_name"),
    "zone": ("zone", "功能分区", "分区", "功能区"),
    "reserve": ("reserve_id", "reserve", "保护地编号", "保护地", "wdpaid"),
    "region": ("region", "adcode", "行政区划代码", "xzqdm"),
}
PATCH_FIELDS: Final[dict[str, tuple[str, ...]]] = {
    "id": ("patch_id", "id", "图斑编号", "编号"),
    "detected": ("detected_on", "detected", "date", "发现日期", "监测日期"),
    "source": ("source", "system", "来源", "监测系统"),
    "class": ("class", "activity", "类型", "活动类型", "人类活动类型"),
    "confidence": ("confidence", "置信度"),
}


def resolve(
    columns: Sequence[str], known: Mapping[str, tuple[str, ...]], given: Mapping[str, str] | None
) -> dict[str, str | None]:
    """Canonical field → column of the file (None when the file has none)."""
    lower = {c.lower(): c for c in columns}
    out: dict[str, str | None] = {}
    for name, spellings in known.items():
        if given and name in given:
            col = given[name]
            out[name] = col if col in columns else lower.get(col.lower())
            continue
        out[name] = next((lower[s] for s in spellings if s in lower), None)
    return out
