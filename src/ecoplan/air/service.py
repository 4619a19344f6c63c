"""Air operations of a session: load observations, daily AQI, evaluate, rank, feed plans.

``ep.air.load(...)``, ``ep.air.evaluate("110000", 2015)`` … — what ``ecoplan air …``
does, as methods. Engines: ``"duckdb"`` (default) or ``"spark"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.air import readers as air_readers
from ecoplan.air.feed import FEEDS, Skip, feed_value
from ecoplan.air.pipeline import AirEvaluation, DailyOptions, city_daily, evaluate_year, hourly, three_year
from ecoplan.air.readers import AirBatch
from ecoplan.air.readers.events import read_events
from ecoplan.air.standards.editions import get_edition
from ecoplan.air.storage import AirImportResult, AirStore
from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.ingest.values import ValueRow
from ecoplan.store.catalog import ImportResult
from ecoplan.store.engines import Engines
from ecoplan.store.feeds import fed_indicators, manual_skip

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["FORMATS", "AirOps", "FeedResult", "FeedSkip"]

#: ``ecoplan air load --format`` values: the readers' registry.
FORMATS = tuple(air_readers.FORMATS)
SOURCE = "pipeline air"


@dataclass(frozen=True)
class FeedSkip:
    """A plan indicator and year the feed gives no value for, and why."""

    plan: str
    indicator: str
    year: int
    why: Skip


@dataclass
class FeedResult:
    """Values written to the indicator-values table, and what could not be."""

    result: ImportResult
    rows: list[ValueRow]
    skipped: list[FeedSkip]


class AirOps:
    """The air part of an :class:`~ecoplan.app.Ecoplan` session."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = AirStore(session.catalog)
        self.engine = Engines()

    # -- read -----------------------------------------------------------------
    def stations(self, region: str | None = None) -> pd.DataFrame:
        """Stored stations (of ``region``): code, names, region, position, type."""
        return self.store.stations(region)

    def regions(self) -> list[str]:
        """Regions with stored observations."""
        return self.store.regions()

    def years(self, region: str | None = None) -> list[int]:
        """Years with stored observations (of ``region``)."""
        return self.store.years(region)

    def summary(self) -> pd.DataFrame:
        """Stored partitions: region, year, rows."""
        return self.store.summary()

    def reject_counts(self) -> dict[str, int]:
        """Stored rejected values by reason code."""
        return self.store.reject_counts()

    def events(self, region: str | None = None, approved_only: bool = False) -> pd.DataFrame:
        """Stored exceptional-event days."""
        return self.store.events(region, approved_only)

    def state(self) -> tuple[Any, ...]:
        """Changes whenever observations or events change: a key for caching evaluations."""
        return self.store.state()

    # -- load -----------------------------------------------------------------
    def read(
        self,
        paths: Sequence[str | Path],
        fmt: str,
        *,
        region: str | None = None,
        stations: str | Path | None = None,
        units: Mapping[str, str] | None = None,
        tz: str = "Asia/Shanghai",
    ) -> AirBatch:
        """Read observation files of a named format (:data:`ecoplan.air.readers.FORMATS`)
        into one checked batch; each format takes the options it declares."""
        reader = air_readers.FORMATS.get(fmt)
        given = {"region": region, "stations": stations, "units": units, "tz": tz}
        options = {
            k: v for k, v in given.items() if v is not None and reader is not None and k in reader.options
        }
        return air_readers.read(fmt, paths, **options)  # UnknownFormat (an EcoplanError) for an unknown fmt

    def load(
        self,
        paths: Sequence[str | Path],
        fmt: str,
        *,
        region: str | None = None,
        stations: str | Path | None = None,
        units: Mapping[str, str] | None = None,
        tz: str = "Asia/Shanghai",
        progress: Callable[[str], None] | None = None,
    ) -> tuple[AirBatch, AirImportResult]:
        """Read, validate and store observations (idempotent; the last value wins)."""
        if progress:
            progress("read")
        batch = self.read(paths, fmt, region=region, stations=stations, units=units, tz=tz)
        known = self.session.catalog.region_codes()
        bad = sorted(set(batch.stations["region"].astype(str)) - known)
        if bad:
            raise NotFound(f"station region(s) {', '.join(bad)} not in the store (run `ecoplan init`)")
        if region is not None and fmt != "beijing-multisite":
            other = sorted(set(batch.stations["region"].astype(str)) - {region})
            if other:
                raise EcoplanError(
                    f"--region {region} given, but the station file places stations in {other}"
                )
        if progress:
            progress("store")
        return batch, self.store.import_batch(batch, fmt=fmt)

    def rejects(self, reason: str | None = None) -> pd.DataFrame:
        """Stored rejected values, by file and row: ``file, row, station, time, pollutant,
        value, reason`` (the latest load of each file; see ``docs/air-input.md``)."""
        if reason is not None and reason not in air_readers.REASONS:
            raise EcoplanError(f"unknown reason {reason!r}: one of {', '.join(air_readers.REASONS)}")
        return self.store.rejects(reason)

    def import_events(self, path: str | Path) -> tuple[int, int]:
        """Exceptional events from a CSV/XLSX (see :mod:`ecoplan.air.readers.events`);
        returns (new, changed) event-days. Re-importing the same file changes nothing."""
        return self.store.save_events(read_events(path, self.session.catalog.region_codes()))

    def _events(self) -> pd.DataFrame | None:
        ev = self.store.events(approved_only=True)
        return ev if len(ev) else None

    # -- compute ----------------------------------------------------------------
    def _options(self, region: str | None) -> DailyOptions:
        absent: set[str] = set()
        for r in [region] if region else self.store.regions():
            absent |= self.store.absent(r)
        return DailyOptions(absent=frozenset(absent))

    def _paths(self, region: str | None, years: Sequence[int]) -> list[str]:
        regions = [region] if region else self.store.regions()
        paths = [p for r in regions for p in self.store.paths(r, years)]
        if not paths:
            where = f"region {region}" if region else "any region"
            raise NotFound(
                f"no air observations for {where} in {', '.join(map(str, years))}; "
                "load some with `ecoplan air load`"
            )
        return paths

    def daily(
        self,
        region: str,
        start: dt.date,
        end: dt.date,
        *,
        edition: str = "auto",
        engine: str = "duckdb",
    ) -> pd.DataFrame:
        """City daily concentrations, IAQI, AQI, level and primary pollutants."""
        if end < start:
            raise EcoplanError(f"--to {end} is before --from {start}")
        years = list(range(start.year, end.year + 1))
        df = city_daily(
            self.engine(engine),
            self.store.stations(),
            self._paths(region, years),
            start,
            end,
            edition=edition,
            options=self._options(region),
        )
        return df[df["region"] == region].reset_index(drop=True)

    def hourly(
        self,
        region: str,
        start: dt.datetime,
        end: dt.datetime,
        *,
        station: str | None = None,
        city: bool = False,
        edition: str = "auto",
        engine: str = "duckdb",
    ) -> pd.DataFrame:
        """Real-time (hourly) AQI of the region's stations (or one ``station``), or
        of the city as a whole with ``city=True``."""
        if end < start:
            raise EcoplanError(f"--to {end} is before --from {start}")
        years = sorted({(start - dt.timedelta(hours=23)).year, *range(start.year, end.year + 1)})
        st = self.store.stations()
        loaded = set(self.store.years(region))
        paths = self._paths(region, [y for y in years if y in loaded]) if loaded & set(years) else []
        if not paths:
            raise NotFound(f"no air observations for region {region} around {start:%Y-%m-%d}")
        df = hourly(
            self.engine(engine),
            st,
            paths,
            start,
            end,
            edition=edition,
            city=city,
            options=self._options(region),
        )
        if city:
            return df[df["unit"] == region].reset_index(drop=True)
        mine = set(st[st["region"] == region]["code"])
        if station is not None:
            if station not in mine:
                raise NotFound(f"station {station} is not a station of region {region}")
            mine = {station}
        return df[df["unit"].isin(mine)].reset_index(drop=True)

    def evaluate(
        self,
        region: str,
        year: int,
        *,
        edition: str = "auto",
        engine: str = "duckdb",
        three_years: bool | None = None,
        month: int | None = None,
    ) -> AirEvaluation:
        """Annual evaluation of one region.

        ``three_years``: attach the three-year moving averages (HJ 663—2026,
        provisional) when the two previous years are loaded; default: for the 2026
        edition only.
        """
        ev = self._evaluate_one(region, year, edition=edition, engine=engine, month=month)
        if month is not None:
            return ev  # three-year averages are annual
        want = get_edition(ev.edition).three_year_mean if three_years is None else three_years
        loaded = set(self.store.years(region))
        if want and {year - 2, year - 1} <= loaded:
            prev = [
                self._evaluate_one(region, y, edition=edition, engine=engine) for y in (year - 2, year - 1)
            ]
            ev.three_year = three_year([*prev, ev])
        elif want:
            ev.notes.append(
                {
                    "en": "three-year moving average not computed: "
                    f"{year - 2} and {year - 1} are not both loaded",
                    "zh": f"未计算三年滑动平均：{year - 2}、{year - 1}年数据不全",
                }
            )
        return ev

    def _evaluate_one(
        self, region: str, year: int, *, edition: str, engine: str, month: int | None = None
    ) -> AirEvaluation:
        self.session.catalog.region(region)
        res = evaluate_year(
            self.engine(engine),
            self.store.stations(),
            self._paths(region, [year]),
            year,
            edition=edition,
            options=self._options(region),
            regions=[region],
            events=self._events(),
            month=month,
        )
        if not res:
            when = f"{year}-{month:02d}" if month else str(year)
            raise NotFound(f"region {region}: no city-assessment stations with data in {when}")
        return res[0]

    def evaluate_all(
        self, year: int, *, edition: str = "auto", engine: str = "duckdb", month: int | None = None
    ) -> list[AirEvaluation]:
        """Annual evaluation of every loaded region."""
        return evaluate_year(
            self.engine(engine),
            self.store.stations(),
            self._paths(None, [year]),
            year,
            edition=edition,
            options=self._options(None),
            events=self._events(),
            month=month,
        )

    def rank(
        self, year: int, *, edition: str = "auto", engine: str = "duckdb", month: int | None = None
    ) -> list[dict[str, Any]]:
        """Regions ranked by the composite index (ascending; equal values share a rank)."""
        evs = self.evaluate_all(year, edition=edition, engine=engine, month=month)
        rows = []
        for e in evs:
            d = e.to_dict()
            rows.append(
                {
                    "region": e.region,
                    "name_zh": self._name(e.region),
                    "composite_index": d["composite_index"],
                    "primary": (d["composite"] or {}).get("primary"),
                    "pm25_ugm3": d.get("pm25_annual_ugm3", d.get("pm25_mean_ugm3")),
                    "good_days_ratio_pct": d["good_days_ratio_pct"],
                    "days_valid": e.days_valid,
                }
            )
        ranked = sorted(rows, key=lambda r: (r["composite_index"] is None, r["composite_index"] or 0.0))
        prev: float | None = None
        rank = 0
        for i, r in enumerate(ranked, start=1):
            if r["composite_index"] is None:
                r["rank"] = None
                continue
            if r["composite_index"] != prev:
                rank = i
                prev = r["composite_index"]
            r["rank"] = rank
        return ranked

    def _name(self, code: str) -> str | None:
        try:
            return self.session.catalog.region(code).name_zh
        except NotFound:
            return None

    # -- plans ------------------------------------------------------------------
    def feed(
        self,
        region: str,
        years: Sequence[int] | None = None,
        *,
        edition: str = "auto",
        engine: str = "duckdb",
    ) -> FeedResult:
        """Write the plan indicators the air evaluation measures (good-days ratio,
        PM2.5 annual mean and its decline since the base year, heavy-days ratio and
        its decline) to the indicator values, source ``pipeline air``.

        Plans considered: every stored plan whose region is ``region`` or one of its
        ancestors (a national plan's indicators are measured in every region).
        Re-running with the same data writes nothing new.
        """
        cat = self.session.catalog
        years = sorted(years or self.store.years(region))
        evals: dict[int, AirEvaluation | None] = {}

        def ev(y: int) -> AirEvaluation | None:
            if y not in evals:
                try:
                    evals[y] = self.evaluate(region, y, edition=edition, engine=engine)
                except NotFound:
                    evals[y] = None
            return evals[y]

        rows: list[ValueRow] = []
        skipped: list[FeedSkip] = []
        for plan, ind, feed in fed_indicators(cat, region, FEEDS):
            for y in years:
                if not (plan.base_year <= y <= plan.end):
                    continue
                e = ev(y)
                if e is None:
                    continue
                kept = manual_skip(cat, plan.id, ind.id, region, y, SOURCE)
                if kept is not None:
                    skipped.append(FeedSkip(plan.id, ind.id, y, kept))
                    continue
                got = feed_value(feed, e, ev(plan.base_year), plan.base_year)
                if isinstance(got, Skip):
                    skipped.append(FeedSkip(plan.id, ind.id, y, got))
                    continue
                value, note = got
                rows.append(
                    ValueRow(
                        plan=plan.id,
                        indicator=ind.id,
                        region=region,
                        year=y,
                        value=value,
                        unit=ind.unit,
                        basis=feed.basis,
                        source=SOURCE,
                        note=note,
                    )
                )
        result = cat.add_values(rows, actor="ecoplan air", origin=SOURCE)
        return FeedResult(result, rows, skipped)
