"""The asyncio HJ 212 receiver: TCP in, raw log on disk, replies out (hj212 spec §1, §7, §11).

Per connection: a :class:`~ecoplan.sources.protocol.frame.FrameDecoder` (framing, CRC,
size cap) and a :class:`~ecoplan.sources.protocol.reassembly.Reassembler` (PNUM/PNO
checks). Every event becomes one raw-log record:

- a well-framed packet of a registered device with the right password → ``ok``; its reply
  (:func:`~ecoplan.sources.protocol.replies.reply_for`: 9014 to an upload asking for one,
  9013 to a notification) is written **after** the batch holding the record is fsynced;
- bytes that are not a packet (bad CRC, length mismatch, garbage, oversize… spec §11
  item 2), a segment that does not parse, bad PNUM/PNO, an unknown MN or a wrong PW →
  ``quarantine`` with the reason code, and **no** reply;
- an SM4-encrypted packet (HJ 212-2025 §6.4.2) of a device whose key the registry holds
  is decrypted and its CRC checked over the plaintext (Annex A.2); it is answered as a
  plaintext one when the CRC verifies, quarantined as ``bad_key`` (or
  ``bad_ciphertext``) when it does not; without a key it is logged ``ok`` with reason
  ``encrypted_unverified`` and not answered (spec §25.9 item 3). The log keeps the frame as
  received.

Limits: ``max_connections`` (more are closed at once), ``idle_timeout`` (a connection
silent that long is closed), ``max_segment`` (frame-size cap), ``max_unacked`` per
connection and the log pump's backlog (reading stops until the disk catches up).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ecoplan.sources.protocol.crypto import open_frame, parse_key
from ecoplan.sources.protocol.errors import LocalProtocolError, RemoteProtocolError
from ecoplan.sources.protocol.frame import MAX_LENGTH_FIELD, Frame, FrameDecoder, FrameError
from ecoplan.sources.protocol.reassembly import Reassembler, ReassemblyError
from ecoplan.sources.protocol.replies import encode_reply, reply_for
from ecoplan.sources.protocol.segment import Segment
from ecoplan.sources.readers.rawlog import LogWriter, Record
from ecoplan.sources.receiver.auth import DeviceAuth, check
from ecoplan.sources.receiver.header import read_header
from ecoplan.sources.receiver.pump import DEFAULT_BATCH, DEFAULT_INTERVAL, LogPump

__all__ = ["Receiver", "ReceiverConfig", "ReceiverStats", "serve"]

AuthLoader = Callable[[], Mapping[str, DeviceAuth]]


@dataclass
class ReceiverConfig:
    """How one receiver runs; ``name`` is its log's name under ``log_dir``."""

    log_dir: Path
    name: str = "r1"
    host: str = "127.0.0.1"
    port: int = 9212
    max_connections: int = 10_000
    idle_timeout: float = 600.0
    max_segment: int = MAX_LENGTH_FIELD
    max_unacked: int = 256
    sync_interval: float = DEFAULT_INTERVAL
    batch_records: int = DEFAULT_BATCH
    reload_seconds: float = 60.0
    segment_bytes: int | None = None


@dataclass
class ReceiverStats:
    """Counts since start."""

    connections: int = 0
    refused: int = 0
    frames: int = 0
    quarantined: int = 0
    replies: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "connections": self.connections,
            "refused": self.refused,
            "frames": self.frames,
            "quarantined": self.quarantined,
            "replies": self.replies,
            "reasons": dict(sorted(self.reasons.items())),
        }


