"""The waste domain's core on a real DuckDB file through ``ep``: imports (all or nothing,
reason-coded problems, idempotent), the manifest number against the producer's region,
approvals and permits, manifest moves (rejection with residue, versioned corrections),
the ledger's mass balance, the alerts' write, the rates, crash safety, the CLI."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.waste.test_core_data import ACTORS, LEDGER, MANIFESTS, PERMITS, write, write_all
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.core.errors import Conflict, EcoplanError
from ecoplan.store import faults
from ecoplan.waste.service import WasteInputError
from ecoplan.waste.storage import FAULT_POINTS

ECOPLAN = Path(sys.executable).with_name("ecoplan")
KINDS = ("actors", "permits", "approvals", "manifests", "ledger")
MANIFEST_HEADER = MANIFESTS[0]


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One initialised store (regions, built-in plans), copied for each test."""
    db = tmp_path_factory.mktemp("waste") / "init.duckdb"
    with Ecoplan(db) as session:
        session.init()
    return db


@pytest.fixture
def ep(initialised: Path, tmp_path: Path) -> Iterator[Ecoplan]:
    """A real DuckDB file with regions and the built-in plans (a copy of ``initialised``)."""
    db = tmp_path / "ep.duckdb"
    shutil.copyfile(initialised, db)
    with Ecoplan(db) as session:
        yield session


def _load(ep: Ecoplan, files: dict[str, Path]) -> None:
    for k in KINDS:
        ep.waste.import_file(k, files[k])


@pytest.fixture
def loaded(ep: Ecoplan, tmp_path: Path) -> Ecoplan:
    _load(ep, write_all(tmp_path))
    return ep


def _problems(exc: pytest.ExceptionInfo[WasteInputError]) -> set[tuple[int | None, str | None, str]]:
    return {(p.row, p.field, p.reason) for p in exc.value.problems}


def _counts(ep: Ecoplan) -> dict[str, int]:
    con = ep.catalog.con
    out = {}
    for t in ("waste_actors", "waste_permits", "waste_manifests", "waste_manifest_lines", "waste_ledger"):
        row = con.execute(f"SELECT count(*) FROM {t}").fetchone()
        out[t] = int(row[0]) if row else 0
    return out


# -- imports -------------------------------------------------------------------------------


def test_import_stores_every_kind_and_reimport_is_idempotent(ep: Ecoplan, tmp_path: Path) -> None:
    files = write_all(tmp_path)
    first = [ep.waste.import_file(k, files[k]).to_dict() for k in KINDS]
    assert [(r["rows_in"], r["rows_new"]) for r in first] == [(4, 4), (2, 2), (1, 1), (3, 3), (8, 8)]
    before = _counts(ep)
    assert before == {
        "waste_actors": 4,
        "waste_permits": 2,
        "waste_manifests": 3,
        "waste_manifest_lines": 4,
        "waste_ledger": 8,
    }
    again = [ep.waste.import_file(k, files[k]).to_dict() for k in KINDS]
    assert [(r["rows_new"], r["rows_revised"], r["rows_unchanged"]) for r in again] == [
        (0, 0, 4),
        (0, 0, 2),
        (0, 0, 1),
        (0, 0, 3),
        (0, 0, 8),
    ]
    assert _counts(ep) == before
    # one event per manifest: the re-import wrote none
    assert len(ep.waste.manifest("20253205000001")["events"]) == 1


def test_stored_values_are_typed(loaded: Ecoplan) -> None:
    r2 = loaded.waste.actor("R2")
    assert r2["roles"] == ["receiver", "producer"] and r2["region"] == "330109"
    assert r2["permits"][0]["codes"] == ["900-249-08"]
    assert r2["permits"][0]["valid_to"] == dt.date(2029, 5, 31)
    m = loaded.waste.manifest("20253205000001")
    assert m["shipped_at"] == dt.datetime(2025, 3, 3, 8, 0)
    assert [(x["line_no"], x["qty_shipped_t"], x["qty_received_t"]) for x in m["lines"]] == [
        (1, 2.0, 1.98),
        (2, 1.0, 1.0),
    ]
    assert m["parties"]["receiver"]["name"] == "南京某环境服务有限公司"


