"""Frame tables: every acknowledged frame once (``sources_frames``, the raw text kept as
evidence), its data area one row per (MN, CN, DataTime, factor) (``sources_values``), the
frames that failed (``sources_quarantine``, with their reason code), and how far each raw
log has been ingested (``sources_log_offsets``, moved in the same transaction as the rows).

Duplicates (a device resending a frame whose 9014 it missed) are recognised by
(MN, CN, QN, DataTime) (hj212 spec §11 item 4) and not stored twice.
"""

from __future__ import annotations

__all__ = ["SQL"]

SQL = """
CREATE TABLE IF NOT EXISTS sources_frames (
    frame_id BIGINT PRIMARY KEY, log VARCHAR NOT NULL, seg INTEGER NOT NULL, pos BIGINT NOT NULL,
    received_at TIMESTAMP NOT NULL, peer VARCHAR, mn VARCHAR, st VARCHAR, cn VARCHAR, qn VARCHAR,
    data_time TIMESTAMP, flag INTEGER, edition VARCHAR, rf BOOLEAN NOT NULL DEFAULT FALSE,
    status VARCHAR NOT NULL, raw VARCHAR NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS sources_frames_key ON sources_frames (mn, cn, qn, data_time);
CREATE TABLE IF NOT EXISTS sources_values (
    frame_id BIGINT NOT NULL, mn VARCHAR NOT NULL, cn VARCHAR NOT NULL,
    data_time TIMESTAMP NOT NULL, factor VARCHAR NOT NULL,
    rtd DOUBLE, avg DOUBLE, min DOUBLE, max DOUBLE, cou DOUBLE,
    zs_rtd DOUBLE, zs_avg DOUBLE, zs_min DOUBLE, zs_max DOUBLE,
    flag VARCHAR, eflag VARCHAR, extra JSON,
    PRIMARY KEY (mn, cn, data_time, factor)
);
CREATE TABLE IF NOT EXISTS sources_quarantine (
    log VARCHAR NOT NULL, seg INTEGER NOT NULL, pos BIGINT NOT NULL, received_at TIMESTAMP NOT NULL,
    peer VARCHAR, mn VARCHAR, reason VARCHAR NOT NULL, detail VARCHAR, raw BLOB NOT NULL,
    PRIMARY KEY (log, seg, pos)
);
CREATE TABLE IF NOT EXISTS sources_log_offsets (
    log VARCHAR PRIMARY KEY, seg INTEGER NOT NULL, pos BIGINT NOT NULL, updated_at TIMESTAMP NOT NULL
);
"""
