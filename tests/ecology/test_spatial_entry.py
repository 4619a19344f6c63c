"""The entry points: all-or-nothing imports, the patch import pipeline, GeoJSON output."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import shapely

from ecoplan.core.errors import InputFileError
from ecoplan.ecology.spatial.entry import geojson, import_layer, import_patches
from ecoplan.ecology.spatial.generate import generate


def test_patch_import_overlays_integrates_and_opens_cases(tmp_path: Path) -> None:
    syn = generate(3, 6, seed=11, start=dt.date(2024, 2, 1), days=30)
    syn.zones.to_file(tmp_path / "pa.shp")
    syn.patches.to_file(tmp_path / "patches.geojson", driver="GeoJSON")
    lay = import_layer(
        tmp_path / "pa.shp", kind="protected_area", layer_id="pa", valid_from=dt.date(2024, 1, 1)
    )
    got = import_patches(tmp_path / "patches.geojson", [lay])
    assert len(got.patches) == 18 and len(got.cases) == 18
    assert {c.state for c in got.cases} == {"detected"}
    first = got.patches.iloc[0]
    assert got.cases[0].due == first["detected_on"] + dt.timedelta(days=7)
    assert set(got.patches["integrated"]) <= {"low", "high"}  # generated patches never overlap
    d = got.decisions.set_index("patch_id")
    assert all(d.at[p, "zone"] == a.zone for p, a in syn.answers.items())
    doc = geojson(got.patches, ["patch_id", "cls", "integrated", "detected_on"])
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == 18
    f0 = doc["features"][0]
    assert f0["properties"]["detected_on"] == first["detected_on"].isoformat()
    assert shapely.geometry.shape(f0["geometry"]).equals_exact(first.geometry, 1e-9)
    json.dumps(doc)  # serialisable as is


def test_imports_are_all_or_nothing(tmp_path: Path) -> None:
    syn = generate(2, 6, seed=2, start=dt.date(2023, 12, 1), days=60)
    syn.zones.to_file(tmp_path / "pa.gpkg", driver="GPKG")
    syn.patches.to_file(tmp_path / "patches.gpkg", driver="GPKG")
    lay = import_layer(
        tmp_path / "pa.gpkg", kind="protected_area", layer_id="pa", valid_from=dt.date(2024, 1, 1)
    )
    with pytest.raises(InputFileError) as e:
        import_patches(tmp_path / "patches.gpkg", [lay])
    assert e.value.file == "patches.gpkg"
    assert {p.field for p in e.value.problems} == {"detected_on"}
    assert all("[patch_before_layer]" in p.reason for p in e.value.problems)
    bad = syn.zones.copy()
    bad.loc[0, "zone"] = "外围保护地带"
    bad.to_file(tmp_path / "bad.geojson", driver="GeoJSON")
    with pytest.raises(InputFileError) as e:
        import_layer(
            tmp_path / "bad.geojson", kind="protected_area", layer_id="pa", valid_from=dt.date(2024, 1, 1)
        )
    (p,) = e.value.problems
    assert (p.row, p.field, p.text) == (1, "zone", "R00000-core") and "外围保护地带" in p.reason
