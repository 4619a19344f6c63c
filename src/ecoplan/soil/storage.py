"""Soil samples and the parcel register in the catalog's database.

An import is one catalog transaction (rows, revisions, rejects, the import log): a
process killed at any point leaves the store as it was before the import or as it is
after it, never half of it (DuckDB commits atomically). Re-importing identical data
writes no row and no revision; a changed row replaces the stored one, the old and new
rows kept in ``soil_revisions``. ``ecoplan.store.faults`` marks the steps for crash tests
(:data:`FAULT_POINTS`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ecoplan.core.errors import StoreError
from ecoplan.soil.readers.batch import PLOT_COLUMNS, SAMPLE_COLUMNS, UNIT_COLUMNS, SoilBatch
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog

__all__ = ["FAULT_POINTS", "SoilImportResult", "SoilStore"]

FAULT_POINTS = ("soil.before_commit", "soil.after_commit")
#: Table, columns and key columns of each kind.
_KINDS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "samples": ("soil_samples", SAMPLE_COLUMNS, ("sample_id",)),
    "units": ("soil_units", UNIT_COLUMNS, ("unit_id", "year")),
    "plots": ("soil_plots", PLOT_COLUMNS, ("plot_id", "year")),
}


@dataclass
class SoilImportResult:
    """What one import did."""

    import_id: int
    kind: str
    rows_in: int
    rows_new: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0
    rejects: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "import_id": self.import_id,
            "kind": self.kind,
            "rows_in": self.rows_in,
            "rows_new": self.rows_new,
            "rows_revised": self.rows_revised,
            "rows_unchanged": self.rows_unchanged,
            "rejects": dict(self.rejects),
        }


def _plain(v: Any) -> Any:
    """A cell as JSON and comparison see it (NaN/NA → None, numpy → Python)."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item"):
        v = v.item()
        if isinstance(v, float) and math.isnan(v):
            return None
    return v


def _q(c: str) -> str:
    return f'"{c}"'


class SoilStore:
    """Soil data of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

    def _frame(self, kind: str, region: str | None = None) -> pd.DataFrame:
        table, cols, keys = _KINDS[kind]
        sql = f"SELECT {', '.join(map(_q, cols))} FROM {table}"
        params: list[object] = []
        if region is not None:
            sql += " WHERE region = ?"
            params.append(region)
        df = self.con.execute(sql + f" ORDER BY {', '.join(keys)}", params).df()
        return df.reindex(columns=list(cols))

    def samples(self, region: str | None = None) -> pd.DataFrame:
        return self._frame("samples", region)

    def units(self, region: str | None = None) -> pd.DataFrame:
        return self._frame("units", region)

    def plots(self, region: str | None = None) -> pd.DataFrame:
        return self._frame("plots", region)

    def regions(self) -> list[str]:
        rows = self.con.execute(
            "SELECT region FROM soil_samples UNION SELECT region FROM soil_units "
            "UNION SELECT region FROM soil_plots ORDER BY 1"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def state(self) -> tuple[object, ...]:
        row = self.con.execute("SELECT coalesce(max(id), 0), count(*) FROM soil_imports").fetchone()
        return ("soil", *(row or ()))

    def rejects(self, reason: str | None = None) -> pd.DataFrame:
        sql = "SELECT file, row, field, value, reason FROM soil_rejects"
        params: list[object] = []
        if reason:
            sql += " WHERE reason = ?"
            params.append(reason)
        return self.con.execute(sql + " ORDER BY file, row, field", params).df()

    def revisions(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT import_id, kind, id, year, old_row, new_row, recorded_at FROM soil_revisions "
            "ORDER BY import_id, kind, id, year"
        ).df()

    def import_batch(
        self, batch: SoilBatch, *, fmt: str, recorded_at: dt.datetime | None = None
    ) -> SoilImportResult:
        """Store ``batch`` (see the module docstring)."""
        if getattr(self.catalog, "read_only", False):
            raise StoreError(f"{self.catalog.path}: opened read-only; cannot import")
        when = recorded_at or dt.datetime.now().replace(microsecond=0)
        table, cols, keys = _KINDS[batch.kind]
        row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM soil_imports").fetchone()
        import_id = int(row[0]) if row else 1
        res = SoilImportResult(import_id, batch.kind, len(batch.rows), rejects=batch.counts())
        stored = {
            tuple(_plain(r[k]) for k in keys): {c: _plain(r[c]) for c in cols}
            for _, r in self._frame(batch.kind).iterrows()
        }
        upserts: list[dict[str, Any]] = []
        revisions: list[tuple[Any, ...]] = []
        for _, r in batch.rows.iterrows():
            new = {c: _plain(r[c]) for c in cols}
            key = tuple(new[k] for k in keys)
            old = stored.get(key)
            if old == new:
                res.rows_unchanged += 1
                continue
            if old is None:
                res.rows_new += 1
            else:
                res.rows_revised += 1
                year = new.get("year")
                revisions.append(
                    (
                        import_id,
                        batch.kind,
                        str(key[0]),
                        year,
                        json.dumps(old, default=str),
                        json.dumps(new, default=str),
                        when,
                    )
                )
            upserts.append(new)
        with self.catalog.transaction() as con:
            if upserts:
                df = pd.DataFrame(upserts, columns=list(cols)).assign(import_id=import_id)
                con.register("_soil_new", df)
                con.execute(f"INSERT OR REPLACE INTO {table} SELECT * FROM _soil_new")
                con.unregister("_soil_new")
            if revisions:
                con.executemany("INSERT INTO soil_revisions VALUES (?, ?, ?, ?, ?, ?, ?)", revisions)
            files = sorted(set(batch.files))
            if files:
                con.execute(
                    f"DELETE FROM soil_rejects WHERE file IN ({', '.join('?' for _ in files)})", files
                )
            for rj in batch.rejects.itertuples(index=False):
                con.execute(
                    "INSERT INTO soil_rejects VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        import_id,
                        rj.file,
                        _plain(rj.row),
                        rj.field,
                        rj.value,
                        rj.reason,
                    ],
                )
            con.execute(
                "INSERT INTO soil_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    import_id,
                    when,
                    fmt,
                    batch.kind,
                    json.dumps(files, ensure_ascii=False),
                    res.rows_in,
                    res.rows_new,
                    res.rows_revised,
                    res.rows_unchanged,
                    json.dumps(res.rejects),
                ],
            )
            faults.point("soil.before_commit")
        faults.point("soil.after_commit")
        return res
