"""Versioned schema of the ecoplan DuckDB file.

Each entry of :data:`MIGRATIONS` moves the core schema one version up; opening an
older file applies the missing ones in one transaction; opening a file of a
newer version than :data:`SCHEMA_VERSION` fails (``SchemaVersionError``).
Never edit a released migration: append a new one.

Each registered domain (:mod:`ecoplan.domains`) brings its own list, applied after the
core's in the same transaction and versioned under ``meta`` key ``schema_version:<name>``
(:func:`domain_migrations`): adding a domain adds its tables without touching this file.
"""

from __future__ import annotations

from ecoplan.domains import domains

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "domain_migrations"]

MIGRATIONS: list[str] = [
    # 1: regions, plans (definition JSON is the source of truth; the other
    # plan tables are a queryable projection of it), indicator values with an
    # append-only revision history, tasks and projects with their histories.
    """
    CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);
    CREATE TABLE regions (
        code VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR,
        level VARCHAR NOT NULL, parent VARCHAR
    );
    CREATE TABLE plans (
        id VARCHAR PRIMARY KEY, title_zh VARCHAR NOT NULL, title_en VARCHAR,
        issuer_zh VARCHAR, document_number VARCHAR, level VARCHAR NOT NULL,
        region VARCHAR NOT NULL, period_start INTEGER NOT NULL, period_end INTEGER NOT NULL,
        base_year INTEGER NOT NULL, parent VARCHAR, builtin BOOLEAN NOT NULL,
        definition JSON NOT NULL, imported_at TIMESTAMP NOT NULL
    );
    CREATE TABLE indicators (
        plan_id VARCHAR NOT NULL, id VARCHAR NOT NULL, ord INTEGER NOT NULL, code VARCHAR,
        category_zh VARCHAR, name_zh VARCHAR NOT NULL, name_en VARCHAR, unit VARCHAR NOT NULL,
        direction VARCHAR NOT NULL, attribute VARCHAR NOT NULL, baseline_year INTEGER,
        baseline_value DOUBLE, cumulative BOOLEAN NOT NULL, parent_plan VARCHAR,
        parent_indicator VARCHAR, source_file VARCHAR, source_quote VARCHAR,
        PRIMARY KEY (plan_id, id)
    );
    CREATE TABLE targets (
        plan_id VARCHAR NOT NULL, indicator_id VARCHAR NOT NULL, region VARCHAR NOT NULL,
        year INTEGER NOT NULL, expr VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        canonical VARCHAR NOT NULL, stretch VARCHAR,
        PRIMARY KEY (plan_id, indicator_id, region, year)
    );
    CREATE TABLE tasks (
        plan_id VARCHAR NOT NULL, id VARCHAR NOT NULL, text_zh VARCHAR NOT NULL,
        text_en VARCHAR, due DATE, responsible VARCHAR, source_quote VARCHAR,
        PRIMARY KEY (plan_id, id)
    );
    CREATE TABLE task_status (
        plan_id VARCHAR NOT NULL, task_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
        status VARCHAR NOT NULL, note VARCHAR, evidence VARCHAR,
        recorded_at TIMESTAMP NOT NULL, actor VARCHAR,
        PRIMARY KEY (plan_id, task_id, seq)
    );
    CREATE TABLE projects (
        plan_id VARCHAR NOT NULL, id VARCHAR NOT NULL, name_zh VARCHAR NOT NULL,
        name_en VARCHAR, category VARCHAR, region VARCHAR, investment DOUBLE,
        PRIMARY KEY (plan_id, id)
    );
    CREATE TABLE project_progress (
        plan_id VARCHAR NOT NULL, project_id VARCHAR NOT NULL, seq INTEGER NOT NULL,
        progress_pct DOUBLE, note VARCHAR, recorded_at TIMESTAMP NOT NULL, actor VARCHAR,
        PRIMARY KEY (plan_id, project_id, seq)
    );
    CREATE TABLE value_revisions (
        plan_id VARCHAR NOT NULL, indicator_id VARCHAR NOT NULL, region VARCHAR NOT NULL,
        year INTEGER NOT NULL, revision INTEGER NOT NULL, value DOUBLE NOT NULL,
        unit VARCHAR NOT NULL, basis VARCHAR NOT NULL, source VARCHAR, note VARCHAR,
        recorded_at TIMESTAMP NOT NULL, actor VARCHAR, origin VARCHAR,
        PRIMARY KEY (plan_id, indicator_id, region, year, revision)
    );
    """,
    # 2 and 3 created the air tables; they moved to the air domain's own migrations
    # (ecoplan/air/schema.py, CREATE TABLE IF NOT EXISTS): a file that applied them has
    # the tables, a new file gets them from the domain.
    "SELECT 1",
    "SELECT 1",
    # 4: targets decomposed to regions (逐级分解: plan x indicator x region -> target), and
    # the materialised assessment of every region (rows computed by the writer after each
    # write that touches their inputs; pages, rankings and warnings read them).
    """
    CREATE TABLE target_decompositions (
        plan_id VARCHAR NOT NULL, indicator_id VARCHAR NOT NULL, region VARCHAR NOT NULL,
        year INTEGER NOT NULL, expr VARCHAR NOT NULL, stretch VARCHAR, source VARCHAR,
        note VARCHAR, recorded_at TIMESTAMP NOT NULL, actor VARCHAR, origin VARCHAR,
        PRIMARY KEY (plan_id, indicator_id, region, year)
    );
    CREATE TABLE assessments (
        plan_id VARCHAR NOT NULL, region VARCHAR NOT NULL, indicator_id VARCHAR NOT NULL,
        year INTEGER NOT NULL, attribute VARCHAR NOT NULL, target_source VARCHAR NOT NULL,
        space VARCHAR NOT NULL, value DOUBLE, baseline_year INTEGER, baseline_value DOUBLE,
        target_year INTEGER, target_value DOUBLE, expected DOUBLE, change DOUBLE,
        required_annual DOUBLE, actual_annual DOUBLE, annual_unit VARCHAR, rr DOUBLE, cs DOUBLE,
        projected DOUBLE, ap DOUBLE, within_tolerance BOOLEAN, status VARCHAR NOT NULL,
        verdict VARCHAR NOT NULL, warning VARCHAR
    );
    CREATE TABLE assessment_runs (
        plan_id VARCHAR PRIMARY KEY, computed_at TIMESTAMP NOT NULL, data_as_of TIMESTAMP,
        regions INTEGER NOT NULL, rows BIGINT NOT NULL
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def domain_migrations() -> list[tuple[str, tuple[str, ...]]]:
    """``(domain name, its migrations)`` for every registered domain that has tables."""
    return [(d.name, d.migrations) for d in domains() if d.migrations]
