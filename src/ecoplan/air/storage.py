"""Hourly ambient-air observations: Parquet partitions registered in the catalog.

Layout, beside the database file ``X.duckdb``::

    X.data/air/hourly/region=110000/year=2015/part-7.parquet

one file per (region, year), rows sorted by station and time, columns ``station``,
``time`` (timestamp[us], local time, start of the hour), ``pm25 pm10 so2 no2 o3``
(µg/m³) and ``co`` (mg/m³). The catalog (``air_partitions``) lists the files with
paths relative to the database's folder, so the pair can be moved together.

Importing merges a batch into the partitions it touches: a station-hour already
stored is superseded by the new row (the last one wins) and every changed value
is recorded in ``air_revisions``; a pollutant column absent from the batch keeps
its stored values. Re-importing identical data writes nothing.

Crash safety: the catalog is the only source of truth, and its commit is the one
atomic step of an import. Partition files are never overwritten: a rewritten
partition is a new file ``part-<import id>.parquet`` (written to a hidden
``.part-….tmp``, fsynced, renamed, its folder fsynced), and only then does the
catalog transaction (partitions, stations, revisions, rejects, the import log)
switch ``air_partitions.path`` to it. The superseded file is deleted after the
commit. A merge reads the file the catalog names, never whatever lies on disk.
So a process killed at any point leaves either the old catalog with its old
files, or the new catalog with its new files, plus garbage: temporary files and
partition files no catalog row names. :meth:`AirStore.repair`, run whenever a
store is opened for writing, deletes that garbage (rolling a crashed import back
before the commit, forward after it); no journal is needed, and re-running the
interrupted load stores what it had not committed. ``ecoplan.store.faults``
marks each step for the crash tests (``tests/store/test_crash.py``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import threading
from collections.abc import Iterable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ecoplan.air.readers import POLLUTANTS, AirBatch
from ecoplan.core.errors import StoreError
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog

__all__ = ["FAULT_POINTS", "AirImportResult", "AirStore", "RepairReport"]

#: Fault points (:mod:`ecoplan.store.faults`): the steps of :meth:`AirStore.import_batch`
#: and ``repair``, in order.
FAULT_POINTS = (
    "air.after_tmp_write",  # the first new partition is in its temporary file
    "air.after_rename",  # every new partition has its new (not yet referenced) name
    "air.before_commit",  # catalog rows written, transaction not committed
    "air.after_commit",  # catalog committed, superseded files still on disk
    "air.after_gc",  # superseded files deleted
    "air.repair",  # repair: temporary files deleted, unreferenced ones not yet
)
_COLS = ["station", "time", *POLLUTANTS]
_log = logging.getLogger(__name__)
#: Names the store writes in a partition folder: partitions and their temporary files.
_PART = re.compile(r"part-\d+\.parquet")
_TMP = re.compile(r"\.part-.*\.tmp")
#: Files of imports under way in this process (absolute paths), which a repair
#: run by another connection of the same process must not take for garbage.
_in_flight: set[str] = set()
_in_flight_lock = threading.Lock()


@dataclass
class AirImportResult:
    """What one import did."""

    import_id: int
    rows_in: int
    rows_new: int
    values_revised: int
    rows_unchanged: int
    partitions_written: list[tuple[str, int]] = field(default_factory=list)
    rejects: dict[str, int] = field(default_factory=dict)
    stations_new: int = 0
    absent: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "import_id": self.import_id,
            "rows_in": self.rows_in,
            "rows_new": self.rows_new,
            "values_revised": self.values_revised,
            "rows_unchanged": self.rows_unchanged,
            "partitions_written": [f"{r}/{y}" for r, y in self.partitions_written],
            "rejects": dict(self.rejects),
            "stations_new": self.stations_new,
            "absent": list(self.absent),
        }


@dataclass
class RepairReport:
    """What :meth:`AirStore.repair` deleted (paths relative to the database's folder)."""

    temporary: list[str] = field(default_factory=list)
    unreferenced: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.temporary or self.unreferenced)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class AirStore:
    """Air observations of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con
        db = Path(catalog.path)
        self.base = db.parent
        self.root = db.parent / (db.stem + ".data") / "air" / "hourly"
        mode = self.con.execute("SELECT current_setting('access_mode')").fetchone()
        # A reader's snapshot view (catalog.read_only) must never repair: files it does not
        # see named may belong to an import committed after its snapshot began.
        self.read_only = getattr(catalog, "read_only", False) or bool(mode and mode[0] == "read_only")
        self.last_repair = RepairReport() if self.read_only else self.repair()

    # -- stations -------------------------------------------------------------
    def stations(self, region: str | None = None) -> pd.DataFrame:
        sql = "SELECT code, name, name_zh, region, lat, lon, type FROM air_stations"
        params: list[object] = []
        if region is not None:
            sql += " WHERE region = ?"
            params.append(region)
        return self.con.execute(sql + " ORDER BY code", params).df()

    def _upsert_stations(self, stations: pd.DataFrame, when: dt.datetime) -> int:
        if stations.empty:
            return 0
        known = set(self.stations()["code"])
        rows = [
            (
                str(r.code),
                _s(r.name),
                _s(getattr(r, "name_zh", None)),
                str(r.region),
                _f(r.lat),
                _f(r.lon),
                str(r.type or "city"),
                when,
            )
            for r in stations.itertuples(index=False)
        ]
        self.con.executemany("INSERT OR REPLACE INTO air_stations VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        return len({r[0] for r in rows} - known)

    # -- partitions -------------------------------------------------------------
    def partitions(
        self, region: str | None = None, years: Iterable[int] | None = None
    ) -> list[tuple[str, int, Path]]:
        """(region, year, absolute path) of stored partitions, filtered."""
        rows = self.con.execute(
            "SELECT region, year, path FROM air_partitions ORDER BY region, year"
        ).fetchall()
        ys = set(years) if years is not None else None
        out = []
        for reg, year, path in rows:
            if region is not None and reg != region:
                continue
            if ys is not None and year not in ys:
                continue
            out.append((str(reg), int(year), self.base / str(path)))
        return out

    def paths(self, region: str | None = None, years: Iterable[int] | None = None) -> list[str]:
        return [str(p) for _, _, p in self.partitions(region, years)]

    def _referenced(self) -> dict[tuple[str, int], tuple[str, int]]:
        """(region, year) -> (absolute path, rows) of every partition the catalog names."""
        rows = self.con.execute("SELECT region, year, path, rows FROM air_partitions").fetchall()
        return {(str(r), int(y)): (os.path.normpath(self.base / str(p)), int(n)) for r, y, p, n in rows}

    def _files(self) -> list[Path]:
        """Every file in the partition folders."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob("region=*/year=*/*") if p.is_file())

    def repair(self) -> RepairReport:
        """Delete what an interrupted import left: temporary files and partition
        files the catalog does not name (new files of an import that did not
        commit, or old ones an import that did commit had not deleted yet).

        Run when the store is opened for writing; idempotent. Only names the store
        writes (``part-N.parquet``, ``.part-….tmp``) are touched, never the files of
        an import under way in this process (it holds the lock while it runs).
        """
        with _in_flight_lock:
            return self._repair(set(_in_flight))

    def _repair(self, busy: set[str]) -> RepairReport:
        report = RepairReport()
        files = self._files()
        if not files:
            return report
        referenced = {p for p, _ in self._referenced().values()}
        root = os.path.normpath(self.root) + os.sep
        foreign = sorted(p for p in referenced if not p.startswith(root))
        if foreign:
            # the catalog names files of another folder (a database file renamed or
            # copied without its X.data folder?): what lies here is not known garbage
            _log.warning(
                "%s: the catalog names partition files outside %s (%s …); nothing is deleted",
                self.catalog.path,
                self.root,
                foreign[0],
            )
            return report
        for f in files:
            if _TMP.fullmatch(f.name) and os.path.normpath(f) not in busy:
                f.unlink(missing_ok=True)
                report.temporary.append(str(f.relative_to(self.base)))
        faults.point("air.repair")
        for f in files:
            if _PART.fullmatch(f.name) and os.path.normpath(f) not in referenced | busy:
                f.unlink(missing_ok=True)
                report.unreferenced.append(str(f.relative_to(self.base)))
        self._remove_empty_folders(busy)
        if report:
            _log.warning(
                "%s: removed %d temporary and %d unreferenced partition file(s) "
                "left by an interrupted import",
                self.catalog.path,
                len(report.temporary),
                len(report.unreferenced),
            )
        return report

    def _remove_empty_folders(self, busy: Iterable[str]) -> None:
        """Remove empty partition folders, except those of files in ``busy``."""
        keep = {os.path.dirname(b) for b in busy}
        keep |= {os.path.dirname(k) for k in keep}
        for d in [*self.root.glob("region=*/year=*"), *self.root.glob("region=*")]:
            if os.path.normpath(d) not in keep:
                with suppress(OSError):
                    d.rmdir()  # only when empty

    def check(self) -> list[str]:
        """Problems between the catalog and the files, as sentences (empty: consistent):
        a named file missing or holding another number of rows than recorded, a
        temporary file, a partition file no catalog row names."""
        problems = []
        referenced = self._referenced()
        for (region, year), (path, rows) in sorted(referenced.items()):
            if not os.path.exists(path):
                problems.append(f"{region}/{year}: {path} is missing")
                continue
            got = self.con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()
            n = int(got[0]) if got else 0
            if n != rows:
                problems.append(f"{region}/{year}: {path} holds {n} rows, the catalog says {rows}")
        named = {p for p, _ in referenced.values()}
        for f in self._files():
            if os.path.normpath(f) in named:
                continue
            kind = "temporary" if f.name.endswith(".tmp") else "unreferenced"
            problems.append(f"{kind} file {f}")
        return problems

    def state(self) -> tuple[object, ...]:
        """(last import id, event count, last event change): changes with every write."""
        row = self.con.execute(
            "SELECT (SELECT coalesce(max(id), 0) FROM air_imports), "
            "(SELECT count(*) FROM air_events), (SELECT max(recorded_at) FROM air_events)"
        ).fetchone()
        return tuple(row or ())

    def regions(self) -> list[str]:
        return [
            r[0] for r in self.con.execute("SELECT DISTINCT region FROM air_partitions ORDER BY 1").fetchall()
        ]

    def years(self, region: str | None = None) -> list[int]:
        return sorted({y for _, y, _ in self.partitions(region)})

    def absent(self, region: str) -> set[str]:
        rows = self.con.execute("SELECT pollutant FROM air_absent WHERE region = ?", [region]).fetchall()
        return {str(r[0]) for r in rows}

    def summary(self) -> pd.DataFrame:
        return self.con.execute(
            "SELECT region, year, rows, stations, first_time, last_time FROM air_partitions ORDER BY 1, 2"
        ).df()

    def rejects(self, reason: str | None = None) -> pd.DataFrame:
        sql = "SELECT file, row, station, time, pollutant, value, reason FROM air_rejects"
        if reason:
            return self.con.execute(sql + " WHERE reason = ? ORDER BY file, row", [reason]).df()
        return self.con.execute(sql + " ORDER BY file, row").df()

    def reject_counts(self) -> dict[str, int]:
        rows = self.con.execute("SELECT reason, count(*) FROM air_rejects GROUP BY 1 ORDER BY 1").fetchall()
        return {str(r): int(n) for r, n in rows}

    # -- exceptional events -----------------------------------------------------------
    def save_events(self, events: pd.DataFrame, recorded_at: dt.datetime | None = None) -> tuple[int, int]:
        """Insert or replace events by (region, day, kind); returns (new, changed)."""
        when = recorded_at or _now()
        cols = ["region", "day", "kind", "approved", "note", "pm25", "pm10", "so2", "no2", "co", "o3"]
        old = self.events()
        key = ["region", "day", "kind"]
        merged = events[cols].merge(old[cols], on=key, how="left", suffixes=("", "_old"), indicator=True)
        new = int((merged["_merge"] == "left_only").sum())
        both = merged[merged["_merge"] == "both"]
        diff = pd.Series(False, index=both.index)
        for c in cols[3:]:
            a, b = both[c], both[f"{c}_old"]
            diff |= ~((a == b) | (a.isna() & b.isna()))
        changed = int(diff.sum())
        frame = events[cols].assign(recorded_at=when)
        with self.catalog.transaction() as con:
            con.register("_ev", frame)
            con.execute("INSERT OR REPLACE INTO air_events SELECT * FROM _ev")
            con.unregister("_ev")
        return new, changed

    def events(self, region: str | None = None, approved_only: bool = False) -> pd.DataFrame:
        sql = (
            "SELECT region, day, kind, approved, note, pm25, pm10, so2, no2, co, o3 FROM air_events WHERE 1=1"
        )
        params: list[object] = []
        if region:
            sql += " AND region = ?"
            params.append(region)
        if approved_only:
            sql += " AND approved"
        df = self.con.execute(sql + " ORDER BY region, day, kind", params).df()
        df["day"] = pd.to_datetime(df["day"]).dt.date
        return df

    # -- import -------------------------------------------------------------------
    def import_batch(
        self, batch: AirBatch, *, fmt: str, recorded_at: dt.datetime | None = None
    ) -> AirImportResult:
        """Merge ``batch`` into the stored partitions (see module docstring)."""
        if self.read_only:
            raise StoreError(f"{self.catalog.path}: opened read-only; cannot import")
        when = recorded_at or _now()
        hourly = batch.hourly
        station_region = dict(zip(self.stations()["code"], self.stations()["region"], strict=True))
        station_region.update(dict(zip(batch.stations["code"], batch.stations["region"], strict=True)))
        unknown = sorted(set(hourly["station"].unique()) - set(station_region))
        if unknown:
            raise StoreError(
                f"no station metadata for {', '.join(unknown[:10])}"
                f"{' …' if len(unknown) > 10 else ''}; give a station file (code, name, region)"
            )
        present = [p for p in POLLUTANTS if p not in batch.absent]
        row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM air_imports").fetchone()
        import_id = int(row[0]) if row else 1
        result = AirImportResult(
            import_id, len(hourly), 0, 0, 0, rejects=batch.counts(), absent=sorted(batch.absent)
        )

        work = hourly[_COLS].copy()
        work["region"] = work["station"].map(station_region)
        work["year"] = work["time"].dt.year
        current = self._referenced()
        # (region, year, new file, superseded file or None, merged rows)
        written: list[tuple[str, int, Path, Path | None, pd.DataFrame]] = []
        revisions: list[pd.DataFrame] = []
        for key, part in work.groupby(["region", "year"], sort=True):
            region, year = str(key[0]), int(part["year"].iloc[0])
            new = part[_COLS].reset_index(drop=True)
            target = self.root / f"region={region}" / f"year={year}" / f"part-{import_id}.parquet"
            stored = current.get((region, year))
            old_path = Path(stored[0]) if stored else None
            if old_path is not None:
                if os.path.normpath(target) == os.path.normpath(old_path):
                    raise StoreError(f"{target}: already the stored partition; the import log is damaged")
                try:
                    old = pd.read_parquet(old_path)
                except (OSError, ValueError) as exc:
                    raise StoreError(
                        f"{region}/{year}: cannot read the stored partition {old_path} ({exc})"
                    ) from exc
                merged, rev, counts = _merge(old, new, present)
                result.rows_new += counts[0]
                result.values_revised += counts[1]
                result.rows_unchanged += counts[2]
                if len(rev):
                    revisions.append(rev)
                if counts[0] == 0 and counts[1] == 0:
                    continue
            else:
                merged = new.copy()
                for p in POLLUTANTS:
                    if p not in present:
                        merged[p] = np.nan
                result.rows_new += len(new)
            merged = merged.sort_values(["station", "time"]).reset_index(drop=True)[_COLS]
            written.append((region, year, target, old_path, merged))

        # 1. new partitions under new names, durable, not yet referenced
        tmps = [t.with_name(f".{t.stem}.{os.getpid()}.tmp") for _r, _y, t, _o, _m in written]
        mine = {os.path.normpath(p) for p in [*tmps, *(t for _r, _y, t, _o, _m in written)]}
        with _in_flight_lock:
            _in_flight.update(mine)
        try:
            for tmp, (_region, _year, target, _old, merged) in zip(tmps, written, strict=True):
                tmp.parent.mkdir(parents=True, exist_ok=True)
                out = merged.copy()
                out["time"] = out["time"].astype("datetime64[us]")
                out.to_parquet(tmp, index=False)
                _fsync(tmp)
                faults.point("air.after_tmp_write")
                os.replace(tmp, target)
            for d in sorted({p for _r, _y, t, _o, _m in written for p in (t.parent, t.parent.parent)}):
                _fsync(d)
            if written:
                _fsync(self.root)
            faults.point("air.after_rename")
            # 2. the one atomic step: the catalog switches to the new files
            with self.catalog.transaction() as con:
                result.stations_new = self._upsert_stations(batch.stations, when)
                for region, year, target, _old, merged in written:
                    con.execute(
                        "INSERT OR REPLACE INTO air_partitions VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [
                            region,
                            year,
                            str(target.relative_to(self.base)),
                            len(merged),
                            int(merged["station"].nunique()),
                            merged["time"].min().to_pydatetime(),
                            merged["time"].max().to_pydatetime(),
                            when,
                        ],
                    )
                for rev in revisions:
                    rev = rev.assign(import_id=import_id, recorded_at=when)[
                        ["import_id", "station", "time", "pollutant", "old_value", "new_value", "recorded_at"]
                    ]
                    con.register("_rev", rev)
                    con.execute("INSERT INTO air_revisions SELECT * FROM _rev")
                    con.unregister("_rev")
                files = sorted(set(batch.files))
                if files:
                    con.execute(
                        f"DELETE FROM air_rejects WHERE file IN ({', '.join('?' for _ in files)})", files
                    )
                rj = batch.rejects
                if len(rj):
                    rj = rj.assign(import_id=import_id)[
                        ["import_id", "file", "row", "station", "time", "pollutant", "value", "reason"]
                    ].copy()
                    rj["value"] = rj["value"].astype(str)
                    rj["station"] = rj["station"].astype("string")
                    rj["time"] = pd.to_datetime(rj["time"], errors="coerce")
                    con.register("_rej", rj)
                    con.execute("INSERT INTO air_rejects SELECT * FROM _rej")
                    con.unregister("_rej")
                regions = {r for r, *_ in written} | set(work["region"].unique())
                for region in regions:
                    for p in POLLUTANTS:
                        if p in batch.absent:
                            con.execute("INSERT OR IGNORE INTO air_absent VALUES (?, ?)", [region, p])
                        else:
                            con.execute(
                                "DELETE FROM air_absent WHERE region = ? AND pollutant = ?", [region, p]
                            )
                con.execute(
                    "INSERT INTO air_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        import_id,
                        when,
                        fmt,
                        json.dumps(files, ensure_ascii=False),
                        result.rows_in,
                        result.rows_new,
                        result.values_revised,
                        result.rows_unchanged,
                        json.dumps(result.rejects),
                        ",".join(sorted(batch.absent)),
                    ],
                )
                faults.point("air.before_commit")
        except BaseException:
            for tmp, (_r, _y, target, _o, _m) in zip(tmps, written, strict=True):
                tmp.unlink(missing_ok=True)
                target.unlink(missing_ok=True)
            with _in_flight_lock:
                _in_flight.difference_update(mine)
                self._remove_empty_folders(_in_flight)
            raise
        finally:
            with _in_flight_lock:
                _in_flight.difference_update(mine)
        faults.point("air.after_commit")
        # 3. superseded files are garbage now (a later repair deletes what is left)
        for _r, _y, _t, old_path, _m in written:
            if old_path is not None:
                try:
                    old_path.unlink(missing_ok=True)
                except OSError as exc:
                    _log.warning("%s: not deleted (%s); the next repair will", old_path, exc)
        faults.point("air.after_gc")
        result.partitions_written = [(r, y) for r, y, *_ in written]
        return result


