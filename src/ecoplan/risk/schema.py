"""The risk domain's tables (applied by the store, versioned under ``schema_version:risk``;
never edit a released entry: append).

The registries: risk sources (enterprises, with their HJ 941-2018 grading when one was
recorded: the level per medium and the whole grading with its evidence as JSON),
sensitive targets (a point, or a polygon as a JSON ring of [lon, lat]) and emergency
plans (filing, review and revision dates). Every import is logged and its rejects kept
by file, row and field.

Incidents (the second entry): each recorded incident with its input as given (JSON), the
decision support's result when it was recorded (grade, deadlines, zones, targets inside,
intakes downstream), and the reports made on it (初报 / 续报 / 处理结果报告 by the local or
the provincial bureau, each with the time it was made). ``digest`` identifies an incident's
input: recording the same input again stores nothing new.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS risk_sources (
        source_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, credit_code VARCHAR,
        region VARCHAR, address VARCHAR, lon DOUBLE, lat DOUBLE, industry VARCHAR,
        level VARCHAR, air_level VARCHAR, water_level VARCHAR, notation VARCHAR,
        graded_on DATE, grade JSON, import_id INTEGER
    );
    CREATE TABLE IF NOT EXISTS risk_targets (
        target_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        region VARCHAR, lon DOUBLE NOT NULL, lat DOUBLE NOT NULL, polygon JSON,
        population INTEGER, import_id INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS risk_plans (
        plan_id VARCHAR PRIMARY KEY, source_id VARCHAR NOT NULL, title VARCHAR NOT NULL,
        filing_no VARCHAR, filed_on DATE NOT NULL, reviewed_on DATE, revised_on DATE,
        import_id INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS risk_imports (
        id INTEGER PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, kind VARCHAR NOT NULL,
        format VARCHAR NOT NULL, files VARCHAR NOT NULL, rows_in BIGINT NOT NULL,
        rows_new BIGINT NOT NULL, rows_revised BIGINT NOT NULL, rows_unchanged BIGINT NOT NULL,
        rejects JSON NOT NULL
    );
    CREATE TABLE IF NOT EXISTS risk_rejects (
        import_id INTEGER NOT NULL, kind VARCHAR NOT NULL, file VARCHAR NOT NULL, row BIGINT,
        field VARCHAR, value VARCHAR, reason VARCHAR NOT NULL
    );
    """,
    """
    CREATE TABLE IF NOT EXISTS risk_incidents (
        incident_id INTEGER PRIMARY KEY, digest VARCHAR NOT NULL UNIQUE, region VARCHAR,
        discovered_at TIMESTAMP NOT NULL, province_received_at TIMESTAMP,
        lon DOUBLE NOT NULL, lat DOUBLE NOT NULL, place VARCHAR, substance VARCHAR,
        grade VARCHAR NOT NULL, reporting_grade VARCHAR NOT NULL,
        input JSON NOT NULL, result JSON NOT NULL, recorded_at TIMESTAMP NOT NULL, recorded_by VARCHAR
    );
    CREATE TABLE IF NOT EXISTS risk_incident_reports (
        incident_id INTEGER NOT NULL, seq INTEGER NOT NULL, kind VARCHAR NOT NULL,
        party VARCHAR NOT NULL, made_at TIMESTAMP NOT NULL, note VARCHAR,
        recorded_at TIMESTAMP NOT NULL, recorded_by VARCHAR, PRIMARY KEY (incident_id, seq)
    );
    """,
    """
    CREATE TABLE IF NOT EXISTS risk_rivers (
        river_id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, downstream_id VARCHAR,
        length_m DOUBLE, coords JSON NOT NULL, import_id INTEGER NOT NULL
    );
    """,
)
