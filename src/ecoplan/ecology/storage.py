"""County EI in the catalog's database (``ecology_ei``), its imports, rejects and revisions.

An import is one catalog transaction (rows, revisions, rejects, the import log): the
store is as before it or as after it, never half. Re-importing identical data writes no
row and no revision; a changed row replaces the stored one, the old and new rows kept
in ``ecology_revisions``. The rejects of a file replace those of its previous import.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import pandas as pd

from ecoplan.core.errors import StoreError
from ecoplan.ecology.ei_file import COLUMNS, EIBatch
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog

__all__ = ["FAULT_POINTS", "EIImportResult", "EcologyStore"]

FAULT_POINTS = ("ecology.before_commit", "ecology.after_commit")


@dataclass
class EIImportResult:
    """What one import did."""

    import_id: int
    rows_in: int
    rows_new: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0
    rejects: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "import_id": self.import_id,
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
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


class EcologyStore:
    """The ecology data of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

    def ei(
        self, region: str | None = None, county: str | None = None, year: int | None = None
    ) -> pd.DataFrame:
        """Stored county EI rows (of a region, a county, a year), by county and year."""
        sql = f"SELECT {', '.join(COLUMNS)} FROM ecology_ei WHERE true"
        params: list[object] = []
        for col, v in (("region", region), ("county", county), ("year", year)):
            if v is not None:
                sql += f" AND {col} = ?"
                params.append(v)
        df = self.con.execute(sql + " ORDER BY county, year", params).df()
        return df.reindex(columns=list(COLUMNS))

    def key_means(self, region: str | None = None) -> pd.DataFrame:
        """Mean EI of the key counties per region and year (the mean of the stored
        2-decimal values taken exactly, rounded to 2 decimals per GB/T 8170), with the
        number of counties."""
        sql = (
            "SELECT region, year, sum(CAST(ei AS DECIMAL(18, 2))), count(*) FROM ecology_ei WHERE key_county"
        )
        params: list[object] = []
        if region is not None:
            sql += " AND region = ?"
            params.append(region)
        rows = self.con.execute(sql + " GROUP BY region, year ORDER BY region, year", params).fetchall()
        out = [
            (
                str(r),
                int(y),
                float((Decimal(str(total)) / n).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)),
                int(n),
            )
            for r, y, total, n in rows
        ]
        return pd.DataFrame(out, columns=["region", "year", "ei", "counties"])

    def state(self) -> tuple[object, ...]:
        row = self.con.execute("SELECT coalesce(max(id), 0), count(*) FROM ecology_imports").fetchone()
        return ("ecology", *(row or ()))

    def rejects(self, reason: str | None = None) -> pd.DataFrame:
        sql = "SELECT file, row, field, value, reason FROM ecology_rejects"
        params: list[object] = []
        if reason:
            sql += " WHERE reason = ?"
            params.append(reason)
        return self.con.execute(sql + " ORDER BY file, row, field", params).df()

    def revisions(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT import_id, kind, id, year, old_row, new_row, recorded_at FROM ecology_revisions "
            "ORDER BY import_id, id, year"
        ).df()

    def import_batch(
        self, batch: EIBatch, *, fmt: str = "ei-table", recorded_at: dt.datetime | None = None
    ) -> EIImportResult:
        """Store ``batch`` (see the module docstring)."""
        if getattr(self.catalog, "read_only", False):
            raise StoreError(f"{self.catalog.path}: opened read-only; cannot import")
        when = recorded_at or dt.datetime.now().replace(microsecond=0)
        row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM ecology_imports").fetchone()
        import_id = int(row[0]) if row else 1
        res = EIImportResult(import_id, len(batch.rows), rejects=batch.counts())
        stored = {
            (str(r["county"]), int(r["year"])): {c: _plain(r[c]) for c in COLUMNS}
            for _, r in self.ei().iterrows()
        }
        upserts: list[dict[str, Any]] = []
        revisions: list[tuple[Any, ...]] = []
        for _, r in batch.rows.iterrows():
            new = {c: _plain(r[c]) for c in COLUMNS}
            old = stored.get((str(new["county"]), int(new["year"])))
            if old == new:
                res.rows_unchanged += 1
                continue
            if old is None:
                res.rows_new += 1
            else:
                res.rows_revised += 1
                revisions.append(
                    (
                        import_id,
                        "ei",
                        str(new["county"]),
                        new["year"],
                        json.dumps(old, default=str, ensure_ascii=False),
                        json.dumps(new, default=str, ensure_ascii=False),
                        when,
                    )
                )
            upserts.append(new)
        files = sorted(set(batch.files))
        with self.catalog.transaction() as con:
            if upserts:
                df = pd.DataFrame(upserts, columns=list(COLUMNS)).assign(import_id=import_id)
                con.register("_ecology_new", df)
                con.execute(
                    f"INSERT OR REPLACE INTO ecology_ei ({', '.join(COLUMNS)}, import_id) "
                    f"SELECT {', '.join(COLUMNS)}, import_id FROM _ecology_new"
                )
                con.unregister("_ecology_new")
            if revisions:
                con.executemany("INSERT INTO ecology_revisions VALUES (?, ?, ?, ?, ?, ?, ?)", revisions)
            if files:
                con.execute(
                    f"DELETE FROM ecology_rejects WHERE file IN ({', '.join('?' for _ in files)})", files
                )
            for rj in batch.rejects.itertuples(index=False):
                con.execute(
                    "INSERT INTO ecology_rejects VALUES (?, ?, ?, ?, ?, ?)",
                    [import_id, rj.file, _plain(rj.row), rj.field, rj.value, rj.reason],
                )
            con.execute(
                "INSERT INTO ecology_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    import_id,
                    when,
                    fmt,
                    "ei",
                    json.dumps(files, ensure_ascii=False),
                    res.rows_in,
                    res.rows_new,
                    res.rows_revised,
                    res.rows_unchanged,
                    json.dumps(res.rejects),
                ],
            )
            faults.point("ecology.before_commit")
        faults.point("ecology.after_commit")
        return res
