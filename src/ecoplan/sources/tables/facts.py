"""Fact tables computed from the frames (owned by the facts pipeline): hourly series and
their compliance, exceedance events with their evidence, abnormal-data alarms, yellow/red
cards, annual emission totals and the reported base-year totals.
"""

from __future__ import annotations

__all__ = ["SQL"]

SQL = """
CREATE TABLE IF NOT EXISTS sources_hourly (
    outlet_id VARCHAR NOT NULL, mn VARCHAR NOT NULL, factor VARCHAR NOT NULL, hour TIMESTAMP NOT NULL,
    avg DOUBLE, zs_avg DOUBLE, min DOUBLE, max DOUBLE, cou DOUBLE, valid_minutes INTEGER NOT NULL,
    flags VARCHAR, status VARCHAR NOT NULL, PRIMARY KEY (outlet_id, factor, hour)
);
"""