class _Conn(asyncio.Protocol):
    """One device connection."""

    def __init__(self, server: Receiver) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.peer = ""
        self.decoder = FrameDecoder(max_segment=server.config.max_segment)
        self.reassembler = Reassembler()
        self.unacked = 0
        self.paused = False
        self.closed = False
        self.last = time.monotonic()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        peer = transport.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        if not self.server._admit(self):
            self.closed = True
            transport.abort()

    def data_received(self, data: bytes) -> None:
        self.last = time.monotonic()
        self.server._events(self, self.decoder.feed(data))

    def eof_received(self) -> bool | None:
        with contextlib.suppress(Exception):
            self.server._events(self, self.decoder.close())
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.server._conns.discard(self)

    def acked(self, reply: bytes | None) -> None:
        """The record is on disk: send its reply, maybe read again."""
        self.unacked -= 1
        if self.closed or self.transport is None:
            return
        if reply is not None:
            self.transport.write(reply)
            self.server.stats.replies += 1
        if self.paused and self.unacked < self.server.config.max_unacked // 2 and not self.server._pressed:
            self.paused = False
            self.transport.resume_reading()

    def pause(self) -> None:
        if not self.paused and not self.closed and self.transport is not None:
            self.paused = True
            self.transport.pause_reading()


class Receiver:
    """One receiver: :meth:`start`, serve, :meth:`stop` (or :func:`serve` for all of it)."""

    def __init__(self, config: ReceiverConfig, auth: AuthLoader | None = None) -> None:
        self.config = config
        self.auth_loader = auth
        self.devices: Mapping[str, DeviceAuth] | None = None
        self.stats = ReceiverStats()
        self._conns: set[_Conn] = set()
        self._pressed = False
        self._server: asyncio.Server | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self.pump: LogPump | None = None
        self.stopped = asyncio.Event()

    # -- lifecycle ------------------------------------------------------------------
    async def start(self) -> int:
        """Open the log, read the devices, listen; the port listened on."""
        if self.auth_loader is not None:
            self.devices = dict(self.auth_loader())
        kw = {} if self.config.segment_bytes is None else {"segment_bytes": self.config.segment_bytes}
        writer = LogWriter(self.config.log_dir, self.config.name, **kw)
        self.pump = LogPump(
            writer, interval=self.config.sync_interval, batch_records=self.config.batch_records
        )
        self.pump.on_pressure = self._pressure
        self.pump.start()
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _Conn(self), self.config.host, self.config.port, backlog=4096
        )
        self._tasks.append(loop.create_task(self._sweep()))
        if self.auth_loader is not None and self.config.reload_seconds > 0:
            self._tasks.append(loop.create_task(self._reload_every()))
        sock = self._server.sockets[0]
        return int(sock.getsockname()[1])

    async def stop(self) -> None:
        """Stop accepting, fsync and ack what was received, close every connection and the log."""
        if self._server is not None:
            self._server.close()
        for task in self._tasks:
            task.cancel()
        if self.pump is not None:
            await self.pump.drain()
        for conn in list(self._conns):
            if conn.transport is not None:
                conn.transport.close()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)
        if self.pump is not None:
            await self.pump.close()
        self.stopped.set()

    async def reload(self) -> bool:
        """Read the device registry again (in a thread); False when it could not be read
        (the old snapshot is kept, e.g. while an ingest holds the store)."""
        if self.auth_loader is None:
            return False
        try:
            devices = await asyncio.get_running_loop().run_in_executor(None, self.auth_loader)
        except Exception:
            return False
        self.devices = dict(devices)
        return True

    async def _reload_every(self) -> None:
        while True:
            await asyncio.sleep(self.config.reload_seconds)
            await self.reload()

    async def _sweep(self) -> None:
        idle = self.config.idle_timeout
        while True:
            await asyncio.sleep(max(0.05, min(idle / 4, 5.0)))
            now = time.monotonic()
            for conn in list(self._conns):
                if now - conn.last > idle and conn.transport is not None and not conn.unacked:
                    conn.transport.close()

    # -- connections ----------------------------------------------------------------
    def _admit(self, conn: _Conn) -> bool:
        if len(self._conns) >= self.config.max_connections:
            self.stats.refused += 1
            return False
        self._conns.add(conn)
        self.stats.connections += 1
        return True

    def _pressure(self, on: bool) -> None:
        self._pressed = on
        for conn in self._conns:
            if on:
                conn.pause()
            elif conn.paused and conn.unacked < self.config.max_unacked // 2 and conn.transport:
                conn.paused = False
                conn.transport.resume_reading()

    def _events(self, conn: _Conn, events: list[Frame | FrameError]) -> None:
        pump = self.pump
        assert pump is not None
        now = time.time()
        for event in events:
            record, reply = self._judge(conn, event, now)
            conn.unacked += 1
            pump.submit(record, _Ack(conn, reply))
        if conn.unacked >= self.config.max_unacked or self._pressed:
            conn.pause()

    def _judge(self, conn: _Conn, event: Frame | FrameError, now: float) -> tuple[Record, bytes | None]:
        stats = self.stats
        if isinstance(event, FrameError):
            return self._quarantine(conn, now, event.excerpt, event.reason, event.detail), None
        raw = event.raw
        try:
            segment = read_header(event.segment)
            if segment.pnum is not None or segment.pno is not None:
                segment = Segment.parse(event.segment)  # split: the reassembly needs DataTime
        except RemoteProtocolError as exc:
            return self._quarantine(conn, now, raw, exc.reason, exc.detail), None
        refused = check(self.devices, segment.mn, segment.pw)
        if refused is not None:
            return self._quarantine(conn, now, raw, refused, f"MN {segment.mn!r}"), None
        if segment.pnum is not None or segment.pno is not None:
            for out in conn.reassembler.feed(segment, time.monotonic()):
                if isinstance(out, ReassemblyError) and out.segment is segment:
                    return self._quarantine(conn, now, raw, out.reason, out.detail), None
        if event.encrypted:
            key = self._key(segment.mn)
            if key is None:
                stats.frames += 1
                return Record(now, conn.peer, "ok", raw, "encrypted_unverified"), None
            opened = open_frame(event, lambda _mn: (key,))
            if not opened.ok or opened.segment is None:
                reason = opened.reason or "bad_key"
                return self._quarantine(conn, now, raw, reason, opened.detail), None
            segment = opened.segment
        stats.frames += 1
        reply = reply_for(segment)
        return Record(now, conn.peer, "ok", raw), None if reply is None else encode_reply(reply)

    def _key(self, mn: str | None) -> bytes | None:
        """The SM4 key the registry holds for ``mn`` (None without one or unreadable)."""
        device = (self.devices or {}).get(mn or "")
        if device is None or not device.sm4_key:
            return None
        try:
            return parse_key(device.sm4_key)
        except LocalProtocolError:
            return None

    def _quarantine(self, conn: _Conn, now: float, data: bytes, reason: str, detail: str) -> Record:
        self.stats.quarantined += 1
        self.stats.reasons[reason] = self.stats.reasons.get(reason, 0) + 1
        return Record(now, conn.peer, "quarantine", data, reason, detail)


class _Ack:
    """The callback of one record: release its reply to its connection."""

    __slots__ = ("conn", "reply")

    def __init__(self, conn: _Conn, reply: bytes | None) -> None:
        self.conn = conn
        self.reply = reply

    def __call__(self) -> None:
        self.conn.acked(self.reply)


async def serve(
    config: ReceiverConfig,
    auth: AuthLoader | None = None,
    *,
    ready: Callable[[int], None] | None = None,
    duration: float | None = None,
) -> ReceiverStats:
    """Run a receiver until SIGTERM/SIGINT (or ``duration`` seconds); SIGHUP reloads the
    device registry. ``ready`` gets the port once listening."""
    receiver = Receiver(config, auth)
    port = await receiver.start()
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    loop.add_signal_handler(signal.SIGHUP, lambda: loop.create_task(_reload(receiver)))
    if ready is not None:
        ready(port)
    try:
        if duration is None:
            await stop.wait()
        else:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), duration)
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.remove_signal_handler(sig)
        await receiver.stop()
    return receiver.stats


async def _reload(receiver: Receiver) -> None:
    await receiver.reload()
