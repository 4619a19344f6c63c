"""The plan page's cross-period lines: under a successor indicator's name, its predecessor
(linked), the predecessor's end value with its source, this plan's baseline with its
source, and the verdict (``docs/plan-format.md`` "Across periods").

:func:`lineage_cells` turns the links of :func:`ecoplan.app.lineage.plan_lineage` (their
JSON form) into what ``lineage_row.html`` shows, by successor indicator id, in ``lang``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from ecoplan.core.words import Words
from ecoplan.reports.labels import unit

__all__ = ["lineage_cells"]


def _href(path: str, **query: Any) -> str:
    return path + "?" + "&".join(f"{k}={quote(str(v))}" for k, v in query.items() if v is not None)


def _cell(d: dict[str, Any], lang: str) -> dict[str, Any]:
    w = Words(lang)
    p, end, base = d["predecessor"], d["end"], d["baseline"]
    region = d["region"]
    out: dict[str, Any] = {
        "plan": p["plan"],
        "plan_href": _href(f"/plans/{quote(p['plan'])}", region=region, year=end and end["year"], lang=lang),
        "indicator": (end or {}).get("name_zh" if lang == "zh" else "name_en") or p["indicator"],
        "indicator_href": _href(f"/indicators/{quote(p['plan'])}/{quote(p['indicator'])}", lang=lang),
        "relation": w(f"reason.lineage.relation.{p['relation']}"),
        "note": p["note_zh"] if lang == "zh" else p["note_en"] or p["note_zh"],
        "verdict": d["verdict"],
        "verdict_label": w(f"verdict.lineage.{d['verdict']}"),
        "reason": d["reason_zh"] if lang == "zh" else d["reason"],
        "difference": d["difference"],
        "end": None,
        "base": {
            "label": w("label.lineage.baseline", year=base["year"]),
            "value": base["value"],
            "unit": unit(base["unit"], lang),
            "source": w("label.lineage.from_plan") if base["source"] == "plan" else base["source"],
            "file": base["file"] if base["source"] == "plan" else None,
            "quote": base["quote"] if base["source"] == "plan" else None,
        },
    }
    if end is not None:
        out["end"] = {
            "label": w("label.lineage.end", year=end["year"]),
            "value": end["value"],
            "unit": unit(end["unit"], lang),
            "change": w("label.lineage.change_form") if end["basis"] == "change" else None,
            "source": end["source"],
        }
    return out


def lineage_cells(links: list[dict[str, Any]], lang: str) -> dict[str, list[dict[str, Any]]]:
    """The page's lines of every linked indicator, by the successor's id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for d in links:
        out.setdefault(d["indicator"], []).append(_cell(d, lang))
    return out
