"""The register of pollution sources in the catalog's database (``tables/registry.py``).

An import is one catalog transaction (rows, revisions, rejects, the import log): a process
killed at any point leaves the store as it was before the import or as after it, never
half of it (DuckDB commits atomically). Re-importing identical data writes no row and no
revision; a changed row replaces the stored one, the old and new rows kept in
``sources_revisions``; rows absent from a re-imported file are kept (an import adds and
revises, it never deletes). Rows whose references do not resolve — an enterprise's region
not in the store, an outlet's enterprise, a device's outlet, a limit's permit or outlet,
a quantity's permit — are rejected with a reason (``unknown_*``), not stored; the rest of
the batch is. The same pattern as ``ecoplan.soil.storage`` (domains stay independent).
``ecoplan.store.faults`` marks the steps for crash tests (:data:`FAULT_POINTS`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ecoplan.core.errors import StoreError
from ecoplan.sources.readers import COLUMNS, KEYS, REJECT_COLUMNS, RegistryBatch
from ecoplan.sources.standards.emission_standards import medium_of_factor, ref_o2_of, unit_fits
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog

__all__ = ["FAULT_POINTS", "TABLES", "RegistryImport", "RegistryStore"]

FAULT_POINTS = ("sources.registry.before_commit", "sources.registry.after_commit")
#: The table of each kind.
TABLES = {
    "enterprises": "sources_enterprises",
    "outlets": "sources_outlets",
    "devices": "sources_devices",
    "permits": "sources_permits",
    "limits": "sources_permit_limits",
    "quantities": "sources_permit_quantities",
}


@dataclass
class RegistryImport:
    """What one import did: ``rows_in`` data rows read = new + revised + unchanged + rejected
    rows; ``rejected``: the rejected rows (file, row, field, value, reason)."""

    import_id: int
    kind: str
    format: str
    files: list[str]
    rows_in: int
    rows_new: int = 0
    rows_revised: int = 0
    rows_unchanged: int = 0
    rejects: dict[str, int] = field(default_factory=dict)
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REJECT_COLUMNS)))

    def to_dict(self) -> dict[str, object]:
        """The import as JSON-ready values (the first 50 rejected rows)."""
        return {
            "import_id": self.import_id,
            "kind": self.kind,
            "format": self.format,
            "files": list(self.files),
            "rows_in": self.rows_in,
            "rows_new": self.rows_new,
            "rows_revised": self.rows_revised,
            "rows_unchanged": self.rows_unchanged,
            "rejects": dict(self.rejects),
            "rejected": [
                {k: _plain(v) for k, v in r.items()} for r in self.rejected.head(50).to_dict(orient="records")
            ],
        }


def _plain(v: Any) -> Any:
    """A cell as JSON and comparison see it (NaN/NA/NaT → None, numpy → Python, dates → ISO)."""
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return v.isoformat()
    return v


def _q(c: str) -> str:
    return f'"{c}"'


class RegistryStore:
    """The registry tables of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

    # -- read ------------------------------------------------------------------------------
    def frame(self, kind: str, where: str = "", params: list[object] | None = None) -> pd.DataFrame:
        """Stored rows of ``kind`` (``where``: an SQL condition on the table's columns)."""
        cols = COLUMNS[kind]
        sql = f"SELECT {', '.join(map(_q, cols))} FROM {TABLES[kind]}"
        if where:
            sql += f" WHERE {where}"
        df = self.con.execute(sql + f" ORDER BY {', '.join(KEYS[kind])}", params or []).df()
        return df.reindex(columns=list(cols))

    def subtree(self, region: str) -> list[str]:
        """``region`` and every region under it (the regions table's parent links)."""
        rows = self.con.execute(
            "WITH RECURSIVE t(code) AS (SELECT code FROM regions WHERE code = ? "
            "UNION SELECT r.code FROM regions r JOIN t ON r.parent = t.code) SELECT code FROM t",
            [region],
        ).fetchall()
        return sorted({str(r[0]) for r in rows} | {region})

    def regions(self) -> list[str]:
        rows = self.con.execute("SELECT DISTINCT region FROM sources_enterprises ORDER BY 1").fetchall()
        return [str(r[0]) for r in rows]

    def rejects(self, import_id: int | None = None) -> pd.DataFrame:
        sql = "SELECT import_id, file, row, field, value, reason FROM sources_rejects"
        params: list[object] = []
        if import_id is not None:
            sql += " WHERE import_id = ?"
            params.append(import_id)
        return self.con.execute(sql + " ORDER BY import_id, file, row, field", params).df()

    def imports(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM sources_imports ORDER BY id").df()

    def revisions(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT import_id, kind, id, old_row, new_row, recorded_at FROM sources_revisions "
            "ORDER BY import_id, kind, id"
        ).df()

    def state(self) -> tuple[object, ...]:
        row = self.con.execute("SELECT coalesce(max(id), 0), count(*) FROM sources_imports").fetchone()
        return ("sources.registry", *(row or ()))

    # -- references --------------------------------------------------------------------------
    def _ids(self, sql: str) -> dict[str, Any]:
        return {str(r[0]): r[1:] for r in self.con.execute(sql).fetchall()}

    def _check(
        self, batch: RegistryBatch, rejected: list[tuple[str, int | None, str, str, str]]
    ) -> list[int]:
        """Positions of ``batch.rows`` whose references resolve; the others appended to
        ``rejected``. Limits without ``ref_o2`` take their outlet's (or their standard's)."""
        kind, rows = batch.kind, batch.rows
        keep: list[int] = []
        if kind == "enterprises":
            known = self.catalog.region_codes()
        elif kind in ("outlets", "permits"):
            ents = self._ids("SELECT credit_code FROM sources_enterprises")
        elif kind == "devices":
            outs = self._ids("SELECT outlet_id FROM sources_outlets")
        elif kind in ("limits", "quantities"):
            permits = self._ids("SELECT permit_no, credit_code FROM sources_permits")
            outlets = self._ids(
                "SELECT outlet_id, credit_code, medium, ref_o2, standard FROM sources_outlets"
            )
        for i, rec in enumerate(rows.to_dict(orient="records")):
            r = {str(k): v for k, v in rec.items()}
            file, line = batch.where[i]
            bad: tuple[str, Any, str] | None = None
            if kind == "enterprises" and r["region"] not in known:
                bad = ("region", r["region"], "unknown_region")
            elif kind in ("outlets", "permits") and r["credit_code"] not in ents:
                bad = ("credit_code", r["credit_code"], "unknown_enterprise")
            elif kind == "devices" and r["outlet_id"] not in outs:
                bad = ("outlet_id", r["outlet_id"], "unknown_outlet")
            elif kind in ("limits", "quantities") and r["permit_no"] not in permits:
                bad = ("permit_no", r["permit_no"], "unknown_permit")
            elif kind == "limits":
                bad = self._check_limit(r, permits[r["permit_no"]][0], outlets, rows, i)
            if bad is None:
                keep.append(i)
            else:
                rejected.append((file, line, bad[0], "" if bad[1] is None else str(bad[1]), bad[2]))
        return keep

    @staticmethod
    def _check_limit(
        r: dict[str, Any], permit_ent: str, outlets: dict[str, Any], rows: pd.DataFrame, i: int
    ) -> tuple[str, Any, str] | None:
        out = outlets.get(r["outlet_id"])
        if out is None:
            return ("outlet_id", r["outlet_id"], "unknown_outlet")
        ent, medium, o2, standard = out
        if ent != permit_ent:
            return ("outlet_id", r["outlet_id"], "outlet_not_of_permit")
        fm = medium_of_factor(r["factor"])
        if fm is not None and fm != medium:
            return ("factor", r["factor"], "factor_medium")
        if not unit_fits(r["unit"], medium):
            return ("unit", r["unit"], "bad_unit")
        if medium == "air" and _plain(r["ref_o2"]) is None:
            default = ref_o2_of(r["standard"]) if r["standard"] else None
            rows.at[i, "ref_o2"] = default if default is not None else _plain(o2)
            if _plain(r["standard"]) is None and standard is not None:
                rows.at[i, "standard"] = standard
        return None

    # -- write -------------------------------------------------------------------------------
    def import_batch(
        self, batch: RegistryBatch, *, fmt: str, recorded_at: dt.datetime | None = None
    ) -> RegistryImport:
        """Store ``batch`` (see the module docstring)."""
        if getattr(self.catalog, "read_only", False):
            raise StoreError(f"{self.catalog.path}: opened read-only; cannot import")
        when = recorded_at or dt.datetime.now().replace(microsecond=0)
        kind = batch.kind
        table, cols, keys = TABLES[kind], COLUMNS[kind], KEYS[kind]
        rows = batch.rows.copy().astype(object).reset_index(drop=True)
        rejected = [(*r,) for r in batch.rejects.itertuples(index=False)]
        keep = self._check(RegistryBatch(kind, rows, batch.rejects, batch.files, batch.where), rejected)
        row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM sources_imports").fetchone()
        import_id = int(row[0]) if row else 1
        rej_df = pd.DataFrame(rejected, columns=list(REJECT_COLUMNS))
        counts = {str(k): int(v) for k, v in rej_df["reason"].value_counts().sort_index().items()}
        files = sorted(set(batch.files))
        # rows read: the rows the reader kept and those it rejected (one reject per row;
        # a missing column rejects a file, not a row)
        rows_in = len(batch.rows) + int((batch.rejects["reason"] != "missing_column").sum())
        res = RegistryImport(import_id, kind, fmt, files, rows_in, rejects=counts, rejected=rej_df)
        stored = {
            tuple(_plain(r[k]) for k in keys): {c: _plain(r[c]) for c in cols}
            for r in self.frame(kind).to_dict(orient="records")
        }
        upserts: list[dict[str, Any]] = []
        revisions: list[tuple[Any, ...]] = []
        for i in keep:
            new = {c: _plain(rows.at[i, c]) for c in cols}
            key = tuple(new[k] for k in keys)
            old = stored.get(key)
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
                        kind,
                        "/".join(str(k) for k in key),
                        json.dumps(old, ensure_ascii=False),
                        json.dumps(new, ensure_ascii=False),
                        when,
                    )
                )
            upserts.append(new)
        with self.catalog.transaction() as con:
            if upserts:
                df = pd.DataFrame(upserts, columns=list(cols)).assign(import_id=import_id)
                con.register("_sources_new", df)
                names = ", ".join(map(_q, [*cols, "import_id"]))
                casts = ", ".join(
                    f"CAST({_q(c)} AS DATE)" if c in ("valid_from", "valid_to") else _q(c)
                    for c in [*cols, "import_id"]
                )
                con.execute(f"INSERT OR REPLACE INTO {table} ({names}) SELECT {casts} FROM _sources_new")
                con.unregister("_sources_new")
            if revisions:
                con.executemany("INSERT INTO sources_revisions VALUES (?, ?, ?, ?, ?, ?)", revisions)
            if files:
                con.execute(
                    f"DELETE FROM sources_rejects WHERE file IN ({', '.join('?' for _ in files)})", files
                )
            if rejected:
                con.executemany(
                    "INSERT INTO sources_rejects VALUES (?, ?, ?, ?, ?, ?)",
                    [(import_id, f, _plain(r), fl, v, why) for f, r, fl, v, why in rejected],
                )
            con.execute(
                "INSERT INTO sources_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    import_id,
                    when,
                    fmt,
                    kind,
                    json.dumps(files, ensure_ascii=False),
                    res.rows_in,
                    res.rows_new,
                    res.rows_revised,
                    res.rows_unchanged,
                    json.dumps(counts),
                ],
            )
            faults.point("sources.registry.before_commit")
        faults.point("sources.registry.after_commit")
        return res
