"""One simulated device on one TCP connection (hj212 spec §7.3, §7.4, §25.9 item 7).

The device uploads, waits for the 9014 (9013 for a heartbeat) carrying the upload's QN
(spec §7.2); with no answer within ``over_time`` seconds it resends the **same packet**
(same QN), at most ``re_count`` times, then gives the record up (HJ 212-2017 §6.2,
Table 1: 10 s, 3 retries). A lost connection is reopened and every packet still waiting
for its answer is sent again (a resend too, counted against ``re_count``). Every
answered QN goes to the :class:`Ledger`.

``window`` packets may wait for their answer at once (1 = the Annex C behaviour, C.48:
the next record only after the 9014).
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO

from ecoplan.sources.protocol.frame import Frame, FrameDecoder
from ecoplan.sources.simulate.devices import SimDevice
from ecoplan.sources.simulate.packets import STEPS, heartbeat, upload

__all__ = ["Ledger", "SimConfig", "SimStats", "play"]


@dataclass
class SimConfig:
    """What to play: where, how fast, how long, the retry rules."""

    host: str = "127.0.0.1"
    port: int = 9212
    rate: float = 1.0  # packets per second per device; 0 = as fast as the answers allow
    duration: float | None = None
    frames: int | None = None  # uploads in all, over all devices
    over_time: float = 10.0
    re_count: int = 3
    window: int = 1
    heartbeat: float = 60.0  # seconds between 9015 heartbeats (2025 devices)
    cns: tuple[str, ...] = ("2011", "2051", "2061", "2031")
    seed: int = 212
    start: datetime = datetime(2026, 1, 1)
    reconnect_delay: float = 0.1
    drain: float = 60.0  # seconds to wait for answers once the run is over
    check_replies: bool = True  # frame and CRC-check the answers (False: find QN/CN only, for load runs)


@dataclass
class SimStats:
    """What happened: uploads made, packets resent, answered, given up; answer latencies."""

    uploads: int = 0
    heartbeats: int = 0
    resent: int = 0
    acked: int = 0
    given_up: int = 0
    reconnects: int = 0
    latencies: list[float] = field(default_factory=list)

    def percentile(self, q: float) -> float | None:
        """The ``q`` quantile (0..1) of the answer latencies in seconds (nearest rank)."""
        if not self.latencies:
            return None
        data = sorted(self.latencies)
        return data[min(len(data) - 1, max(0, round(q * len(data)) - 1))]

    def to_dict(self) -> dict[str, object]:
        return {
            "uploads": self.uploads,
            "heartbeats": self.heartbeats,
            "resent": self.resent,
            "acked": self.acked,
            "given_up": self.given_up,
            "reconnects": self.reconnects,
            "p50_ms": _ms(self.percentile(0.5)),
            "p99_ms": _ms(self.percentile(0.99)),
        }


def _ms(v: float | None) -> float | None:
    return None if v is None else round(v * 1000, 2)


class Ledger:
    """Every QN answered: ``mn,cn,qn,data_time`` lines (data_time empty for a heartbeat)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = None if path is None else Path(path)
        self._fh: IO[str] | None = None if self.path is None else self.path.open("w", encoding="utf-8")
        self.count = 0

    def add(self, mn: str, cn: str, qn: str, data_time: str) -> None:
        self.count += 1
        if self._fh is not None:
            self._fh.write(f"{mn},{cn},{qn},{data_time}\n")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    @staticmethod
    def read(path: str | Path) -> list[tuple[str, str, str, str]]:
        """The entries of a ledger file."""
        out: list[tuple[str, str, str, str]] = []
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            mn, cn, qn, dt = line.split(",")
            out.append((mn, cn, qn, dt))
        return out


@dataclass
class _Pending:
    packet: bytes
    cn: str
    data_time: str
    first: float
    sent: float
    tries: int = 0


class _Shared:
    """The run's budget and clock, shared by its devices."""

    def __init__(self, config: SimConfig, ledger: Ledger, stats: SimStats) -> None:
        self.config = config
        self.ledger = ledger
        self.stats = stats
        self.left = config.frames
        self.t0 = time.monotonic()
        self.stop = asyncio.Event()

    def over(self, now: float) -> bool:
        c = self.config
        return (
            self.stop.is_set()
            or (self.left is not None and self.left <= 0)
            or (c.duration is not None and now - self.t0 >= c.duration)
        )

    def ticket(self, now: float) -> bool:
        if self.over(now):
            return False
        if self.left is not None:
            self.left -= 1
        return True


def _header(segment: bytes) -> dict[str, str]:
    head = segment[: segment.find(b"CP=&&")].decode("utf-8", "replace")
    out: dict[str, str] = {}
    for piece in head.split(";"):
        key, _, value = piece.partition("=")
        if key:
            out[key] = value
    return out


