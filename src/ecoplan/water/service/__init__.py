"""Water operations of a session (``ep.water``): load samples, classify sections,
shares by region, basin and river, control-unit targets, feed plan indicators.

Engines: ``"duckdb"`` (default) or ``"spark"``; the SQL is the same
(:mod:`ecoplan.water.pipeline`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.ingest.values import ValueRow
from ecoplan.store.catalog import ImportResult
from ecoplan.store.engines import DuckDBEngine, Engines, SparkEngine
from ecoplan.water import pipeline
from ecoplan.water import readers as water_readers
from ecoplan.water.feed import SOURCE, FeedSkip, plan_rows
from ecoplan.water.pipeline import PeriodOptions
from ecoplan.water.readers.batch import REASONS, SAMPLE_COLUMNS, WaterBatch
from ecoplan.water.storage import WaterImportResult, WaterStore

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["SOURCE", "FeedResult", "WaterLoad", "WaterOps"]


@dataclass
class WaterLoad:
    """What ``ep.water.load`` did: values added, revised, unchanged, rejected per reason
    code, and the files read."""

    added: int
    revised: int
    unchanged: int
    rejected: dict[str, int]
    files: list[str]
    stations_new: int = 0
    targets: int = 0
    import_id: int = 0

    @classmethod
    def of(cls, r: WaterImportResult) -> WaterLoad:
        return cls(
            r.added,
            r.revised,
            r.unchanged,
            dict(r.rejected),
            list(r.files),
            r.stations_new,
            r.targets,
            r.import_id,
        )

    def to_dict(self) -> dict[str, object]:
        """The fields in order, JSON-ready."""
        return asdict(self)


@dataclass
class FeedResult:
    """Values written (or, with ``dry_run``, that would be), and those skipped with why."""

    rows: list[ValueRow]
    skipped: list[FeedSkip]
    result: ImportResult | None = None
    years: list[int] = field(default_factory=list)


class WaterOps:
    """The water part of an :class:`~ecoplan.app.Ecoplan` session."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = WaterStore(session.catalog)
        self.engine = Engines()
        self.options = PeriodOptions()
        from ecoplan.water.service.drinking import BlackOdorousOps, DrinkingOps

        self.drinking = DrinkingOps(session)
        self.black_odorous = BlackOdorousOps(session)

    # -- load -------------------------------------------------------------------------
    def read(
        self, sources: Sequence[str | Path], *, format: str, stations: str | Path | None = None,
        targets: str | Path | None = None,
    ) -> WaterBatch:  # fmt: skip
        """Read files of a named format (the readers' ``FORMATS``) into one batch; a
        ``stations`` file (format ``stations``) adds to and overrides the registry, a
        ``targets`` file (format ``stations``: station, plan, year, target_class) the
        plan target classes."""
        readers = water_readers
        reader = readers.FORMATS.get(format)
        opts: dict[str, Any] = {}
        if stations is not None and reader is not None and "stations" in reader.options:
            opts["stations"] = str(stations)
        batch: WaterBatch = readers.read(format, [str(s) for s in sources], **opts)
        if stations is not None and not opts:
            reg: WaterBatch = readers.read("stations", [str(stations)])
            st = pd.concat([batch.stations, reg.stations], ignore_index=True)
            batch.stations = st.drop_duplicates("code", keep="last").reset_index(drop=True)
            batch.targets = pd.concat([batch.targets, reg.targets], ignore_index=True)
            batch.rejects = pd.concat([batch.rejects, reg.rejects], ignore_index=True)
            batch.files = [*batch.files, *reg.files]
        if targets is not None:
            # the registry format also reads target classes (station, plan, year, target_class)
            tg: WaterBatch = readers.read("stations", [str(targets)])
            batch.targets = pd.concat([batch.targets, tg.targets], ignore_index=True)
            batch.files = [*batch.files, *tg.files]
        return batch

    def load(
        self, sources: Sequence[str | Path], *, format: str, stations: str | Path | None = None,
        targets: str | Path | None = None,
    ) -> WaterLoad:  # fmt: skip
        """Read, check and store samples (idempotent; a revised value replaces the old
        one, which is kept in the revisions table)."""
        return self.load_batch(
            self.read(sources, format=format, stations=stations, targets=targets), format=format
        )

    def load_batch(self, batch: WaterBatch, *, format: str) -> WaterLoad:
        """Store a batch already read (see :meth:`load`)."""
        known = self.session.catalog.region_codes()
        regions = {str(r) for r in batch.stations["region"].dropna()}
        bad = sorted(regions - known)
        if bad:
            raise NotFound.worded(
                "water.error.regions_unknown", regions=", ".join(bad), command="ecoplan init"
            )
        return WaterLoad.of(self.store.import_batch(batch, fmt=format))

    # -- read -------------------------------------------------------------------------
    def stations(self) -> pd.DataFrame:
        """The registry (STATION_COLUMNS)."""
        return self.store.stations()

    def samples(
        self, station: str, *, start: dt.datetime | None = None, end: dt.datetime | None = None,
        items: Sequence[str] | None = None,
    ) -> pd.DataFrame:  # fmt: skip
        """Stored samples of one station (SAMPLE_COLUMNS), in time order."""
        if station not in set(self.store.stations()["code"]):
            raise NotFound.worded("water.error.no_station", station=station)
        return self.store.samples(station, start=start, end=end, items=list(items) if items else None)[
            list(SAMPLE_COLUMNS)
        ]

    def years(self) -> list[int]:
        """Years with stored samples."""
        return self.store.years()

    def months(self, year: int) -> list[int]:
        """The months of ``year`` with stored samples (1..12)."""
        return self.store.months(year)

    def status(self) -> dict[str, Any]:
        """Counts of the stored tables, the years, rejects per reason code."""
        out = dict(self.store.status())
        out["rejects_by_reason"] = self.store.reject_counts()
        return out

    def rejects(self, reason: str | None = None) -> pd.DataFrame:
        """Stored rejected values (the latest load of each file)."""
        if reason is not None and reason not in REASONS:
            raise EcoplanError.worded("water.error.bad_reason", reason=reason, choices=", ".join(REASONS))
        return self.store.rejects(reason)

    def state(self) -> tuple[object, ...]:
        return self.store.state()

    # -- compute ----------------------------------------------------------------------
    def _prepare(self, year: int, engine: str) -> DuckDBEngine | SparkEngine:
        samples = self.store.samples(year=year)
        if samples.empty:
            raise NotFound.worded("water.error.no_samples", year=year, command="ecoplan water load")
        eng = self.engine(engine)
        pipeline.register(eng, samples, self.store.stations())
        return eng

    def sections(
        self, *, year: int, period: str = "year", month: int | None = None, region: str | None = None,
        basin: str | None = None, engine: str = "duckdb",
    ) -> pd.DataFrame:  # fmt: skip
        """Sections of a year or its months: class, label, grade, main pollutants, item
        means and classes (:data:`ecoplan.water.pipeline.SECTION_COLUMNS`)."""
        if period not in ("year", "month"):
            raise EcoplanError.worded(
                "water.error.bad_choice", option="period", value=period, choices="year, month"
            )
        eng = self._prepare(year, engine)
        df = pipeline.sections(
            eng, self.store.stations(), year=year, period=period, month=month, options=self.options
        )
        if region is not None:
            code = str(region)
            prefix = code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code
            df = df[df["region"].fillna("").astype(str).str.startswith(prefix)]
        if basin is not None:
            df = df[df["basin"] == basin]
        return df.reset_index(drop=True)

    def shares(
        self, *, year: int, by: str = "region", period: str = "year", month: int | None = None,
        engine: str = "duckdb",
    ) -> pd.DataFrame:  # fmt: skip
        """Shares of sections per class by region (province and city), basin or river
        (:data:`ecoplan.water.pipeline.SHARE_COLUMNS` and ``n_months``)."""
        if by not in ("region", "basin", "river"):
            raise EcoplanError.worded(
                "water.error.bad_choice", option="by", value=by, choices="region, basin, river"
            )
        if period not in ("year", "month"):
            raise EcoplanError.worded(
                "water.error.bad_choice", option="period", value=period, choices="year, month"
            )
        eng = self._prepare(year, engine)
        df = pipeline.shares(eng, year=year, by=by, period=period, month=month, options=self.options)
        if by == "region" and len(df):
            df["name"] = [self._name(str(k)) for k in df["key"]]
            df["name_en"] = [self._name(str(k), "en") for k in df["key"]]
        return df

    def rank(self, *, year: int, engine: str = "duckdb") -> pd.DataFrame:
        """Regions ranked by the Ⅰ–Ⅲ share (descending; equal shares share a rank)."""
        df = self.shares(year=year, by="region", engine=engine)
        df = df.sort_values(["share_i_iii_pct", "share_worse_v_pct", "key"], ascending=[False, True, True])
        df = df.reset_index(drop=True)
        df.insert(0, "rank", df["share_i_iii_pct"].rank(method="min", ascending=False).astype("Int64"))
        return df

    def trophic(
        self, *, year: int, month: int | None = None, min_params: int = 5, engine: str = "duckdb"
    ) -> pd.DataFrame:
        """TLI(Σ) and trophic grade per lake/reservoir station (:func:`pipeline.trophic`),
        with the registry's name, region, basin and river."""
        eng = self._prepare(year, engine)
        df = pipeline.trophic(eng, year=year, month=month, min_params=min_params)
        reg = self.store.stations().set_index("code")
        for at, col in enumerate(("name", "region", "basin", "river"), start=1):
            df.insert(at, col, df["station"].map(reg[col]))
        return df

    def targets(self, *, year: int) -> pd.DataFrame:
        """Control-unit attainment: station, name, plan, year, target_class, class, met."""
        t = self.store.targets(year)
        if t.empty:
            return pd.DataFrame(columns=list(pipeline.TARGET_RESULT_COLUMNS))
        try:
            sec = self.sections(year=year)
        except NotFound:
            sec = pd.DataFrame(columns=["station", "name", "class"])
        out = pipeline.targets(sec, t, year)
        names = self.store.stations().set_index("code")["name"]
        out["name"] = out["station"].map(names)
        return out

    def _name(self, code: str, lang: str = "zh") -> str | None:
        try:
            r = self.session.catalog.region(code)
            return r.name_zh if lang == "zh" else (r.name_en or r.name_zh)
        except NotFound:
            return None

    # -- plans ------------------------------------------------------------------------
    def feed(self, *, year: int | None = None, dry_run: bool = False, engine: str = "duckdb") -> FeedResult:
        """Write ``water.grade_i_iii_share`` and ``water.worse_than_v_share`` (:data:`FEEDS`)
        of every province and city the data cover, for every year (or ``year``), to the
        plan indicator values, source ``pipeline water``. A value a user entered (any
        other source in force) is never overwritten: it is skipped with the reason
        ``feeds.manual``. Re-running with the same data writes nothing new."""
        years = [year] if year is not None else self.years()
        if year is not None and year not in self.years():
            raise NotFound.worded("water.error.no_samples", year=year, command="ecoplan water load")
        cat = self.session.catalog
        rows: list[ValueRow] = []
        skipped: list[FeedSkip] = []
        for y in years:
            df = self.shares(year=y, by="region", engine=engine)
            months = self.store.months(y)
            got_rows, got_skips = plan_rows(cat, df, y, months)
            rows += got_rows
            skipped += got_skips
        if dry_run or not rows:
            return FeedResult(rows, skipped, None, years)
        result = cat.add_values(rows, actor="ecoplan water", origin=SOURCE)
        return FeedResult(rows, skipped, result, years)
