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
    # 5: people at work (issue #12): accounts, API tokens and web sessions; submissions
    # under review (values, task and project progress) with their events and evidence
    # files; the hash-chained audit log; notification subscriptions and what was sent;
    # earlier plan versions; who reviewed a published value and which submission it came from.
    """
    CREATE TABLE users (
        name VARCHAR PRIMARY KEY, display VARCHAR, email VARCHAR, role VARCHAR NOT NULL,
        region VARCHAR NOT NULL, password_hash VARCHAR NOT NULL, disabled BOOLEAN NOT NULL,
        created_at TIMESTAMP NOT NULL, created_by VARCHAR
    );
    CREATE TABLE api_tokens (
        id VARCHAR PRIMARY KEY, user_name VARCHAR NOT NULL, secret_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL, region VARCHAR NOT NULL, label VARCHAR,
        created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, revoked_at TIMESTAMP,
        last_used_at TIMESTAMP
    );
    CREATE TABLE web_sessions (
        id_hash VARCHAR PRIMARY KEY, user_name VARCHAR NOT NULL, csrf VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL, expires_at TIMESTAMP NOT NULL, ended_at TIMESTAMP,
        source VARCHAR
    );
    CREATE TABLE submissions (
        id INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, plan_id VARCHAR NOT NULL,
        region VARCHAR NOT NULL, author VARCHAR NOT NULL, state VARCHAR NOT NULL,
        payload JSON NOT NULL, origin VARCHAR, created_at TIMESTAMP NOT NULL,
        updated_at TIMESTAMP NOT NULL, reviewer VARCHAR, comment VARCHAR,
        published_at TIMESTAMP
    );
    CREATE TABLE submission_events (
        submission_id INTEGER NOT NULL, seq INTEGER NOT NULL, occurred_at TIMESTAMP NOT NULL,
        actor VARCHAR NOT NULL, state VARCHAR NOT NULL, comment VARCHAR,
        PRIMARY KEY (submission_id, seq)
    );
    CREATE TABLE evidence_files (
        sha256 VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, media_type VARCHAR NOT NULL,
        size BIGINT NOT NULL, content BLOB NOT NULL, uploaded_at TIMESTAMP NOT NULL,
        uploaded_by VARCHAR
    );
    CREATE TABLE audit_log (
        seq BIGINT PRIMARY KEY, occurred_at TIMESTAMP NOT NULL, actor VARCHAR, action VARCHAR NOT NULL,
        target VARCHAR, region VARCHAR, outcome VARCHAR NOT NULL, before JSON, after JSON,
        source VARCHAR, prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL
    );
    CREATE TABLE subscriptions (
        user_name VARCHAR NOT NULL, id INTEGER NOT NULL, region VARCHAR, plan_id VARCHAR,
        min_severity VARCHAR, kinds VARCHAR, email VARCHAR, webhook_url VARCHAR,
        webhook_secret VARCHAR, created_at TIMESTAMP NOT NULL,
        PRIMARY KEY (user_name, id)
    );
    CREATE TABLE notification_log (
        key VARCHAR NOT NULL, user_name VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        channel VARCHAR NOT NULL, sent_at TIMESTAMP NOT NULL,
        PRIMARY KEY (key, user_name, channel)
    );
    CREATE TABLE plan_versions (
        plan_id VARCHAR NOT NULL, version INTEGER NOT NULL, definition JSON NOT NULL,
        saved_at TIMESTAMP NOT NULL, actor VARCHAR,
        PRIMARY KEY (plan_id, version)
    );
    ALTER TABLE value_revisions ADD COLUMN reviewer VARCHAR;
    ALTER TABLE value_revisions ADD COLUMN submission_id INTEGER;
    ALTER TABLE project_progress ADD COLUMN investment DOUBLE;
    ALTER TABLE project_progress ADD COLUMN milestone VARCHAR;
    ALTER TABLE project_progress ADD COLUMN reviewer VARCHAR;
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def domain_migrations() -> list[tuple[str, tuple[str, ...]]]:
    """``(domain name, its migrations)`` for every registered domain that has tables."""
    return [(d.name, d.migrations) for d in domains() if d.migrations]
