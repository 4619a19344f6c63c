"""Frame tables: every acknowledged frame once (``sources_frames``, the raw text kept as
evidence), its data area one row per (MN, CN, DataTime, factor) (``sources_values``), the
frames that failed (``sources_quarantine``, with their reason code), and how far each raw
log has been ingested (``sources_log_offsets``, moved in the same transaction as the rows).

Duplicates (a device resending a frame whose 9014 it missed) are recognised by
(MN, CN, QN, DataTime) (hj212 spec §11 item 4) and not stored twice.

No index on the three growing tables: DuckDB maintains an ART index (PRIMARY KEY, UNIQUE)
row by row and rewrites it at every checkpoint, which made the ingest slow down as the
tables grew (833,688 frames: 726 s). Uniqueness is kept by construction instead, in
``storage/frames.py``: every batch is inserted through an anti-join against the table,
inside the one write transaction the catalog allows at a time — a frame only if its
(MN, CN, QN, DataTime) is in neither the table nor earlier in the batch; a value only if
its (MN, CN, DataTime, factor) is not; ``frame_id`` is the stored maximum plus the rank in
the batch; a quarantine row only if its (log, seg, pos) is not stored. The keys are
documented below as comments; ``tests/sources/test_ingest.py`` checks a duplicate is never
stored.
"""

from __future__ import annotations

__all__ = ["SQL"]

SQL = """
CREATE TABLE IF NOT EXISTS sources_frames (
    frame_id BIGINT NOT NULL, log VARCHAR NOT NULL, seg INTEGER NOT NULL, pos BIGINT NOT NULL,
    received_at TIMESTAMP NOT NULL, peer VARCHAR, mn VARCHAR, st VARCHAR, cn VARCHAR, qn VARCHAR,
    data_time TIMESTAMP, flag INTEGER, edition VARCHAR, rf BOOLEAN NOT NULL DEFAULT FALSE,
    status VARCHAR NOT NULL, raw VARCHAR NOT NULL
    -- unique: frame_id; (mn, cn, qn, data_time) — by construction, see above
);
CREATE TABLE IF NOT EXISTS sources_values (
    frame_id BIGINT NOT NULL, mn VARCHAR NOT NULL, cn VARCHAR NOT NULL,
    data_time TIMESTAMP NOT NULL, factor VARCHAR NOT NULL,
    rtd DOUBLE, avg DOUBLE, min DOUBLE, max DOUBLE, cou DOUBLE,
    zs_rtd DOUBLE, zs_avg DOUBLE, zs_min DOUBLE, zs_max DOUBLE,
    flag VARCHAR, eflag VARCHAR, extra JSON
    -- unique: (mn, cn, data_time, factor) — by construction, see above
);
CREATE TABLE IF NOT EXISTS sources_quarantine (
    log VARCHAR NOT NULL, seg INTEGER NOT NULL, pos BIGINT NOT NULL, received_at TIMESTAMP NOT NULL,
    peer VARCHAR, mn VARCHAR, reason VARCHAR NOT NULL, detail VARCHAR, raw BLOB NOT NULL
    -- unique: (log, seg, pos) — by construction, see above
);
CREATE TABLE IF NOT EXISTS sources_log_offsets (
    log VARCHAR PRIMARY KEY, seg INTEGER NOT NULL, pos BIGINT NOT NULL, updated_at TIMESTAMP NOT NULL
);
"""
