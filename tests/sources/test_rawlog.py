"""The raw log (readers/rawlog.py): what is appended is read back; a tail torn at any byte
is truncated on open and nothing before it is lost; rotation; one writer per name."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ecoplan.sources.readers.rawlog import (
    LogBusy,
    LogWriter,
    Position,
    Record,
    encode_record,
    read_log,
    receivers,
    segments,
)

records = st.builds(
    Record,
    received_at=st.floats(min_value=0, max_value=4e9, allow_nan=False),
    peer=st.text(max_size=30),
    verdict=st.sampled_from(["ok", "quarantine"]),
    data=st.binary(max_size=300),
    reason=st.text(max_size=20),
    detail=st.text(max_size=40),
)
HYP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _write(folder: Path, recs: list[Record], **kw: int) -> list[Position]:
    with LogWriter(folder, "r1", **kw) as w:
        out = [w.append(r) for r in recs]
    return out


@HYP
@given(recs=st.lists(records, max_size=12))
def test_written_records_read_back_in_order(
    tmp_path_factory: pytest.TempPathFactory, recs: list[Record]
) -> None:
    folder = tmp_path_factory.mktemp("log")
    positions = _write(folder, recs)
    got = list(read_log(folder, "r1"))
    assert [r for _, _, r in got] == recs
    assert [p for p, _, _ in got] == positions
    # resuming from any record's next position yields the rest
    for i, (_, nxt, _) in enumerate(got):
        assert [r for _, _, r in read_log(folder, "r1", nxt)] == recs[i + 1 :]


@HYP
@given(recs=st.lists(records, min_size=1, max_size=5), data=st.data())
def test_torn_tail_at_every_byte_is_truncated(
    tmp_path_factory: pytest.TempPathFactory, recs: list[Record], data: st.DataObject
) -> None:
    folder = tmp_path_factory.mktemp("log")
    _write(folder, recs)
    path = folder / "r1" / "00000000.log"
    whole = path.read_bytes()
    sizes = [len(encode_record(r)) for r in recs]
    cut = data.draw(st.integers(min_value=0, max_value=len(whole)))
    path.write_bytes(whole[:cut])
    # the records entirely before the cut survive
    ends, total = [], 0
    for s in sizes:
        total += s
        ends.append(total)
    keep = sum(1 for e in ends if e <= cut)
    assert [r for _, _, r in read_log(folder, "r1")] == recs[:keep]
    with LogWriter(folder, "r1") as w:
        assert w.truncated == cut - (ends[keep - 1] if keep else 0)
        assert w.position == Position(0, ends[keep - 1] if keep else 0)
        w.append(recs[0])
    assert [r for _, _, r in read_log(folder, "r1")] == [*recs[:keep], recs[0]]


def test_every_cut_of_a_small_log(tmp_path: Path) -> None:
    recs = [
        Record(1.5, "127.0.0.1:1", "ok", b"##0001x1234"),
        Record(2.0, "p", "quarantine", b"zz", "bad_crc", "d"),
    ]
    _write(tmp_path, recs)
    path = tmp_path / "r1" / "00000000.log"
    whole = path.read_bytes()
    first = len(encode_record(recs[0]))
    for cut in range(len(whole) + 1):
        path.write_bytes(whole[:cut])
        want = recs[: (cut >= first) + (cut == len(whole))]
        with LogWriter(tmp_path, "r1") as w:
            assert w.position.pos == sum(len(encode_record(r)) for r in want)
        assert [r for _, _, r in read_log(tmp_path, "r1")] == want
        assert path.stat().st_size == w.position.pos


def test_flipped_byte_stops_reading_there(tmp_path: Path) -> None:
    recs = [Record(float(i), "p", "ok", b"x" * 20) for i in range(3)]
    _write(tmp_path, recs)
    path = tmp_path / "r1" / "00000000.log"
    raw = bytearray(path.read_bytes())
    raw[len(encode_record(recs[0])) + 12] ^= 0xFF  # inside the second payload
    path.write_bytes(bytes(raw))
    assert [r for _, _, r in read_log(tmp_path, "r1")] == recs[:1]


def test_segments_rotate_and_read_across(tmp_path: Path) -> None:
    recs = [Record(float(i), "p", "ok", bytes([65 + i % 26]) * 100) for i in range(30)]
    positions = _write(tmp_path, recs, segment_bytes=1000)
    assert len(segments(tmp_path, "r1")) > 3
    assert receivers(tmp_path) == ["r1"]
    assert [r for _, _, r in read_log(tmp_path, "r1")] == recs
    assert [r for _, _, r in read_log(tmp_path, "r1", positions[17])] == recs[17:]
    with LogWriter(tmp_path, "r1", segment_bytes=1000) as w:  # reopen appends to the newest
        assert w.position.seg == positions[-1].seg
        w.append(recs[0])
    assert len(list(read_log(tmp_path, "r1"))) == 31


def test_one_writer_per_receiver_name(tmp_path: Path) -> None:
    with LogWriter(tmp_path, "a"):
        with pytest.raises(LogBusy):
            LogWriter(tmp_path, "a")
        with LogWriter(tmp_path, "b"):
            pass
    assert receivers(tmp_path) == ["a", "b"]


def test_unsynced_records_are_not_on_disk_until_sync(tmp_path: Path) -> None:
    w = LogWriter(tmp_path, "r1")
    w.append(Record(1.0, "p", "ok", b"abc"))
    assert list(read_log(tmp_path, "r1")) == []
    w.sync()
    assert len(list(read_log(tmp_path, "r1"))) == 1
    w.close()


@pytest.mark.parametrize("name", ["", "a/b", ".hidden"])
def test_bad_receiver_names(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        LogWriter(tmp_path, name)
