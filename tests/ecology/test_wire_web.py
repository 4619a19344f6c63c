"""The spatial API (GeoJSON) and the map and reserve pages on a real uvicorn server, and
the pages in headless Chromium (zh and en; screenshots in ``build/screenshots/``)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import geopandas as gpd
import httpx
import pytest
import shapely
from tests.ecology.test_ei_web import visible_text
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.words.purity import foreign
from ecoplan.ecology.spatial.generate import Synthetic, generate
from ecoplan.web import register

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
SYN: Synthetic = generate(4, 6, seed=7, columns=2, region="510100")
# red line: 2021 two boxes in 510100 and 510700; 2023 the first one loses its southern half
RL = {
    "2021": [shapely.box(100.0, 30.45, 100.4, 30.55), shapely.box(100.5, 30.0, 100.6, 30.1)],
    "2023": [shapely.box(100.0, 30.5, 100.4, 30.55), shapely.box(100.5, 30.0, 100.6, 30.1)],
}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    d = tmp_path_factory.mktemp("wireweb")
    SYN.zones.to_file(d / "pa.geojson", driver="GeoJSON")
    SYN.patches.to_file(d / "p.geojson", driver="GeoJSON")
    with Ecoplan(d / "web.duckdb") as ep:
        ep.init()
        ep.ecology.import_layer(d / "pa.geojson", "protected", "pa", dt.date(2023, 1, 1))
        for year, boxes in RL.items():
            frame = gpd.GeoDataFrame(
                {
                    "feature_id": ["RL-A", "RL-B"],
                    "region": ["510100", "510700"],
                    "name": ["红线甲", "红线乙"],
                },
                geometry=boxes,
                crs="EPSG:4326",
            )
            frame.to_file(d / f"rl{year}.geojson", driver="GeoJSON")
            ep.ecology.import_layer(d / f"rl{year}.geojson", "redline", "sc-rl", dt.date(int(year), 1, 1))
        ep.ecology.import_patches(d / "p.geojson")
        first = next(p for p, a in SYN.answers.items() if a.zone == "core")
        day = SYN.patches.set_index("patch_id").loc[first, "detected_on"]
        ep.ecology.advance_patch(first, "assign", day)
        ep.ecology.advance_patch(first, "verify_illegal", day, "现场照片")
    app = create_app(d / "web.duckdb")
    register(app)
    with serving(app) as url:
        yield url


def test_api_layers_geojson_patches_redline(base: str) -> None:
    layers = httpx.get(f"{base}/api/v1/ecology/layers", timeout=60).json()["items"]
    assert [(r["layer_id"], r["valid_from"], r["features"]) for r in layers] == [
        ("pa", "2023-01-01", 12),
        ("sc-rl", "2021-01-01", 2),
        ("sc-rl", "2023-01-01", 2),
    ]
    r = httpx.get(f"{base}/api/v1/ecology/layers/pa.geojson", timeout=60)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/geo+json")
    doc = r.json()
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 12
    zones = {f["properties"]["feature_id"]: f["properties"]["zone"] for f in doc["features"]}
    assert zones["R00000-core"] == "core" and zones["R00003-experimental"] == "experimental"
    # RFC 7946 lon/lat; the core ring lies inside the generated core polygon
    core = shapely.geometry.shape(
        next(f for f in doc["features"] if f["properties"]["feature_id"] == "R00001-core")["geometry"]
    )
    src = SYN.zones.set_index("feature_id").loc["R00001-core", "geometry"]
    assert shapely.equals_exact(shapely.normalize(core), shapely.normalize(src), tolerance=1e-9)
    old = httpx.get(f"{base}/api/v1/ecology/layers/sc-rl.geojson?valid_from=2021-01-01", timeout=60).json()
    assert shapely.geometry.shape(old["features"][0]["geometry"]).bounds[1] == pytest.approx(30.45)
    assert httpx.get(f"{base}/api/v1/ecology/layers/nope.geojson", timeout=60).status_code == 404

    g = httpx.get(f"{base}/api/v1/ecology/patches?format=geojson", timeout=60)
    assert g.headers["content-type"].startswith("application/geo+json")
    feats = g.json()["features"]
    assert len(feats) == len(SYN.answers)
    by_id = {f["properties"]["patch_id"]: f["properties"] for f in feats}
    for pid, ans in SYN.answers.items():
        if ans.zone is not None:
            assert (by_id[pid]["reserve_id"], by_id[pid]["zone"]) == (ans.reserve_id, ans.zone), pid
    assert sum(p["state"] == "illegal" for p in by_id.values()) == 1
    items = httpx.get(f"{base}/api/v1/ecology/patches?state=illegal", timeout=60).json()["items"]
    assert len(items) == 1 and items[0]["state"] == "illegal"

    rep = httpx.get(f"{base}/api/v1/ecology/redline/510000?lang=en", timeout=60).json()
    changes = {e["region"]: e["changes"][0] for e in rep["layers"]}
    assert changes["510100"]["flagged"] and not changes["510700"]["flagged"]
    assert changes["510100"]["lost_km2"] > 0
    assert any(m.startswith("510100: red-line area lost") for m in rep["messages"])
    assert httpx.get(f"{base}/api/v1/ecology/redline/320000", timeout=60).status_code == 404


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_and_reserve_pages(base: str, lang: str) -> None:
    html = httpx.get(f"{base}/ecology/map?lang={lang}", timeout=60).text
    assert html.count("<circle") == len(SYN.answers)
    assert html.count('<path d="M') == 12 + 2 + len(SYN.answers)
    assert f'href="/ecology/reserves/R00002?lang={lang}"' in html
    allowed = {
        "km²",
        "R00000",
        "R00001",
        "R00002",
        "R00003",
        "RL-A",
        "RL-B",
        "sc-rl",
        "保护区",
        "红线甲",
        "红线乙",
    }
    assert foreign(visible_text(html), lang, allowed=allowed) == []
    page = httpx.get(f"{base}/ecology/reserves/R00000?lang={lang}", timeout=60)
    assert page.status_code == 200
    mine = [p for p, a in SYN.answers.items() if a.reserve_id == "R00000"]
    text = page.text
    assert all(p in text for p in mine)
    j = httpx.get(f"{base}/ecology/reserves/R00000?lang={lang}&format=json", timeout=60).json()
    assert {z["zone"]: z["patches"] for z in j["zones"]} == {
        z: sum(1 for p in mine if SYN.answers[p].zone == z) for z in ("core", "buffer", "experimental")
    }
    assert sum(c["count"] for c in j["counts"]) == len(mine)
    assert httpx.get(f"{base}/ecology/reserves/nope?lang={lang}", timeout=60).status_code == 404


@pytest.mark.browser
def test_map_pages_in_chromium(base: str) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = b.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        SHOTS.mkdir(parents=True, exist_ok=True)
        for lang in ("zh", "en"):
            page.goto(f"{base}/ecology/map?lang={lang}", wait_until="load")
            assert page.locator("#ecology-map g.patch").count() == len(SYN.answers)
            box = page.locator("#ecology-map").bounding_box()
            assert box is not None and box["width"] > 400 and box["height"] > 100
            page.screenshot(path=str(SHOTS / f"ecology-map-{lang}.png"), full_page=True)
            page.click(f'#ecology-reserves a[href="/ecology/reserves/R00000?lang={lang}"]')
            page.wait_for_load_state("load")
            mine = sum(1 for a in SYN.answers.values() if a.reserve_id == "R00000")
            assert page.locator("#ecology-patches tbody tr").count() == mine
            page.screenshot(path=str(SHOTS / f"ecology-reserve-{lang}.png"), full_page=True)
        b.close()
    assert errors == []
