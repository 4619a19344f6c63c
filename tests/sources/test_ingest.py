"""Ingest (storage/frames.py, service/frames.py) on a real DuckDB file: raw logs and frame
files to frames, wide values and quarantine; resumable at the stored offset; duplicates by
(MN, CN, QN, DataTime) skipped and counted; a crash at any point (fault points, and a real
process exit) leaves nothing twice and nothing lost; the commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.sources.packets import DATA, INVALID, needs_data
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.core.errors import NotFound
from ecoplan.sources.protocol.frame import encode_frame
from ecoplan.sources.readers.frames_file import columns, decode, rows_columns
from ecoplan.sources.readers.rawlog import LogWriter, Position, Record
from ecoplan.sources.storage.frames import FAULT_POINTS
from ecoplan.store import faults

MN = "010000A8900016F000169DC0"


def packet(qn: str, data_time: str = "20160801085800", *, cn: str = "2051", mn: str = MN) -> bytes:
    return encode_frame(
        f"QN={qn};ST=32;CN={cn};PW=123456;MN={mn};Flag=5;CP=&&DataTime={data_time};"
        "w01018-Min=20.1,w01018-Avg=25.5,w01018-Max=30.0,w01018-Cou=1.5,w01018-Flag=N;"
        "w00000-Avg=3.2,w00000-Cou=11.52,w00000-Flag=M,w00000-SampleTime=20160801085700&&"
    )


def write_log(folder: Path, datas: list[bytes], name: str = "r1", quarantine: int = 0) -> None:
    with LogWriter(folder, name) as w:
        for i, data in enumerate(datas):
            w.append(Record(1_700_000_000.0 + i, "127.0.0.1:5000", "ok", data))
        for i in range(quarantine):
            w.append(
                Record(1_700_000_100.0 + i, "127.0.0.1:5001", "quarantine", b"##9999xx", "bad_crc", "CRC x")
            )


def test_ingest_stores_frames_values_quarantine_and_resumes(ep: Ecoplan, tmp_path: Path) -> None:
    write_log(
        tmp_path, [packet("20160801085857001"), packet("20160801085857002", "20160801085900")], quarantine=1
    )
    res = ep.sources.frames.ingest(tmp_path)
    assert (res.records, res.frames_new, res.duplicates, res.values, res.quarantined) == (3, 2, 0, 4, 1)
    frames = ep.sources.frames.frames()
    assert list(frames["qn"]) == ["20160801085857001", "20160801085857002"]
    assert list(frames["status"]) == ["ok", "ok"]
    assert frames["raw"][0] == packet("20160801085857001").decode().rstrip("\r\n")
    one = ep.sources.frames.frame(int(frames["frame_id"][0]))
    vals = one["values"].set_index("factor")
    assert vals.loc["w01018", ["min", "avg", "max", "cou"]].tolist() == [20.1, 25.5, 30.0, 1.5]
    assert vals.loc["w01018", "flag"] == "N" and pd_isnull(vals.loc["w01018", "rtd"])
    assert vals.loc["w00000", "flag"] == "M"
    assert json.loads(vals.loc["w00000", "extra"]) == {"SampleTime": "20160801085700"}
    q = ep.sources.frames.quarantine()
    assert list(q["reason"]) == ["bad_crc"] and bytes(q["raw"][0]) == b"##9999xx"
    # nothing new: nothing stored
    again = ep.sources.frames.ingest(tmp_path)
    assert (again.records, again.frames_new) == (0, 0)
    # the log grows: only the new records are read
    with LogWriter(tmp_path, "r1") as w:
        w.append(Record(1.0, "p", "ok", packet("20160801085857003", "20160801090000")))
    more = ep.sources.frames.ingest(tmp_path)
    assert (more.records, more.frames_new) == (1, 1)
    assert ep.sources.frames.stats()["frames"] == 3


def pd_isnull(value: object) -> bool:
    return value is None or value != value  # NaN


def test_duplicates_are_skipped_and_counted(ep: Ecoplan, tmp_path: Path) -> None:
    p = packet("20160801085857001")
    write_log(tmp_path, [p, p, packet("20160801085857002")])  # a resent frame
    write_log(tmp_path, [p], name="r2")  # the same frame through another receiver
    res = ep.sources.frames.ingest(tmp_path)
    assert (res.records, res.frames_new, res.duplicates) == (4, 2, 2)
    # the second frame has another QN, same DataTime: a frame, its values not stored twice
    assert res.value_conflicts == 2
    assert ep.sources.frames.stats()["values"] == 2


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_a_failure_at_any_point_resumes_without_loss_or_double(
    ep: Ecoplan, tmp_path: Path, point: str
) -> None:
    write_log(
        tmp_path, [packet(f"20160801085857{i:03d}", f"2016080108{i:02d}00") for i in range(10)], quarantine=2
    )
    with faults.armed(point), pytest.raises(faults.InjectedFault):
        ep.sources.frames.ingest(tmp_path, batch=4)
    stored = ep.sources.frames.stats()
    assert stored["frames"] == (4 if point.endswith("after_commit") else 0)
    ep.sources.frames.ingest(tmp_path, batch=4)
    stats = ep.sources.frames.stats()
    assert (stats["frames"], stats["values"], stats["quarantined"]) == (10, 20, 2)
    assert ep.sources.frames.offsets()["r1"].pos == (tmp_path / "r1" / "00000000.log").stat().st_size


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_a_killed_ingest_process_resumes(db_path: Path, tmp_path: Path, point: str) -> None:
    with Ecoplan(db_path) as ep0:
        ep0.init()
    logs = tmp_path / "logs"
    write_log(logs, [packet(f"20160801085857{i:03d}", f"2016080108{i:02d}00") for i in range(12)])
    code = (
        "import sys; from ecoplan.app import Ecoplan\n"
        "ep = Ecoplan(sys.argv[1]); ep.sources.frames.ingest(sys.argv[2], batch=5)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(db_path), str(logs)],
        env={**os.environ, "ECOPLAN_FAULT": f"{point}:exit"},
        capture_output=True,
        check=False,
    )
    assert proc.returncode == faults.EXIT_CODE, proc.stderr.decode()
    with Ecoplan(db_path) as ep:
        assert ep.sources.frames.stats()["frames"] == (5 if point.endswith("after_commit") else 0)
        ep.sources.frames.ingest(logs, batch=5)
        frames = ep.sources.frames.frames()
        assert sorted(frames["qn"]) == [f"20160801085857{i:03d}" for i in range(12)]


@needs_data
def test_load_file_of_real_packets(ep: Ecoplan) -> None:
    res = ep.sources.frames.load_file(DATA / "packets.txt")
    assert (res.records, res.frames_new, res.quarantined) == (51, 39, 12)
    assert res.reasons == {
        r: sum(1 for v in INVALID.values() if v[0] == r) for r in {v[0] for v in INVALID.values()}
    }
    q = ep.sources.frames.quarantine()
    assert list(q["pos"]) == sorted(INVALID) and set(q["log"]) == {"file:packets.txt"}
    # line 2: DataTime=20210320013400; w21003-Rtd=53.131 (README, PKT 2)
    frames = ep.sources.frames.frames(mn="81733553213013")
    assert len(frames) == 1 and str(frames["data_time"][0]) == "2021-03-20 01:34:00"
    vals = ep.sources.frames.values([int(frames["frame_id"][0])]).set_index("factor")
    assert vals.loc["w21003", "rtd"] == 53.131 and vals.loc["w01018", "rtd"] == 194.2
    assert json.loads(vals.loc["w21003", "extra"]) == {"SampleTime": "20210320013400"}
    again = ep.sources.frames.load_file(DATA / "packets.txt")
    assert (again.frames_new, again.duplicates, again.quarantined) == (0, 39, 0)
    assert ep.sources.frames.stats()["frames"] == 39


def test_load_file_errors(ep: Ecoplan, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="no frames file"):
        ep.sources.frames.load_file(tmp_path / "missing.txt")
    with pytest.raises(NotFound, match="no raw log folder"):
        ep.sources.frames.ingest(tmp_path / "missing")
    with pytest.raises(NotFound, match="no frame 42"):
        ep.sources.frames.frame(42)


def test_data_area_that_does_not_parse_is_quarantined(ep: Ecoplan, tmp_path: Path) -> None:
    bad = encode_frame(f"QN=20160801085857001;ST=32;CN=2011;PW=1;MN={MN};Flag=5;CP=&&&&&&")
    path = tmp_path / "f.txt"
    path.write_bytes(bad.rstrip(b"\r\n") + b"\n" + b"garbage line\n")
    res = ep.sources.frames.load_file(path)
    assert res.quarantined == 2 and res.frames_new == 0


def test_device_auth_and_latest(ep: Ecoplan, tmp_path: Path) -> None:
    with ep.catalog.transaction() as con:  # the registry's own loader is task C's; rows directly
        con.execute(
            "INSERT INTO sources_devices VALUES (?, 'O1', '32', '123456', '2017', NULL, TRUE, 0)", [MN]
        )
    auth = ep.sources.frames.device_auth()
    assert auth[MN].pw == "123456" and auth[MN].active
    write_log(
        tmp_path, [packet("20160801085857001"), packet("20160801085857002", "20160801090000", cn="2061")]
    )
    ep.sources.frames.ingest(tmp_path)
    latest = ep.sources.frames.latest(outlet_id="O1").set_index("factor")
    assert (
        latest.loc["w01018", "cn"] == "2061"
        and str(latest.loc["w01018", "data_time"]) == "2016-08-01 09:00:00"
    )


@needs_data
def test_commands(db_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(cli_app, ["init", "--db", str(db_path)]).exit_code == 0
    r = runner.invoke(
        cli_app, ["sources", "load", str(DATA / "packets.txt"), "--db", str(db_path), "--lang", "en"]
    )
    assert r.exit_code == 0, r.output
    assert "51 records: 39 new frames, 0 duplicates" in r.output
    write_log(tmp_path, [packet("20160801085857001")])
    r = runner.invoke(cli_app, ["sources", "ingest", str(tmp_path), "--db", str(db_path), "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.output)["frames_new"] == 1
    r = runner.invoke(cli_app, ["sources", "frames", "--mn", MN, "--format", "json", "--db", str(db_path)])
    assert r.exit_code == 0
    rows = json.loads(r.output)
    assert [row["qn"] for row in rows if row["log"] == "r1"] == ["20160801085857001"]
    r = runner.invoke(cli_app, ["sources", "quarantine", "--format", "csv", "--db", str(db_path)])
    assert r.exit_code == 0 and r.output.count("bad_crc") == 7
    r = runner.invoke(
        cli_app, ["sources", "load", str(tmp_path / "nope.txt"), "--db", str(db_path), "--lang", "zh"]
    )
    assert r.exit_code == 1 and "没有报文文件" in r.output


# --- the columnar batch path and uniqueness without an index --------------------------


def cp_packet(area: str, *, qn: str = "20200601000000001", cn: str = "2051", head: str = "Flag=5;") -> bytes:
    return encode_frame(f"QN={qn};ST=31;CN={cn};PW=123456;MN={MN};{head}CP=&&{area}&&")


def mixed_records() -> list[tuple[Position, Record]]:
    """Records of every kind the batch path must hand to the per-record decoder or get right
    itself (the expected rows come from decode(), the record-by-record path)."""
    datas = [
        packet("20160801085857001"),  # numbers, Flag, extra SampleTime
        cp_packet("DataTime=20200601000000;a01-Rtd=+5,a01-Min=1_0,a01-Max=Infinity,a01-Avg=abc,a01-Cou=1e3"),
        cp_packet("DataTime=20200601000000;a01-Rtd=.5,a01-Rtd=9,a02-ZsRtd=5.,a02-EFlag=D,a01-Flag=N"),
        cp_packet("DataTime=20200231000000;a01-Rtd=1", qn="20200601000000002"),  # no such day
        cp_packet("DataTime=20200601000000123;a01-Rtd=1", qn="20200601000000003"),  # 17 digits
        cp_packet("a01-Rtd=1", qn="20200601000000004"),  # no DataTime: a frame, no values
        cp_packet("DataTime=20200601000000;a01-Rtd=2", qn="20200601000000005", head=""),  # no Flag
        cp_packet("DataTime=20200601000000;a01-Rtd=3", qn="20200601000000006", head="Flag=5;RF=1;"),
        b"##0010garbage\r\n",
        packet("20160801085857009")[:-4] + b"0000\r\n",  # bad CRC
        b"  " + packet("20160801085857010"),  # bytes before the packet
        packet("20160801085857011").rstrip(b"\r\n"),  # no end of frame: not one frame
        cp_packet("DataTime=20200601000000;a01-Rtd=1,a01-Info=电导率", qn="20200601000000012"),  # UTF-8
        cp_packet("DataTime=20200601000000;a01-Rtd=1", qn="20200601000000013").replace(b"PW=", b"PW=\xb5"),
    ]
    out = [(Position(0, n), Record(1_700_000_000.0 + n, "127.0.0.1:1", "ok", d)) for n, d in enumerate(datas)]
    out.append((Position(1, 0), Record(1_700_000_100.0, "p", "quarantine", b"##9999xx", "bad_crc", "CRC x")))
    return out


@pytest.mark.parametrize("edition", [None, "2017"])
def test_batch_rows_equal_the_record_by_record_rows(edition: str | None) -> None:
    items = mixed_records()
    got = columns("r1", items, edition=edition)
    slow = [decode("r1", at, rec) for at, rec in items]
    if edition is not None:
        for item in slow:
            if item.frame is not None and item.frame.flag is None:
                item.frame = replace(item.frame, edition=edition)
    want = rows_columns(slow)
    assert got.frames.to_pylist() == want.frames.to_pylist()
    order: Any = [("i", "ascending"), ("factor", "ascending")]
    assert got.values.sort_by(order).to_pylist() == want.values.sort_by(order).to_pylist()
    assert got.quarantine == want.quarantine and len(got.quarantine) == 6
    rows = {(r["i"], r["factor"]): r for r in got.values.to_pylist()}
    assert (rows[1, "a01"]["rtd"], rows[1, "a01"]["min"], rows[1, "a01"]["max"]) == (5.0, 10.0, None)
    assert (rows[1, "a01"]["avg"], rows[1, "a01"]["cou"]) == (None, 1000.0)
    assert (rows[2, "a01"]["rtd"], rows[2, "a01"]["flag"], rows[2, "a02"]["zs_rtd"]) == (0.5, "N", 5.0)
    assert rows[2, "a02"]["eflag"] == "D" and json.loads(rows[0, "w00000"]["extra"]) == {
        "SampleTime": "20160801085700"
    }
    frames = {r["i"]: r for r in got.frames.to_pylist()}
    assert frames[3]["data_time"] is None and not any(i == 3 for i, _ in rows)
    assert frames[7]["rf"] and frames[6]["edition"] == (edition or "2005")
    assert json.loads(rows[12, "a01"]["extra"]) == {"Info": "电导率"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.from_regex(r"[+-]?[0-9_.eE]{0,6}|[A-Za-z]{1,8}", fullmatch=True), min_size=1, max_size=8))
def test_batch_numbers_read_as_decimal_does(texts: list[str]) -> None:
    area = "DataTime=20200601000000;" + ";".join(f"a{n:02d}-Rtd={t}" for n, t in enumerate(texts))
    items = [(Position(0, 0), Record(0.0, "p", "ok", cp_packet(area)))]
    got = columns("f", items)
    want = rows_columns([decode("f", *items[0])])
    order: Any = [("i", "ascending"), ("factor", "ascending")]
    assert got.values.sort_by(order).to_pylist() == want.values.sort_by(order).to_pylist()
    assert got.frames.to_pylist() == want.frames.to_pylist()


def test_a_duplicate_is_never_stored(ep: Ecoplan, tmp_path: Path) -> None:
    """No index keeps the keys unique: the anti-joins do, within a batch, across batches,
    across logs, for a frame without DataTime (NULL in its key) and for values."""
    no_time = cp_packet("a01-Rtd=1", qn="20200601000000004")
    p = [packet(f"20160801085857{i:03d}", f"2016080108{i % 3:02d}00") for i in range(7)]
    write_log(tmp_path, [p[0], p[0], p[1], no_time, p[2], p[1], no_time, p[3]], quarantine=2)
    write_log(tmp_path, [p[3], p[4], p[0], no_time, p[5], p[6], p[4]], name="r2")
    res = ep.sources.frames.ingest(tmp_path, batch=3)
    assert (res.records, res.frames_new, res.duplicates, res.quarantined) == (17, 8, 7, 2)
    path = tmp_path / "f.txt"
    path.write_bytes(b"\n".join(d.rstrip(b"\r\n") for d in [*p, no_time, p[0]]))
    again = ep.sources.frames.load_file(path, batch=2)
    assert (again.frames_new, again.duplicates) == (0, 9)
    assert ep.sources.frames.ingest(tmp_path).records == 0
    con = ep.catalog.con
    for table, key in [
        ("sources_frames", "mn, cn, qn, data_time"),
        ("sources_frames", "frame_id"),
        ("sources_values", "mn, cn, data_time, factor"),
        ("sources_quarantine", "log, seg, pos"),
    ]:
        dup = con.execute(
            f"SELECT count(*) FROM (SELECT {key} FROM {table} GROUP BY ALL HAVING count(*) > 1)"
        )
        assert dup.fetchone() == (0,), (table, key)
    stats = ep.sources.frames.stats()
    # 7 frames with values over 3 DataTimes × 2 factors; the no-DataTime frame has none
    assert (stats["frames"], stats["values"], stats["quarantined"]) == (8, 6, 2)


def test_latest_filters_and_prefers_real_time_at_the_same_moment(ep: Ecoplan, tmp_path: Path) -> None:
    other = "010000A8900016F000169DC9"
    with ep.catalog.transaction() as con:
        con.execute(
            "INSERT INTO sources_outlets VALUES ('O1', 'C1', 'water', NULL, NULL, NULL, NULL, NULL, 0)"
        )
        con.execute(
            "INSERT INTO sources_outlets VALUES ('O2', 'C2', 'water', NULL, NULL, NULL, NULL, NULL, 0)"
        )
        con.execute("INSERT INTO sources_devices VALUES (?, 'O1', '32', '1', '2017', NULL, TRUE, 0)", [MN])
        con.execute("INSERT INTO sources_devices VALUES (?, 'O2', '32', '1', '2017', NULL, TRUE, 0)", [other])
    write_log(
        tmp_path,
        [
            packet("20160801085857001", "20160801090000", cn="2051"),
            packet("20160801085857002", "20160801090000", cn="2061"),
            encode_frame(
                f"QN=20160801085857003;ST=32;CN=2011;PW=1;MN={MN};Flag=5;CP=&&DataTime=20160801090000;"
                "w01018-Rtd=7.5,w01018-Flag=N&&"
            ),
            packet("20160801085857004", "20160801080000", cn="2011", mn=other),
        ],
    )
    ep.sources.frames.ingest(tmp_path)
    one = ep.sources.frames.latest(credit_code="C1").set_index("factor")
    assert set(one["outlet_id"]) == {"O1"} and one.loc["w01018", "cn"] == "2011"
    assert one.loc["w01018", "rtd"] == 7.5 and one.loc["w00000", "cn"] == "2051"
    every = ep.sources.frames.latest()
    assert sorted(zip(every["outlet_id"], every["factor"], strict=True)) == [
        ("O1", "w00000"), ("O1", "w01018"), ("O2", "w00000"), ("O2", "w01018")
    ]  # fmt: skip
    assert (
        ep.sources.frames.latest(outlet_id="O2")["data_time"].astype(str).tolist()
        == ["2016-08-01 08:00:00"] * 2
    )


@needs_data
@pytest.mark.parametrize(
    ("key", "status"),
    [("0000000000000000", "ok"), (None, "encrypted_unverified"), ("1111111111111111", "bad_key")],
)
def test_sm4_frames_open_with_the_registered_key(
    ep: Ecoplan, tmp_path: Path, key: str | None, status: str
) -> None:
    """HJ 212-2025 Annex A.2: the encrypted minute packet of packets-2025.txt (line 3) opens
    with the device's key from the registry (the standard's test key, 16 × 0x30) and stores
    the same values as its plaintext twin (line 2); without a key it is kept unverified with
    no values; a wrong key sends it to the quarantine."""
    from tests.sources.packets import PACKETS_2025

    mn = "010000A8900016F000169DC0"
    with ep.catalog.transaction() as con:
        con.execute(
            "INSERT INTO sources_devices VALUES (?, 'O1', '31', '123456', '2025', ?, TRUE, 0)", [mn, key]
        )
    (tmp_path / "enc.txt").write_bytes(PACKETS_2025[2] + b"\n")
    ep.sources.frames.load_file(tmp_path / "enc.txt")
    got = ep.catalog.con.execute("SELECT status FROM sources_frames").fetchall()
    quarantined = ep.catalog.con.execute("SELECT reason FROM sources_quarantine").fetchall()
    values = ep.catalog.con.execute("SELECT factor, avg FROM sources_values ORDER BY factor").fetchall()
    if status == "bad_key":
        assert got == [] and quarantined == [("bad_key",)] and values == []
        return
    assert got == [(status,)] and quarantined == []
    if status == "encrypted_unverified":
        assert values == []
        return
    (tmp_path / "plain.txt").write_bytes(PACKETS_2025[1] + b"\n")
    other = tmp_path / "other.duckdb"
    with Ecoplan(other) as twin:
        twin.init()
        twin.sources.frames.load_file(tmp_path / "plain.txt")
        plain = twin.catalog.con.execute("SELECT factor, avg FROM sources_values ORDER BY factor").fetchall()
    assert values == plain and [f for f, _ in values] == ["a01011", "a01012", "a01014"]
