"""The waste domain's tables (applied by the store, versioned under ``schema_version:waste``;
never edit a released entry: append).

The shared design of issue 14: the alerts' pipeline (``waste/pipeline``) reads these
tables and writes ``waste_alerts`` through :meth:`ecoplan.waste.storage.WasteStore.replace_alerts`.
Quantities in tonnes, times local China time (naive TIMESTAMP; the column ``"at"``
quoted: a keyword of DuckDB's parser), codes as text. Beside them: the manifests'
events (every state change and correction, versioned) and the import log.

v2: ``waste_manifest_lines.containers_received`` (nullable), the pieces counted at
receipt, for the piece-count check R3.pieces (转移管理办法 Art. 18 ¶2: 数量 不符).
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS waste_actors (
        actor_id VARCHAR PRIMARY KEY, roles VARCHAR[] NOT NULL, name VARCHAR NOT NULL,
        credit_code VARCHAR, region VARCHAR NOT NULL, address VARCHAR, lon DOUBLE, lat DOUBLE,
        unit_class VARCHAR
    );
    CREATE TABLE IF NOT EXISTS waste_permits (
        permit_no VARCHAR PRIMARY KEY, actor_id VARCHAR NOT NULL, kind VARCHAR NOT NULL,
        valid_from DATE NOT NULL, valid_to DATE NOT NULL, annual_capacity_t DOUBLE,
        codes VARCHAR[] NOT NULL
    );
    CREATE TABLE IF NOT EXISTS waste_approvals (
        approval_no VARCHAR PRIMARY KEY, from_province VARCHAR NOT NULL, to_province VARCHAR NOT NULL,
        producer_id VARCHAR NOT NULL, receiver_id VARCHAR NOT NULL, codes VARCHAR[] NOT NULL,
        quantity_t DOUBLE NOT NULL, method VARCHAR, valid_from DATE NOT NULL, valid_to DATE NOT NULL
    );
    CREATE TABLE IF NOT EXISTS waste_manifests (
        manifest_no VARCHAR PRIMARY KEY, producer_id VARCHAR NOT NULL, transporter_id VARCHAR,
        receiver_id VARCHAR NOT NULL, approval_no VARCHAR, status VARCHAR NOT NULL,
        paper BOOLEAN NOT NULL DEFAULT false, shipped_at TIMESTAMP, arrived_at TIMESTAMP,
        confirmed_at TIMESTAMP, closed_at TIMESTAMP, backfilled_at TIMESTAMP, vehicle VARCHAR,
        producers_on_manifest INTEGER NOT NULL DEFAULT 1
    );
    CREATE TABLE IF NOT EXISTS waste_manifest_lines (
        manifest_no VARCHAR NOT NULL, line_no INTEGER NOT NULL, code VARCHAR NOT NULL,
        form VARCHAR, packaging VARCHAR, containers INTEGER, qty_shipped_t DOUBLE NOT NULL,
        qty_received_t DOUBLE, code_received VARCHAR, form_received VARCHAR,
        packaging_received VARCHAR, PRIMARY KEY (manifest_no, line_no)
    );
    CREATE TABLE IF NOT EXISTS waste_manifest_events (
        manifest_no VARCHAR NOT NULL, seq INTEGER NOT NULL, "at" TIMESTAMP NOT NULL,
        event VARCHAR NOT NULL, from_status VARCHAR, to_status VARCHAR NOT NULL,
        version INTEGER NOT NULL, detail JSON, PRIMARY KEY (manifest_no, seq)
    );
    CREATE TABLE IF NOT EXISTS waste_ledger (
        actor_id VARCHAR NOT NULL, batch_code VARCHAR NOT NULL, stage VARCHAR NOT NULL,
        "at" TIMESTAMP NOT NULL, code VARCHAR NOT NULL, quantity_t DOUBLE NOT NULL,
        container_code VARCHAR, linked_batch VARCHAR, facility VARCHAR,
        PRIMARY KEY (actor_id, batch_code, stage)
    );
    CREATE TABLE IF NOT EXISTS waste_declarations (
        actor_id VARCHAR NOT NULL, kind VARCHAR NOT NULL, period VARCHAR NOT NULL,
        submitted_at TIMESTAMP, PRIMARY KEY (actor_id, kind, period)
    );
    CREATE TABLE IF NOT EXISTS waste_alerts (
        rule VARCHAR NOT NULL, subject VARCHAR NOT NULL, "at" TIMESTAMP, evidence JSON,
        source VARCHAR, PRIMARY KEY (rule, subject)
    );
    CREATE TABLE IF NOT EXISTS waste_imports (
        id INTEGER PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, kind VARCHAR NOT NULL,
        files VARCHAR NOT NULL, rows_in BIGINT NOT NULL, rows_new BIGINT NOT NULL,
        rows_revised BIGINT NOT NULL, rows_unchanged BIGINT NOT NULL
    );
    """,
    "ALTER TABLE waste_manifest_lines ADD COLUMN IF NOT EXISTS containers_received INTEGER;",
)
