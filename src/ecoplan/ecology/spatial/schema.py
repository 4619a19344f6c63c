"""The tables an ecology storage keeps for the spatial part (plain data).

ecoplan.ecology.schema owns the domain's MIGRATIONS (append only); :data:`SPATIAL_MIGRATION`
is its second entry (released: never edit it, append a new entry there). Geometries are kept as
WKB (``shapely.to_wkb``, lon/lat EPSG:4326) in BLOB columns: DuckDB needs no spatial
extension for that, and the overlay runs in shapely after reading them back.

- A layer version is (``layer_id``, ``valid_from``); its features are never updated in
  place — a new boundary is a new version, which is how 面积不减少 stays checkable.
- A patch keeps its reader fields; its overlay parts are recomputed when a layer version
  is added; its case (lifecycle state, due date) and every event with its evidence are
  kept apart so that re-importing the same patch file changes nothing.
- Imports are logged with their rejects (file, feature index and id, field, reason code,
  parameters) and written in one transaction (all or nothing).
"""

from __future__ import annotations

from typing import Final

__all__ = ["SPATIAL_MIGRATION", "SPATIAL_TABLES"]

SPATIAL_TABLES: Final = (
    "ecology_layers",
    "ecology_layer_features",
    "ecology_patches",
    "ecology_patch_parts",
    "ecology_patch_decisions",
    "ecology_patch_cases",
    "ecology_patch_events",
    "ecology_spatial_imports",
    "ecology_spatial_rejects",
)

SPATIAL_MIGRATION: Final = """
CREATE TABLE IF NOT EXISTS ecology_layers (
    layer_id VARCHAR NOT NULL, valid_from DATE NOT NULL, kind VARCHAR NOT NULL,
    file VARCHAR NOT NULL, features INTEGER NOT NULL, area_km2 DOUBLE NOT NULL,
    notes JSON NOT NULL, import_id INTEGER NOT NULL, PRIMARY KEY (layer_id, valid_from)
);
CREATE TABLE IF NOT EXISTS ecology_layer_features (
    layer_id VARCHAR NOT NULL, valid_from DATE NOT NULL, feature_id VARCHAR NOT NULL,
    name VARCHAR, region VARCHAR, reserve_id VARCHAR NOT NULL, zone VARCHAR NOT NULL,
    area_km2 DOUBLE NOT NULL, geom_wkb BLOB NOT NULL,
    PRIMARY KEY (layer_id, valid_from, feature_id)
);
CREATE TABLE IF NOT EXISTS ecology_patches (
    patch_id VARCHAR PRIMARY KEY, detected_on DATE NOT NULL, source VARCHAR NOT NULL,
    cls VARCHAR NOT NULL, confidence VARCHAR NOT NULL, integrated VARCHAR,
    group_id VARCHAR, area_km2 DOUBLE NOT NULL, geom_wkb BLOB NOT NULL,
    import_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS ecology_patch_parts (
    patch_id VARCHAR NOT NULL, layer_id VARCHAR NOT NULL, valid_from DATE NOT NULL,
    kind VARCHAR NOT NULL, reserve_id VARCHAR NOT NULL, feature_id VARCHAR NOT NULL,
    zone VARCHAR NOT NULL, priority INTEGER NOT NULL, area_km2 DOUBLE NOT NULL,
    PRIMARY KEY (patch_id, layer_id, valid_from, feature_id)
);
CREATE TABLE IF NOT EXISTS ecology_patch_decisions (
    patch_id VARCHAR PRIMARY KEY, layer_id VARCHAR, valid_from DATE, kind VARCHAR,
    reserve_id VARCHAR, zone VARCHAR, priority INTEGER, inside_km2 DOUBLE NOT NULL,
    patch_km2 DOUBLE NOT NULL, zones JSON NOT NULL
);
CREATE TABLE IF NOT EXISTS ecology_patch_cases (
    patch_id VARCHAR PRIMARY KEY, state VARCHAR NOT NULL, since DATE NOT NULL,
    due DATE, reserve_id VARCHAR, zone VARCHAR, priority INTEGER
);
CREATE TABLE IF NOT EXISTS ecology_patch_events (
    patch_id VARCHAR NOT NULL, event VARCHAR NOT NULL, on_date DATE NOT NULL,
    evidence VARCHAR, actor VARCHAR, recorded_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS ecology_spatial_imports (
    id INTEGER PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, kind VARCHAR NOT NULL,
    target VARCHAR, file VARCHAR NOT NULL, rows_in BIGINT NOT NULL, rows_new BIGINT NOT NULL,
    rows_revised BIGINT NOT NULL, rows_unchanged BIGINT NOT NULL, rejects JSON NOT NULL
);
CREATE TABLE IF NOT EXISTS ecology_spatial_rejects (
    import_id INTEGER NOT NULL, file VARCHAR NOT NULL, feature_index BIGINT,
    feature_id VARCHAR, field VARCHAR, reason VARCHAR NOT NULL, params JSON NOT NULL
);
"""
