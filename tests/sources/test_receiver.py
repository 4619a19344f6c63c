"""The receiver on a real asyncio TCP server on 127.0.0.1 (receiver/): log, fsync, THEN ack;
quarantine with reasons and no reply; password check; limits; reload; clean stop; the
``ecoplan receive`` command in a subprocess (SIGTERM)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.sources.packets import INVALID, PACKETS, PACKETS_2025, needs_data

from ecoplan.sources.protocol.errors import RemoteProtocolError
from ecoplan.sources.protocol.frame import Frame, FrameDecoder, encode_frame
from ecoplan.sources.protocol.segment import Segment
from ecoplan.sources.readers.rawlog import LogWriter, Record, read_log
from ecoplan.sources.receiver.auth import DeviceAuth, load_csv
from ecoplan.sources.receiver.header import read_header
from ecoplan.sources.receiver.server import Receiver, ReceiverConfig

MN = "010000A8900016F000169DC0"
PW = "123456"
DEVICES = {MN: DeviceAuth(MN, PW, "32")}


def upload(qn: str, *, cn: str = "2011", flag: int = 5, mn: str = MN, pw: str = PW) -> bytes:
    return encode_frame(
        f"QN={qn};ST=32;CN={cn};PW={pw};MN={mn};Flag={flag};CP=&&DataTime=20160801085857;w01018-Rtd=2.2,w01018-Flag=N&&"
    )


class Client:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer
        self.decoder = FrameDecoder()
        self.got: list[Segment] = []

    @classmethod
    async def open(cls, port: int) -> Client:
        return cls(*await asyncio.open_connection("127.0.0.1", port))

    async def send(self, data: bytes) -> None:
        self.writer.write(data)
        await self.writer.drain()

    async def replies(self, n: int) -> list[Segment]:
        while len(self.got) < n:
            data = await asyncio.wait_for(self.reader.read(4096), 10)
            assert data, "connection closed"
            self.got += [Segment.parse(e.segment) for e in self.decoder.feed(data) if isinstance(e, Frame)]
        return self.got[:n]

    def close(self) -> None:
        self.writer.close()


async def started(
    tmp: Path, devices: Mapping[str, DeviceAuth] | None = DEVICES, **kw: object
) -> tuple[Receiver, int]:
    auth = None if devices is None else (lambda: devices)
    receiver = Receiver(ReceiverConfig(tmp, port=0, **kw), auth)  # type: ignore[arg-type]
    return receiver, await receiver.start()


def logged(tmp: Path) -> list[Record]:
    return [r for _, _, r in read_log(tmp, "r1")]


def run(coro: object) -> None:
    asyncio.run(coro)  # type: ignore[arg-type]


def test_upload_is_on_disk_before_its_9014(tmp_path: Path) -> None:
    async def go() -> None:
        receiver, port = await started(tmp_path)
        c = await Client.open(port)
        for i in range(5):
            qn = f"2016080108585722{i}"
            await c.send(upload(qn))
            (reply,) = (await c.replies(i + 1))[i:]
            assert reply.encode() == f"QN={qn};ST=91;CN=9014;PW={PW};MN={MN};Flag=4;CP=&&&&"
            # the 9014 came: the record is already in the file, whole
            assert [r.data for r in logged(tmp_path)][i] == upload(qn)
        c.close()
        await receiver.stop()

    run(go())
    recs = logged(tmp_path)
    assert [r.verdict for r in recs] == ["ok"] * 5
    assert all(r.peer.startswith("127.0.0.1:") for r in recs)


@needs_data
def test_bad_frames_are_quarantined_with_their_reason_and_not_answered(tmp_path: Path) -> None:
    async def go() -> None:
        receiver, port = await started(tmp_path, devices=None)
        c = await Client.open(port)
        for n in INVALID:
            await c.send(PACKETS[n - 1] + b"\r\n")
        await c.send(upload("20160801085857223"))
        (first,) = await c.replies(1)  # the only reply is the good upload's
        assert first.cn == "9014" and first.qn is not None
        c.close()
        await receiver.stop()
        assert receiver.stats.quarantined == len(INVALID)

    run(go())
    recs = logged(tmp_path)
    assert [(r.verdict, r.reason) for r in recs[:-1]] == [("quarantine", INVALID[n][0]) for n in INVALID]
    assert recs[-1].verdict == "ok"


def test_unknown_device_and_wrong_password_get_no_reply(tmp_path: Path) -> None:
    async def go() -> None:
        receiver, port = await started(tmp_path)
        c = await Client.open(port)
        await c.send(upload("20160801085857001", mn="AAAAAAAAAAAAAAAAAAAAAAAA"))
        await c.send(upload("20160801085857002", pw="999999"))
        await c.send(upload("20160801085857003"))
        (first,) = await c.replies(1)
        assert first.encode().startswith("QN=20160801085857003;")
        c.close()
        await receiver.stop()

    run(go())
    assert [(r.verdict, r.reason) for r in logged(tmp_path)] == [
        ("quarantine", "unknown_device"),
        ("quarantine", "bad_password"),
        ("ok", ""),
    ]


def test_inactive_device_is_unknown(tmp_path: Path) -> None:
    async def go() -> None:
        other = "B" * 24
        devices = {MN: DeviceAuth(MN, PW, active=False), other: DeviceAuth(other, PW)}
        receiver, port = await started(tmp_path, devices=devices)
        c = await Client.open(port)
        await c.send(upload("20160801085857001"))
        await c.send(upload("20160801085857002", mn=other))
        await c.replies(1)
        c.close()
        await receiver.stop()

    run(go())
    assert [r.reason for r in logged(tmp_path)] == ["unknown_device", ""]


def test_replies_follow_the_flows(tmp_path: Path) -> None:
    async def go() -> None:
        receiver, port = await started(tmp_path)
        c = await Client.open(port)
        await c.send(upload("20160801085857001", flag=4))  # no answer asked: logged, not answered
        await c.send(encode_frame(f"QN=20160801085857002;ST=32;CN=1013;PW={PW};MN={MN};Flag=4;CP=&&&&"))
        await c.send(encode_frame(f"QN=20240601085857223;ST=32;CN=9015;PW={PW};MN={MN};Flag=9;CP=&&&&"))
        await c.send(upload("20240601085857224", cn="2051", flag=9))
        got = await c.replies(3)
        assert [g.encode() for g in got] == [
            f"QN=20160801085857002;ST=91;CN=9013;PW={PW};MN={MN};Flag=4;CP=&&&&",
            f"QN=20240601085857223;ST=91;CN=9013;PW={PW};MN={MN};Flag=8;CP=&&&&",
            f"QN=20240601085857224;ST=91;CN=9014;PW={PW};MN={MN};Flag=8;CP=&&&&",
        ]
        c.close()
        await receiver.stop()

    run(go())
    assert [r.verdict for r in logged(tmp_path)] == ["ok"] * 4


@needs_data
def test_encrypted_frame_is_logged_unverified_and_not_answered(tmp_path: Path) -> None:
    async def go() -> None:
        receiver, port = await started(tmp_path)
        c = await Client.open(port)
        await c.send(PACKETS_2025[2] + b"\r\n")
        await c.send(upload("20160801085857003"))
        (first,) = await c.replies(1)
        assert first.encode().startswith("QN=20160801085857003;")
        c.close()
        await receiver.stop()

    run(go())
    first = logged(tmp_path)[0]
    assert (first.verdict, first.reason) == ("ok", "encrypted_unverified")


@needs_data
def test_encrypted_frame_of_a_device_with_its_key_is_opened_and_answered(tmp_path: Path) -> None:
    """HJ 212-2025 Annex A.2: the registry holds the device's SM4 key (the standard's test
    key, 16 × 0x30); the frame is decrypted, its CRC checked over the plaintext and answered
    with 9014 (Flag=9 asks for it); the log keeps the frame as received."""
    devices = {MN: DeviceAuth(MN, PW, "31", "2025", "0000000000000000")}

    async def go() -> None:
        receiver, port = await started(tmp_path, devices)
        c = await Client.open(port)
        await c.send(PACKETS_2025[2] + b"\r\n")
        (reply,) = await c.replies(1)
        assert reply.encode().startswith("QN=20240520210700000;ST=91;CN=9014;")
        assert reply.flag.version == 2
        c.close()
        await receiver.stop()

    run(go())
    (first,) = logged(tmp_path)
    assert (first.verdict, first.reason) == ("ok", "")
    assert first.data == PACKETS_2025[2] + b"\r\n"


@needs_data
def test_encrypted_frame_with_the_wrong_key_is_quarantined_unanswered(tmp_path: Path) -> None:
    devices = {MN: DeviceAuth(MN, PW, "31", "2025", "1111111111111111")}

    async def go() -> None:
        receiver, port = await started(tmp_path, devices)
        c = await Client.open(port)
        await c.send(PACKETS_2025[2] + b"\r\n")
        await c.send(upload("20160801085857004"))
        (first,) = await c.replies(1)
        assert first.encode().startswith("QN=20160801085857004;")  # only the plaintext one
        c.close()
        await receiver.stop()

    run(go())
    first = logged(tmp_path)[0]
    assert (first.verdict, first.reason) == ("quarantine", "bad_key")


def test_frame_size_cap_and_bad_split(tmp_path: Path) -> None:
    big = upload("20160801085857001")
    split = encode_frame(
        f"QN=20160801085857002;ST=32;CN=2061;PW={PW};MN={MN};Flag=7;PNUM=2;PNO=3;CP=&&DataTime=20160801080000&&"
    )

    async def go() -> None:
        receiver, port = await started(tmp_path, max_segment=100)
        c = await Client.open(port)
        await c.send(big + split)
        await c.send(encode_frame(f"QN=20160801085857003;ST=32;CN=2081;PW={PW};MN={MN};Flag=5;CP=&&&&"))
        (first,) = await c.replies(1)
        assert first.encode().startswith("QN=20160801085857003;")
        c.close()
        await receiver.stop()

    run(go())
    assert [r.reason for r in logged(tmp_path)] == ["segment_too_long", "segment_too_long", ""]

    async def again() -> None:
        receiver, port = await started(tmp_path)
        c = await Client.open(port)
        await c.send(split + upload("20160801085857004"))
        await c.replies(1)
        c.close()
        await receiver.stop()

    run(again())
    assert [r.reason for r in logged(tmp_path)][3:] == ["bad_packet_number", ""]


def test_max_connections_and_idle_timeout(tmp_path: Path) -> None:
    async def go() -> None:
        receiver, port = await started(tmp_path, max_connections=2, idle_timeout=0.2)
        a, b = await Client.open(port), await Client.open(port)
        await a.send(upload("20160801085857001"))
        await a.replies(1)
        third = await Client.open(port)
        assert await asyncio.wait_for(third.reader.read(), 10) == b""  # refused: closed at once
        assert await asyncio.wait_for(b.reader.read(), 10) == b""  # idle: closed by the sweeper
        assert receiver.stats.refused == 1
        for c in (a, b, third):
            c.close()
        await receiver.stop()

    run(go())


def test_many_frames_in_one_write_with_small_unacked_limit(tmp_path: Path) -> None:
    qns = [f"20160801085857{i:03d}" for i in range(200)]

    async def go() -> None:
        receiver, port = await started(tmp_path, max_unacked=4, batch_records=16)
        c = await Client.open(port)
        await c.send(b"".join(upload(q) for q in qns))
        got = await c.replies(len(qns))
        assert [g.encode().split(";")[0] for g in got] == [f"QN={q}" for q in qns]
        c.close()
        await receiver.stop()

    run(go())
    assert len(logged(tmp_path)) == 200


def test_reload_reads_the_registry_again(tmp_path: Path) -> None:
    devices: dict[str, DeviceAuth] = {}

    async def go() -> None:
        receiver = Receiver(ReceiverConfig(tmp_path, port=0, reload_seconds=0), lambda: dict(devices))
        port = await receiver.start()
        c = await Client.open(port)
        await c.send(upload("20160801085857001"))
        devices[MN] = DeviceAuth(MN, PW)
        assert await receiver.reload()
        await c.send(upload("20160801085857002"))
        (first,) = await c.replies(1)
        assert first.encode().startswith("QN=20160801085857002;")
        c.close()
        await receiver.stop()

    run(go())
    assert [r.reason for r in logged(tmp_path)] == ["unknown_device", ""]


def test_stop_releases_the_log_and_a_second_receiver_name_runs_beside(tmp_path: Path) -> None:
    async def go() -> None:
        r1, p1 = await started(tmp_path)
        r2 = Receiver(ReceiverConfig(tmp_path, name="r2", port=0), lambda: DEVICES)
        p2 = await r2.start()
        for port, qn in ((p1, "20160801085857001"), (p2, "20160801085857002")):
            c = await Client.open(port)
            await c.send(upload(qn))
            await c.replies(1)
            c.close()
        await r1.stop()
        await r2.stop()

    run(go())
    with LogWriter(tmp_path, "r1"), LogWriter(tmp_path, "r2"):  # both locks released
        pass
    assert len(logged(tmp_path)) == 1 and len(list(read_log(tmp_path, "r2"))) == 1


def test_load_csv_register(tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_text(
        f"mn,outlet_id,st,pw,edition,sm4_key,active\n{MN},O1,32,{PW},2017,,true\nX,O2,31,1,2025,,false\n"
    )
    got = load_csv(path)
    assert got[MN] == DeviceAuth(MN, PW, "32", "2017", None, True)
    assert got["X"].active is False


# --- the header fast path agrees with Segment.parse -----------------------------------------

header_texts = st.lists(
    st.sampled_from(["QN=20160801085857223", "ST=32", "CN=2011", "PW=123456", f"MN={MN}", "Flag=5", "Flag=x",
                     "Flag=256", "PNUM=2", "X=1", "bad", "=v", "ST=31", "Flag=9", "RF=1"]),
    max_size=8,
)  # fmt: skip


@given(
    pieces=header_texts,
    tail=st.sampled_from(["CP=&&&&", "CP=&&DataTime=20160801085857&&", "CP=&&a", "", "CP=&&x=1&&;"]),
)
def test_read_header_agrees_with_segment_parse(pieces: list[str], tail: str) -> None:
    text = "".join(p + ";" for p in pieces) + tail
    try:
        full = Segment.parse(text)
    except RemoteProtocolError as exc:
        try:
            read_header(text.encode())
        except RemoteProtocolError as mine:
            assert mine.reason == exc.reason
        else:  # only data-area problems may pass the header reading
            assert exc.reason not in ("no_cp", "cp_not_closed", "bad_header", "bad_flag")
        return
    fast = read_header(text.encode())
    assert (fast.mn, fast.pw, fast.cn, fast.st, fast.flag, fast.rf) == (
        full.mn, full.pw, full.cn, full.st, full.flag, full.rf
    )  # fmt: skip
    assert fast.qn == dict(full.header()).get("QN")


# --- the command ----------------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_receive_command_serves_and_stops_on_sigterm(tmp_path: Path) -> None:
    register = tmp_path / "d.csv"
    register.write_text(f"mn,outlet_id,st,pw,edition,sm4_key,active\n{MN},O1,32,{PW},2017,,true\n")
    exe = Path(sys.executable).parent / "ecoplan"
    proc = subprocess.Popen(
        [str(exe), "receive", "--log-dir", str(tmp_path / "logs"), "--port", "0", "--devices", str(register),
         "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        assert "listening on 127.0.0.1:" in line and "1 registered devices" in line
        port = int(line.split("127.0.0.1:")[1].split(",")[0])

        async def go() -> None:
            c = await Client.open(port)
            await c.send(upload("20160801085857001"))
            (reply,) = await c.replies(1)
            assert reply.cn == "9014"
            c.close()

        run(go())
        proc.send_signal(signal.SIGHUP)  # reload: keeps serving
        proc.send_signal(signal.SIGTERM)
        rest = proc.communicate(timeout=30)[0].decode()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
    assert "1 frames" in rest
    assert [r.verdict for _, _, r in read_log(tmp_path / "logs", "r1")] == ["ok"]


def test_receive_reads_the_register_from_the_store_and_does_not_hold_it(
    db_path: Path, tmp_path: Path
) -> None:
    from ecoplan.app import Ecoplan

    with Ecoplan(db_path) as ep:
        ep.init()
        with ep.catalog.transaction() as con:  # the registry loader is task C's; the row directly
            con.execute(
                "INSERT INTO sources_devices VALUES (?, 'O1', '32', ?, '2017', NULL, TRUE, 0)", [MN, PW]
            )
    exe = Path(sys.executable).parent / "ecoplan"
    logs = tmp_path / "logs"
    proc = subprocess.Popen(
        [str(exe), "receive", "--log-dir", str(logs), "--port", "0", "--db", str(db_path), "--lang", "en"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        assert "1 registered devices" in line, line
        port = int(line.split("127.0.0.1:")[1].split(",")[0])

        async def go() -> None:
            c = await Client.open(port)
            await c.send(upload("20160801085857001"))
            await c.replies(1)
            c.close()

        run(go())
        with Ecoplan(db_path) as ep:  # the receiver serves without holding the store
            assert ep.sources.frames.ingest(logs).frames_new == 1
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0