def test_a_changed_manifest_is_revised_with_a_correction_event(loaded: Ecoplan, tmp_path: Path) -> None:
    rows = [MANIFEST_HEADER, *(r.replace("苏E12345", "苏E54321") for r in MANIFESTS[1:3])]
    res = loaded.waste.import_file("manifests", write(tmp_path / "m2.csv", rows))
    assert (res.rows_new, res.rows_revised, res.rows_unchanged) == (0, 1, 0)
    m = loaded.waste.manifest("20253205000001")
    assert m["vehicle"] == "苏E54321" and m["version"] == 2
    assert [e["event"] for e in m["events"]] == ["import", "correct"]


def test_a_bad_file_is_refused_whole_naming_row_field_and_reason(loaded: Ecoplan, tmp_path: Path) -> None:
    before = _counts(loaded)
    rows = [
        MANIFEST_HEADER,
        # province 33 is not the producer's (32): Art. 15
        "20253305000009,P1,T1,R1,,shipped,false,2025-04-01 08:00,,,,,,1,1,900-249-08,液态,桶,1,1.0,,,,",
        # city 01 is not the producer's (05)
        "20253201000009,P1,T1,R1,,shipped,false,2025-04-01 08:00,,,,,,1,1,900-249-08,液态,桶,1,1.0,,,,",
        # received before shipped; a negative quantity
        "20253205000010,P1,T1,R1,,received,false,2025-04-02 08:00,2025-04-01 08:00,,,,,1,1,900-249-08,liquid,"
        "drum,1,-1.0,,,,",
        # 13 digits; unknown receiver
        "2025320500001,P1,T1,RX,,draft,false,,,,,,,1,1,900-249-08,液态,桶,1,1.0,,,,",
        # two producers on one manifest (Art. 16); a transporter in the receiver's field
        "20253205000011,P1,T1,T1,,draft,false,,,,,,,2,1,HW08,液态,桶,1,1.0,,,,",
    ]
    with pytest.raises(WasteInputError) as exc:
        loaded.waste.import_file("manifests", write(tmp_path / "bad.csv", rows))
    got = _problems(exc)
    assert (6, "producers_on_manifest", "several_producers") in got
    assert (6, "code", "bad_code") in got
    assert (4, "arrived_at", "receipt_before_shipment") in got
    assert (4, "qty_shipped_t", "negative") in got
    assert (5, "manifest_no", "manifest_no_format") in got
    assert exc.value.file == "bad.csv"
    assert _counts(loaded) == before
    # the store's checks run once the cells are clean
    with pytest.raises(WasteInputError) as exc2:
        loaded.waste.import_file("manifests", write(tmp_path / "bad2.csv", rows[:3]))
    assert _problems(exc2) == {
        (2, "manifest_no", "manifest_no_province"),
        (3, "manifest_no", "manifest_no_city"),
    }
    assert _counts(loaded) == before
    assert "bad2.csv" in exc2.value.message("zh") and "联单编号中的省级代码" in exc2.value.message("zh")


def test_references_roles_and_approvals_are_checked(loaded: Ecoplan, tmp_path: Path) -> None:
    rows = [
        MANIFEST_HEADER,
        "20253205000020,P1,R1,T1,NOPE,draft,false,,,,,,,1,1,900-249-08,液态,桶,1,1.0,,,,",
    ]
    with pytest.raises(WasteInputError) as exc:
        loaded.waste.import_file("manifests", write(tmp_path / "ref.csv", rows))
    assert _problems(exc) == {
        (2, "transporter_id", "actor_role"),
        (2, "receiver_id", "actor_role"),
        (2, "approval_no", "unknown_approval"),
    }


