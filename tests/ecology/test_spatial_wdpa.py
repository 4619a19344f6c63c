"""The WDPA importer on a synthetic file with WDPA's field names (WDPA itself may not be
redistributed): filters, point sites drawn to their reported area, priorities."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import geopandas as gpd
import pyproj
import pytest
import shapely

from ecoplan.ecology.spatial.overlay import overlay
from ecoplan.ecology.spatial.wdpa import read_wdpa


def test_wdpa_sites_filtered_buffered_and_ranked(tmp_path: Path) -> None:
    b = shapely.box
    rows = [
        # WDPAID, WDPA_PID, NAME, DESIG_ENG, STATUS, ISO3, REP_AREA, geometry
        (1, "1", "Wolong", "Nature Reserve", "Designated", "CHN", 2000.0, b(103.0, 30.8, 103.4, 31.2)),
        (2, "2", "Proposed site", "Nature Reserve", "Proposed", "CHN", 10.0, b(104.0, 30.0, 104.1, 30.1)),
        (
            3,
            "3",
            "MAB",
            "UNESCO-MAB Biosphere Reserve",
            "Designated",
            "CHN",
            10.0,
            b(104.2, 30.0, 104.3, 30.1),
        ),
        (4, "4", "Forest park", "Forest Park", "Designated", "CHN", 50.0, b(104.4, 30.0, 104.5, 30.1)),
        (5, "5", "Point site", "Nature Reserve", "Designated", "CHN", 12.5, shapely.Point(105.0, 30.0)),
        (6, "6", "Abroad", "National Park", "Designated", "NPL", 10.0, b(86.0, 27.8, 86.1, 27.9)),
        (7, "7", "Shared", "Scenic Area", "Established", "CHN;HKG", 5.0, b(114.1, 22.3, 114.2, 22.4)),
    ]
    cols = ["WDPAID", "WDPA_PID", "NAME", "DESIG_ENG", "STATUS", "ISO3", "REP_AREA"]
    frame = gpd.GeoDataFrame(
        [dict(zip(cols, r[:7], strict=True)) for r in rows], geometry=[r[7] for r in rows], crs="EPSG:4326"
    )
    path = tmp_path / "WDPA_CHN.gpkg"
    frame.to_file(path, driver="GPKG")
    lay = read_wdpa(path, valid_from=dt.date(2025, 1, 1))
    assert lay.rejects == []
    f = lay.features.set_index("feature_id")
    assert sorted(f.index) == ["1", "4", "5", "7"]
    assert f["priority"].to_dict() == {"1": 1, "4": 3, "5": 1, "7": 3}
    (note,) = [n for n in lay.notes if n.reason == "point_buffered"]
    assert note.feature == "5"
    # the circle has the reported area (pyproj geodesic area, not the code under test)
    circle = f.loc["5", "geometry"]
    geod = abs(pyproj.Geod(ellps="GRS80").geometry_area_perimeter(circle)[0]) / 1e6
    assert geod == pytest.approx(12.5, rel=2e-3)
    patches = gpd.GeoDataFrame(
        {"patch_id": ["w", "p"], "detected_on": [dt.date(2025, 3, 1)] * 2},
        geometry=[b(103.1, 30.9, 103.11, 30.91), b(104.41, 30.01, 104.42, 30.02)],
        crs="EPSG:4326",
    )
    d = overlay(patches, [lay]).decisions.set_index("patch_id")
    assert (d.at["w", "reserve_id"], int(d.at["w", "priority"])) == ("1", 1)
    assert (d.at["p", "reserve_id"], int(d.at["p", "priority"])) == ("4", 3)
