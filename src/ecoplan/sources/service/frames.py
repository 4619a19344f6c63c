"""``ep.sources.frames``: the receiver's raw logs and frame files into the store, and the
frames, values and quarantine read back (hj212 spec §11; ``docs/sources-receiver.md``).

``ingest(log_dir)`` reads every receiver log under ``log_dir`` from its stored offset, in
batches, each batch one transaction (frames, values, quarantine, offset): a crash at any
point loses nothing and stores nothing twice; the next run resumes. ``load_file(path)``
takes a text file of packets, one per line, through the same path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pandas as pd

from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.sources.protocol.crypto import Keys, parse_key
from ecoplan.sources.protocol.errors import LocalProtocolError
from ecoplan.sources.readers.frames_file import Columns, columns, file_log, file_records
from ecoplan.sources.readers.rawlog import Position, Record, read_log, receivers
from ecoplan.sources.receiver.auth import DeviceAuth
from ecoplan.sources.storage.frames import FramesStore, IngestResult

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["EDITIONS", "FramesOps", "IngestResult"]

#: Accepted ``edition`` arguments of :meth:`FramesOps.load_file`.
EDITIONS: Final = ("auto", "2005", "2017", "2025")
#: Records per transaction (one Arrow batch through the decoder and one anti-join each).
BATCH: Final = 50000


class FramesOps:
    """The frames part of ``ep.sources``."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = FramesStore(session.catalog)

    # -- write ----------------------------------------------------------------------------
    def ingest(
        self, log_dir: str | Path, *, logs: list[str] | None = None, batch: int = BATCH
    ) -> IngestResult:
        """Every receiver log under ``log_dir`` (or the named ``logs``) from its stored offset."""
        root = Path(log_dir)
        if not root.is_dir():
            raise NotFound.worded("sources.receiver.error.no_log_dir", path=str(root))
        names = receivers(root) if logs is None else list(logs)
        total = IngestResult()
        for name in names:
            start = self.store.offset(name)
            total.logs.setdefault(name, (start, start))
            records = ((at, record, nxt) for at, nxt, record in read_log(root, name, start))
            total.add(self._store_all(name, _batches(records, start, batch, empty=False), None))
        return total

    def load_file(self, path: str | Path, *, edition: str = "auto", batch: int = BATCH) -> IngestResult:
        """A text file of packets, one per line (``packets.txt`` style): log ``file:<name>``,
        position (0, line). Re-loading stores nothing twice (duplicate keys, quarantine by
        line). ``edition`` other than ``auto`` is recorded for packets without a Flag."""
        if edition not in EDITIONS:
            raise EcoplanError.worded(
                "sources.receiver.error.bad_edition", edition=edition, choices=", ".join(EDITIONS)
            )
        target = Path(path)
        if not target.is_file():
            raise NotFound.worded("sources.receiver.error.no_file", path=str(target))
        log = file_log(target)
        fixed = None if edition == "auto" else edition
        records = ((at, record, Position(0, at.pos + 1)) for at, record in file_records(target))
        return self._store_all(log, _batches(records, Position(0, 0), batch, empty=True), fixed)

    def _store_all(
        self,
        log: str,
        batches: Iterator[tuple[list[tuple[Position, Record]], Position, Position]],
        edition: str | None,
    ) -> IngestResult:
        """Store the batches of ``log`` in order, each its own transaction; the next batch
        is decoded in a second thread while one is stored (Arrow, NumPy and DuckDB release
        the GIL: the two cores work at once)."""
        total = IngestResult()
        keys = self._keys()
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-decode") as pool:
            pending: tuple[Future[Columns], Position, Position] | None = None
            for chunk, first, last in batches:
                decoding = pool.submit(columns, log, chunk, edition=edition, keys=keys)
                if pending is not None:
                    total.add(self.store.store_columns(log, pending[0].result(), pending[1], pending[2]))
                pending = (decoding, first, last)
            if pending is not None:
                total.add(self.store.store_columns(log, pending[0].result(), pending[1], pending[2]))
        return total

    # -- read -----------------------------------------------------------------------------
    def frames(
        self,
        mn: str | None = None,
        cn: str | None = None,
        start: str | dt.datetime | None = None,
        end: str | dt.datetime | None = None,
        limit: int = 1000,
    ) -> pd.DataFrame:
        """Stored frames (oldest first), by MN, CN and DataTime in [start, end)."""
        return self.store.frames(mn, cn, _moment(start), _moment(end), limit)

    def frame(self, frame_id: int) -> dict[str, Any]:
        """One frame with its ``values`` (a DataFrame); NotFound when there is none."""
        row = self.store.frame(frame_id)
        if row is None:
            raise NotFound.worded("sources.receiver.error.no_frame", frame_id=frame_id)
        return row

    def values(self, frame_ids: list[int] | None = None) -> pd.DataFrame:
        """The wide values of the given frames (all when None)."""
        return self.store.values(frame_ids)

    def latest(self, outlet_id: str | None = None, credit_code: str | None = None) -> pd.DataFrame:
        """The newest value per registered device and factor, with its outlet and enterprise."""
        return self.store.latest(outlet_id, credit_code)

    def quarantine(self, limit: int = 1000) -> pd.DataFrame:
        """Quarantined records: where they were logged, the reason code, the bytes."""
        return self.store.quarantine(limit)

    def stats(self) -> dict[str, Any]:
        """Counts of frames, values, quarantine by reason, and each log's offset."""
        return self.store.stats()

    def offsets(self) -> dict[str, Position]:
        """How far each log has been ingested."""
        return self.store.offsets()

    def _keys(self) -> Keys:
        """``keys(MN)``: the SM4 key the registry holds for a device (HJ 212-2025 §6.4.2),
        none for a device without one or with an unreadable one."""
        ring: dict[str, tuple[bytes, ...]] = {}
        for mn, device in self.device_auth().items():
            if device.sm4_key:
                try:
                    ring[mn] = (parse_key(device.sm4_key),)
                except LocalProtocolError:
                    continue
        return lambda mn: ring.get(mn, ())

    def device_auth(self) -> dict[str, DeviceAuth]:
        """MN → :class:`DeviceAuth` of every registered device (the receiver's snapshot)."""
        return {
            mn: DeviceAuth(mn, pw, st, edition, key, active)
            for mn, pw, st, edition, key, active in self.store.devices()
        }


def _batches(
    records: Iterable[tuple[Position, Record, Position]], start: Position, size: int, *, empty: bool
) -> Iterator[tuple[list[tuple[Position, Record]], Position, Position]]:
    """(records, from, to) of ``size`` records each (the last one shorter); one empty batch
    at ``start`` when there is no record and ``empty``."""
    chunk: list[tuple[Position, Record]] = []
    first = last = start
    given = False
    for at, record, nxt in records:
        chunk.append((at, record))
        last = nxt
        if len(chunk) >= size:
            yield chunk, first, last
            chunk, first, given = [], last, True
    if chunk or (empty and not given):
        yield chunk, first, last


def _moment(value: str | dt.datetime | None) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        raise EcoplanError.worded("sources.receiver.error.bad_time", value=value) from None
