"""The simulator (simulate/): Annex C packets that re-parse byte for byte; devices and the
register CSV; against the real receiver (ledger = answered QNs = logged records); resends
after OverTime against a real TCP peer that ignores the first copy; reconnects; the
2025 heartbeat; the command."""

from __future__ import annotations

import asyncio
import csv
import random
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from ecoplan.cli import app as cli_app
from ecoplan.sources.protocol.frame import Frame, FrameDecoder
from ecoplan.sources.protocol.replies import data_reply, encode_reply, reply_for
from ecoplan.sources.protocol.segment import Segment
from ecoplan.sources.readers.rawlog import read_log
from ecoplan.sources.receiver.auth import DeviceAuth, load_csv
from ecoplan.sources.receiver.server import Receiver, ReceiverConfig
from ecoplan.sources.simulate.client import Ledger, SimConfig, play
from ecoplan.sources.simulate.devices import REGISTER_COLUMNS, SimDevice, make_devices, write_register
from ecoplan.sources.simulate.packets import UPLOAD_CNS, heartbeat, upload


def _segment(packet: bytes) -> Segment:
    (frame,) = FrameDecoder().feed(packet)
    assert isinstance(frame, Frame)
    return Segment.parse(frame.segment)


@given(seed=st.integers(0, 10_000), edition=st.sampled_from(["2017", "2025"]), cn=st.sampled_from(UPLOAD_CNS))
def test_uploads_are_valid_annex_c_packets(seed: int, edition: str, cn: str) -> None:
    rng = random.Random(seed)
    device = make_devices(3, edition=edition, seed=seed)[seed % 3]
    qn, packet = upload(device, cn, datetime(2026, 1, 1, 8, 0, 0, 123000), datetime(2026, 1, 1, 8), rng)
    seg = _segment(packet)
    assert seg.encode() == packet[6:-6].decode()  # re-encodes byte for byte
    assert (seg.mn, seg.pw, seg.st, seg.cn, qn) == (device.mn, device.pw, device.st, cn, "20260101080000123")
    assert seg.flag is not None and seg.flag.ack and seg.edition == edition
    assert seg.cp.get("DataTime") == "20260101080000"
    factors = seg.cp.factors()
    assert set(factors) == {code for code, _ in device.factors}
    kind = "Rtd" if cn == "2011" else "Avg"
    assert all(kind in f and f["Flag"] in "NMDCT" for f in factors.values())
    assert reply_for(seg) is not None


def test_devices_and_register(tmp_path: Path) -> None:
    devices = make_devices(30, edition="2025")
    assert len({d.mn for d in devices}) == 30
    assert all(len(d.mn) == 24 and int(d.mn, 16) >= 0 for d in devices)
    assert {d.st for d in devices} == {"31", "32"}
    assert make_devices(30, edition="2025") == devices  # deterministic
    path = write_register(tmp_path / "d.csv", devices)
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert tuple(rows[0]) == REGISTER_COLUMNS and len(rows) == 31
    auth = load_csv(path)
    assert {m: a.pw for m, a in auth.items()} == {d.mn: d.pw for d in devices}


def test_heartbeat_packet() -> None:
    device = make_devices(1, edition="2025")[0]
    qn, packet = heartbeat(device, datetime(2026, 1, 1))
    seg = _segment(packet)
    assert (seg.cn, seg.cp.encode(), qn) == ("9015", "", "20260101000000000")
    reply = reply_for(seg)
    assert reply is not None and reply.cn == "9013" and reply.flag is not None and reply.flag.value == 8


