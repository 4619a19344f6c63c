"""Incident times are kept in the reporting zone (``ecoplan.risk.clock``), whatever the
server's own zone: an incident found half an hour ago in Beijing is not "in the future" on
a server running on UTC, and a time written with an offset is converted into the zone.
Real DuckDB file through the app; the process zone set to UTC for these tests."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from ecoplan.app import Ecoplan
from ecoplan.risk.clock import local_now, to_local

INCIDENT: dict[str, Any] = {
    "place": {"lon": 118.80, "lat": 32.05, "name": "化工园区储罐区"},
    "substance": "氯气",
    "release": {"rate_g_s": 1000, "height_m": 0},
    "weather": {"wind_m_s": 2.0, "wind_from_deg": 270, "stability": "D"},
    "loc": {"unit": "mg_m3", "red": 58, "orange": 5.8, "yellow": 1.5},
    "counts": {"poisoned": 12},
}


@pytest.fixture
def utc_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The server's own zone is UTC (as on this machine and most containers)."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("ECOPLAN_TZ", raising=False)
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def ep(tmp_path: Path) -> Iterator[Ecoplan]:
    with Ecoplan(tmp_path / "zone.duckdb") as session:
        session.init()
        yield session


def test_local_now_is_beijing_time_on_a_utc_server(utc_process: None) -> None:
    beijing = dt.datetime.now(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    assert abs((local_now() - beijing).total_seconds()) < 5
    assert abs((local_now() - dt.datetime.now()).total_seconds() - 8 * 3600) < 5


def test_offsets_are_converted_into_the_zone() -> None:
    assert to_local(dt.datetime.fromisoformat("2025-06-01T01:30+00:00")) == dt.datetime(2025, 6, 1, 9, 30)
    assert to_local(dt.datetime.fromisoformat("2025-06-01T09:30+08:00")) == dt.datetime(2025, 6, 1, 9, 30)
    assert to_local(dt.datetime(2025, 6, 1, 9, 30)) == dt.datetime(2025, 6, 1, 9, 30)  # naive: local


def test_another_zone_by_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ECOPLAN_TZ", "Asia/Urumqi")  # UTC+6
    assert to_local(dt.datetime.fromisoformat("2025-06-01T01:30Z")) == dt.datetime(2025, 6, 1, 7, 30)


def test_an_incident_of_half_an_hour_ago_on_a_utc_server(utc_process: None, ep: Ecoplan) -> None:
    found = local_now() - dt.timedelta(minutes=30)
    got = ep.risk.record_incident({**INCIDENT, "time": f"{found:%Y-%m-%d %H:%M}"}, region="320100")
    assert got["recorded"] and got["discovered_at"] == f"{found:%Y-%m-%dT%H:%M}"
    # 较大 (12 poisoned): the 4-hour clock, open, due 4 h after discovery in local time
    assert [c["state"] for c in got["clocks"]] == ["open"]
    assert got["clocks"][0]["due"] == f"{found + dt.timedelta(hours=4):%Y-%m-%dT%H:%M}"
    made = ep.risk.report_made(got["incident_id"], "initial")  # now: local time, not refused
    assert [c["state"] for c in made["clocks"]] == ["on_time"]


def test_a_time_with_an_offset_is_stored_as_local_time(ep: Ecoplan) -> None:
    got = ep.risk.record_incident(
        {**INCIDENT, "time": "2025-06-01T01:30:00Z"}, region="320100", now=dt.datetime(2025, 6, 1, 12, 0)
    )
    assert got["discovered_at"] == "2025-06-01T09:30"


def test_a_retried_report_without_a_time_is_stored_once(ep: Ecoplan) -> None:
    got = ep.risk.record_incident(
        {**INCIDENT, "time": "2025-06-01 09:30"}, region="320100", now=dt.datetime(2025, 6, 1, 9, 40)
    )
    first = ep.risk.report_made(got["incident_id"], "initial", now=dt.datetime(2025, 6, 1, 10, 0, 5))
    again = ep.risk.report_made(got["incident_id"], "initial", now=dt.datetime(2025, 6, 1, 10, 0, 40))
    assert first["recorded"] is not False and again["recorded"] is False
    assert [r["made_at"] for r in again["reports"]] == ["2025-06-01T10:00"]
