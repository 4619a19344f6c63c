"""From raw-log records (or lines of a frames file) to the rows of the frame tables.

Pure: no store. A record the receiver judged ``ok`` is framed and parsed again here (the
receiver's verdict is not trusted blindly: what fails now is quarantined with its
reason); its data area becomes one wide row per factor (hj212 spec §5.3 Table 4, §11
item 6): ``-Rtd -Avg -Min -Max -Cou -ZsRtd -ZsAvg -ZsMin -ZsMax -Flag -EFlag`` in their
columns, any other kind of the factor (``-SampleTime``, ``-RawAvg``, ``-Ala``…) in
``extra`` as text. A record judged ``quarantine`` is kept as it was logged.

A frames file is text, one packet per line as in ``shared/data/hj212/packets.txt`` (no
``\\r\\n``, which is added back before framing); its "log" is ``file:<basename>`` and the
position of a line is (0, line number).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Final

from ecoplan.sources.protocol.errors import RemoteProtocolError
from ecoplan.sources.protocol.frame import Frame, FrameDecoder
from ecoplan.sources.protocol.segment import Segment, format_qn, parse_time
from ecoplan.sources.readers.rawlog import Position, Record

__all__ = [
    "VALUE_KINDS",
    "Decoded",
    "FrameRow",
    "QuarantineRow",
    "ValueRow",
    "decode",
    "file_log",
    "file_records",
]

#: Data-area kinds with their own column in ``sources_values`` (column name → kind).
VALUE_KINDS: Final = {
    "rtd": "Rtd",
    "avg": "Avg",
    "min": "Min",
    "max": "Max",
    "cou": "Cou",
    "zs_rtd": "ZsRtd",
    "zs_avg": "ZsAvg",
    "zs_min": "ZsMin",
    "zs_max": "ZsMax",
}
_TEXT_KINDS: Final = {"Flag": "flag", "EFlag": "eflag"}


@dataclass(frozen=True, slots=True)
class FrameRow:
    """One ``sources_frames`` row (without its frame_id, given on insert)."""

    log: str
    seg: int
    pos: int
    received_at: datetime
    peer: str
    mn: str | None
    st: str | None
    cn: str | None
    qn: str | None
    data_time: datetime | None
    flag: int | None
    edition: str | None
    rf: bool
    status: str
    raw: str

    @property
    def key(self) -> tuple[str | None, str | None, str | None, datetime | None]:
        """The duplicate key (MN, CN, QN, DataTime), hj212 spec §11 item 4."""
        return (self.mn, self.cn, self.qn, self.data_time)


@dataclass(frozen=True, slots=True)
class ValueRow:
    """One factor of one frame: the numeric kinds, flag, eflag and the rest as JSON."""

    factor: str
    numbers: tuple[float | None, ...]  # in the order of VALUE_KINDS
    flag: str | None
    eflag: str | None
    extra: str | None


@dataclass(frozen=True, slots=True)
class QuarantineRow:
    """One ``sources_quarantine`` row."""

    log: str
    seg: int
    pos: int
    received_at: datetime
    peer: str
    mn: str | None
    reason: str
    detail: str
    raw: bytes


@dataclass(slots=True)
class Decoded:
    """What one record gives: a frame with its values, or a quarantine row."""

    frame: FrameRow | None = None
    values: list[ValueRow] = field(default_factory=list)
    quarantine: QuarantineRow | None = None


def _number(text: str) -> float | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return float(value) if value.is_finite() else None


def _values(segment: Segment) -> list[ValueRow]:
    out: list[ValueRow] = []
    for code, kinds in segment.cp.factors().items():
        numbers = tuple(_number(kinds[kind]) if kind in kinds else None for kind in VALUE_KINDS.values())
        rest = {k: v for k, v in kinds.items() if k not in _TEXT_KINDS and k not in VALUE_KINDS.values()}
        out.append(
            ValueRow(
                code,
                numbers,
                kinds.get("Flag"),
                kinds.get("EFlag"),
                json.dumps(rest, ensure_ascii=False, sort_keys=True) if rest else None,
            )
        )
    return out


def _mn_of(data: bytes) -> str | None:
    at = data.find(b"MN=")
    if at < 0:
        return None
    end = data.find(b";", at)
    return data[at + 3 : end if end >= 0 else at + 40].decode("utf-8", "replace")


def decode(log: str, at: Position, record: Record) -> Decoded:
    """The rows of ``record`` found at ``at`` in ``log``."""
    received = datetime.fromtimestamp(record.received_at)

    def quarantine(reason: str, detail: str) -> Decoded:
        return Decoded(
            quarantine=QuarantineRow(
                log, at.seg, at.pos, received, record.peer, _mn_of(record.data), reason, detail, record.data
            )
        )

    if record.verdict == "quarantine":
        return quarantine(record.reason or "quarantine", record.detail)
    events = FrameDecoder().feed(record.data)
    frames = [e for e in events if isinstance(e, Frame)]
    if len(events) != 1 or len(frames) != 1:
        bad = next((e for e in events if not isinstance(e, Frame)), None)
        reason = getattr(bad, "reason", "not_one_frame")
        return quarantine(reason, getattr(bad, "detail", f"{len(events)} events"))
    frame = frames[0]
    try:
        segment = Segment.parse(frame.segment)
    except RemoteProtocolError as exc:
        return quarantine(exc.reason, exc.detail)
    encrypted = frame.encrypted or record.reason == "encrypted_unverified"
    data_time = None
    if not encrypted:
        text = segment.cp.get("DataTime")
        data_time = None if text is None else parse_time(text)
    qn = format_qn(segment.qn) if isinstance(segment.qn, datetime) else segment.qn
    row = FrameRow(
        log,
        at.seg,
        at.pos,
        received,
        record.peer,
        segment.mn,
        segment.st,
        segment.cn,
        qn,
        data_time,
        None if segment.flag is None else segment.flag.value,
        segment.edition,
        segment.rf == "1",
        "encrypted_unverified" if encrypted else "ok",
        frame.raw.rstrip(b"\r\n").decode("utf-8"),
    )
    values = [] if encrypted or data_time is None else _values(segment)
    return Decoded(frame=row, values=values)


def file_log(path: str | Path) -> str:
    """The log name of a frames file: ``file:<basename>``."""
    return f"file:{Path(path).name}"


def file_records(path: str | Path) -> Iterator[tuple[Position, Record]]:
    """(position, record) of every non-empty line of a frames file: (0, line number),
    an ``ok`` record of the line with ``\\r\\n`` added (framing and CRC are checked by
    :func:`decode`), received at the file's modification time."""
    target = Path(path)
    mtime = os.stat(target).st_mtime if target.exists() else time.time()
    for number, line in enumerate(target.read_bytes().splitlines(), start=1):
        data = line.strip(b" \t\r\n")
        if data:
            yield Position(0, number), Record(mtime, "file", "ok", data + b"\r\n")