def test_a_stored_manifest_cannot_go_back(loaded: Ecoplan, tmp_path: Path) -> None:
    rows = [MANIFEST_HEADER, MANIFESTS[1].replace(",confirmed,", ",shipped,")]
    with pytest.raises(WasteInputError) as exc:
        loaded.waste.import_file("manifests", write(tmp_path / "back.csv", rows))
    assert _problems(exc) == {(2, "status", "illegal_transition")}


def test_codes_are_checked_against_the_edition_in_force(loaded: Ecoplan, tmp_path: Path) -> None:
    if loaded.waste.code_check is None:
        pytest.skip("the catalogue module is not present")
    rows = [
        MANIFEST_HEADER,
        "20243205000001,P1,T1,R1,,shipped,false,2024-05-01 08:00,,,,,,1,1,900-249-08,液态,桶,1,1.0,,,,",
        "20243205000002,P1,T1,R1,,shipped,false,2024-05-01 08:00,,,,,,1,1,900-999-08,液态,桶,1,1.0,,,,",
    ]
    with pytest.raises(WasteInputError) as exc:
        loaded.waste.import_file("manifests", write(tmp_path / "codes.csv", rows))
    assert _problems(exc) == {(3, "code", "unknown_code")}


def test_permit_and_approval_validity(loaded: Ecoplan, tmp_path: Path) -> None:
    permits = [
        PERMITS[0],
        "X-1,R1,collection,2024-01-01,2027-06-30,100,HW08",  # 3.5 years > 3
        "X-2,R1,comprehensive,2024-01-01,2023-12-31,100,HW08",  # ends before it starts
        "X-3,P1,comprehensive,2024-01-01,2025-12-31,100,HW08",  # not a receiver
    ]
    with pytest.raises(WasteInputError) as exc:
        loaded.waste.import_file("permits", write(tmp_path / "p.csv", permits))
    assert {(r, f, why) for r, f, why in _problems(exc)} >= {
        (2, "valid_to", "permit_validity"),
        (3, "valid_to", "validity_order"),
    }
    approvals = [
        "approval_no,from_province,to_province,producer_id,receiver_id,codes,quantity_t,method,valid_from,valid_to",
        "A-1,32,33,P1,R2,900-249-08,10,R9,2025-01-01,2026-02-01",  # 13 months (Art. 27)
        "A-2,32,33,P1,R2,900-249-08,10,R9,2029-01-01,2029-12-31",  # past R2's permit (2029-05-31)
        "A-3,31,33,P1,R2,900-249-08,10,R9,2025-01-01,2025-06-30",  # P1 is in 32
    ]
    with pytest.raises(WasteInputError) as exc:
        loaded.waste.import_file("approvals", write(tmp_path / "a.csv", approvals))
    assert _problems(exc) == {(2, "valid_to", "approval_validity")}
    with pytest.raises(WasteInputError) as exc:
        loaded.waste.import_file("approvals", write(tmp_path / "a2.csv", [approvals[0], *approvals[2:]]))
    assert _problems(exc) == {
        (2, "valid_to", "approval_past_permit"),
        (3, "from_province", "approval_province"),
    }


