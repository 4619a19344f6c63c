"""The rejected values of a water import, in ``water_rejects``: one writer for every water
import (samples, drinking-water sources, black-odorous water bodies). The rejects of a file
replace those it had before (a re-import reports what is wrong now)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ecoplan.core.errors import StoreError
from ecoplan.water.readers.batch import REASONS

__all__ = ["save_rejects"]

_COLUMNS = ("file", "row", "field", "station", "time", "item", "value", "reason")


def save_rejects(con: Any, rejects: pd.DataFrame | None, files: list[str], import_id: int) -> None:
    """Replace the stored rejects of ``files`` by ``rejects`` (reason codes of
    :data:`~ecoplan.water.readers.batch.REASONS` only), inside the caller's transaction."""
    if files:
        con.execute(f"DELETE FROM water_rejects WHERE file IN ({', '.join('?' for _ in files)})", files)
    if rejects is None or rejects.empty:
        return
    bad = sorted(set(rejects["reason"]) - set(REASONS))
    if bad:
        raise StoreError(f"unknown reject reason(s) {bad}")
    r = rejects[list(_COLUMNS)].copy()
    for c in _COLUMNS:
        if c != "row":
            cell = r[c].astype(object).where(r[c].notna(), None)  # NaN, NA, NaT → None
            r[c] = cell.map(lambda v: None if v is None else str(v))
    r["row"] = pd.to_numeric(r["row"], errors="coerce").astype("Int64")
    r.insert(0, "import_id", import_id)
    con.register("_water_rejects", r)
    try:
        con.execute("INSERT INTO water_rejects SELECT * FROM _water_rejects")
    finally:
        con.unregister("_water_rejects")
