"""The simulated devices: MN (24 hex, as the standard's examples), PW, ST 31 (flue gas) or
32 (wastewater), edition and the factors each reports (hj212 spec §8, Tables B.1–B.2).

:func:`write_register` writes them as the device registry CSV
(``mn,outlet_id,st,pw,edition,sm4_key,active``) that ``ecoplan sources registry load
--kind devices`` reads, so that the receiver accepts them.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = ["AIR_FACTORS", "REGISTER_COLUMNS", "WATER_FACTORS", "SimDevice", "make_devices", "write_register"]

#: Flue gas (ST 31): SO2, NOx, particulate (smoke dust), O2, flow — with a typical level.
AIR_FACTORS: Final = (("a21026", 35.0), ("a21002", 80.0), ("a34013", 8.0), ("a19001", 9.5), ("a00000", 45.0))
#: Wastewater (ST 32): COD, NH3-N, flow (L/s).
WATER_FACTORS: Final = (("w01018", 40.0), ("w21003", 2.5), ("w00000", 12.0))
#: The device registry's columns (task C's loader reads them).
REGISTER_COLUMNS: Final = ("mn", "outlet_id", "st", "pw", "edition", "sm4_key", "active")


@dataclass(frozen=True, slots=True)
class SimDevice:
    """One simulated data logger."""

    mn: str
    pw: str
    st: str
    edition: str
    outlet_id: str

    @property
    def factors(self) -> tuple[tuple[str, float], ...]:
        return AIR_FACTORS if self.st == "31" else WATER_FACTORS

    @property
    def flag_ack(self) -> int:
        """Flag of an upload that asks for a 9014: 5 (2017) or 9 (2025), spec §7.2, §25.3."""
        return 9 if self.edition == "2025" else 5


def make_devices(n: int, *, edition: str = "2017", seed: int = 212, prefix: str = "SIM") -> list[SimDevice]:
    """``n`` devices, deterministic for ``seed``; every third is a wastewater outlet."""
    rng = random.Random(seed)
    out: list[SimDevice] = []
    seen: set[str] = set()
    while len(out) < n:
        mn = f"{rng.getrandbits(96):024X}"
        if mn in seen:
            continue
        seen.add(mn)
        i = len(out)
        st = "32" if i % 3 == 2 else "31"
        out.append(SimDevice(mn, f"{rng.randrange(10**6):06d}", st, edition, f"{prefix}-{i:05d}"))
    return out


def write_register(path: str | Path, devices: Iterable[SimDevice]) -> Path:
    """The devices as the registry CSV (UTF-8, header row)."""
    target = Path(path)
    with target.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(REGISTER_COLUMNS)
        for d in devices:
            w.writerow((d.mn, d.outlet_id, d.st, d.pw, d.edition, "", "true"))
    return target
