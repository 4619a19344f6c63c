"""Group commit: records appended from the event loop, written and fsynced by one worker
thread in batches, the acks of a batch released only after its fsync.

The rule of the receiver (``docs/sources-receiver.md``): **append to the raw log, fsync,
THEN ack** — a 9014 the device sees means the frame is on disk (hj212 spec §11 item 3:
the device retries what was not acknowledged, so nothing acknowledged may be lost).

A batch closes when ``batch_records`` records wait or ``interval`` seconds passed since
the first of them; while the worker fsyncs one batch the loop keeps appending to the
next, so the fsync cost is shared by everything that arrived meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Final

from ecoplan.sources.readers.rawlog import LogWriter, Record

__all__ = ["DEFAULT_BATCH", "DEFAULT_INTERVAL", "LogPump"]

#: Seconds a batch waits for company before it is fsynced.
DEFAULT_INTERVAL: Final = 0.002
#: Records that close a batch at once.
DEFAULT_BATCH: Final = 2048

Done = Callable[[], None]


class LogPump:
    """Feeds one :class:`LogWriter` from the loop; ``done`` callbacks run after the fsync."""

    def __init__(
        self,
        writer: LogWriter,
        *,
        interval: float = DEFAULT_INTERVAL,
        batch_records: int = DEFAULT_BATCH,
        max_backlog: int = 16 * 1024 * 1024,
    ) -> None:
        self.writer = writer
        self.interval = interval
        self.batch_records = batch_records
        self.max_backlog = max_backlog
        self._done: list[Done | None] = []
        self._wake = asyncio.Event()
        self._full = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._exec = ThreadPoolExecutor(1, thread_name_prefix="rawlog-fsync")
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.error: BaseException | None = None
        self.batches = 0
        self.records = 0
        #: Called with True when the backlog passes ``max_backlog`` (stop reading), False after.
        self.on_pressure: Callable[[bool], None] | None = None
        self._pressed = False

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    @property
    def waiting(self) -> int:
        """Records appended and not yet fsynced."""
        return len(self._done)

    def submit(self, record: Record, done: Done | None = None) -> None:
        """Append ``record``; ``done`` runs in the loop once it is on disk."""
        if self.error is not None:
            raise self.error
        self.writer.append(record)
        self._done.append(done)
        self._idle.clear()
        self._wake.set()
        if len(self._done) >= self.batch_records:
            self._full.set()
        if not self._pressed and self.writer.pending > self.max_backlog and self.on_pressure:
            self._pressed = True
            self.on_pressure(True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await self._wake.wait()
            if not self._done:
                self._wake.clear()
                if self._closing:
                    return
                continue
            if len(self._done) < self.batch_records and not self._closing:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._full.wait(), self.interval)
            self._full.clear()
            chunks = self.writer.take()
            done, self._done = self._done, []
            try:
                await loop.run_in_executor(self._exec, self.writer.flush, chunks)
            except BaseException as exc:
                self.error = exc
                self._idle.set()
                raise
            self.batches += 1
            self.records += len(done)
            for callback in done:
                if callback is not None:
                    callback()
            if not self._done:
                self._idle.set()
            if self._pressed and self.writer.pending <= self.max_backlog // 2 and self.on_pressure:
                self._pressed = False
                self.on_pressure(False)

    async def drain(self) -> None:
        """Wait until everything submitted is on disk and acknowledged."""
        if self.error is None:
            await self._idle.wait()

    async def close(self) -> None:
        """Drain, stop the worker and close the writer."""
        self._closing = True
        self._wake.set()
        if self._task is not None:
            with contextlib.suppress(Exception):
                await self._task
        self._exec.shutdown(wait=True)
        self.writer.close()
