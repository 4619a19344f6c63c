"""The map's boundaries as JSON (:mod:`ecoplan.web.geo`): provinces, the South China Sea
inset, each province's prefectures and all of China's prefectures, cached a day by the
browser."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response

from ecoplan.web.geo import (
    national_prefectures_geojson,
    prefecture_geojson,
    province_geojson,
    south_china_sea,
)

__all__ = ["register"]


def _geo(data: Any) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(body, media_type="application/json", headers={"Cache-Control": "public, max-age=86400"})


def register(app: FastAPI) -> None:
    @app.get("/geo/provinces.json", include_in_schema=False)
    def provinces_geo() -> Response:
        """Province boundaries for the map."""
        return _geo(province_geojson())

    @app.get("/geo/south-china-sea.json", include_in_schema=False)
    def south_china_sea_geo() -> Response:
        """The South China Sea inset and the dashes of the maritime boundary line."""
        return _geo(south_china_sea())

    @app.get("/geo/prefectures.json", include_in_schema=False)
    def national_prefectures_geo() -> Response:
        """Every prefecture of China (provinces without prefectures as themselves)."""
        return _geo(national_prefectures_geojson())

    @app.get("/geo/prefectures/{province}.json", include_in_schema=False)
    def prefectures_geo(province: str) -> Response:
        """Prefecture boundaries of one province, for the map's drill-down (404 if none)."""
        geo = prefecture_geojson(province) if province.isdigit() and len(province) == 6 else None
        if geo is None:
            return JSONResponse({"detail": "no prefecture boundaries"}, status_code=404)
        return _geo(geo)
