"""At equal priority the reserve's zone decides before the red line that contains it (a
patch in the experimental zone of a reserve inside a red line belongs to the reserve),
even when the patch's part inside the red line is the larger one."""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import shapely

from ecoplan.ecology.spatial.layers import layer_from_frame
from ecoplan.ecology.spatial.overlay import overlay
from ecoplan.ecology.spatial.patches import patches_from_frame

V = dt.date(2023, 1, 1)


def test_reserve_zone_before_red_line_at_equal_priority() -> None:
    zones = gpd.GeoDataFrame(
        {"feature_id": ["R-core", "R-exp"], "reserve_id": ["R", "R"], "zone": ["core", "experimental"]},
        geometry=[shapely.box(104.0, 30.0, 104.02, 30.02), shapely.box(103.98, 29.98, 104.04, 30.04)],
        crs="EPSG:4326",
    )
    red = gpd.GeoDataFrame(
        {"feature_id": ["RL"]}, geometry=[shapely.box(103.9, 29.9, 104.2, 30.2)], crs="EPSG:4326"
    )
    pa = layer_from_frame(zones, kind="protected_area", layer_id="pa", valid_from=V, file="pa")
    rl = layer_from_frame(red, kind="redline", layer_id="rl", valid_from=V, file="rl")
    patches = gpd.GeoDataFrame(
        {
            "patch_id": ["IN_EXP", "EDGE", "RL_ONLY", "CORE"],
            "detected_on": ["2024-01-02"] * 4,
            "source": ["s"] * 4,
            "class": ["mining"] * 4,
            "confidence": ["high"] * 4,
        },
        geometry=[
            shapely.box(104.025, 30.025, 104.03, 30.03),  # experimental ring only
            shapely.box(104.035, 30.0, 104.06, 30.005),  # 1/5 in the ring, 4/5 out (in the red line)
            shapely.box(104.1, 30.1, 104.11, 30.11),  # red line only
            shapely.box(104.005, 30.005, 104.01, 30.01),  # core
        ],
        crs="EPSG:4326",
    )
    feats = patches_from_frame(patches, file="p").features
    for layers in ([pa, rl], [rl, pa]):  # the order the layers come in does not matter
        dec = overlay(feats, layers).decisions.set_index("patch_id")
        got = {
            p: (dec.loc[p, "layer_id"], dec.loc[p, "zone"], int(dec.loc[p, "priority"])) for p in dec.index
        }
        assert got == {
            "IN_EXP": ("pa", "experimental", 3),
            "EDGE": ("pa", "experimental", 3),
            "RL_ONLY": ("rl", "none", 3),
            "CORE": ("pa", "core", 1),
        }