def test_xlsx_reads_as_csv_does(ep: Ecoplan, tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for line in ACTORS:
        ws.append(line.split(","))
    wb.save(tmp_path / "actors.xlsx")
    ep.waste.import_file("actors", tmp_path / "actors.xlsx")
    res = ep.waste.import_file("actors", write(tmp_path / "actors.csv", ACTORS))
    assert res.rows_unchanged == 4 and res.rows_new == 0


# -- moves ---------------------------------------------------------------------------------


def test_receive_reject_partial_starts_a_residue_manifest(loaded: Ecoplan) -> None:
    no = "20253205000002"
    loaded.waste.move(no, "receive", dt.datetime(2025, 3, 10, 18), received={1: {"qty_received_t": 3.0}})
    m = loaded.waste.move(
        no, "reject", dt.datetime(2025, 3, 11, 9), rejection="partial", residue_no="20253301000001"
    )
    assert m["status"] == "rejected" and m["arrived_at"] == dt.datetime(2025, 3, 10, 18)
    assert [e["event"] for e in m["events"]] == ["import", "receive", "reject"]
    assert m["events"][-1]["detail"] == {"rejection": "partial", "residue_manifest": "20253301000001"}
    residue = loaded.waste.manifest("20253301000001")
    # the rejecting receiver (R2, 杭州 330109) ships the 1 t not accepted back to the producer
    assert (residue["producer_id"], residue["receiver_id"], residue["status"]) == ("R2", "P1", "draft")
    assert [x["qty_shipped_t"] for x in residue["lines"]] == [1.0]
    assert residue["events"][0]["detail"] == {"residue_of": no}
    assert loaded.waste.move("20253301000001", "ship", dt.datetime(2025, 3, 12))["status"] == "shipped"


def test_residue_number_is_checked(loaded: Ecoplan) -> None:
    no = "20253205000002"
    with pytest.raises(EcoplanError) as exc:
        loaded.waste.move(
            no, "reject", dt.datetime(2025, 3, 11), rejection="full", residue_no="20253205000099"
        )
    assert exc.value.key == "waste.error.residue_no"
    assert loaded.waste.manifest(no)["status"] == "shipped"


def test_corrections_are_versioned(loaded: Ecoplan) -> None:
    no = "20253205000001"
    loaded.waste.move(no, "correct", dt.datetime(2025, 3, 20), changes={"vehicle": "苏E99999"})
    m = loaded.waste.move(no, "correct", dt.datetime(2025, 3, 21), changes={"vehicle": "苏E88888"})
    assert (m["status"], m["version"], m["vehicle"]) == ("corrected", 3, "苏E88888")
    assert m["events"][-1]["detail"] == {"changes": {"vehicle": {"old": "苏E99999", "new": "苏E88888"}}}
    refused: list[dict[str, Any]] = [
        {"status": "draft"},
        {"receiver_id": "T1"},
        {"receiver_id": "NOPE"},
        {"shipped_at": "yesterday"},
        {"producers_on_manifest": "2"},
        {"colour": "red"},
        {},
    ]
    for bad in refused:
        with pytest.raises(EcoplanError) as exc:
            loaded.waste.move(no, "correct", dt.datetime(2025, 3, 22), changes=bad)
        assert exc.value.key == "waste.error.bad_correction"
    m = loaded.waste.move(no, "correct", dt.datetime(2025, 3, 23), changes={"shipped_at": "2025-03-03 07:45"})
    assert (m["shipped_at"], m["version"]) == (dt.datetime(2025, 3, 3, 7, 45), 4)


def test_illegal_moves_are_refused_and_store_nothing(loaded: Ecoplan) -> None:
    no = "20253205000003"  # draft
    for event in ("receive", "confirm", "close", "correct", "reject"):
        with pytest.raises(Conflict) as exc:
            loaded.waste.move(no, event, dt.datetime(2025, 3, 20))
        assert exc.value.key == "waste.error.illegal_move"
    assert len(loaded.waste.manifest(no)["events"]) == 1
    loaded.waste.move(no, "ship", dt.datetime(2025, 3, 20))
    with pytest.raises(EcoplanError) as before:
        loaded.waste.move(no, "receive", dt.datetime(2025, 3, 19))
    assert before.value.key == "waste.error.before_shipment"


# -- ledger, alerts, rates --------------------------------------------------------------------


def test_mass_balance_reports_the_numbers(loaded: Ecoplan) -> None:
    got = {b.code: b for b in loaded.waste.balance("P1", "2025-03")}
    hw08, hw49 = got["900-249-08"], got["900-041-49"]
    # 2 t generated, stored, shipped; 3 t generated and still stored on 31 March
    assert (hw08.opening, hw08.generated, hw08.shipped, hw08.closing, hw08.balanced) == (
        0,
        5.0,
        2.0,
        3.0,
        True,
    )
    # 0.5 t generated, 0.4 t self-treated, nothing stored: 0.1 t unaccounted for
    assert (hw49.generated, hw49.self_treated, hw49.closing, hw49.imbalance, hw49.balanced) == (
        0.5,
        0.4,
        0.0,
        0.1,
        False,
    )
    # April: the 3 t stored is the opening and the closing
    april = {b.code: b for b in loaded.waste.balance("P1", "2025-04")}
    assert (april["900-249-08"].opening, april["900-249-08"].closing, april["900-249-08"].balanced) == (
        3.0,
        3.0,
        True,
    )
    with pytest.raises(EcoplanError):
        loaded.waste.balance("P1", "2025-13")


def test_ledger_links_must_exist(loaded: Ecoplan, tmp_path: Path) -> None:
    rows = [LEDGER[0], "P1,HWRK2025040100001,stored_in,2025-04-01 10:00,900-249-08,1.0,C9,HWCS-NONE,ZC01"]
    with pytest.raises(WasteInputError) as exc:
        loaded.waste.import_file("ledger", write(tmp_path / "l.csv", rows))
    assert _problems(exc) == {(2, "linked_batch", "unknown_batch")}


def test_replace_alerts(loaded: Ecoplan) -> None:
    rows = [
        {"rule": "R3", "subject": "20253205000001", "at": dt.datetime(2025, 3, 5), "evidence": {"gap": 0.02},
         "source": "Art. 18"},
        {"rule": "R9", "subject": "P1", "at": "2025-04-01 00:00:00", "evidence": '{"imbalance": 0.1}',
         "source": "HJ 1259"},
    ]  # fmt: skip
    assert loaded.waste.replace_alerts(rows) == 2
    got = loaded.waste.alerts()
    assert [(a["rule"], a["evidence"]) for a in got] == [("R9", {"imbalance": 0.1}), ("R3", {"gap": 0.02})]
    loaded.waste.replace_alerts([], rules=["R3"])
    assert [a["rule"] for a in loaded.waste.alerts()] == ["R9"]
    loaded.waste.replace_alerts([])
    assert loaded.waste.alerts() == []


def test_rates_and_capacity(loaded: Ecoplan) -> None:
    # two manifests left the draft state; one confirmed 43 h after arrival
    assert loaded.waste.rates() == [
        {
            "region": "320505",
            "shipped": 2,
            "confirmed_on_time": 1,
            "closed_loop": 1,
            "on_time_pct": 50.0,
            "closed_loop_pct": 50.0,
        }
    ]
    cap = {r["province"]: r for r in loaded.waste.capacity(2025)}
    assert (cap["32"]["capacity_t"], cap["32"]["generated_t"]) == (20000.0, 5.5)
    assert (cap["33"]["capacity_t"], cap["33"]["ratio"]) == (15000.0, None)


# -- crash safety -----------------------------------------------------------------------------


def test_fault_points() -> None:
    assert FAULT_POINTS == ("waste.before_commit", "waste.after_commit")


def test_fault_before_commit_leaves_nothing(ep: Ecoplan, tmp_path: Path) -> None:
    files = write_all(tmp_path)
    ep.waste.import_file("actors", files["actors"])
    ep.waste.import_file("permits", files["permits"])
    ep.waste.import_file("approvals", files["approvals"])
    before = _counts(ep)
    with faults.armed("waste.before_commit"), pytest.raises(faults.InjectedFault):
        ep.waste.import_file("manifests", files["manifests"])
    assert _counts(ep) == before
    assert ep.catalog.con.execute("SELECT count(*) FROM waste_manifest_events").fetchone() == (0,)
    assert ep.waste.import_file("manifests", files["manifests"]).rows_new == 3


@pytest.mark.parametrize(("point", "stored"), [("waste.before_commit", 0), ("waste.after_commit", 3)])
def test_kill_9_mid_import(tmp_path: Path, point: str, stored: int) -> None:
    db = tmp_path / "k.duckdb"
    files = write_all(tmp_path)
    with Ecoplan(db) as ep:
        ep.init()
        for k in ("actors", "permits", "approvals"):
            ep.waste.import_file(k, files[k])
    env = {**os.environ, "ECOPLAN_FAULT": f"{point}:exit", "ECOPLAN_DB": str(db)}
    res = subprocess.run(
        [str(ECOPLAN), "waste", "import", "manifests", str(files["manifests"])],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert res.returncode == faults.EXIT_CODE, res.stderr
    with Ecoplan(db) as ep:
        assert len(ep.waste.manifests()) == stored
        lines = ep.catalog.con.execute("SELECT count(*) FROM waste_manifest_lines").fetchone()
        assert lines == ((4,) if stored else (0,))
        res2 = ep.waste.import_file("manifests", files["manifests"])
        assert (res2.rows_new, res2.rows_unchanged) == ((0, 3) if stored else (3, 0))


# -- CLI ----------------------------------------------------------------------------------------


def test_cli_import_move_balance(tmp_path: Path) -> None:
    db = str(tmp_path / "c.duckdb")
    files = write_all(tmp_path)
    runner = CliRunner()
    assert runner.invoke(cli_app, ["init", "--db", db]).exit_code == 0
    for k in KINDS:
        r = runner.invoke(cli_app, ["waste", "import", k, str(files[k]), "--db", db, "--format", "json"])
        assert r.exit_code == 0, r.output
    r = runner.invoke(cli_app, ["waste", "import", "manifests", str(files["manifests"]), "--db", db])
    assert r.exit_code == 0 and "未变 3" in r.output
    r = runner.invoke(
        cli_app,
        [
            "waste",
            "move",
            "20253205000003",
            "confirm",
            "--at",
            "2025-03-12 10:00",
            "--db",
            db,
            "--lang",
            "en",
        ],
    )
    assert r.exit_code == 1 and "cannot `confirm`" in r.output
    r = runner.invoke(
        cli_app, ["waste", "move", "20253205000003", "ship", "--at", "2025-03-12 10:00", "--db", db]
    )
    assert r.exit_code == 0 and "已起运" in r.output
    r = runner.invoke(cli_app, ["waste", "balance", "P1", "2025-03", "--db", db, "--format", "json"])
    assert r.exit_code == 1
    assert {x["code"]: x["balanced"] for x in json.loads(r.output)} == {
        "900-041-49": False,
        "900-249-08": True,
    }
    r = runner.invoke(cli_app, ["waste", "balance", "P1", "2025-03", "--db", db, "--lang", "en"])
    assert "opening 0 + generated 0.5 − shipped 0 − self-treated 0.4 ≠ closing 0 (gap 0.1 t)" in r.output
    bad = write(tmp_path / "bad.csv", ["actor_id,roles,name,region", "X1,producer,某厂,3205"])
    r = runner.invoke(cli_app, ["waste", "import", "actors", str(bad), "--db", db, "--lang", "en"])
    assert r.exit_code == 1 and "bad.csv: 1 problem(s); nothing was imported" in r.output
    assert "row 2, field region (3205): a region code is six digits" in r.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_speaks_one_language(tmp_path: Path, lang: str, initialised: Path) -> None:
    from ecoplan.core.words.purity import foreign

    db = str(tmp_path / "l.duckdb")
    shutil.copyfile(initialised, db)
    files = write_all(tmp_path)
    runner = CliRunner()
    # names and identifiers quoted from the data (batch codes are the ledger's own)
    quoted = {line.split(",")[2] for line in ACTORS[1:]} | {"苏E12345", "液态", "固态", "桶", "袋"}
    quoted |= {line.split(",")[1] for line in LEDGER[1:]}
    outputs = [
        runner.invoke(cli_app, ["waste", "import", k, str(files[k]), "--db", db, "--lang", lang])
        for k in KINDS
    ]
    for args in (
        ["manifest", "20253205000001"],
        ["manifests"],
        ["actors"],
        ["ledger", "P1"],
        ["balance", "P1", "2025-03"],
        ["rates"],
        ["move", "20253205000001", "ship"],
        [
            "import",
            "actors",
            str(write(tmp_path / "b.csv", ["actor_id,roles,name,region", "X,boss,某厂,32"])),
        ],
    ):
        outputs.append(runner.invoke(cli_app, ["waste", *args, "--db", db, "--lang", lang]))
    for r in outputs:
        assert r.output.strip()
        assert foreign(r.output, lang, allowed=quoted) == [], r.output


def test_declarations(loaded: Ecoplan, tmp_path: Path) -> None:
    rows = [
        "actor_id,kind,period,submitted_at",
        "P1,monthly,2025-03,2025-04-14 10:00",
        "P1,annual,2024,",
        "R2,quarterly,2025Q1,2025-04-20 09:00",
    ]
    assert loaded.waste.import_file("declarations", write(tmp_path / "d.csv", rows)).rows_new == 3
    got = {(d["actor_id"], d["kind"], d["period"]): d["submitted_at"] for d in loaded.waste.declarations()}
    assert got[("P1", "annual", "2024")] is None
    assert got[("P1", "monthly", "2025-03")] == dt.datetime(2025, 4, 14, 10)
    bad = [rows[0], "P1,monthly,2025Q1,", "PX,annual,2025,"]
    with pytest.raises(WasteInputError) as exc:
        loaded.waste.import_file("declarations", write(tmp_path / "d2.csv", bad))
    assert _problems(exc) == {(2, "period", "bad_period")}
    with pytest.raises(WasteInputError) as exc:
        loaded.waste.import_file("declarations", write(tmp_path / "d3.csv", [rows[0], bad[2]]))
    assert _problems(exc) == {(2, "actor_id", "unknown_actor")}


def test_on_time_is_five_working_days_of_the_holiday_calendar(loaded: Ecoplan, tmp_path: Path) -> None:
    # 转移管理办法 Art. 18: 5 working days. Arrived Tue 2025-09-30, confirmed Fri 2025-10-10: ten
    # calendar days, but 1–8 October 2025 are the National Day holiday, so two working days
    # (9 and 10 October): on time. Arrived Mon 2025-03-03, confirmed Tue 2025-03-11: eight
    # calendar days, six working days (4–7, 10, 11 March): late.
    head = MANIFESTS[0]
    tail = ",,,苏E12345,1,1,900-249-08,液态,桶,10,2.0,2.0,,,"
    rows = [
        head,
        "20253205000004,P1,T1,R1,,confirmed,false,2025-09-30 08:00,2025-09-30 15:00,2025-10-10 10:00" + tail,
        "20253205000005,P1,T1,R1,,confirmed,false,2025-03-03 08:00,2025-03-03 15:00,2025-03-11 10:00" + tail,
    ]
    loaded.waste.import_file("manifests", write(tmp_path / "more.csv", rows))
    (r,) = loaded.waste.rates()
    # the sample's two (one on time, 43 h) and these two (one on time, one late)
    assert (r["shipped"], r["confirmed_on_time"]) == (4, 2)


def test_receive_records_the_pieces_counted(loaded: Ecoplan) -> None:
    no = "20253205000002"
    at = dt.datetime(2025, 3, 10, 18)
    for bad in (-1, 2.5):  # refused, nothing stored
        with pytest.raises(EcoplanError, match="containers_received"):
            loaded.waste.move(no, "receive", at, received={1: {"containers_received": bad}})
        assert loaded.waste.manifest(no)["status"] == "shipped"
    m = loaded.waste.move(no, "receive", at, received={1: {"qty_received_t": 4.0, "containers_received": 7}})
    assert [x["containers_received"] for x in m["lines"]] == [7]
