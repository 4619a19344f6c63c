"""Surface-water samples, registry, targets and import log in the catalog's database.

Importing merges a :class:`~ecoplan.water.readers.batch.WaterBatch`: a new
(station, time, item) is added; a stored one whose value or printed value differs
is replaced and counted as revised, its old value kept in ``water_revisions``; an
identical one is unchanged (re-importing the same files writes nothing but the
import log line). Rejects replace those of the same files.

Crash safety: the whole import — registry, samples, revisions, targets, published
classes, rejects, log — is one DuckDB transaction, the one atomic step. Nothing lives
outside the database file, so a process killed at any point leaves either the store
before the import or the store after it: DuckDB's write-ahead log is replayed (or
discarded when it holds no commit) by the next open, and :meth:`WaterStore.check`
finds nothing to report. :data:`FAULT_POINTS` mark the steps for the crash tests.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field

import pandas as pd

from ecoplan.core.errors import StoreError
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog
from ecoplan.water.readers.batch import SAMPLE_COLUMNS, STATION_COLUMNS, TARGET_COLUMNS, WaterBatch
from ecoplan.water.storage.rejects import save_rejects

__all__ = ["FAULT_POINTS", "WaterImportResult", "WaterStore"]

#: Fault points (:mod:`ecoplan.store.faults`) of :meth:`WaterStore.import_batch`, in order.
FAULT_POINTS = (
    "water.after_stations",  # registry rows written, transaction open
    "water.after_samples",  # samples and revisions written, transaction open
    "water.before_commit",  # everything written, not committed
    "water.after_commit",  # committed
)


@dataclass
class WaterImportResult:
    """What one import did."""

    import_id: int
    rows_in: int
    added: int
    revised: int
    unchanged: int
    rejected: dict[str, int] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    stations_new: int = 0
    targets: int = 0

    def to_dict(self) -> dict[str, object]:
        """The fields in order, JSON-ready."""
        return asdict(self)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


def _obj(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), None)


class WaterStore:
    """The water tables of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con
        mode = self.con.execute("SELECT current_setting('access_mode')").fetchone()
        self.read_only = getattr(catalog, "read_only", False) or bool(mode and mode[0] == "read_only")

    # -- read ---------------------------------------------------------------------
    def stations(self) -> pd.DataFrame:
        df = self.con.execute(f"SELECT {', '.join(STATION_COLUMNS)} FROM water_stations ORDER BY code").df()
        df["drinking_source"] = (
            df["drinking_source"].astype(object).where(df["drinking_source"].notna(), None)
        )
        return df

    def samples(
        self,
        station: str | None = None,
        *,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
        items: list[str] | None = None,
        year: int | None = None,
    ) -> pd.DataFrame:
        sql = f"SELECT {', '.join(SAMPLE_COLUMNS)} FROM water_samples WHERE 1=1"
        params: list[object] = []
        if station is not None:
            sql += " AND station = ?"
            params.append(station)
        if start is not None:
            sql += " AND time >= ?"
            params.append(start)
        if end is not None:
            sql += " AND time <= ?"
            params.append(end)
        if year is not None:
            sql += " AND year(time) = ?"
            params.append(int(year))
        if items:
            sql += f" AND item IN ({', '.join('?' for _ in items)})"
            params += list(items)
        df = self.con.execute(sql + " ORDER BY station, time, item", params).df()
        for c in ("time", "revised_at"):
            df[c] = pd.to_datetime(df[c]).astype("datetime64[ns]")
        return df

    def targets(self, year: int | None = None) -> pd.DataFrame:
        sql = f"SELECT {', '.join(TARGET_COLUMNS)} FROM water_targets"
        if year is not None:
            return self.con.execute(sql + " WHERE year = ? ORDER BY plan, station", [int(year)]).df()
        return self.con.execute(sql + " ORDER BY plan, year, station").df()

    def published_class(self) -> pd.DataFrame:
        return self.con.execute("SELECT * FROM water_published_class ORDER BY station, time").df()

    def years(self) -> list[int]:
        rows = self.con.execute("SELECT DISTINCT year(time) FROM water_samples ORDER BY 1").fetchall()
        return [int(r[0]) for r in rows]

    def months(self, year: int) -> list[int]:
        rows = self.con.execute(
            "SELECT DISTINCT month(time) FROM water_samples WHERE year(time) = ? ORDER BY 1", [int(year)]
        ).fetchall()
        return [int(r[0]) for r in rows]

    def rejects(self, reason: str | None = None) -> pd.DataFrame:
        sql = "SELECT file, row, field, station, time, item, value, reason FROM water_rejects"
        if reason:
            return self.con.execute(sql + " WHERE reason = ? ORDER BY file, row", [reason]).df()
        return self.con.execute(sql + " ORDER BY file, row").df()

    def reject_counts(self) -> dict[str, int]:
        rows = self.con.execute("SELECT reason, count(*) FROM water_rejects GROUP BY 1 ORDER BY 1").fetchall()
        return {str(r): int(n) for r, n in rows}

    def revisions(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT station, time, item, old_value, new_value, old_published, new_published "
            "FROM water_revisions ORDER BY ALL"
        ).df()

    def status(self) -> dict[str, object]:
        row = self.con.execute(
            "SELECT (SELECT count(*) FROM water_stations), (SELECT count(*) FROM water_samples), "
            "(SELECT min(time) FROM water_samples), (SELECT max(time) FROM water_samples), "
            "(SELECT count(*) FROM water_imports), (SELECT count(*) FROM water_rejects), "
            "(SELECT count(*) FROM water_revisions), (SELECT count(*) FROM water_targets)"
        ).fetchone()
        assert row is not None
        keys = (
            "stations",
            "samples",
            "first_time",
            "last_time",
            "imports",
            "rejects",
            "revisions",
            "targets",
        )
        out = dict(zip(keys, row, strict=True))
        for k in ("first_time", "last_time"):
            out[k] = None if out[k] is None else str(out[k])
        out["years"] = self.years()
        return out

    def state(self) -> tuple[object, ...]:
        """Changes with every import: a key for caching evaluations."""
        row = self.con.execute("SELECT coalesce(max(id), 0) FROM water_imports").fetchone()
        return tuple(row or ())

    def check(self) -> list[str]:
        """Problems in the stored tables, as sentences (empty: consistent): samples of no
        registered station or of an import the log does not list."""
        problems = []
        orphan = self.con.execute(
            "SELECT count(*) FROM water_samples s ANTI JOIN water_stations w ON w.code = s.station"
        ).fetchone()
        if orphan and orphan[0]:
            problems.append(f"{orphan[0]} samples of unregistered stations")
        unlogged = self.con.execute(
            "SELECT count(*) FROM water_samples s ANTI JOIN water_imports i ON i.id = s.import_id"
        ).fetchone()
        if unlogged and unlogged[0]:
            problems.append(f"{unlogged[0]} samples of imports missing from the log")
        return problems

    # -- import ---------------------------------------------------------------------
    def import_batch(
        self, batch: WaterBatch, *, fmt: str, recorded_at: dt.datetime | None = None
    ) -> WaterImportResult:
        """Merge ``batch`` (see the module docstring); all or nothing."""
        if self.read_only:
            raise StoreError(f"{self.catalog.path}: opened read-only; cannot import")
        when = recorded_at or _now()
        stored = set(self.stations()["code"])
        known = stored | set(batch.stations["code"].astype(str))
        unknown = sorted(set(batch.samples["station"].astype(str)) - known)
        if unknown:
            shown = ", ".join(unknown[:10]) + (" …" if len(unknown) > 10 else "")
            raise StoreError.worded("water.error.no_station_metadata", stations=shown, option="--stations")
        row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM water_imports").fetchone()
        import_id = int(row[0]) if row else 1
        files = sorted(set(batch.files))
        result = WaterImportResult(import_id, len(batch.samples), 0, 0, 0, batch.counts(), files)
        samples = batch.samples[list(SAMPLE_COLUMNS)].copy()
        samples["time"] = pd.to_datetime(samples["time"]).astype("datetime64[us]")
        samples["revised_at"] = pd.to_datetime(samples["revised_at"]).astype("datetime64[us]")
        samples["station"] = samples["station"].astype(str)
        samples["flag"] = _obj(samples["flag"])
        samples["value"] = samples["value"].astype("float64")
        samples["published"] = samples["published"].astype("float64")
        samples = samples.drop_duplicates(["station", "time", "item"], keep="last")
        with self.catalog.transaction() as con:
            result.stations_new = self._upsert_stations(batch.stations, known_before=stored, when=when)
            faults.point("water.after_stations")
            con.register("_ws", samples)
            con.execute("CREATE TEMP TABLE _wnew AS SELECT * FROM _ws")
            con.unregister("_ws")
            try:
                counts = con.execute(
                    """SELECT
                      count(*) FILTER (WHERE s.station IS NULL),
                      count(*) FILTER (WHERE s.station IS NOT NULL AND (s.value IS DISTINCT FROM n.value
                          OR s.published IS DISTINCT FROM n.published)),
                      count(*) FILTER (WHERE s.station IS NOT NULL AND s.value IS NOT DISTINCT FROM n.value
                          AND s.published IS NOT DISTINCT FROM n.published)
                    FROM _wnew n LEFT JOIN water_samples s
                      ON s.station = n.station AND s.time = n.time AND s.item = n.item"""
                ).fetchone()
                assert counts is not None
                result.added, result.revised, result.unchanged = (int(c) for c in counts)
                con.execute(
                    """INSERT INTO water_revisions
                    SELECT ?, n.station, n.time, n.item, s.value, n.value, s.published, n.published, ?
                    FROM _wnew n JOIN water_samples s
                      ON s.station = n.station AND s.time = n.time AND s.item = n.item
                    WHERE s.value IS DISTINCT FROM n.value OR s.published IS DISTINCT FROM n.published""",
                    [import_id, when],
                )
                con.execute(
                    """DELETE FROM water_samples s USING _wnew n
                    WHERE s.station = n.station AND s.time = n.time AND s.item = n.item
                      AND (s.value IS DISTINCT FROM n.value OR s.published IS DISTINCT FROM n.published)"""
                )
                con.execute(
                    """INSERT INTO water_samples
                    SELECT n.station, n.time, n.item, n.value, n.published, n.flag, n.revised_at, ?
                    FROM _wnew n ANTI JOIN water_samples s
                      ON s.station = n.station AND s.time = n.time AND s.item = n.item""",
                    [import_id],
                )
            finally:
                con.execute("DROP TABLE IF EXISTS _wnew")
            faults.point("water.after_samples")
            result.targets = self._save_targets(batch.targets, when)
            self._save_published(batch.published_class)
            save_rejects(self.con, batch.rejects, files, import_id)
            con.execute(
                "INSERT INTO water_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    import_id,
                    when,
                    fmt,
                    json.dumps(files, ensure_ascii=False),
                    result.rows_in,
                    result.added,
                    result.revised,
                    result.unchanged,
                    json.dumps(result.rejected),
                ],
            )
            faults.point("water.before_commit")
        faults.point("water.after_commit")
        return result

    def _upsert_stations(self, stations: pd.DataFrame, *, known_before: set[str], when: dt.datetime) -> int:
        if stations.empty:
            return 0
        st = stations[list(STATION_COLUMNS)].copy()
        st["code"] = st["code"].astype(str)
        for c in STATION_COLUMNS:
            if c not in ("lat", "lon"):
                st[c] = _obj(st[c])
        st["lat"] = pd.to_numeric(st["lat"], errors="coerce").astype("float64")
        st["lon"] = pd.to_numeric(st["lon"], errors="coerce").astype("float64")
        st = st.drop_duplicates("code", keep="last").assign(updated_at=when)
        self.con.register("_wst", st)
        try:
            self.con.execute("INSERT OR REPLACE INTO water_stations SELECT * FROM _wst")
        finally:
            self.con.unregister("_wst")
        return len(set(st["code"]) - known_before)

    def _save_targets(self, targets: pd.DataFrame, when: dt.datetime) -> int:
        if targets is None or targets.empty:
            return 0
        t = targets[list(TARGET_COLUMNS)].copy()
        t["station"] = t["station"].astype(str)
        t["plan"] = t["plan"].astype(str)
        t["year"] = t["year"].astype("int64")
        t["target_class"] = t["target_class"].astype("int64")
        bad = t[(t["target_class"] < 1) | (t["target_class"] > 6)]
        if len(bad):
            raise StoreError(f"target class must be 1..6: {bad.iloc[0].to_dict()}")
        t = t.drop_duplicates(["station", "plan", "year"], keep="last").assign(recorded_at=when)
        self.con.register("_wt", t)
        try:
            self.con.execute("INSERT OR REPLACE INTO water_targets SELECT * FROM _wt")
        finally:
            self.con.unregister("_wt")
        return len(t)

    def _save_published(self, pub: pd.DataFrame) -> None:
        if pub is None or pub.empty:
            return
        p = pub[["station", "time", "published_class"]].dropna().copy()
        p["station"] = p["station"].astype(str)
        p["time"] = pd.to_datetime(p["time"]).astype("datetime64[us]")
        p["published_class"] = p["published_class"].astype("int64")
        p = p.drop_duplicates(["station", "time"], keep="last")
        self.con.register("_wp", p)
        try:
            self.con.execute("INSERT OR REPLACE INTO water_published_class SELECT * FROM _wp")
        finally:
            self.con.unregister("_wp")
