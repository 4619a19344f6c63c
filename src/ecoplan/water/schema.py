"""The water domain's tables (applied by the store with the core's migrations, versioned
under ``schema_version:water``; never edit a released entry: append).

Samples are few enough (a national network is ~2,000 sections × 6 automatic values a
day × a dozen items) to live in the database itself, so an import is one DuckDB
transaction (:mod:`ecoplan.water.storage`). Tables: the station registry, samples in
long form (GB 3838—2002 Table 1 units), the classes a source published, plan target
classes of sections (control units), the import log, rejected values with reason codes
and every revised value. Version 2 adds the drinking-water sources (register, monthly
samples of GB 3838—2002 Tables 1–3) and the urban black-odorous water bodies (register,
point measurements); their imports are logged in ``water_imports`` (format ``drinking`` or
``black-odorous``) and their rejects in ``water_rejects`` (``station`` = source or body).
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[str, ...] = (
    # 1: registry, samples, published classes, targets, imports, rejects, revisions
    """
    CREATE TABLE water_stations (
        code VARCHAR PRIMARY KEY, name VARCHAR, province VARCHAR, city VARCHAR, region VARCHAR,
        basin VARCHAR, river VARCHAR, water_body VARCHAR NOT NULL, control_level VARCHAR,
        drinking_source BOOLEAN, lat DOUBLE, lon DOUBLE, updated_at TIMESTAMP NOT NULL
    );
    CREATE TABLE water_samples (
        station VARCHAR NOT NULL, time TIMESTAMP NOT NULL, item VARCHAR NOT NULL,
        value DOUBLE NOT NULL, published DOUBLE, flag VARCHAR, revised_at TIMESTAMP,
        import_id INTEGER NOT NULL,
        PRIMARY KEY (station, time, item)
    );
    CREATE TABLE water_published_class (
        station VARCHAR NOT NULL, time TIMESTAMP NOT NULL, published_class INTEGER NOT NULL,
        PRIMARY KEY (station, time)
    );
    CREATE TABLE water_targets (
        station VARCHAR NOT NULL, plan VARCHAR NOT NULL, year INTEGER NOT NULL,
        target_class INTEGER NOT NULL, recorded_at TIMESTAMP NOT NULL,
        PRIMARY KEY (station, plan, year)
    );
    CREATE TABLE water_imports (
        id INTEGER PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, format VARCHAR NOT NULL,
        files VARCHAR NOT NULL, rows_in BIGINT NOT NULL, rows_new BIGINT NOT NULL,
        values_revised BIGINT NOT NULL, rows_unchanged BIGINT NOT NULL, rejects JSON NOT NULL
    );
    CREATE TABLE water_rejects (
        import_id INTEGER NOT NULL, file VARCHAR NOT NULL, row BIGINT, field VARCHAR,
        station VARCHAR, time VARCHAR, item VARCHAR, value VARCHAR, reason VARCHAR NOT NULL
    );
    CREATE TABLE water_revisions (
        import_id INTEGER NOT NULL, station VARCHAR NOT NULL, time TIMESTAMP NOT NULL,
        item VARCHAR NOT NULL, old_value DOUBLE, new_value DOUBLE, old_published DOUBLE,
        new_published DOUBLE, recorded_at TIMESTAMP NOT NULL
    );
    """,
    # 2: drinking-water sources and black-odorous water bodies
    """
    CREATE TABLE water_drinking_sources (
        code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, region VARCHAR NOT NULL,
        type VARCHAR NOT NULL, level VARCHAR NOT NULL, supply_m3d DOUBLE, updated_at TIMESTAMP NOT NULL
    );
    CREATE TABLE water_drinking_samples (
        source VARCHAR NOT NULL, time TIMESTAMP NOT NULL, item VARCHAR NOT NULL,
        value DOUBLE NOT NULL, flag VARCHAR, import_id INTEGER NOT NULL,
        PRIMARY KEY (source, time, item)
    );
    CREATE TABLE water_black_bodies (
        code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, region VARCHAR NOT NULL,
        area VARCHAR NOT NULL, listed_year INTEGER NOT NULL, updated_at TIMESTAMP NOT NULL
    );
    CREATE TABLE water_black_measures (
        body VARCHAR NOT NULL, point VARCHAR NOT NULL, seq INTEGER, date DATE NOT NULL,
        item VARCHAR NOT NULL, value DOUBLE NOT NULL, import_id INTEGER NOT NULL,
        PRIMARY KEY (body, point, date, item)
    );
    """,
)
