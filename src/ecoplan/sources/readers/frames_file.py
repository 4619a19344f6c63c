"""From raw-log records (or lines of a frames file) to the rows of the frame tables.

Pure: no store. A record the receiver judged ``ok`` is framed and parsed again here (the
receiver's verdict is not trusted blindly: what fails now is quarantined with its
reason); its data area becomes one wide row per factor (hj212 spec §5.3 Table 4, §11
item 6): ``-Rtd -Avg -Min -Max -Cou -ZsRtd -ZsAvg -ZsMin -ZsMax -Flag -EFlag`` in their
columns, any other kind of the factor (``-SampleTime``, ``-RawAvg``, ``-Ala``…) in
``extra`` as text. A record judged ``quarantine`` is kept as it was logged.

:func:`columns` gives the same rows for a whole batch at once as Arrow tables (the batch
decoder of ``protocol/batch.py`` for the common packet, :func:`decode` for the rest);
``tests/sources/test_ingest.py`` checks the two agree.

A frames file is text, one packet per line as in ``shared/data/hj212/packets.txt`` (no
``\\r\\n``, which is added back before framing); its "log" is ``file:<basename>`` and the
position of a line is (0, line number).
"""

from __future__ import annotations

import json
import math
import os
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as _pa
import pyarrow.compute as _pc

from ecoplan.sources.protocol.batch import decode_lines
from ecoplan.sources.protocol.crypto import Keys, open_frame
from ecoplan.sources.protocol.errors import RemoteProtocolError
from ecoplan.sources.protocol.frame import Frame, FrameDecoder
from ecoplan.sources.protocol.segment import Segment, format_qn, parse_time
from ecoplan.sources.readers.rawlog import Position, Record

#: pyarrow as ``Any``: its stubs type compute kernels by overloads the column code cannot
#: name precisely (the batch decoder does the same through ``Any``).
pa: Any = _pa
pc: Any = _pc