@pytest.mark.parametrize("check", [True, False])
def test_against_the_receiver_ledger_equals_the_log(tmp_path: Path, check: bool) -> None:
    devices = make_devices(8, edition="2025")

    async def go() -> None:
        receiver = Receiver(ReceiverConfig(tmp_path, port=0), lambda: {d.mn: _auth(d) for d in devices})
        port = await receiver.start()
        ledger = Ledger(tmp_path / "ledger.txt")
        stats = await play(
            devices,
            SimConfig(port=port, rate=0, frames=200, window=3, heartbeat=0.01, check_replies=check),
            ledger,
        )
        ledger.close()
        await receiver.stop()
        assert stats.uploads == 200 and stats.given_up == 0 and stats.heartbeats > 0
        assert stats.acked == stats.uploads + stats.heartbeats

    asyncio.run(go())
    book = Ledger.read(tmp_path / "ledger.txt")
    logged = [_segment(r.data) for _, _, r in read_log(tmp_path, "r1")]
    assert sorted((s.mn, s.cn, str(s.header()[0][1])) for s in logged) == sorted(
        (m, c, q) for m, c, q, _ in book
    )
    assert {c for _, c, _, _ in book} == {*UPLOAD_CNS, "9015"}
    assert len({(m, c, q, d) for m, c, q, d in book}) == len(book)


def _auth(device: SimDevice) -> DeviceAuth:
    return DeviceAuth(device.mn, device.pw)


async def _peer(handle: object) -> tuple[asyncio.Server, int]:
    server = await asyncio.start_server(handle, "127.0.0.1", 0)  # type: ignore[arg-type]
    return server, int(server.sockets[0].getsockname()[1])


def test_resend_after_over_time_then_ledger(tmp_path: Path) -> None:
    """A real TCP peer that answers a QN only the second time it sees it."""
    seen: set[str] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        dec = FrameDecoder()
        while data := await reader.read(4096):
            for e in dec.feed(data):
                if isinstance(e, Frame):
                    seg = Segment.parse(e.segment)
                    key = f"{seg.mn}{seg.header()[0][1]}"
                    if key in seen:
                        writer.write(encode_reply(data_reply(seg)))
                    seen.add(key)
        writer.close()

    async def go() -> None:
        server, port = await _peer(handle)
        ledger = Ledger()
        stats = await play(make_devices(2), SimConfig(port=port, rate=0, frames=6, over_time=0.05), ledger)
        server.close()
        assert (stats.uploads, stats.acked, stats.given_up) == (6, 6, 0)
        assert stats.resent == 6 and ledger.count == 6

    asyncio.run(go())


def test_give_up_after_re_count_and_reconnect_after_a_broken_link() -> None:
    connections: list[int] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(1)
        await reader.read(4096)
        writer.close()  # drop the link after the first bytes: the device reconnects

    async def go() -> None:
        server, port = await _peer(silent)
        config = SimConfig(port=port, rate=0, frames=1, over_time=0.05, re_count=2, reconnect_delay=0.01)
        stats = await play(make_devices(1), config, Ledger())
        server.close()
        assert stats.acked == 0 and stats.given_up == 1
        assert stats.reconnects >= 1 and len(connections) >= 2

    asyncio.run(go())


def test_simulate_command_register(tmp_path: Path) -> None:
    r = CliRunner().invoke(
        cli_app,
        ["sources", "simulate", "--devices", "5", "--register", str(tmp_path / "d.csv"), "--lang", "en"],
    )
    assert r.exit_code == 0 and "5 simulated devices written" in r.output
    assert len(load_csv(tmp_path / "d.csv")) == 5
    bad = CliRunner().invoke(cli_app, ["sources", "simulate", "--edition", "2019", "--lang", "en"])
    assert bad.exit_code == 1


@pytest.mark.parametrize("edition", ["2017", "2025"])
def test_simulate_command_against_a_receiver(tmp_path: Path, edition: str) -> None:
    devices = make_devices(3, edition=edition)
    holder: dict[str, object] = {}

    async def serve_and_play() -> None:
        receiver = Receiver(ReceiverConfig(tmp_path, port=0), lambda: {d.mn: _auth(d) for d in devices})
        port = await receiver.start()
        args = ["sources", "simulate", "--devices", "3", "--edition", edition, "--rate", "0",
                "--frames", "30", "--port", str(port), "--ledger", str(tmp_path / "l.txt"),
                "--format", "json"]  # fmt: skip
        holder["result"] = await asyncio.to_thread(CliRunner().invoke, cli_app, args)
        await receiver.stop()

    asyncio.run(serve_and_play())
    result = holder["result"]
    assert getattr(result, "exit_code", None) == 0, getattr(result, "output", "")
    assert len(Ledger.read(tmp_path / "l.txt")) >= 30
