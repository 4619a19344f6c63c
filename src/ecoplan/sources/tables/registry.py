"""Registry and permit tables: enterprises (统一社会信用代码), outlets, devices (MN, PW,
ST), permits (排污许可证) with their limits and permitted annual quantities.

Every import is logged (``sources_imports``), its rejects kept by file and row, and every
changed row recorded in ``sources_revisions`` (old and new row as JSON).
"""

from __future__ import annotations

__all__ = ["SQL"]

SQL = """
CREATE TABLE IF NOT EXISTS sources_enterprises (
    credit_code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, region VARCHAR NOT NULL,
    industry VARCHAR, address VARCHAR, lon DOUBLE, lat DOUBLE, key_unit BOOLEAN,
    import_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sources_outlets (
    outlet_id VARCHAR PRIMARY KEY, credit_code VARCHAR NOT NULL, medium VARCHAR NOT NULL,
    name VARCHAR, lon DOUBLE, lat DOUBLE, standard VARCHAR, ref_o2 DOUBLE,
    import_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sources_devices (
    mn VARCHAR PRIMARY KEY, outlet_id VARCHAR NOT NULL, st VARCHAR NOT NULL, pw VARCHAR NOT NULL,
    edition VARCHAR NOT NULL, sm4_key VARCHAR, active BOOLEAN NOT NULL, import_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sources_permits (
    permit_no VARCHAR PRIMARY KEY, credit_code VARCHAR NOT NULL, valid_from DATE NOT NULL,
    valid_to DATE NOT NULL, report_cycle VARCHAR, import_id INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS sources_permit_limits (
    permit_no VARCHAR NOT NULL, outlet_id VARCHAR NOT NULL, factor VARCHAR NOT NULL,
    limit_value DOUBLE NOT NULL, unit VARCHAR NOT NULL, basis VARCHAR NOT NULL, ref_o2 DOUBLE,
    standard VARCHAR, import_id INTEGER NOT NULL, PRIMARY KEY (permit_no, outlet_id, factor, basis)
);
CREATE TABLE IF NOT EXISTS sources_permit_quantities (
    permit_no VARCHAR NOT NULL, factor VARCHAR NOT NULL, year INTEGER NOT NULL,
    quantity_t DOUBLE NOT NULL, import_id INTEGER NOT NULL, PRIMARY KEY (permit_no, factor, year)
);
CREATE TABLE IF NOT EXISTS sources_imports (
    id INTEGER PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, format VARCHAR NOT NULL,
    kind VARCHAR NOT NULL, files VARCHAR NOT NULL, rows_in BIGINT NOT NULL,
    rows_new BIGINT NOT NULL, rows_revised BIGINT NOT NULL, rows_unchanged BIGINT NOT NULL,
    rejects JSON NOT NULL
);
CREATE TABLE IF NOT EXISTS sources_rejects (
    import_id INTEGER NOT NULL, file VARCHAR NOT NULL, row BIGINT, field VARCHAR,
    value VARCHAR, reason VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS sources_revisions (
    import_id INTEGER NOT NULL, kind VARCHAR NOT NULL, id VARCHAR NOT NULL,
    old_row JSON NOT NULL, new_row JSON NOT NULL, recorded_at TIMESTAMP NOT NULL
);
"""