class _Device:
    def __init__(self, device: SimDevice, shared: _Shared, index: int) -> None:
        self.device = device
        self.shared = shared
        c = shared.config
        self.rng = random.Random(c.seed * 1_000_003 + index)
        self.pending: dict[str, _Pending] = {}
        self.answered = asyncio.Event()
        # devices start at different phases so that their data times differ
        self.clock = {cn: c.start + STEPS[cn] * self.rng.randrange(64) for cn in c.cns}
        self.qn_last = datetime.now() - timedelta(hours=1)
        self.n = 0
        self.next_send = time.monotonic() + (self.rng.random() / c.rate if c.rate > 0 else 0.0)
        self.next_beat = time.monotonic() + c.heartbeat * self.rng.random()

    def _qn_time(self) -> datetime:
        now = datetime.now()
        self.qn_last = max(now, self.qn_last + timedelta(milliseconds=1))
        return self.qn_last

    def _on_segment(self, segment: bytes, now: float) -> None:
        head = _header(segment)
        if head.get("CN") not in ("9014", "9013"):
            return
        item = self.pending.pop(head.get("QN", ""), None)
        if item is None:
            return
        stats = self.shared.stats
        stats.acked += 1
        stats.latencies.append(now - item.first)
        self.shared.ledger.add(self.device.mn, item.cn, head["QN"], item.data_time)
        self.answered.set()

    async def _read(self, reader: asyncio.StreamReader) -> None:
        decoder = FrameDecoder()
        check = self.shared.config.check_replies
        rest = b""
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    return
                now = time.monotonic()
                if check:
                    for event in decoder.feed(data):
                        if isinstance(event, Frame):
                            self._on_segment(event.segment, now)
                    continue
                *lines, rest = (rest + data).split(b"\r\n")
                for line in lines:
                    self._on_segment(line[6:-4], now)
        finally:
            self.answered.set()  # wake the sender: the link is gone

    def _new(self, writer: asyncio.StreamWriter, now: float) -> None:
        c = self.shared.config
        cn = c.cns[self.n % len(c.cns)]
        self.n += 1
        data_time = self.clock[cn]
        self.clock[cn] = data_time + STEPS[cn]
        qn, packet = upload(self.device, cn, self._qn_time(), data_time, self.rng)
        self.pending[qn] = _Pending(packet, cn, f"{data_time:%Y%m%d%H%M%S}", now, now)
        self.shared.stats.uploads += 1
        writer.write(packet)

    def _beat(self, writer: asyncio.StreamWriter, now: float) -> None:
        qn, packet = heartbeat(self.device, self._qn_time())
        self.pending[qn] = _Pending(packet, "9015", "", now, now)
        self.shared.stats.heartbeats += 1
        writer.write(packet)

    async def run(self) -> None:
        c = self.shared.config
        first = True
        while True:
            now = time.monotonic()
            if self.shared.over(now) and not self.pending:
                return
            if self.shared.stop.is_set() or now - self.shared.t0 > (c.duration or 1e18) + c.drain:
                return
            try:
                reader, writer = await asyncio.open_connection(c.host, c.port)
            except OSError:
                await asyncio.sleep(c.reconnect_delay)
                continue
            if not first:
                self.shared.stats.reconnects += 1
            first = False
            for qn, item in list(self.pending.items()):  # resend what waited when the link broke
                if item.tries >= c.re_count:
                    del self.pending[qn]
                    self.shared.stats.given_up += 1
                    continue
                item.tries += 1
                item.sent = time.monotonic()
                writer.write(item.packet)
                self.shared.stats.resent += 1
            reading = asyncio.get_running_loop().create_task(self._read(reader))
            try:
                done = await self._loop(writer, reading)
            except (ConnectionError, OSError):
                done = False
            finally:
                reading.cancel()
                with contextlib.suppress(BaseException):
                    await reading
                writer.close()
                with contextlib.suppress(Exception):
                    await writer.wait_closed()
            if done:
                return
            await asyncio.sleep(c.reconnect_delay)

    async def _loop(self, writer: asyncio.StreamWriter, reading: asyncio.Task[None]) -> bool:
        c = self.shared.config
        stats = self.shared.stats
        while True:
            if reading.done():
                return False
            now = time.monotonic()
            over = self.shared.over(now)
            if over and not self.pending:
                return True
            while (
                not over
                and len(self.pending) < c.window
                and (c.rate <= 0 or now >= self.next_send)
                and self.shared.ticket(now)
            ):
                self._new(writer, now)
                if c.rate > 0:
                    self.next_send = max(self.next_send + 1 / c.rate, now - 1)
            if self.device.edition == "2025" and not over and now >= self.next_beat:
                self._beat(writer, now)
                self.next_beat = now + c.heartbeat
            wake = now + c.over_time
            for qn, item in list(self.pending.items()):
                due = item.sent + c.over_time
                if due <= now:
                    if item.tries >= c.re_count:
                        del self.pending[qn]
                        stats.given_up += 1
                        continue
                    item.tries += 1
                    item.sent = now
                    stats.resent += 1
                    writer.write(item.packet)
                    due = now + c.over_time
                wake = min(wake, due)
            if c.rate > 0 and not over:
                wake = min(wake, self.next_send)
            if self.device.edition == "2025" and not over:
                wake = min(wake, self.next_beat)
            await writer.drain()
            self.answered.clear()
            if not reading.done():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.answered.wait(), max(0.0, wake - time.monotonic()))


async def play(devices: list[SimDevice], config: SimConfig, ledger: Ledger) -> SimStats:
    """Play ``devices`` against the receiver at ``config.host:port``; the stats."""
    stats = SimStats()
    shared = _Shared(config, ledger, stats)
    await asyncio.gather(*(_Device(d, shared, i).run() for i, d in enumerate(devices)))
    return stats
