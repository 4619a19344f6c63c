"""The checks added for the open points of issue 14: R3.pieces (pieces counted at receipt,
``containers_received``), R6.expiry (an approval valid past its receiver's permit) and
R6.method (a disposal approved to a collection-only permit holder): hand-made edges on a
small clean year, the column through the store (migration, import, residue, alerts)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.waste.test_core_data import MANIFESTS, PERMITS, write, write_all

from ecoplan.app import Ecoplan
from ecoplan.store.engines import DuckDBEngine
from ecoplan.waste.pipeline import alerts
from ecoplan.waste.rules import RULES
from ecoplan.waste.service import WasteInputError
from ecoplan.waste.simulate import Simulated, generate


def run(sim: Simulated, rules: list[str], **settings: Any) -> pd.DataFrame:
    e = DuckDBEngine()
    for name, frame in sim.tables().items():
        e.register_frame(name, frame)
    return alerts(e, replace(sim.settings, **settings), rules)


def clean() -> Simulated:
    return generate(2025, scale=0.00004, seed=11, anomalies=False)


def test_the_new_checks_are_in_the_rule_table() -> None:
    assert RULES["R3.pieces"].confirmed and RULES["R6.expiry"].confirmed
    assert not RULES["R6.method"].confirmed  # the method codes are a configurable reading
    assert "第十八条第二款" in RULES["R3.pieces"].source
    assert RULES["R6.expiry"].source.endswith("第二十七条第二款")
    assert "第三条" in RULES["R6.method"].source


def test_pieces_any_difference_by_default_and_a_configurable_tolerance() -> None:
    sim = clean()
    ln, m = sim.world.lines, sim.world.manifests
    received = m.index[(m["status"] == "closed").to_numpy()]
    rows = ln.index[(ln["line_no"] == 1).to_numpy() & ln["_m"].isin(received).to_numpy()][:4]
    ln["containers_received"] = ln["containers_received"].astype(object)
    cases = [(10, 10), (10, 11), (10, 8), (10, None)]
    for r, (n, got) in zip(rows, cases, strict=True):
        ln.loc[r, ["containers", "containers_received"]] = [n, got]
    ln["containers_received"] = ln["containers_received"].astype("Int32")
    subject = [f"{m.loc[ln.loc[r, '_m'], 'manifest_no']}/1" for r in rows]
    out = run(sim, ["R3"])
    assert out["rule"].tolist() == ["R3.pieces", "R3.pieces"]  # weights untouched: R3 stays quiet
    ev = dict(zip(out["subject"], out["evidence"], strict=True))
    assert set(ev) == {subject[1], subject[2]}
    assert ev[subject[1]]["containers"] == 10 and ev[subject[1]]["containers_received"] == 11
    assert ev[subject[1]]["diff"] == 1 and ev[subject[1]]["tolerance"] == 0
    assert ev[subject[2]]["diff"] == -2
    wider = run(sim, ["R3.pieces"], piece_tolerance=1)
    assert wider["subject"].tolist() == [subject[2]]


def _receiver_of(sim: Simulated, approval: str) -> str:
    ap = sim.world.approvals
    return str(ap.loc[ap["approval_no"] == approval, "receiver_id"].iloc[0])


def test_approval_past_the_receivers_permit() -> None:
    sim = clean()
    w = sim.world
    ap, pe = w.approvals, w.permits
    nos = ap["approval_no"].tolist()
    assert len(nos) >= 2 and ap["valid_to"].eq(dt.date(2025, 12, 31)).all()
    # a receiver of its own per case (the permits are per receiver)
    receivers = ap.groupby("receiver_id")["approval_no"].first()
    assert len(receivers) >= 3
    r_equal, r_short, r_none = receivers.index[:3]
    pe.loc[pe["actor_id"] == r_equal, "valid_to"] = dt.date(2025, 12, 31)  # ends with the approval: fine
    pe.loc[pe["actor_id"] == r_short, "valid_to"] = dt.date(2025, 12, 30)  # a day short
    pe.loc[pe["actor_id"] == r_none, "valid_from"] = dt.date(2025, 1, 2)  # none valid on 1 January
    # a second, later permit does not lengthen the one in force at the approval's start
    extra = pe[pe["actor_id"] == r_short].assign(
        permit_no="JY-LATER", valid_from=dt.date(2025, 12, 1), valid_to=dt.date(2029, 11, 30)
    )
    w.permits = pd.concat([pe, extra], ignore_index=True)
    got = run(sim, ["R6.expiry"])
    by_receiver = {e["receiver"]: e for e in got["evidence"]}
    assert set(by_receiver) == {r_short, r_none}
    assert set(got["subject"]) == set(ap.loc[ap["receiver_id"].isin([r_short, r_none]), "approval_no"])
    short = by_receiver[r_short]
    assert short["permit_valid_to"] == "2025-12-30" and short["valid_to"] == "2025-12-31"
    assert short["permits"] == 1
    assert by_receiver[r_none]["permits"] == 0 and by_receiver[r_none]["permit_valid_to"] is None
    assert all(at == pd.Timestamp("2025-01-01") for at in got["at"])


def test_disposal_approved_to_a_collection_permit_holder() -> None:
    sim = clean()
    w = sim.world
    ap, pe = w.approvals, w.permits
    receivers = ap.groupby("receiver_id")["approval_no"].first()
    r_collect, r_both, r_store = receivers.index[:3]
    pe.loc[pe["actor_id"].isin([r_collect, r_both, r_store]), "kind"] = "collection"
    both = pe[pe["actor_id"] == r_both].assign(permit_no="JY-COMP", kind="comprehensive")
    w.permits = pd.concat([pe, both], ignore_index=True)
    ap.loc[ap["receiver_id"] == r_store, "method"] = "收集"  # not a utilisation or disposal code
    got = run(sim, ["R6.method"])
    assert {e["receiver"] for e in got["evidence"]} == {r_collect}
    assert set(got["subject"]) == set(ap.loc[ap["receiver_id"] == r_collect, "approval_no"])
    one = got["evidence"].iloc[0]
    assert one == {"receiver": r_collect, "method": "D10", "permit_kind": "collection", "permits": 1}
    # another reading of the method codes (a documented, configurable option)
    assert run(sim, ["R6.method"], treatment_methods="^R[0-9]+$").empty
    wide = run(sim, ["R6.method"], treatment_methods="^(D[0-9]+|收集)$")
    assert {e["receiver"] for e in wide["evidence"]} == {r_collect, r_store}


def test_pieces_through_the_store(ep: Ecoplan, tmp_path: Path) -> None:
    files = write_all(tmp_path)
    for k in ("actors", "permits", "approvals", "manifests", "ledger"):
        ep.waste.import_file(k, files[k])
    # the same manifests with the pieces counted at receipt: one line short by one drum
    head = MANIFESTS[0] + ",containers_received"
    rows = [MANIFESTS[1] + ",9", MANIFESTS[2] + ",5", MANIFESTS[3] + ",", MANIFESTS[4] + ","]
    counted = write(tmp_path / "counted.csv", [head, *rows])
    first = ep.waste.import_file("manifests", counted)
    assert (first.rows_revised, first.rows_unchanged) == (1, 2)  # manifests counted whole
    again = ep.waste.import_file("manifests", counted)
    assert (again.rows_new, again.rows_revised, again.rows_unchanged) == (0, 0, 3)
    lines = {x["line_no"]: x for x in ep.waste.manifest("20253205000001")["lines"]}
    assert (lines[1]["containers"], lines[1]["containers_received"]) == (10, 9)
    assert lines[2]["containers_received"] == 5
    frame, _ = ep.waste.evaluate_alerts(["R3"], as_of=dt.datetime(2025, 3, 31))
    assert frame["rule"].tolist() == ["R3.pieces"]
    assert frame["subject"].tolist() == ["20253205000001/1"]
    assert frame["evidence"][0] == {
        "line": 1, "code": "900-249-08", "containers": 10, "containers_received": 9,
        "diff": -1, "tolerance": 0,
    }  # fmt: skip
    assert [a["subject"] for a in ep.waste.alerts(rule="R3.pieces")] == ["20253205000001/1"]


def test_a_bad_piece_count_is_refused_whole(ep: Ecoplan, tmp_path: Path) -> None:
    files = write_all(tmp_path)
    for k in ("actors", "permits", "approvals"):
        ep.waste.import_file(k, files[k])
    head = MANIFESTS[0] + ",containers_received"
    rows = [MANIFESTS[1] + ",-1", MANIFESTS[2] + ",2.5", MANIFESTS[3] + ",", MANIFESTS[4] + ","]
    bad = write(tmp_path / "bad.csv", [head, *rows])
    with pytest.raises(WasteInputError) as info:
        ep.waste.import_file("manifests", bad)
    assert {(p.row, p.field) for p in info.value.problems} == {
        (2, "containers_received"),
        (3, "containers_received"),
    }
    assert ep.waste.manifests() == []


def test_a_residue_starts_with_nothing_counted(ep: Ecoplan, tmp_path: Path) -> None:
    files = write_all(tmp_path)
    for k in ("actors", "permits", "approvals", "manifests"):
        ep.waste.import_file(k, files[k])
    no = "20253205000002"
    ep.waste.store.con.execute(
        "UPDATE waste_manifest_lines SET containers_received = 18 WHERE manifest_no = ?", [no]
    )
    ep.waste.move(no, "receive", dt.datetime(2025, 3, 10, 18), received={1: {"qty_received_t": 3.0}})
    ep.waste.move(no, "reject", dt.datetime(2025, 3, 11, 9), rejection="partial", residue_no="20253301000001")
    assert ep.waste.manifest(no)["lines"][0]["containers_received"] == 18
    residue = ep.waste.manifest("20253301000001")["lines"]
    assert residue and all(x["containers_received"] is None for x in residue)


def test_the_column_comes_with_migration_v2(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    ep = Ecoplan(db)
    con = ep.catalog.con
    con.execute(
        "INSERT INTO waste_manifest_lines (manifest_no, line_no, code, qty_shipped_t, containers) "
        "VALUES ('20253205000009', 1, '900-249-08', 1.5, 3)"
    )
    # back to the first waste version: the table as it was before v2
    con.execute(
        "CREATE OR REPLACE TABLE waste_manifest_lines AS SELECT * EXCLUDE (containers_received) "
        "FROM waste_manifest_lines"
    )
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version:waste'")
    ep.close()
    again = Ecoplan(db)
    try:
        rows = again.catalog.con.execute(
            "SELECT manifest_no, containers, containers_received FROM waste_manifest_lines"
        ).fetchall()
        version = again.catalog.con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version:waste'"
        ).fetchall()
    finally:
        again.close()
    assert rows == [("20253205000009", 3, None)]
    assert version == [("2",)]


def test_a_permit_cut_short_after_the_approval(ep: Ecoplan, tmp_path: Path) -> None:
    """The import refuses an approval past its receiver's permit (``approval_past_permit``);
    the checks find the approvals a later permit record leaves uncovered: here 杭州's permit
    re-imported as a collection permit ending on 30 September."""
    files = write_all(tmp_path)
    for k in ("actors", "permits", "approvals", "manifests"):
        ep.waste.import_file(k, files[k])
    frame, _ = ep.waste.evaluate_alerts(["R6"], as_of=dt.datetime(2025, 3, 31))
    assert frame.empty
    cut = write(
        tmp_path / "cut.csv",
        [PERMITS[0], PERMITS[1], "ZJ-0001,R2,collection,2024-06-01,2025-09-30,15000,900-249-08"],
    )
    ep.waste.import_file("permits", cut)
    frame, _ = ep.waste.evaluate_alerts(["R6"], as_of=dt.datetime(2025, 3, 31))
    assert sorted(zip(frame["rule"], frame["subject"], strict=True)) == [
        ("R6.expiry", "KSZY-2025-001"),
        ("R6.method", "KSZY-2025-001"),
    ]
    ev = dict(zip(frame["rule"], frame["evidence"], strict=True))
    assert ev["R6.expiry"]["permit_valid_to"] == "2025-09-30" and ev["R6.expiry"]["valid_to"] == "2025-12-31"
    assert ev["R6.method"]["method"] == "R9" and ev["R6.method"]["permit_kind"] == "collection"
    assert set(frame["region"]) == {"320505"}  # the producer's


def test_the_alert_list_links_each_subject_to_its_page() -> None:
    from ecoplan.waste.pages.web import _alert_row

    def href(rule: str, subject: str, evidence: dict[str, Any]) -> str:
        row = {"rule": rule, "subject": subject, "at": None, "evidence": evidence, "source": ""}
        return str(_alert_row(row, "zh")["subject_href"])

    assert href("R3.pieces", "20253205000001/1", {}) == "/waste/manifests/20253205000001?lang=zh"
    assert href("R1", "20253205000001", {}) == "/waste/manifests/20253205000001?lang=zh"
    assert href("R6.expiry", "KSZY-2025-001", {"receiver": "R2"}) == "/waste/actors/R2/ledger?lang=zh"
    assert href("R9.storage", "R1:HWRK2025030100001", {}) == "/waste/actors/R1/ledger?lang=zh"
