"""Run a simulation: many devices, one ledger (``ecoplan sources simulate``)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path

from ecoplan.sources.simulate.client import Ledger, SimConfig, SimStats, play
from ecoplan.sources.simulate.devices import SimDevice

__all__ = ["simulate"]


async def _main(devices: list[SimDevice], config: SimConfig, ledger: Ledger) -> SimStats:
    loop = asyncio.get_running_loop()
    task = loop.create_task(play(devices, config, ledger))
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, task.cancel)
    try:
        return await task
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


def simulate(devices: list[SimDevice], config: SimConfig, ledger: str | Path | None = None) -> SimStats:
    """Play ``devices`` (blocking) and write every answered QN to ``ledger``."""
    book = Ledger(ledger)
    try:
        return asyncio.run(_main(devices, config, book))
    finally:
        book.close()
