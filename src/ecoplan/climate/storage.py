"""The climate domain's data in the catalog's database: energy use and GDP by region and year.

A file is stored in one catalog transaction, whole or not at all. An energy file
replaces, for every (region, year) it covers, the rows stored for that region and year
(a year's energy use is given whole); a GDP file replaces the rows of its (region,
year). Re-importing the same file writes nothing but its import log row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ecoplan.climate.market import MarketLine
from ecoplan.climate.readers import GdpLine, Line, TotalLine
from ecoplan.core.errors import StoreError
from ecoplan.store import faults
from ecoplan.store.catalog import Catalog

__all__ = ["FAULT_POINTS", "ClimateImport", "ClimateStore"]

FAULT_POINTS = ("climate.before_commit",)

EnergyKey = tuple[str, int, str, str, str, str]


@dataclass
class ClimateImport:
    """What one import did."""

    import_id: int
    kind: str
    rows_in: int
    rows_new: int = 0
    rows_replaced: int = 0
    rows_unchanged: int = 0

    def count(self, old: object | None, now: object) -> bool:
        """Count one row against the stored one (``None``: none stored); True when it must be written."""
        if old is None:
            self.rows_new += 1
            return True
        if old == now:
            self.rows_unchanged += 1
            return False
        self.rows_replaced += 1
        return True

    def to_dict(self) -> dict[str, object]:
        return {
            "import_id": self.import_id,
            "kind": self.kind,
            "rows_in": self.rows_in,
            "rows_new": self.rows_new,
            "rows_replaced": self.rows_replaced,
            "rows_unchanged": self.rows_unchanged,
        }


class ClimateStore:
    """Climate data of one :class:`~ecoplan.store.catalog.Catalog`."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.con = catalog.con

    def _rows(self, select: str, order: str, region: str | None) -> list[tuple[Any, ...]]:
        """Rows of ``select`` (of ``region`` when given) ordered by ``order``; the readers share it."""
        sql = select
        params: list[object] = []
        if region is not None:
            sql += " WHERE region = ?"
            params.append(region)
        return self.con.execute(f"{sql} ORDER BY {order}", params).fetchall()

    def energy(self, region: str | None = None) -> list[Line]:
        """Stored energy use (of ``region``), as reader lines (``row`` 0)."""
        rows = self._rows(
            "SELECT region, year, fuel, amount, unit, use, sector FROM climate_energy",
            "region, year, fuel, sector, use, unit",
            region,
        )
        return [
            Line(0, str(r[0]), int(r[1]), str(r[2]), float(r[3]), str(r[4]), str(r[5]), str(r[6]))
            for r in rows
        ]

    def gdp(self, region: str | None = None) -> list[GdpLine]:
        rows = self._rows(
            "SELECT region, year, gdp, prices, volume_index FROM climate_gdp", "region, year", region
        )
        return [
            GdpLine(
                0,
                str(r[0]),
                int(r[1]),
                None if r[2] is None else float(r[2]),
                str(r[3]),
                None if r[4] is None else float(r[4]),
            )
            for r in rows
        ]

    def totals(self, region: str | None = None) -> list[TotalLine]:
        rows = self._rows(
            "SELECT region, year, total, nonfossil FROM climate_energy_totals", "region, year", region
        )
        return [
            TotalLine(0, str(r[0]), int(r[1]), float(r[2]), None if r[3] is None else float(r[3]))
            for r in rows
        ]

    def regions(self) -> list[str]:
        """Every region with energy use or energy totals stored."""
        rows = self.con.execute(
            "SELECT region FROM climate_energy UNION SELECT region FROM climate_energy_totals ORDER BY 1"
        ).fetchall()
        return [str(r[0]) for r in rows]

    def state(self) -> tuple[object, ...]:
        row = self.con.execute("SELECT coalesce(max(id), 0), count(*) FROM climate_imports").fetchone()
        return ("climate", *(row or ()))

    def _begin(self, kind: str, rows_in: int) -> ClimateImport:
        if getattr(self.catalog, "read_only", False):
            raise StoreError(f"{self.catalog.path}: opened read-only; cannot import")
        row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM climate_imports").fetchone()
        return ClimateImport(int(row[0]) if row else 1, kind, rows_in)

    def _log(self, res: ClimateImport, file: str, when: dt.datetime | None) -> None:
        self.con.execute(
            "INSERT INTO climate_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                res.import_id,
                when or dt.datetime.now().replace(microsecond=0),
                res.kind,
                file,
                res.rows_in,
                res.rows_new,
                res.rows_replaced,
                res.rows_unchanged,
            ],
        )

    def _commit(
        self, res: ClimateImport, file: str, when: dt.datetime | None, write: Callable[[Any], None]
    ) -> ClimateImport:
        """Run ``write`` and log the import in one catalog transaction: a file stored whole or not at all."""
        with self.catalog.transaction() as con:
            write(con)
            self._log(res, file, when)
            faults.point("climate.before_commit")
        return res

    def import_energy(self, lines: list[Line], file: str, when: dt.datetime | None = None) -> ClimateImport:
        """Store the lines of one energy file (see the module docstring)."""
        new: dict[EnergyKey, float] = {}
        for ln in lines:
            k = (ln.region, ln.year, ln.fuel, ln.sector, ln.use, ln.unit)
            new[k] = new.get(k, 0.0) + ln.amount
        res = self._begin("energy", len(lines))
        covered = sorted({(k[0], k[1]) for k in new})
        old: dict[EnergyKey, float] = {}
        for region, year in covered:
            for r in self.con.execute(
                "SELECT region, year, fuel, sector, use, unit, amount FROM climate_energy "
                "WHERE region = ? AND year = ?",
                [region, year],
            ).fetchall():
                old[(str(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), str(r[5]))] = float(r[6])
        for k, v in new.items():
            res.count(old.get(k), v)

        def write(con: Any) -> None:
            if old != new:
                for region, year in covered:
                    con.execute("DELETE FROM climate_energy WHERE region = ? AND year = ?", [region, year])
                con.executemany(
                    "INSERT INTO climate_energy VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [[*k, v, res.import_id] for k, v in sorted(new.items())],
                )

        return self._commit(res, file, when, write)

    def import_gdp(self, lines: list[GdpLine], file: str, when: dt.datetime | None = None) -> ClimateImport:
        """Store the lines of one GDP file (a changed row replaces the stored one)."""
        rows = [(ln.region, ln.year, (ln.gdp, ln.prices, ln.index)) for ln in lines]
        return self._import_yearly("gdp", rows, "climate_gdp", "gdp, prices, volume_index", file, when)

    def import_totals(
        self, lines: list[TotalLine], file: str, when: dt.datetime | None = None
    ) -> ClimateImport:
        """Store the lines of one energy-totals file (a changed row replaces the stored one)."""
        rows = [(ln.region, ln.year, (ln.total, ln.nonfossil)) for ln in lines]
        return self._import_yearly("totals", rows, "climate_energy_totals", "total, nonfossil", file, when)

    def _import_yearly(
        self,
        kind: str,
        rows: Sequence[tuple[str, int, tuple[object, ...]]],
        table: str,
        columns: str,
        file: str,
        when: dt.datetime | None,
    ) -> ClimateImport:
        """Store (region, year, values) rows in ``table`` keyed by region and year, ``columns`` after them.

        GDP and energy totals are both one row a region and year; a changed row replaces the stored one.
        """
        res = self._begin(kind, len(rows))
        upserts = []
        for region, year, now in rows:
            row = self.con.execute(
                f"SELECT {columns} FROM {table} WHERE region = ? AND year = ?", [region, year]
            ).fetchone()
            if res.count(None if row is None else tuple(row), now):
                upserts.append([region, year, *now, res.import_id])
        marks = ", ".join("?" * (len(columns.split(",")) + 3))  # region, year, columns, import id

        def write(con: Any) -> None:
            if upserts:
                con.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", upserts)

        return self._commit(res, file, when, write)

    def market(self, region: str | None = None, year: int | None = None) -> list[MarketLine]:
        """Stored facility-years (of ``region``, of ``year``), by region, facility and year."""
        sql = (
            "SELECT m.facility, f.name, f.region, f.sector, f.guide, m.year, m.reported, m.verified, "
            "m.allocation, m.surrendered, m.deadline FROM climate_market m "
            "JOIN climate_facilities f USING (facility)"
        )
        where: list[str] = []
        params: list[object] = []
        if region is not None:
            where.append("f.region = ?")
            params.append(region)
        if year is not None:
            where.append("m.year = ?")
            params.append(year)
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self.con.execute(sql + " ORDER BY f.region, m.facility, m.year", params).fetchall()
        return [MarketLine(0, *r) for r in rows]

    def import_market(
        self, lines: list[MarketLine], file: str, when: dt.datetime | None = None
    ) -> ClimateImport:
        """Store the facilities and their compliance years (a changed row replaces the stored one)."""
        res = self._begin("market", len(lines))
        stored = {(m.facility, m.year): m for m in self.market()}
        facilities = {ln.facility: (ln.name, ln.region, ln.sector, ln.guide) for ln in lines}
        upserts = []
        for ln in lines:
            old = stored.get((ln.facility, ln.year))
            now = (ln.reported, ln.verified, ln.allocation, ln.surrendered, ln.deadline)
            was = None
            if old is not None:
                was = (
                    (old.reported, old.verified, old.allocation, old.surrendered, old.deadline),
                    (old.name, old.region, old.sector, old.guide),
                )
            if res.count(was, (now, facilities[ln.facility])):
                upserts.append([ln.facility, ln.year, *now, res.import_id])

        def write(con: Any) -> None:
            if upserts:
                con.executemany(
                    "INSERT OR REPLACE INTO climate_facilities VALUES (?, ?, ?, ?, ?, ?)",
                    [[f, *who, res.import_id] for f, who in sorted(facilities.items())],
                )
                con.executemany(
                    "INSERT OR REPLACE INTO climate_market VALUES (?, ?, ?, ?, ?, ?, ?, ?)", upserts
                )

        return self._commit(res, file, when, write)
