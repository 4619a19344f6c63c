"""The air domain's tables (applied by the store with the core's migrations, versioned
under ``schema_version:air``; never edit a released entry: append).

Hourly observations live in Parquet files (one per region and year) beside the
database (:mod:`ecoplan.air.storage`); these tables are their registry, the station
list, the import log, rejected values with their reason codes, value revisions, the
pollutants a region never measures, and exceptional events (例外事件, HJ 663—2026).
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[str, ...] = (
    # 1: the tables core migrations 2 and 3 created before the air domain had its own
    # (IF NOT EXISTS: a file that applied those keeps its tables and rows).
    """
    CREATE TABLE IF NOT EXISTS air_stations (
        code VARCHAR PRIMARY KEY, name VARCHAR, name_zh VARCHAR, region VARCHAR NOT NULL,
        lat DOUBLE, lon DOUBLE, type VARCHAR NOT NULL, updated_at TIMESTAMP NOT NULL
    );
    CREATE TABLE IF NOT EXISTS air_partitions (
        region VARCHAR NOT NULL, year INTEGER NOT NULL, path VARCHAR NOT NULL,
        rows BIGINT NOT NULL, stations INTEGER NOT NULL, first_time TIMESTAMP,
        last_time TIMESTAMP, updated_at TIMESTAMP NOT NULL,
        PRIMARY KEY (region, year)
    );
    CREATE TABLE IF NOT EXISTS air_imports (
        id INTEGER PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, format VARCHAR NOT NULL,
        files VARCHAR NOT NULL, rows_in BIGINT NOT NULL, rows_new BIGINT NOT NULL,
        values_revised BIGINT NOT NULL, rows_unchanged BIGINT NOT NULL,
        rejects JSON NOT NULL, absent VARCHAR
    );
    CREATE TABLE IF NOT EXISTS air_rejects (
        import_id INTEGER NOT NULL, file VARCHAR NOT NULL, row BIGINT, station VARCHAR,
        time TIMESTAMP, pollutant VARCHAR, value VARCHAR, reason VARCHAR NOT NULL
    );
    CREATE TABLE IF NOT EXISTS air_revisions (
        import_id INTEGER NOT NULL, station VARCHAR NOT NULL, time TIMESTAMP NOT NULL,
        pollutant VARCHAR NOT NULL, old_value DOUBLE, new_value DOUBLE,
        recorded_at TIMESTAMP NOT NULL
    );
    CREATE TABLE IF NOT EXISTS air_absent (
        region VARCHAR NOT NULL, pollutant VARCHAR NOT NULL, PRIMARY KEY (region, pollutant)
    );
    CREATE TABLE IF NOT EXISTS air_events (
        region VARCHAR NOT NULL, day DATE NOT NULL, kind VARCHAR NOT NULL,
        approved BOOLEAN NOT NULL, note VARCHAR,
        pm25 BOOLEAN NOT NULL, pm10 BOOLEAN NOT NULL, so2 BOOLEAN NOT NULL,
        no2 BOOLEAN NOT NULL, co BOOLEAN NOT NULL, o3 BOOLEAN NOT NULL,
        recorded_at TIMESTAMP NOT NULL,
        PRIMARY KEY (region, day, kind)
    );
    
    """,
)