__all__ = [
    "FRAMES_SCHEMA",
    "VALUES_SCHEMA",
    "VALUE_KINDS",
    "Columns",
    "Decoded",
    "FrameRow",
    "QuarantineRow",
    "ValueRow",
    "columns",
    "decode",
    "file_log",
    "file_records",
    "rows_columns",
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
    number = float(value) if value.is_finite() else math.inf
    return number if math.isfinite(number) else None  # 9E999 too: no infinity stored


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


def decode(log: str, at: Position, record: Record, keys: Keys | None = None) -> Decoded:
    """The rows of ``record`` found at ``at`` in ``log``. An SM4-encrypted frame (HJ 212-2025
    §6.4.2) is opened with ``keys(MN)`` when given (:func:`~ecoplan.sources.protocol.crypto.
    open_frame`: the CRC checked over the plaintext, Annex A.2): its values are stored as a
    plaintext frame's, the raw text kept as received; a key that does not verify sends it to
    the quarantine (``bad_key``); without a key it is stored ``encrypted_unverified``,
    without values."""
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
    if frame.encrypted and keys is not None and segment.mn and tuple(keys(segment.mn)):
        opened = open_frame(frame, keys)
        if not opened.ok or opened.segment is None:
            return quarantine(opened.reason or "bad_key", opened.detail)
        segment, encrypted = opened.segment, False
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


# --- the columnar path: a whole batch at once --------------------------------------------

#: ``sources_frames`` columns of a batch (``i`` the record's index in the batch; the
#: frame_id is given on insert).
FRAMES_SCHEMA: Final = pa.schema(
    [
        ("i", pa.int64()),
        ("log", pa.string()),
        ("seg", pa.int32()),
        ("pos", pa.int64()),
        ("received_at", pa.timestamp("us")),
        ("peer", pa.string()),
        ("mn", pa.string()),
        ("st", pa.string()),
        ("cn", pa.string()),
        ("qn", pa.string()),
        ("data_time", pa.timestamp("us")),
        ("flag", pa.int32()),
        ("edition", pa.string()),
        ("rf", pa.bool_()),
        ("status", pa.string()),
        ("raw", pa.string()),
    ]
)
#: ``sources_values`` columns of a batch (``i`` the frame's record index).
VALUES_SCHEMA: Final = pa.schema(
    [
        ("i", pa.int64()),
        ("mn", pa.string()),
        ("cn", pa.string()),
        ("data_time", pa.timestamp("us")),
        ("factor", pa.string()),
        *[(col, pa.float64()) for col in VALUE_KINDS],
        ("flag", pa.string()),
        ("eflag", pa.string()),
        ("extra", pa.string()),
    ]
)
#: A number as :class:`~decimal.Decimal` reads it (without its rarer spellings, which go
#: through :func:`_number` one by one).
_NUMBER_RE: Final = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_CP_MARK: Final = b"CP=&&"


@dataclass
class Columns:
    """The rows of one batch of records as Arrow tables (:data:`FRAMES_SCHEMA`,
    :data:`VALUES_SCHEMA`) plus the quarantine rows; ``records`` how many records."""

    records: int
    frames: _pa.Table
    values: _pa.Table
    quarantine: list[QuarantineRow] = field(default_factory=list)


def _fast_line(data: bytes) -> bytes | None:
    """The line (without ``\\r\\n``) when the batch decoder may take it: one ASCII ``##``
    packet ending in ``\\r\\n``, no RF header (the batch decoder does not return it) — else
    None (per record)."""
    if not data.endswith(b"\r\n") or not data.isascii():  # GBK and the like: per record
        return None
    line = data[:-2]
    if not line.startswith(b"##") or b"\r" in line or b"\n" in line or b"##" in line[2:]:
        return None
    cp = line.find(_CP_MARK)
    if cp < 0 or b"RF=" in line[:cp]:
        return None
    return line


def columns(
    log: str,
    items: Sequence[tuple[Position, Record]],
    *,
    edition: str | None = None,
    keys: Keys | None = None,
) -> Columns:
    """The rows of ``items`` (records of ``log`` at their positions), as :func:`decode` gives
    them record by record, built a batch at once: the common packet through the vectorised
    :func:`~ecoplan.sources.protocol.batch.decode_lines` (framing, CRC, header and data area,
    hj212 spec §2–§5), every other record (receiver quarantine, SM4, rejected, 17-digit
    DataTime, RF…) through :func:`decode` (with ``keys`` for SM4 frames). ``edition`` is
    recorded for frames without a Flag."""
    fast_at: list[int] = []
    lines: list[bytes] = []
    for n, (_, record) in enumerate(items):
        line = _fast_line(record.data) if record.verdict == "ok" and not record.reason else None
        if line is not None:
            fast_at.append(n)
            lines.append(line)
    at = np.asarray(fast_at, dtype=np.int64)
    fast_frames, fast_values, taken = _fast_tables(log, items, at, lines, edition)
    slow_at = np.flatnonzero(~taken)
    slow = [decode(log, items[n][0], items[n][1], keys) for n in slow_at.tolist()]
    for item in slow:
        if edition is not None and item.frame is not None and item.frame.flag is None:
            item.frame = replace(item.frame, edition=edition)
    slow_frames, slow_values, quarantine = _rows_tables(slow_at, slow)
    frames = pa.concat_tables([fast_frames, slow_frames])
    if slow_frames.num_rows:
        frames = frames.sort_by("i")
    values = pa.concat_tables([fast_values, slow_values])
    return Columns(len(items), frames, values, quarantine)


def _times(text: Any) -> Any:
    """N14 ``YYYYMMDDhhmmss`` texts → timestamps, null when not one (hj212 spec §5.2)."""
    good = pc.fill_null(pc.and_(pc.equal(pc.utf8_length(text), 14), pc.utf8_is_digit(text)), False)
    text = pc.if_else(good, text, pa.scalar(None, text.type))
    when = pc.strptime(text, "%Y%m%d%H%M%S", "us", error_is_null=True)
    # strptime rolls 20200231 over to 2020-03-02: only a time that prints back as sent is one
    printed = pc.strftime(pc.cast(when, pa.timestamp("s")), "%Y%m%d%H%M%S")
    same = pc.fill_null(pc.equal(printed, pc.cast(text, pa.string())), False)
    return pc.if_else(same, when, pa.scalar(None, when.type))


def _numbers(text: Any) -> npt.NDArray[np.float64]:
    """Texts → floats as :func:`_number` (NaN for None)."""
    plain = pc.fill_null(pc.match_substring_regex(text, _NUMBER_RE), False)
    cleaned = pc.if_else(plain, pc.replace_substring_regex(text, r"^\+", ""), pa.scalar(None, text.type))
    out = np.array(pc.cast(cleaned, pa.float64()).to_numpy(zero_copy_only=False), dtype=np.float64)
    rare = np.flatnonzero(
        ~np.asarray(plain.to_numpy(zero_copy_only=False))
        & np.asarray(pc.is_valid(text).to_numpy(zero_copy_only=False))
    )
    for k in rare.tolist():
        value = _number(str(text[k].as_py()))
        out[k] = np.nan if value is None else value
    out[~np.isfinite(out)] = np.nan
    return out


def _dict(column: Any) -> tuple[npt.NDArray[np.int64], list[str]]:
    """A dictionary column's indices and its dictionary (one for all chunks)."""
    arr = column.unify_dictionaries().combine_chunks() if column.num_chunks else column.combine_chunks()
    if isinstance(arr, pa.ChunkedArray):  # no chunk at all
        return np.zeros(0, dtype=np.int64), []
    return np.asarray(arr.indices.to_numpy(zero_copy_only=False), dtype=np.int64), arr.dictionary.to_pylist()


def _fast_tables(
    log: str,
    items: Sequence[tuple[Position, Record]],
    at: npt.NDArray[np.int64],
    lines: list[bytes],
    edition: str | None,
) -> tuple[pa.Table, pa.Table, npt.NDArray[np.bool_]]:
    """The frames and values of the lines the batch decoder accepts (hj212 spec §5.3 Table 4
    for the data area), and which records they cover."""
    decoded = decode_lines(lines)
    heads = decoded.frames
    ok = np.asarray(heads["ok"].to_numpy(zero_copy_only=False), dtype=bool)
    ok &= np.asarray(pc.is_null(heads["reason"]).to_numpy(zero_copy_only=False), dtype=bool)
    fields = decoded.fields
    line_of = np.asarray(fields["frame"].to_numpy(), dtype=np.int64)
    code_ix, codes = _dict(fields["code"])
    kind_ix, kinds = _dict(fields["kind"])
    text = fields["text"].combine_chunks() if fields.num_rows else pa.array([], pa.large_string())
    plain = code_ix == (codes.index("") if "" in codes else -1)
    # DataTime: the first plain DataTime of the line (hj212 spec §6.1)
    is_dt = plain & (kind_ix == (kinds.index("DataTime") if "DataTime" in kinds else -1))
    dt_rows = np.flatnonzero(is_dt)
    slot = np.full(len(lines), -1, dtype=np.int64)
    slot[line_of[dt_rows][::-1]] = dt_rows[::-1]
    dt_text = text.take(pa.array(slot, mask=slot < 0))
    ok &= ~np.asarray(
        pc.fill_null(pc.equal(pc.utf8_length(dt_text), 17), False).to_numpy(zero_copy_only=False)
    )
    taken = np.zeros(len(items), dtype=bool)
    taken[at[ok]] = True
    rows = np.flatnonzero(ok)
    idx = pa.array(rows, pa.int64())
    head = heads.take(idx)
    data_time = _times(dt_text.take(idx))
    recs = [items[n] for n in at[rows].tolist()]
    stamps = {r.received_at for _, r in recs}
    when = {s: datetime.fromtimestamp(s) for s in stamps}
    ed = head["edition"]
    if edition is not None:
        ed = pc.if_else(pc.is_null(head["flag"]), pa.scalar(edition, pa.string()), ed)
    frames = pa.table(
        {
            "i": pa.array(at[rows], pa.int64()),
            "log": pa.array([log] * len(rows), pa.string()),
            "seg": pa.array([p.seg for p, _ in recs], pa.int32()),
            "pos": pa.array([p.pos for p, _ in recs], pa.int64()),
            "received_at": pa.array([when[r.received_at] for _, r in recs], pa.timestamp("us")),
            "peer": pa.array([r.peer for _, r in recs], pa.string()),
            "mn": head["mn"],
            "st": head["st"],
            "cn": head["cn"],
            "qn": head["qn"],
            "data_time": data_time,
            "flag": pc.cast(head["flag"], pa.int32()),
            "edition": ed,
            "rf": pa.array(np.zeros(len(rows), dtype=bool)),
            "status": pa.array(["ok"] * len(rows), pa.string()),
            "raw": pa.array([lines[k] for k in rows.tolist()], pa.binary()).cast(pa.string()),
        },
        schema=FRAMES_SCHEMA,
    )
    # values: the factors of the frames with a DataTime, one row per (frame, factor)
    with_time = np.zeros(len(lines), dtype=bool)
    with_time[rows[np.asarray(pc.is_valid(data_time).to_numpy(zero_copy_only=False), dtype=bool)]] = True
    sel = np.flatnonzero(with_time[line_of] & ~plain)
    line_of, code_ix, kind_ix = line_of[sel], code_ix[sel], kind_ix[sel]
    text = text.take(pa.array(sel, pa.int64()))
    key = line_of * max(len(codes), 1) + code_ix
    uniq, first, group = np.unique(key, return_index=True, return_inverse=True)
    n_groups = len(uniq)
    cols: dict[str, Any] = {}
    named: set[int] = set()
    for col, name in VALUE_KINDS.items():
        out = np.full(n_groups, np.nan)
        if name in kinds:
            k = kinds.index(name)
            named.add(k)
            mask = kind_ix == k
            if mask.any():
                out[group[mask]] = _numbers(text.filter(pa.array(mask)))
        cols[col] = pa.array(out, pa.float64(), mask=np.isnan(out))
    for name, col in _TEXT_KINDS.items():
        slot = np.full(n_groups, -1, dtype=np.int64)
        if name in kinds:
            k = kinds.index(name)
            named.add(k)
            mask = kind_ix == k
            slot[group[mask]] = np.flatnonzero(mask)
        cols[col] = text.take(pa.array(slot, mask=slot < 0)).cast(pa.string())
    rest = ~np.isin(kind_ix, np.fromiter(named, dtype=np.int64, count=len(named)))
    extras: dict[int, dict[str, str]] = {}
    rest_at = np.flatnonzero(rest)
    for g, k, t in zip(
        group[rest_at].tolist(),
        kind_ix[rest_at].tolist(),
        text.take(pa.array(rest_at)).to_pylist(),
        strict=True,
    ):
        extras.setdefault(g, {})[kinds[k]] = t
    extra: list[str | None] = [None] * n_groups
    for g, d in extras.items():
        extra[g] = json.dumps(d, ensure_ascii=False, sort_keys=True)
    frame_row = pa.array(np.searchsorted(rows, line_of[first]), pa.int64())
    values = pa.table(
        {
            "i": pa.array(at[line_of[first]], pa.int64()),
            "mn": head["mn"].take(frame_row),
            "cn": head["cn"].take(frame_row),
            "data_time": data_time.take(frame_row),
            "factor": pa.array(codes, pa.string()).take(pa.array(code_ix[first], pa.int64())),
            **cols,
            "extra": pa.array(extra, pa.string()),
        },
        schema=VALUES_SCHEMA,
    )
    return frames, values, taken


def _rows_tables(
    where: npt.NDArray[np.int64], decoded: Sequence[Decoded]
) -> tuple[pa.Table, pa.Table, list[QuarantineRow]]:
    """The rows :func:`decode` gave for the records at ``where`` as tables."""
    frames: list[dict[str, Any]] = []
    values: list[dict[str, Any]] = []
    quarantine: list[QuarantineRow] = []
    for i, item in zip(where.tolist(), decoded, strict=True):
        if item.quarantine is not None:
            quarantine.append(item.quarantine)
            continue
        f = item.frame
        if f is None:
            continue
        frames.append({"i": i, **{name: getattr(f, name) for name in FRAMES_SCHEMA.names[1:]}})
        for v in item.values:
            row = {"i": i, "mn": f.mn, "cn": f.cn, "data_time": f.data_time, "factor": v.factor}
            row.update(zip(VALUE_KINDS, v.numbers, strict=True))
            row.update(flag=v.flag, eflag=v.eflag, extra=v.extra)
            values.append(row)
    return (
        pa.Table.from_pylist(frames, schema=FRAMES_SCHEMA),
        pa.Table.from_pylist(values, schema=VALUES_SCHEMA),
        quarantine,
    )


def rows_columns(items: Sequence[Decoded]) -> Columns:
    """:class:`Columns` of records already decoded one by one (in batch order)."""
    frames, values, quarantine = _rows_tables(np.arange(len(items), dtype=np.int64), items)
    return Columns(len(items), frames, values, quarantine)
