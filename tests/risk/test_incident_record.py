"""Recorded incidents (issue #14 item 8): stored with their result through ``ep.risk`` on a
real DuckDB file, the Art. 3 reporting clocks (初报 within 4 h for 一般/较大, 2 h for
重大/特别重大 and the province's hour after it receives the report; 突发环境事件信息报告办法
Arts. 3, 12, 13) with overdue and late flags, reports made, their refusals, the audit rows,
idempotent re-recording, nothing half-written, and the CLI.

Expected deadlines are written out from the order's text (discovered + 4 h / 2 h / 1 h),
never computed with the code under test."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.core.access import Principal, Role
from ecoplan.core.errors import EcoplanError, Forbidden, NotFound
from ecoplan.risk.incidents import clocks
from ecoplan.store import faults

T = dt.datetime.fromisoformat
#: 12 poisoned: 较大 (annex III.1, 10–50), the 4-hour clock
LARGE: dict[str, Any] = {
    "time": "2025-06-01 09:30",
    "place": {"lon": 118.80, "lat": 32.05, "name": "化工园区储罐区"},
    "substance": "氯气",
    "release": {"rate_g_s": 1000, "height_m": 0},
    "weather": {"wind_m_s": 2.0, "wind_from_deg": 270, "stability": "D"},
    "loc": {"unit": "mg_m3", "red": 58, "orange": 5.8, "yellow": 1.5},
    "counts": {"poisoned": 12},
}
#: 12 000 evacuated: 重大 (annex II.2, 10 000–50 000), the 2-hour clock and the province's hour
MAJOR: dict[str, Any] = {**LARGE, "time": "2025-06-02 08:00", "counts": {"evacuated": 12_000}}
NANJING = "320100"


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("incidents") / "init.duckdb"
    with Ecoplan(db) as session:
        session.init()
    return db


@pytest.fixture
def db(initialised: Path, tmp_path: Path) -> Path:
    path = tmp_path / "ep.duckdb"
    shutil.copyfile(initialised, path)
    return path


@pytest.fixture
def ep(db: Path) -> Iterator[Ecoplan]:
    with Ecoplan(db) as session:
        yield session


def _count(ep: Ecoplan, table: str) -> int:
    row = ep.catalog.con.execute(f"SELECT count(*) FROM {table}").fetchone()
    assert row is not None
    return int(row[0])


def _audit(ep: Ecoplan, action: str) -> list[dict[str, Any]]:
    return [r for r in ep.audit.rows(Principal.shell(), limit=None) if r["action"] == action]


# -- the clocks, pure ---------------------------------------------------------------------


def test_a_large_incident_has_four_hours() -> None:
    at = T("2025-06-01 09:30")
    running = clocks("III", at, None, [], T("2025-06-01 13:30"))
    assert [(c["by"], c["due"], c["state"]) for c in running["clocks"]] == [
        ("local_bureau", "2025-06-01T13:30", "open")
    ]
    assert running["next_due"] == "2025-06-01T13:30" and not running["overdue"]
    late = clocks("III", at, None, [], T("2025-06-01 13:31"))
    assert late["clocks"][0]["state"] == "overdue" and late["overdue"] and late["next_due"] is None
    initial = [{"kind": "initial", "party": "local_bureau", "made_at": "2025-06-01T14:00"}]
    made = clocks("IV", at, None, initial, T("2025-06-09 00:00"))
    assert made["clocks"][0]["state"] == "late" and made["late"] and not made["overdue"]


def test_a_major_incident_has_two_hours_and_the_province_one() -> None:
    at = T("2025-06-02 08:00")
    none = clocks("II", at, None, [], T("2025-06-02 09:00"))
    # the province's hour counted from the local deadline while the local report is not made
    assert [(c["by"], c["due"], c["state"]) for c in none["clocks"]] == [
        ("local_bureau", "2025-06-02T10:00", "open"),
        ("provincial_bureau", "2025-06-02T11:00", "open"),
    ]
    local = [{"kind": "initial", "party": "local_bureau", "made_at": "2025-06-02T09:10"}]
    after = clocks("II", at, None, local, T("2025-06-02 10:30"))
    assert [(c["due"], c["state"]) for c in after["clocks"]] == [
        ("2025-06-02T10:00", "on_time"),
        ("2025-06-02T10:10", "overdue"),  # one hour after the province received it (09:10)
    ]
    told = clocks("I", at, T("2025-06-02 09:40"), local, T("2025-06-02 10:30"))
    assert told["clocks"][1]["due"] == "2025-06-02T10:40" and told["clocks"][1]["state"] == "open"


def test_the_final_report_closes() -> None:
    rs = [
        {"kind": "final", "party": "local_bureau", "made_at": "2025-06-05T18:00"},
        {"kind": "initial", "party": "local_bureau", "made_at": "2025-06-01T10:00"},
    ]
    got = clocks("III", T("2025-06-01 09:30"), None, rs, T("2025-07-01 00:00"))
    assert got["closed_at"] == "2025-06-05T18:00" and got["clocks"][0]["state"] == "on_time"


@settings(max_examples=200, deadline=None)
@given(
    grade=st.sampled_from(["I", "II", "III", "IV"]),
    start=st.datetimes(min_value=dt.datetime(2012, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    minutes=st.integers(min_value=0, max_value=600),
    made=st.one_of(st.none(), st.integers(min_value=0, max_value=600)),
)
def test_the_local_clock_by_the_hours_of_art_3(
    grade: str, start: dt.datetime, minutes: int, made: int | None
) -> None:
    start = start.replace(second=0, microsecond=0)
    hours = 4 if grade in ("III", "IV") else 2
    due = start + dt.timedelta(hours=hours)
    now = start + dt.timedelta(minutes=minutes)
    reports = [] if made is None else [
        {"kind": "initial", "party": "local_bureau", "made_at": start + dt.timedelta(minutes=made)}
    ]  # fmt: skip
    c = clocks(grade, start, None, reports, now)["clocks"][0]
    assert c["due"] == due.isoformat(timespec="minutes")
    if made is None or made > minutes:  # a report made after ``now`` is not made yet
        assert c["state"] == ("open" if minutes <= hours * 60 else "overdue")
    else:
        assert c["state"] == ("on_time" if made <= hours * 60 else "late")


# -- stored through ep.risk ------------------------------------------------------------------


def test_record_list_show_and_the_audit_row(ep: Ecoplan) -> None:
    now = T("2025-06-01 12:00")
    got = ep.risk.record_incident(LARGE, region=NANJING, now=now)
    assert got["recorded"] and got["incident_id"] == 1
    assert (got["grade"], got["reporting_grade"], got["region"]) == ("III", "III", NANJING)
    assert got["discovered_at"] == "2025-06-01T09:30" and got["recorded_at"] == "2025-06-01T12:00"
    assert [(c["due"], c["state"]) for c in got["clocks"]] == [("2025-06-01T13:30", "open")]
    assert got["result"]["grade"]["grounds"][0]["clause"] == "III.1"
    assert [z["level"] for z in got["result"]["zones"]] == ["red", "orange", "yellow"]
    assert got["input"] == LARGE
    rows = _audit(ep, "risk.incident.record")
    assert [(r["target"], r["region"], r["outcome"]) for r in rows] == [("risk/incident/1", NANJING, "ok")]
    # the same input again: nothing new, no audit row
    again = ep.risk.record_incident(LARGE, region=NANJING, now=now)
    assert not again["recorded"] and again["incident_id"] == 1
    assert _count(ep, "risk_incidents") == 1 and len(_audit(ep, "risk.incident.record")) == 1
    second = ep.risk.record_incident(MAJOR, region=NANJING, now=T("2025-06-02 08:30"))
    assert second["incident_id"] == 2 and second["reporting_grade"] == "II"
    listed = ep.risk.incidents(as_of=T("2025-06-02 09:00"))
    assert [r["incident_id"] for r in listed] == [2, 1]  # newest first
    assert [r["overdue"] for r in listed] == [False, True]
    assert "result" not in listed[0]
    assert [r["incident_id"] for r in ep.risk.incidents(overdue=True, as_of=T("2025-06-02 09:00"))] == [1]
    assert ep.risk.incidents(region="110000") == []
    assert len(ep.risk.incidents(region="320000")) == 2
    with pytest.raises(NotFound):
        ep.risk.incident(9)


def test_reports_stop_the_clocks_and_close(ep: Ecoplan) -> None:
    ep.risk.record_incident(MAJOR, region=NANJING, now=T("2025-06-02 08:30"))
    now = T("2025-06-03 12:00")
    r1 = ep.risk.report_made(1, "initial", T("2025-06-02 09:30"), now=now)
    assert r1["recorded"] and [(c["by"], c["state"]) for c in r1["clocks"]] == [
        ("local_bureau", "on_time"),
        ("provincial_bureau", "overdue"),  # due 10:30, one hour after the local report
    ]
    assert r1["clocks"][1]["due"] == "2025-06-02T10:30"
    same = ep.risk.report_made(1, "initial", T("2025-06-02 09:30"), now=now)
    assert not same["recorded"] and _count(ep, "risk_incident_reports") == 1
    r2 = ep.risk.report_made(1, "initial", T("2025-06-02 10:45"), party="provincial_bureau", now=now)
    assert r2["clocks"][1]["state"] == "late" and not r2["overdue"] and r2["late"]
    ep.risk.report_made(1, "progress", T("2025-06-02 15:00"), note="监测数据", now=now)
    r4 = ep.risk.report_made(1, "final", T("2025-06-03 11:00"), now=now)
    assert r4["closed_at"] == "2025-06-03T11:00"
    assert [(r["seq"], r["kind"], r["party"]) for r in r4["reports"]] == [
        (1, "initial", "local_bureau"),
        (2, "initial", "provincial_bureau"),
        (3, "progress", "local_bureau"),
        (4, "final", "local_bureau"),
    ]
    assert r4["reports"][2]["note"] == "监测数据"
    assert [r["target"] for r in _audit(ep, "risk.incident.report")] == [
        f"risk/incident/1/{i}" for i in (1, 2, 3, 4)
    ]
    with pytest.raises(EcoplanError) as e:
        ep.risk.report_made(1, "progress", T("2025-06-03 11:30"), now=now)
    assert e.value.key == "risk.incident.error.closed"


@pytest.mark.parametrize(
    ("kind", "at", "party", "key"),
    [
        ("initial", "2025-06-01 09:00", "local_bureau", "report_before"),  # before discovery
        ("initial", "2025-06-01 13:00", "local_bureau", "report_future"),  # after now (12:00)
        ("progress", "2025-06-01 11:00", "local_bureau", "no_initial"),  # Art. 13
        ("initial", "2025-06-01 11:00", "provincial_bureau", "province_grade"),  # a 较大 incident
        ("urgent", "2025-06-01 11:00", "local_bureau", "choice"),
        ("initial", "2025-06-01 11:00", "ministry", "choice"),
    ],
)
def test_reports_refused(ep: Ecoplan, kind: str, at: str, party: str, key: str) -> None:
    ep.risk.record_incident(LARGE, region=NANJING, now=T("2025-06-01 10:00"))
    with pytest.raises(EcoplanError) as e:
        ep.risk.report_made(1, kind, T(at), party=party, now=T("2025-06-01 12:00"))
    assert e.value.key == f"risk.incident.error.{key}"
    assert _count(ep, "risk_incident_reports") == 0 and _audit(ep, "risk.incident.report") == []


def test_a_second_initial_report_and_one_before_it(ep: Ecoplan) -> None:
    ep.risk.record_incident(LARGE, region=NANJING, now=T("2025-06-01 10:00"))
    now = T("2025-06-01 12:00")
    ep.risk.report_made(1, "initial", T("2025-06-01 10:30"), now=now)
    for kind, at, key in (("initial", "2025-06-01 11:00", "initial_twice"),
                          ("progress", "2025-06-01 10:00", "before_initial")):  # fmt: skip
        with pytest.raises(EcoplanError) as e:
            ep.risk.report_made(1, kind, T(at), now=now)
        assert e.value.key == f"risk.incident.error.{key}"
    with pytest.raises(NotFound):
        ep.risk.report_made(7, "initial", T("2025-06-01 10:30"), now=now)


def test_bad_incidents_are_refused_whole(ep: Ecoplan) -> None:
    cases = [
        ({**LARGE, "time": "2025-06-01 13:00"}, NANJING, "future"),  # discovered after now
        ({**LARGE, "province_received_at": "2025-06-01 09:00"}, NANJING, "received_before"),
        ({**LARGE, "weather": {"wind_m_s": 2, "stability": "Q"}}, NANJING, "choice"),
        ({**LARGE, "release": {"rate_g_s": -5}}, NANJING, "number"),
    ]
    for data, region, key in cases:
        with pytest.raises(EcoplanError) as e:
            ep.risk.record_incident(data, file="bad.yaml", region=region, now=T("2025-06-01 12:00"))
        assert e.value.key == f"risk.incident.error.{key}", data
        assert "bad.yaml" in e.value.message("en")
    with pytest.raises(NotFound):
        ep.risk.record_incident(LARGE, region="999999", now=T("2025-06-01 12:00"))
    assert _count(ep, "risk_incidents") == 0 and _audit(ep, "risk.incident.record") == []


def test_principals_of_the_region_only(ep: Ecoplan) -> None:
    now = T("2025-06-01 12:00")
    viewer = Principal("nj-viewer", Role.VIEWER, NANJING, via="token")
    other = Principal("bj-reporter", Role.REPORTER, "110000", via="token")
    for who in (viewer, other):
        with pytest.raises(Forbidden):
            ep.risk.record_incident(LARGE, region=NANJING, who=who, now=now)
    denied = _audit(ep, "risk.incident.record")
    assert [(r["actor"], r["outcome"]) for r in denied] == [
        ("nj-viewer", "denied"),
        ("bj-reporter", "denied"),
    ]
    js = Principal("js-reporter", Role.REPORTER, "320000", via="token", source="10.0.0.1")
    got = ep.risk.record_incident(LARGE, region=NANJING, who=js, now=now)
    assert got["recorded_by"] == "js-reporter"
    with pytest.raises(Forbidden):
        ep.risk.report_made(1, "initial", T("2025-06-01 10:00"), who=other, now=now)
    ep.risk.report_made(1, "initial", T("2025-06-01 10:00"), who=js, now=now)
    last = _audit(ep, "risk.incident.report")[-1]
    assert (last["actor"], last["source"], last["outcome"]) == ("js-reporter", "10.0.0.1", "ok")


def test_the_registry_targets_are_screened(ep: Ecoplan, tmp_path: Path) -> None:
    # a school 900 m downwind (east) of the site: inside the red zone (reaches ~968 m)
    lon = 118.80 + 900 / (111_195.08 * 0.847_307)
    csv = tmp_path / "targets.csv"
    csv.write_text(f"target_id,name,kind,lon,lat\nS1,第一小学,school,{lon:.6f},32.05\n", encoding="utf-8")
    ep.risk.load("targets", [csv])
    got = ep.risk.record_incident(LARGE, region=NANJING, now=T("2025-06-01 12:00"))
    inside = {t["id"]: t["zone"] for t in got["result"]["targets"]}
    assert inside == {"S1": "red"}
    assert "sensitive_area" in got["result"]["art4_hints"]


def test_a_fault_before_the_commit_stores_nothing(ep: Ecoplan) -> None:
    with faults.armed("risk.before_commit"), pytest.raises(faults.InjectedFault):
        ep.risk.record_incident(LARGE, region=NANJING, now=T("2025-06-01 12:00"))
    assert _count(ep, "risk_incidents") == 0 and _audit(ep, "risk.incident.record") == []
    assert ep.risk.record_incident(LARGE, region=NANJING, now=T("2025-06-01 12:00"))["incident_id"] == 1


# -- the CLI ---------------------------------------------------------------------------------


def test_cli_record_list_report(db: Path, tmp_path: Path) -> None:
    f = tmp_path / "inc.yaml"
    f.write_text(yaml.safe_dump(LARGE, allow_unicode=True), encoding="utf-8")
    run = CliRunner().invoke
    r = run(
        cli_app,
        ["risk", "incident", str(f), "--record", "--region", NANJING, "--db", str(db), "--lang", "en"],
    )
    assert r.exit_code == 0, r.output
    assert "recorded as incident 1" in r.output
    assert "initial report due 2025-06-01 13:30, overdue" in r.output
    r = run(
        cli_app,
        ["risk", "incident", str(f), "--record", "--region", NANJING, "--db", str(db), "--format", "json"],
    )
    assert r.exit_code == 0 and json.loads(r.output)["recorded"] is False
    r = run(
        cli_app, ["risk", "report", "1", "--kind", "initial", "--at", "2025-06-01 14:00", "--db", str(db)]
    )
    assert r.exit_code == 0, r.output
    assert "迟报" in r.output  # made after 13:30: late
    r = run(cli_app, ["risk", "report", "1", "--kind", "final", "--at", "2025-06-01 10:00", "--db", str(db),
                      "--lang", "en"])  # fmt: skip
    assert r.exit_code == 1 and "before the initial report" in r.output
    r = run(cli_app, ["risk", "report", "1", "--kind", "sideways", "--db", str(db)])
    assert r.exit_code != 0
    r = run(cli_app, ["risk", "incidents", "--db", str(db), "--format", "json"])
    rows = json.loads(r.output)
    assert [(x["incident_id"], x["late"], x["overdue"]) for x in rows] == [(1, True, False)]
    r = run(cli_app, ["risk", "incidents", "1", "--db", str(db), "--lang", "en"])
    assert "incident 1  2025-06-01 09:30  化工园区储罐区  氯气  large (grade III)  made late" in r.output
    r = run(cli_app, ["risk", "incidents", "--overdue", "--db", str(db), "--lang", "en"])
    assert r.output.strip() == "no incident recorded"
    r = run(cli_app, ["risk", "incidents", "5", "--db", str(db), "--lang", "en"])
    assert r.exit_code == 1 and "incident 5 is not recorded" in r.output