def _merge(
    old: pd.DataFrame, new: pd.DataFrame, present: Sequence[str]
) -> tuple[pd.DataFrame, pd.DataFrame, tuple[int, int, int]]:
    """Merge a batch into a stored partition: new rows win for the pollutants the
    batch carries. Returns the merged rows, the changed cells and the counts
    (new rows, revised values, unchanged rows)."""
    old = old.copy()
    old["time"] = old["time"].astype("datetime64[ns]")
    new = new.copy()
    new["time"] = new["time"].astype("datetime64[ns]")
    m = old.merge(new, on=["station", "time"], how="outer", suffixes=("_old", ""), indicator=True)
    both = (m["_merge"] == "both").to_numpy()
    old_only = (m["_merge"] == "left_only").to_numpy()
    changed_any = np.zeros(len(m), dtype=bool)
    revs: list[pd.DataFrame] = []
    n_rev = 0
    merged = m[["station", "time"]].copy()
    for p in POLLUTANTS:
        if p not in present:
            merged[p] = m[f"{p}_old"] if f"{p}_old" in m else m[p]
            continue
        o = m[f"{p}_old"].to_numpy(dtype=np.float64)
        n = m[p].to_numpy(dtype=np.float64)
        same = (o == n) | (np.isnan(o) & np.isnan(n))
        changed = both & ~same
        n_rev += int(changed.sum())
        changed_any |= changed
        if changed.any():
            revs.append(
                pd.DataFrame(
                    {
                        "station": m.loc[changed, "station"].to_numpy(),
                        "time": m.loc[changed, "time"].to_numpy(),
                        "pollutant": p,
                        "old_value": o[changed],
                        "new_value": n[changed],
                    }
                )
            )
        merged[p] = np.where(old_only, o, n)
    fresh = int((m["_merge"] == "right_only").sum())
    unchanged = int((both & ~changed_any).sum())
    rev = pd.concat(revs, ignore_index=True) if revs else pd.DataFrame()
    return merged, rev, (fresh, n_rev, unchanged)


def _fsync(path: Path) -> None:
    """Flush a file, or a folder's entries, to disk (folders: POSIX only)."""
    if path.is_dir() and os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _s(v: object) -> str | None:
    if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA:
        return None
    return str(v)


def _f(v: object) -> float | None:
    try:
        x = float(v)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if np.isnan(x) else x


def paths_for(store: AirStore, regions: Sequence[str] | None, years: Iterable[int] | None) -> list[str]:
    """Partition files of several regions (all loaded regions when ``None``)."""
    out: list[str] = []
    for region in regions or store.regions():
        out += store.paths(region, years)
    return out
