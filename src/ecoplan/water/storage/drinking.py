"""The drinking-source and black-odorous tables (schema version 2 of :mod:`ecoplan.water.schema`).

An import is one catalog transaction: the register rows are upserted, the values merged
by key (a changed value replaces the stored one; an equal one is counted unchanged), the
rejects of the files read replace their earlier ones, and the import is logged in
``water_imports`` (format ``drinking`` or ``black-odorous``). Re-importing the same files
changes nothing but the log.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

import pandas as pd

from ecoplan.core.errors import StoreError
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog
from ecoplan.water.readers.black_odorous import BODY_COLUMNS, MEASURE_COLUMNS
from ecoplan.water.readers.drinking import SOURCE_COLUMNS
from ecoplan.water.storage.rejects import save_rejects

__all__ = ["FAULT_POINTS", "DrinkingStore", "RegisterImport"]

#: Fault points (:mod:`ecoplan.store.faults`) of both imports, in order (``<kind>`` is
#: ``drinking`` or ``black_odorous``).
FAULT_POINTS = (
    "water.<kind>.after_register",  # register rows written, transaction open
    "water.<kind>.before_commit",  # values, rejects and the log written, not committed
)


@dataclass
class RegisterImport:
    """What one import did: register rows new, values added, revised, unchanged, rejected."""

    import_id: int
    registered: int
    registered_new: int
    added: int
    revised: int
    unchanged: int
    rejected: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """The fields in order, JSON-ready."""
        return asdict(self)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class DrinkingStore:
    """The drinking-source and black-odorous tables of one catalog."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

    # -- read ---------------------------------------------------------------------
    def sources(self) -> pd.DataFrame:
        return self.con.execute(
            f"SELECT {', '.join(SOURCE_COLUMNS)} FROM water_drinking_sources ORDER BY code"
        ).df()

    def drinking_samples(self, year: int | None = None) -> pd.DataFrame:
        sql = "SELECT source, time, item, value, flag FROM water_drinking_samples"
        params: list[object] = []
        if year is not None:
            sql += " WHERE year(time) = ?"
            params.append(int(year))
        df = self.con.execute(sql + " ORDER BY source, time, item", params).df()
        df["time"] = pd.to_datetime(df["time"]).astype("datetime64[ns]")
        return df

    def drinking_years(self) -> list[int]:
        rows = self.con.execute(
            "SELECT DISTINCT year(time) FROM water_drinking_samples ORDER BY 1"
        ).fetchall()
        return [int(r[0]) for r in rows]

    def bodies(self) -> pd.DataFrame:
        return self.con.execute(
            f"SELECT {', '.join(BODY_COLUMNS)} FROM water_black_bodies ORDER BY code"
        ).df()

    def measures(self, year: int | None = None) -> pd.DataFrame:
        sql = f"SELECT {', '.join(MEASURE_COLUMNS)} FROM water_black_measures"
        params: list[object] = []
        if year is not None:
            sql += " WHERE year(date) = ?"
            params.append(int(year))
        df = self.con.execute(sql + " ORDER BY body, point, date, item", params).df()
        df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
        return df

    def black_years(self) -> list[int]:
        rows = self.con.execute("SELECT DISTINCT year(date) FROM water_black_measures ORDER BY 1").fetchall()
        return [int(r[0]) for r in rows]

    # -- import ---------------------------------------------------------------------
    def _next_id(self) -> int:
        rows = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM water_imports").fetchall()
        return int(rows[0][0]) if rows else 1

    def _upsert(self, table: str, frame: pd.DataFrame, columns: tuple[str, ...], when: dt.datetime) -> int:
        if frame.empty:
            return 0
        before = {str(r[0]) for r in self.con.execute(f"SELECT code FROM {table}").fetchall()}
        f = frame[list(columns)].drop_duplicates("code", keep="last").assign(updated_at=when)
        self.con.register("_wreg", f)
        try:
            self.con.execute(f"INSERT OR REPLACE INTO {table} SELECT * FROM _wreg")
        finally:
            self.con.unregister("_wreg")
        return len(set(f["code"].astype(str)) - before)

    def _merge(
        self, table: str, keys: tuple[str, ...], new: pd.DataFrame, import_id: int
    ) -> tuple[int, int, int]:
        """Merge ``new`` (the table's columns but ``import_id``) by ``keys``; (added, revised, unchanged)."""
        on = " AND ".join(f"s.{k} = n.{k}" for k in keys)
        self.con.register("_wm", new)
        try:
            self.con.execute("CREATE TEMP TABLE _wmn AS SELECT * FROM _wm")
        finally:
            self.con.unregister("_wm")
        try:
            got = self.con.execute(
                f"""SELECT count(*) FILTER (WHERE s.value IS NULL),
                           count(*) FILTER (WHERE s.value IS NOT NULL AND s.value IS DISTINCT FROM n.value),
                           count(*) FILTER (WHERE s.value IS NOT DISTINCT FROM n.value)
                    FROM _wmn n LEFT JOIN {table} s ON {on}"""
            ).fetchall()
            row = got[0]
            self.con.execute(
                f"DELETE FROM {table} s USING _wmn n WHERE {on} AND s.value IS DISTINCT FROM n.value"
            )
            cols = ", ".join(f"n.{c}" for c in new.columns)
            self.con.execute(
                f"INSERT INTO {table} SELECT {cols}, ? FROM _wmn n ANTI JOIN {table} s ON {on}", [import_id]
            )
        finally:
            self.con.execute("DROP TABLE IF EXISTS _wmn")
        return int(row[0]), int(row[1]), int(row[2])

    def _log(self, import_id: int, when: dt.datetime, fmt: str, res: RegisterImport, rows_in: int) -> None:
        self.con.execute(
            "INSERT INTO water_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [import_id, when, fmt, json.dumps(res.files, ensure_ascii=False), rows_in, res.added,
             res.revised, res.unchanged, json.dumps(res.rejected)],
        )  # fmt: skip

    def import_drinking(
        self, register: pd.DataFrame, samples: pd.DataFrame, rejects: pd.DataFrame, files: list[str],
        *, recorded_at: dt.datetime | None = None,
    ) -> RegisterImport:  # fmt: skip
        """Store a register and samples (``source``/``station``, ``time``, ``item``,
        ``value``, ``flag``) in one transaction. Samples of a source neither in
        ``register`` nor stored raise ``StoreError``."""
        when = recorded_at or _now()
        s = pd.DataFrame(
            {
                "source": samples["station"].astype(str),
                "time": pd.to_datetime(samples["time"]).astype("datetime64[us]"),
                "item": samples["item"].astype(str),
                "value": samples["value"].astype("float64"),
                "flag": samples["flag"].astype(object).where(samples["flag"].notna(), None),
            }
        ).drop_duplicates(["source", "time", "item"], keep="last")
        reg = register.copy()
        reg["supply_m3d"] = reg["supply_m3d"].astype("float64")
        files = sorted(set(files))
        with self.catalog.transaction():
            known = set(self.sources()["code"].astype(str)) | set(reg["code"].astype(str))
            unknown = sorted(set(s["source"]) - known)
            if unknown:
                raise StoreError.worded(
                    "water.drinking.error.unknown_sources", sources=", ".join(unknown[:10])
                )
            import_id = self._next_id()
            new = self._upsert("water_drinking_sources", reg, SOURCE_COLUMNS, when)
            faults.point("water.drinking.after_register")
            added, revised, unchanged = self._merge(
                "water_drinking_samples", ("source", "time", "item"), s, import_id
            )
            counts = {str(k): int(v) for k, v in rejects["reason"].value_counts().sort_index().items()}
            res = RegisterImport(import_id, len(reg), new, added, revised, unchanged, counts, files)
            save_rejects(self.con, rejects, files, import_id)
            self._log(import_id, when, "drinking", res, len(s))
            faults.point("water.drinking.before_commit")
        return res

    def import_black(
        self, bodies: pd.DataFrame, measures: pd.DataFrame, rejects: pd.DataFrame, files: list[str],
        *, recorded_at: dt.datetime | None = None,
    ) -> RegisterImport:  # fmt: skip
        """Store a body register and point measurements (:data:`MEASURE_COLUMNS`) in one transaction."""
        when = recorded_at or _now()
        m = measures[list(MEASURE_COLUMNS)].copy()
        m["date"] = pd.to_datetime(m["date"]).dt.date
        m["seq"] = m["seq"].astype("Int64")
        m = m.drop_duplicates(["body", "point", "date", "item"], keep="last")
        files = sorted(set(files))
        with self.catalog.transaction():
            known = set(self.bodies()["code"].astype(str)) | set(bodies["code"].astype(str))
            unknown = sorted(set(m["body"].astype(str)) - known)
            if unknown:
                raise StoreError.worded(
                    "water.black_odorous.error.unknown_bodies", bodies=", ".join(unknown[:10])
                )
            import_id = self._next_id()
            new = self._upsert("water_black_bodies", bodies, BODY_COLUMNS, when)
            faults.point("water.black_odorous.after_register")
            added, revised, unchanged = self._merge(
                "water_black_measures", ("body", "point", "date", "item"), m, import_id
            )
            counts = {str(k): int(v) for k, v in rejects["reason"].value_counts().sort_index().items()}
            res = RegisterImport(import_id, len(bodies), new, added, revised, unchanged, counts, files)
            save_rejects(self.con, rejects, files, import_id)
            self._log(import_id, when, "black-odorous", res, len(m))
            faults.point("water.black_odorous.before_commit")
        return res
