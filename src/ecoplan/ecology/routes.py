"""The ecology API, mounted at ``/api/v1/ecology`` by the API shell (found through the
registry):

``GET /ei``
    The HJ 192-2015 calculator (the ``ecoplan ecology ei`` contract as query parameters).
``GET /ei/counties``
    Stored county EI with sub-indices (``region``, ``year``); JSON, or CSV/Parquet.
``GET /ei/counties/{county}``
    One county's EI per year.
``GET /ei/means``
    The mean EI of the key counties per region and year (what the feed writes).
``GET /methods``
    The evaluation methods and whether each is loaded (EQI: not loaded).
``GET /layers``
    Stored layer versions (red lines, protected areas, function zones).
``GET /layers/{id}.geojson``
    A layer version's features as a GeoJSON FeatureCollection (``valid_from``; default
    the latest version).
``GET /patches``
    Patches with their deciding zone and case state (``reserve``, ``state``, ``cls``);
    ``format=geojson`` gives a FeatureCollection.
``GET /patches/stats``
    Counts, hectares and counts per 10,000 ha by reserve, zone and quarter.
``GET /redline/{region}``
    The red-line report of a region (areas by version, flagged losses, zoning changes,
    patches inside by class).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Annotated, Any

import pandas as pd
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response

from ecoplan.ecology.service import EcologyOps
from ecoplan.kit.http import Fmt, export, json_response

GEOJSON = "application/geo+json"

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["routes"]

Region = Query(None, pattern=r"^\d{6}$")
#: A sub-index (0–100); an Annotated type, so each parameter gets its own Query.
Sub = Annotated[float, Query(ge=0, le=100)]


def _rows(df: pd.DataFrame) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(df.to_json(orient="records", force_ascii=False))
    return rows


def _reply(request: Request, df: pd.DataFrame, fmt: str, name: str) -> Response:
    rows = _rows(df)
    if fmt != "json":
        return export(rows, fmt, name)
    return json_response(request, {"items": rows, "next_cursor": None, "total": len(rows)})


def routes(session: Callable[[], AbstractContextManager[Ecoplan]]) -> APIRouter:
    """The ecology routes, each reading through ``session()`` (one snapshot per request)."""
    router = APIRouter()

    @router.get("/ei")
    def ecology_ei(
        request: Request,
        abundance: Sub,
        vegetation: Sub,
        water: Sub,
        stress: Sub,
        pollution: Sub,
        restriction: str | None = Query(None, max_length=64),
        previous: float | None = Query(None, ge=0, le=100),
    ) -> Response:
        """EI (2 decimals), grade and, with ``previous``, ΔEI and its change class."""
        d = EcologyOps.ei(abundance, vegetation, water, stress, pollution, restriction, previous)
        return json_response(request, d)

    @router.get("/ei/counties")
    def ecology_counties(
        request: Request, region: str | None = Region, year: int | None = None, format: str = Fmt
    ) -> Response:
        """Stored county EI with the five sub-indices, the restriction and the grade."""
        with session() as ep:
            df = ep.ecology.counties(region, year)
        return _reply(request, df, format, "ecology-ei-counties")

    @router.get("/ei/counties/{county}")
    def ecology_county(request: Request, county: str = Path(..., pattern=r"^\d{6}$")) -> Response:
        """One county's EI per year, with ΔEI against the year before when stored."""
        with session() as ep:
            df = ep.ecology.county(county)
        return json_response(request, {"county": county, "years": _rows(df)})

    @router.get("/ei/means")
    def ecology_means(request: Request, region: str | None = Region, format: str = Fmt) -> Response:
        """Mean EI of the key ecological function counties per region and year."""
        with session() as ep:
            df = ep.ecology.key_means(region)
        return _reply(request, df, format, "ecology-ei-means")

    @router.get("/methods")
    def ecology_methods(request: Request) -> Response:
        """The evaluation methods the domain knows and whether each is loaded."""
        return json_response(request, {"items": EcologyOps.methods()})

    @router.get("/layers")
    def ecology_layers(request: Request) -> Response:
        """Stored layer versions: id, valid from, kind, file, features, km²."""
        with session() as ep:
            df = ep.ecology.layers()
        rows = json.loads(df.to_json(orient="records", force_ascii=False, date_format="iso"))
        for r in rows:
            r["valid_from"] = str(r["valid_from"])[:10]
        return json_response(request, {"items": rows, "total": len(rows)})

    @router.get("/layers/{layer_id}.geojson")
    def ecology_layer_geojson(
        layer_id: str = Path(..., max_length=128), valid_from: dt.date | None = None
    ) -> Response:
        """One layer version (the latest unless ``valid_from``) as GeoJSON (lon/lat)."""
        with session() as ep:
            doc = ep.ecology.layer_geojson(layer_id, valid_from)
        body = json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")
        return Response(body, media_type=GEOJSON)

    @router.get("/patches")
    def ecology_patches(
        request: Request,
        reserve: str | None = Query(None, max_length=128),
        state: str | None = Query(None, max_length=32),
        cls: str | None = Query(None, max_length=32),
        format: str = Query("json", pattern="^(json|geojson)$"),
    ) -> Response:
        """Patches with their deciding zone, priority and case state; GeoJSON on request."""
        with session() as ep:
            if format == "geojson":
                doc = ep.ecology.patches_geojson(reserve=reserve, state=state, cls=cls)
                body = json.dumps(doc, ensure_ascii=False, default=str).encode("utf-8")
                return Response(body, media_type=GEOJSON)
            doc = ep.ecology.patches_geojson(reserve=reserve, state=state, cls=cls)
        rows = [f["properties"] for f in doc["features"]]
        return json_response(request, {"items": rows, "total": len(rows)})

    @router.get("/patches/stats")
    def ecology_patch_stats(
        request: Request, period: str = Query("quarter", pattern="^(none|day|month|quarter|year)$")
    ) -> Response:
        """Counts, hectares and counts per 10,000 ha by reserve, zone (and period)."""
        with session() as ep:
            df = ep.ecology.patch_stats(period=None if period == "none" else period)
        return json_response(request, {"items": _rows(df)})

    @router.get("/redline/{region}")
    def ecology_redline(
        request: Request,
        region: str = Path(..., pattern=r"^\d{6}$"),
        lang: str = Query("zh", pattern="^(zh|en)$"),
    ) -> Response:
        """The red-line report of ``region`` and the regions it holds."""
        with session() as ep:
            rep = ep.ecology.redline(region, lang=lang)
        return json_response(request, rep)

    return router
