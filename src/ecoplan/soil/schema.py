"""The soil domain's tables (applied by the store, versioned under ``schema_version:soil``;
never edit a released entry: append).

Samples, farmland units and construction-land plots live in the database itself (they
are small); every import is logged, its rejects kept by file and row, and every value
it changes recorded in ``soil_revisions`` (old and new row as JSON).
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS soil_samples (
        sample_id VARCHAR PRIMARY KEY, region VARCHAR NOT NULL, year INTEGER,
        lon DOUBLE, lat DOUBLE, land_use VARCHAR NOT NULL, ph DOUBLE,
        "Cd" DOUBLE, "Hg" DOUBLE, "As" DOUBLE, "Pb" DOUBLE, "Cr" DOUBLE, "Cu" DOUBLE,
        "Ni" DOUBLE, "Zn" DOUBLE, crop_cd DOUBLE, import_id INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS soil_units (
        unit_id VARCHAR NOT NULL, region VARCHAR NOT NULL, year INTEGER NOT NULL,
        area_hm2 DOUBLE NOT NULL, level VARCHAR NOT NULL, measure VARCHAR NOT NULL,
        crop_compliant BOOLEAN, import_id INTEGER NOT NULL, PRIMARY KEY (unit_id, year)
    );
    CREATE TABLE IF NOT EXISTS soil_plots (
        plot_id VARCHAR NOT NULL, region VARCHAR NOT NULL, year INTEGER NOT NULL,
        land_type INTEGER NOT NULL, contaminated BOOLEAN NOT NULL, status VARCHAR NOT NULL,
        planned_reuse BOOLEAN NOT NULL, reuse_compliant BOOLEAN, key BOOLEAN NOT NULL,
        import_id INTEGER NOT NULL, PRIMARY KEY (plot_id, year)
    );
    CREATE TABLE IF NOT EXISTS soil_imports (
        id INTEGER PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, format VARCHAR NOT NULL,
        kind VARCHAR NOT NULL, files VARCHAR NOT NULL, rows_in BIGINT NOT NULL,
        rows_new BIGINT NOT NULL, rows_revised BIGINT NOT NULL, rows_unchanged BIGINT NOT NULL,
        rejects JSON NOT NULL
    );
    CREATE TABLE IF NOT EXISTS soil_rejects (
        import_id INTEGER NOT NULL, file VARCHAR NOT NULL, row BIGINT, field VARCHAR,
        value VARCHAR, reason VARCHAR NOT NULL
    );
    CREATE TABLE IF NOT EXISTS soil_revisions (
        import_id INTEGER NOT NULL, kind VARCHAR NOT NULL, id VARCHAR NOT NULL,
        year INTEGER, old_row JSON NOT NULL, new_row JSON NOT NULL, recorded_at TIMESTAMP NOT NULL
    );
    """,
)
