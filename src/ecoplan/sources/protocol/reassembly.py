"""Multi-packet reassembly (拆分包), spec §4 "PNUM / PNO"; 2025 unchanged (§25.2).

A message longer than the segment limit is sent as PNUM packets numbered PNO = 1..PNUM
(the standard's C.49/C.50 number from 1, not zero-padded; 2005 wrote ``0001``), each with
its own QN and the same ``DataTime``. The standard defines no reassembly key
(UNCONFIRMED); as the spec recommends, packets are grouped on (MN, CN, DataTime, PNUM),
may arrive in any order, and a group incomplete after ``timeout`` seconds expires.

Sans-IO: the caller passes the time (``now``, any monotonic seconds); nothing is stored
beyond ``max_pending`` groups (the oldest is expired first).

:func:`split_segment` is the sending side: a segment over the limit (1024, Table 2; 2025
§8.1.2 "数据段超 1 024个字符时应分包传输") becomes PNUM packets, each with its own QN,
the split bit set and the ``DataTime`` item repeated (C.49/C.50).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

from ecoplan.sources.protocol.errors import LocalProtocolError
from ecoplan.sources.protocol.frame import STANDARD_MAX_SEGMENT
from ecoplan.sources.protocol.segment import DataArea, Flag, Segment

__all__ = ["DEFAULT_TIMEOUT", "Expired", "Message", "Reassembler", "ReassemblyError", "split_segment"]

#: Seconds an incomplete group is kept.
DEFAULT_TIMEOUT: Final = 120.0

Key = tuple[str | None, str | None, str | None, int]


@dataclass(frozen=True, slots=True)
class Message:
    """A complete message: its packets in PNO order (one for an unsplit packet) and the
    data area of all of them, items concatenated in PNO order."""

    segments: tuple[Segment, ...]
    cp: DataArea

    @property
    def first(self) -> Segment:
        """The packet with PNO 1 (or the only one)."""
        return self.segments[0]


@dataclass(frozen=True, slots=True)
class ReassemblyError:
    """A packet that cannot belong to a message (PNO outside 1..PNUM, PNUM < 1); the peer's fault."""

    reason: str
    detail: str
    segment: Segment


@dataclass(frozen=True, slots=True)
class Expired:
    """A group given up: ``received`` PNOs of ``total``, first seen at ``since``."""

    key: Key
    received: tuple[int, ...]
    total: int
    since: float


Event = Message | ReassemblyError | Expired


@dataclass(slots=True)
class _Group:
    since: float
    parts: dict[int, Segment]


class Reassembler:
    """Collect split packets into :class:`Message` s; unsplit packets pass straight through."""

    def __init__(self, *, timeout: float = DEFAULT_TIMEOUT, max_pending: int = 1024) -> None:
        if timeout <= 0 or max_pending < 1:
            raise ValueError("timeout must be > 0 and max_pending ≥ 1")
        self.timeout = timeout
        self.max_pending = max_pending
        self._groups: dict[Key, _Group] = {}

    @property
    def pending(self) -> int:
        """Incomplete groups held."""
        return len(self._groups)

    def feed(self, segment: Segment, now: float) -> list[Event]:
        """Take one packet at time ``now``; return what completes or expires."""
        events: list[Event] = list(self.expire(now))
        total, number = segment.packet_count, segment.packet_no
        if total is None or number is None:
            if segment.pnum is not None or segment.pno is not None:
                events.append(ReassemblyError("bad_packet_number", "PNUM/PNO not both integers", segment))
            else:
                events.append(Message((segment,), segment.cp))
            return events
        if total < 1 or not 1 <= number <= total:
            events.append(ReassemblyError("bad_packet_number", f"PNO {number} not in 1..{total}", segment))
            return events
        key: Key = (segment.mn, segment.cn, segment.cp.get("DataTime"), total)
        group = self._groups.get(key)
        if group is None:
            if len(self._groups) >= self.max_pending:
                oldest = next(iter(self._groups))
                events.append(self._expired(oldest, self._groups.pop(oldest)))
            group = self._groups[key] = _Group(now, {})
        group.parts.setdefault(number, segment)  # a repeated PNO (a retry) is ignored
        if len(group.parts) == total:
            del self._groups[key]
            parts = tuple(group.parts[i] for i in range(1, total + 1))
            events.append(Message(parts, DataArea(tuple(item for p in parts for item in p.cp.items))))
        return events

    def expire(self, now: float) -> list[Expired]:
        """Drop the groups older than ``timeout`` at ``now``."""
        old = [k for k, g in self._groups.items() if now - g.since >= self.timeout]
        return [self._expired(k, self._groups.pop(k)) for k in old]

    @staticmethod
    def _expired(key: Key, group: _Group) -> Expired:
        return Expired(key, tuple(sorted(group.parts)), key[3], group.since)


#: A 17-digit QN for sizing the packets before their own QNs are drawn.
_SIZING_QN: Final = datetime(2000, 1, 1)


def split_segment(
    segment: Segment, next_qn: Callable[[], datetime], *, max_segment: int = STANDARD_MAX_SEGMENT
) -> list[Segment]:
    """``segment`` as packets of at most ``max_segment`` bytes (itself when it fits).

    The data area's items are dealt in order; the first item holding ``DataTime`` is
    repeated at the head of every packet (spec §4 "PNUM / PNO"); each packet gets a QN
    from ``next_qn`` (C.49/C.50 number them …534, …535), ``PNUM``/``PNO`` from 1 and the
    Flag's split bit. :class:`LocalProtocolError` when one item alone does not fit.
    """
    if len(segment.to_bytes()) <= max_segment:
        return [segment]
    flag = segment.flag or Flag.make(version=1)
    split_flag = Flag(flag.value | 2)
    items = segment.cp.items
    head = next((i for i, item in enumerate(items) if any(k.strip() == "DataTime" for k, _ in item)), None)
    common = (items[head],) if head is not None else ()
    rest = [item for i, item in enumerate(items) if i != head]

    def packet(body: tuple[tuple[tuple[str, str | None], ...], ...], pnum: int, pno: int) -> Segment:
        area = DataArea((*common, *body))
        return replace(segment, qn=_SIZING_QN, flag=split_flag, pnum=pnum, pno=pno, cp=area, order=None)

    # the longest header (PNUM/PNO of up to 4 digits each) bounds what an area may take
    groups: list[list[tuple[tuple[str, str | None], ...]]] = [[]]
    for item in rest:
        trial = (*groups[-1], item)
        if len(packet(trial, 9999, 9999).to_bytes()) <= max_segment:
            groups[-1].append(item)
            continue
        if not groups[-1] or len(packet((item,), 9999, 9999).to_bytes()) > max_segment:
            raise LocalProtocolError(
                "segment_too_long", "one data-area item does not fit a packet", str(item)
            )
        groups.append([item])
    total = len(groups)
    return [replace(packet(tuple(g), total, n), qn=next_qn()) for n, g in enumerate(groups, start=1)]
