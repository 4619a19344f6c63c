"""The ecology domain's tables (applied by the store, versioned under
``schema_version:ecology``; never edit a released entry: append).

``ecology_ei``: one county's HJ 192-2015 ecological status index per year, with its five
sub-indices and the environmental restriction applied, so the grade can be re-derived
and checked. Every import is logged (``ecology_imports``), its rejects kept by file, row
and field (``ecology_rejects``) and every value it changes recorded
(``ecology_revisions``, old and new row as JSON).

v2 (:data:`~ecoplan.ecology.spatial.schema.SPATIAL_MIGRATION`): red-line, protected-area
and function-zone layer versions with WKB geometries, human-activity patches, their
overlay parts and decisions, lifecycle cases and events, spatial imports and rejects.
"""

from __future__ import annotations

from ecoplan.ecology.spatial.schema import SPATIAL_MIGRATION

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS ecology_ei (
        county VARCHAR NOT NULL, year INTEGER NOT NULL, name VARCHAR,
        region VARCHAR, key_county BOOLEAN NOT NULL,
        abundance DOUBLE NOT NULL, vegetation DOUBLE NOT NULL, water DOUBLE NOT NULL,
        stress DOUBLE NOT NULL, pollution DOUBLE NOT NULL, restriction VARCHAR,
        ei DOUBLE NOT NULL, grade VARCHAR NOT NULL,
        import_id INTEGER NOT NULL, PRIMARY KEY (county, year)
    );
    CREATE TABLE IF NOT EXISTS ecology_imports (
        id INTEGER PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, format VARCHAR NOT NULL,
        kind VARCHAR NOT NULL, files VARCHAR NOT NULL, rows_in BIGINT NOT NULL,
        rows_new BIGINT NOT NULL, rows_revised BIGINT NOT NULL, rows_unchanged BIGINT NOT NULL,
        rejects JSON NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ecology_rejects (
        import_id INTEGER NOT NULL, file VARCHAR NOT NULL, row BIGINT, field VARCHAR,
        value VARCHAR, reason VARCHAR NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ecology_revisions (
        import_id INTEGER NOT NULL, kind VARCHAR NOT NULL, id VARCHAR NOT NULL,
        year INTEGER, old_row JSON NOT NULL, new_row JSON NOT NULL, recorded_at TIMESTAMP NOT NULL
    );
    """,
    # v2: layers, patches, overlay parts and decisions, cases and events (spatial/schema.py)
    SPATIAL_MIGRATION,
)
