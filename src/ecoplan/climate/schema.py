"""The climate domain's tables (applied by the store, versioned under
``schema_version:climate``; never edit a released entry: append).

``climate_energy``: a region's energy use per year, fuel, sector, use and unit, as the
long-format file gave it (``readers.read_energy_use``); ``climate_gdp``: a region's GDP
per year with the prices it is at (``current`` or a constant-price year) and, when
given, its volume index (previous year = 100); ``climate_energy_totals``: total energy
consumption and its non-fossil part (migration 2); ``climate_facilities`` and
``climate_market``: the carbon-market enterprises and, per compliance year, their
reported and verified emissions, allocation, surrender and deadline (migration 3). Every
import is logged
(``climate_imports``); a file is stored whole or not at all.
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS climate_energy (
        region VARCHAR NOT NULL, year INTEGER NOT NULL, fuel VARCHAR NOT NULL,
        sector VARCHAR NOT NULL, use VARCHAR NOT NULL, unit VARCHAR NOT NULL,
        amount DOUBLE NOT NULL, import_id INTEGER NOT NULL,
        PRIMARY KEY (region, year, fuel, sector, use, unit)
    );
    CREATE TABLE IF NOT EXISTS climate_gdp (
        region VARCHAR NOT NULL, year INTEGER NOT NULL, gdp DOUBLE,
        prices VARCHAR NOT NULL, volume_index DOUBLE, import_id INTEGER NOT NULL,
        PRIMARY KEY (region, year)
    );
    CREATE TABLE IF NOT EXISTS climate_imports (
        id INTEGER PRIMARY KEY, recorded_at TIMESTAMP NOT NULL, kind VARCHAR NOT NULL,
        file VARCHAR NOT NULL, rows_in BIGINT NOT NULL, rows_new BIGINT NOT NULL,
        rows_replaced BIGINT NOT NULL, rows_unchanged BIGINT NOT NULL
    );
    """,
    # 2: a region's total energy consumption and its non-fossil part per year (one unit,
    # e.g. 10⁴ tce, per region), for the energy-intensity and non-fossil-share feeds
    """
    CREATE TABLE IF NOT EXISTS climate_energy_totals (
        region VARCHAR NOT NULL, year INTEGER NOT NULL, total DOUBLE NOT NULL,
        nonfossil DOUBLE, import_id INTEGER NOT NULL, PRIMARY KEY (region, year)
    );
    """,
    # 3: the enterprises in the national carbon market and their yearly compliance
    """
    CREATE TABLE IF NOT EXISTS climate_facilities (
        facility VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, region VARCHAR NOT NULL,
        sector VARCHAR NOT NULL, guide VARCHAR NOT NULL, import_id INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS climate_market (
        facility VARCHAR NOT NULL, year INTEGER NOT NULL, reported DOUBLE, verified DOUBLE,
        allocation DOUBLE, surrendered DOUBLE, deadline DATE, import_id INTEGER NOT NULL,
        PRIMARY KEY (facility, year)
    );
    """,
)
