"""``ep.sources.facts``: rollups, hourly compliance, exceedances with evidence, alarms,
cards, credit-rating inputs, totals and the plan feed.

``compute`` runs the pipeline (:mod:`ecoplan.sources.pipeline`) over a period and
replaces its facts in one transaction; engines: ``"duckdb"`` (default: the SQL runs in
the store's own DuckDB, on the tables where they are) or ``"spark"`` (the period's frames
go to Spark, the same SQL transpiled by SQLGlot, the results come back).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.ingest.values import ValueRow
from ecoplan.sources import pipeline
from ecoplan.sources.feed import SOURCE, FeedSkip, plan_rows
from ecoplan.sources.pipeline import Window
from ecoplan.sources.readers.reported import read_reported
from ecoplan.sources.standards.alarms import KINDS, AlarmParams
from ecoplan.sources.standards.cards import quarter_bounds
from ecoplan.sources.storage.facts import FactsStore, StoreEngine
from ecoplan.store.catalog import ImportResult
from ecoplan.store.engines import Engines

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["SOURCE", "ComputeResult", "FactsOps", "FeedResult", "ReportedLoad"]

When = str | dt.date | dt.datetime | None

#: Per fact table computed on an engine: its columns and order.
_FACTS = {
    "f_hourly": (pipeline.HOURLY_COLUMNS, "mn, factor, hour"),
    "f_daily": (pipeline.DAILY_COLUMNS, "mn, factor, day"),
    "f_events": (pipeline.EVENT_COLUMNS, "event_id"),
    "f_alarms": (pipeline.ALARM_COLUMNS, "alarm_id"),
}


@dataclass
class ComputeResult:
    """What ``compute`` wrote: the period, the engine, the rows per table, the run id."""

    engine: str
    start: dt.datetime
    end: dt.datetime
    hourly: int
    daily: int
    exceedances: int
    evidence: int
    alarms: int
    totals: int
    cards: int
    run: int

    def to_dict(self) -> dict[str, object]:
        d = asdict(self)
        d["start"], d["end"] = self.start.isoformat(), self.end.isoformat()
        return d


@dataclass
class ReportedLoad:
    """What ``load_reported`` stored."""

    added: int
    revised: int
    unchanged: int
    files: list[str]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class FeedResult:
    """Values written (or, with ``dry_run``, that would be), and those skipped with why."""

    rows: list[ValueRow]
    skipped: list[FeedSkip]
    result: ImportResult | None = None
    regions: list[str] = field(default_factory=list)


def _moment(when: When, name: str) -> dt.datetime | None:
    if when is None:
        return None
    if isinstance(when, dt.datetime):
        return when.replace(tzinfo=None)
    if isinstance(when, dt.date):
        return dt.datetime(when.year, when.month, when.day)
    try:
        return dt.datetime.fromisoformat(str(when)).replace(tzinfo=None)
    except ValueError:
        raise EcoplanError.worded("sources.facts.error.bad_time", option=name, value=str(when)) from None


def _day_floor(t: dt.datetime) -> dt.datetime:
    return dt.datetime(t.year, t.month, t.day)


def _day_ceil(t: dt.datetime) -> dt.datetime:
    f = _day_floor(t)
    return f if f == t else f + dt.timedelta(days=1)


def _naive(df: pd.DataFrame) -> pd.DataFrame:
    """Timestamps without a zone (Spark returns them in the session's UTC)."""
    for c in df.columns:
        if isinstance(df[c].dtype, pd.DatetimeTZDtype):
            df[c] = df[c].dt.tz_convert("UTC").dt.tz_localize(None)
        if pd.api.types.is_datetime64_any_dtype(df[c]):
            df[c] = df[c].astype("datetime64[us]")
    return df


def _region_keys(code: str) -> set[str]:
    """The county, its city and its province (GB/T 2260)."""
    return {code, code[:4] + "00", code[:2] + "0000"}


class FactsOps:
    """The facts part of ``ep.sources``."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = FactsStore(session.catalog)
        self.engines = Engines()
        self.alarm_params = AlarmParams()
        self.rectify_days = 30

    # -- compute ------------------------------------------------------------------
    def window(self, start: When = None, end: When = None) -> Window:
        """The period a computation covers: whole days from ``start`` (default: the oldest
        stored value) to ``end`` (default: the newest)."""
        span = self.store.data_span()
        s, e = _moment(start, "start"), _moment(end, "end")
        if span is None and (s is None or e is None):
            raise NotFound.worded("sources.facts.error.no_values", command="ecoplan sources load")
        lo = _day_floor(s if s is not None else span[0])  # type: ignore[index]
        hi = _day_ceil(e if e is not None else span[1] + dt.timedelta(seconds=1))  # type: ignore[index]
        if hi <= lo:
            raise EcoplanError.worded("sources.facts.error.empty_period", start=str(lo), end=str(hi))
        return Window(lo, hi)

    def compute(self, *, engine: str = "duckdb", start: When = None, end: When = None) -> ComputeResult:
        """Rollups, hourly and daily compliance, exceedance events with their evidence,
        alarms of the period; annual totals of its years; every card. One transaction;
        re-running on the same frames writes the same rows."""
        if engine not in ("duckdb", "spark"):
            raise EcoplanError.worded(
                "sources.facts.error.bad_engine", engine=engine, choices="duckdb, spark"
            )
        w = self.window(start, end)
        horizon = _moment(end, "end")
        if engine == "duckdb":

            def produce(se: StoreEngine) -> None:
                pipeline.rollups(se, w)
                pipeline.alarms(se, w, self.alarm_params, horizon)

            written, run = self.store.replace(w, produce, engine=engine, rectify_days=self.rectify_days)
        else:
            eng = self.engines(engine)
            pipeline.register(eng, self.store.inputs(w))
            pipeline.rollups(eng, w)
            pipeline.alarms(eng, w, self.alarm_params, horizon)
            frames = {t: _naive(pipeline.fetch(eng, t, cols, order)) for t, (cols, order) in _FACTS.items()}
            written, run = self.store.replace(
                w, lambda _se: frames, engine=engine, rectify_days=self.rectify_days
            )
        return ComputeResult(
            engine, w.start, w.end, written.hourly, written.daily, written.exceedances, written.evidence,
            written.alarms, written.totals, written.cards, run,
        )  # fmt: skip

    # -- read ---------------------------------------------------------------------
    def hourly(
        self, outlet_id: str | None = None, factor: str | None = None, start: When = None, end: When = None
    ) -> pd.DataFrame:
        """Hours per device and factor: mean, ZsAvg, min, max, Cou, valid and stopped minutes,
        flag, status, the hourly limit in force, the value compared and the verdict."""
        return self.store.series(
            "sources_hourly", outlet_id, factor, _moment(start, "start"), _moment(end, "end")
        )

    def daily(
        self, outlet_id: str | None = None, factor: str | None = None, start: When = None, end: When = None
    ) -> pd.DataFrame:
        """Days per device and factor (as :meth:`hourly`, with valid and stopped hours)."""
        return self.store.series(
            "sources_daily", outlet_id, factor, _moment(start, "start"), _moment(end, "end")
        )

    def exceedances(
        self, region: str | None = None, credit_code: str | None = None, start: When = None, end: When = None
    ) -> pd.DataFrame:
        """Exceedance events starting in [start, end) of the region (and everything under it)
        or of one enterprise: event_id, outlet, device, factor, basis, start, end, periods,
        max and mean value compared, limit, reference O2."""
        return self.store.listing(
            "sources_exceedances", region, credit_code, _moment(start, "start"), _moment(end, "end")
        )

    def evidence(self, event_id: str) -> pd.DataFrame:
        """The frames of an event: frame_id, data_time, cn, mn, raw (NotFound for an unknown id)."""
        if self.store.event(event_id) is None:
            raise NotFound.worded("sources.facts.error.no_event", event=event_id)
        return self.store.evidence(event_id)

    def alarms(
        self,
        region: str | None = None,
        credit_code: str | None = None,
        kind: str | None = None,
        start: When = None,
        end: When = None,
    ) -> pd.DataFrame:
        """Abnormal-data alarms starting in [start, end) (kinds: :data:`KINDS`)."""
        if kind is not None and kind not in KINDS:
            raise EcoplanError.worded("sources.facts.error.bad_kind", kind=kind, choices=", ".join(KINDS))
        return self.store.listing(
            "sources_alarms", region, credit_code, _moment(start, "start"), _moment(end, "end"), kind
        )

    def cards(self, quarter: str | None = None, region: str | None = None) -> pd.DataFrame:
        """Yellow and red cards (the quarterly public list with ``quarter``, e.g. 2020Q2)."""
        if quarter is not None:
            try:
                quarter_bounds(quarter)
            except ValueError:
                raise EcoplanError.worded("sources.facts.error.bad_quarter", quarter=quarter) from None
        return self.store.cards(quarter, region)

    def credit(self, year: int | None = None, region: str | None = None) -> pd.DataFrame:
        """Credit-rating inputs per enterprise and year: exceedance events and hours, alarms
        per kind, yellow and red cards, hours stored and valid (data completeness)."""
        ex = self.exceedances(region)
        al = self.alarms(region)
        cards = self.cards(None, region)
        ent = self.session.sources.registry.enterprises(region) if region else None
        years = {int(year)} if year is not None else set()
        if year is None:
            for df, col in ((ex, "start"), (al, "start")):
                years |= {int(t.year) for t in pd.to_datetime(df[col])} if len(df) else set()
            years |= {int(str(q)[:4]) for q in cards["quarter"]} if len(cards) else set()
        rows = []
        for y in sorted(years):
            status = self.store.hourly_status(y).set_index("credit_code")
            exy = ex[pd.to_datetime(ex["start"]).dt.year == y] if len(ex) else ex
            aly = al[pd.to_datetime(al["start"]).dt.year == y] if len(al) else al
            cy = cards[cards["quarter"].str.startswith(str(y))] if len(cards) else cards
            codes = set(exy.get("credit_code", pd.Series(dtype=object)).dropna()) | set(
                aly.get("credit_code", pd.Series(dtype=object)).dropna()
            )
            codes |= set(cy.get("credit_code", pd.Series(dtype=object)).dropna()) | set(status.index)
            if ent is not None and len(ent):
                codes &= set(ent["credit_code"])
            for code in sorted(codes):
                e = exy[exy["credit_code"] == code] if len(exy) else exy
                a = aly[aly["credit_code"] == code] if len(aly) else aly
                c = cy[cy["credit_code"] == code] if len(cy) else cy
                row: dict[str, object] = {
                    "year": y,
                    "credit_code": code,
                    "exceedance_events": len(e),
                    "exceedance_hours": int(e[e["basis"] == "hour"]["periods"].sum()) if len(e) else 0,
                }
                for k in KINDS:
                    row[f"alarms_{k}"] = int((a["kind"] == k).sum()) if len(a) else 0
                row["yellow_cards"] = int((c["card"] == "yellow").sum()) if len(c) else 0
                row["red_cards"] = int((c["card"] == "red").sum()) if len(c) else 0
                row["hours"] = int(status["hours"].get(code, 0)) if len(status) else 0
                row["valid_hours"] = int(status["valid_hours"].get(code, 0)) if len(status) else 0
                rows.append(row)
        return pd.DataFrame(rows)

    def totals(
        self, year: int | None = None, region: str | None = None, by: str = "enterprise"
    ) -> pd.DataFrame:
        """Annual emissions (t) per enterprise, or per region (every county, city and province
        the enterprises lie in), with the outlet-days covered and expected and the coverage.
        An enterprise or region without any daily value of a pollutant it is permitted has
        no emission (NaN), not 0 t."""
        if by not in ("enterprise", "region"):
            raise EcoplanError.worded("sources.facts.error.bad_by", by=by, choices="enterprise, region")
        t = self.store.totals(year, region)
        if by == "enterprise":
            return t
        return self._by_region(t, region)

    def _by_region(self, t: pd.DataFrame, region: str | None) -> pd.DataFrame:
        cols = [
            "year",
            "region",
            "name",
            "factor",
            "tonnes",
            "days",
            "expected_days",
            "enterprises",
            "coverage",
        ]
        if t.empty:
            return pd.DataFrame(columns=cols)
        parts = []
        for key in sorted({k for r in t["region"].astype(str) for k in _region_keys(r)}):
            sub = t[t["region"].astype(str).map(lambda r, k=key: k in _region_keys(r))]
            g = sub.groupby(["year", "factor"], as_index=False).agg(
                tonnes=("tonnes", lambda v: v.sum(min_count=1)),
                days=("days", "sum"),
                expected_days=("expected_days", "sum"),
                enterprises=("credit_code", "nunique"),
            )
            g.insert(1, "region", key)
            parts.append(g)
        out = pd.concat(parts, ignore_index=True)
        if region is not None and region != "000000":
            keep = {k for k in out["region"] if k == region or self._under(k, region)}
            out = out[out["region"].isin(keep)]
        names = self.session.catalog.region_names()
        out["name"] = [names[k].zh if k in names else None for k in out["region"]]
        out["coverage"] = out["days"] / out["expected_days"].where(out["expected_days"] > 0)
        return out[cols].sort_values(["year", "region", "factor"]).reset_index(drop=True)

    @staticmethod
    def _under(code: str, region: str) -> bool:
        prefix = region[:2] if region.endswith("0000") else region[:4] if region.endswith("00") else region
        return code.startswith(prefix)

    # -- reported totals, plans ------------------------------------------------------
    def load_reported(self, paths: Sequence[str | Path]) -> ReportedLoad:
        """Store reported totals (CSV: region, year, pollutant, tonnes, source; see
        :mod:`ecoplan.sources.readers.reported`): one transaction, idempotent."""
        rows = read_reported(list(paths), self.session.catalog.region_codes())
        added, revised, unchanged = self.store.replace_reported(rows)
        return ReportedLoad(added, revised, unchanged, [Path(p).name for p in paths])

    def reported(self, region: str | None = None, year: int | None = None) -> pd.DataFrame:
        """The stored reported totals (region, year, factor, tonnes, source, file, line)."""
        return self.store.reported(region, year)

    def feed(self, plan: str | None = None, region: str | None = None, dry_run: bool = False) -> FeedResult:
        """Write the reduction indicators (:data:`ecoplan.sources.feed.FEEDS`: cumulative
        decline % since the base year) of every region the totals cover (or ``region`` and
        everything under it), for every stored plan (or ``plan``), source ``pipeline
        sources``. One transaction; a value entered by a user is never overwritten;
        re-running with the same data writes nothing new."""
        if plan is not None:
            self.session.catalog.plan(plan)  # NotFound for an unknown plan
        if region is not None:
            self.session.catalog.region(region)
        by_region = self.totals(region=region, by="region")
        reported = self.store.reported(None, None)
        rows, skipped = plan_rows(self.session.catalog, by_region, reported, plan=plan)
        regions = sorted({str(r) for r in by_region["region"]}) if len(by_region) else []
        if dry_run or not rows:
            return FeedResult(rows, skipped, None, regions)
        result = self.session.catalog.add_values(rows, actor="ecoplan sources", origin=SOURCE)
        return FeedResult(rows, skipped, result, regions)
