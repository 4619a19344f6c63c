"""Fact tables computed from the frames (owned by the facts pipeline): hourly and daily
series with their compliance, exceedance events with their evidence (the frames),
abnormal-data alarms, yellow/red cards, annual emission totals, the reported totals
(statistics, the base year of the reduction indicators) and the log of computations.

A computation replaces the facts of its period in one transaction (idempotent).
"""

from __future__ import annotations

__all__ = ["SQL"]

SQL = """
CREATE TABLE IF NOT EXISTS sources_hourly (
    outlet_id VARCHAR NOT NULL, mn VARCHAR NOT NULL, medium VARCHAR, factor VARCHAR NOT NULL,
    hour TIMESTAMP NOT NULL, avg DOUBLE, zs_avg DOUBLE, min DOUBLE, max DOUBLE, cou DOUBLE,
    records INTEGER NOT NULL, valid_minutes INTEGER NOT NULL, stopped_minutes INTEGER NOT NULL,
    flag VARCHAR NOT NULL, status VARCHAR NOT NULL, source VARCHAR NOT NULL, limit_value DOUBLE,
    limit_ref_o2 DOUBLE, value DOUBLE, exceed BOOLEAN, PRIMARY KEY (mn, factor, hour)
);
CREATE TABLE IF NOT EXISTS sources_daily (
    outlet_id VARCHAR NOT NULL, mn VARCHAR NOT NULL, medium VARCHAR, factor VARCHAR NOT NULL,
    day TIMESTAMP NOT NULL, avg DOUBLE, zs_avg DOUBLE, min DOUBLE, max DOUBLE, cou DOUBLE,
    hours INTEGER NOT NULL, valid_hours INTEGER NOT NULL, stopped_hours INTEGER NOT NULL,
    status VARCHAR NOT NULL, source VARCHAR NOT NULL, limit_value DOUBLE, limit_ref_o2 DOUBLE,
    value DOUBLE, exceed BOOLEAN, PRIMARY KEY (mn, factor, day)
);
CREATE TABLE IF NOT EXISTS sources_exceedances (
    event_id VARCHAR PRIMARY KEY, outlet_id VARCHAR NOT NULL, mn VARCHAR NOT NULL,
    credit_code VARCHAR, region VARCHAR, factor VARCHAR NOT NULL, basis VARCHAR NOT NULL,
    start TIMESTAMP NOT NULL, "end" TIMESTAMP NOT NULL, periods INTEGER NOT NULL,
    max_value DOUBLE, mean_value DOUBLE, limit_value DOUBLE, ref_o2 DOUBLE
);
CREATE TABLE IF NOT EXISTS sources_evidence (
    event_id VARCHAR NOT NULL, frame_id BIGINT NOT NULL, PRIMARY KEY (event_id, frame_id)
);
CREATE TABLE IF NOT EXISTS sources_alarms (
    alarm_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, mn VARCHAR NOT NULL, outlet_id VARCHAR,
    credit_code VARCHAR, region VARCHAR, factor VARCHAR, start TIMESTAMP NOT NULL, "end" TIMESTAMP,
    value DOUBLE, records BIGINT
);
CREATE TABLE IF NOT EXISTS sources_cards (
    quarter VARCHAR NOT NULL, credit_code VARCHAR NOT NULL, region VARCHAR, card VARCHAR NOT NULL,
    causes VARCHAR NOT NULL, persisting VARCHAR NOT NULL, PRIMARY KEY (quarter, credit_code)
);
CREATE TABLE IF NOT EXISTS sources_totals (
    year INTEGER NOT NULL, credit_code VARCHAR NOT NULL, region VARCHAR NOT NULL, factor VARCHAR NOT NULL,
    tonnes DOUBLE, days BIGINT NOT NULL, expected_days BIGINT NOT NULL, outlets BIGINT NOT NULL,
    PRIMARY KEY (year, credit_code, factor)
);
CREATE TABLE IF NOT EXISTS sources_reported (
    region VARCHAR NOT NULL, year INTEGER NOT NULL, factor VARCHAR NOT NULL, tonnes DOUBLE NOT NULL,
    source VARCHAR NOT NULL, file VARCHAR NOT NULL, line INTEGER NOT NULL, recorded_at TIMESTAMP NOT NULL,
    PRIMARY KEY (region, year, factor)
);
CREATE TABLE IF NOT EXISTS sources_fact_runs (
    id INTEGER PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, engine VARCHAR NOT NULL,
    start TIMESTAMP NOT NULL, "end" TIMESTAMP NOT NULL, counts JSON NOT NULL
);
"""
