"""Drinking-water sources and black-odorous water bodies of a session:
``ep.water.drinking`` and ``ep.water.black_odorous`` (load, yearly verdicts, regional
rates, plan indicators). The computations are :mod:`ecoplan.water.pipeline.drinking`;
the tables :mod:`ecoplan.water.storage.drinking`; the indicators
:mod:`ecoplan.water.feed.drinking`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.ingest.values import ValueRow
from ecoplan.water.feed import SOURCE, FeedSkip
from ecoplan.water.feed.drinking import black_rows, drinking_rows
from ecoplan.water.pipeline import drinking as pipe
from ecoplan.water.readers.black_odorous import BODY_COLUMNS, read_black_odorous, read_bodies
from ecoplan.water.readers.drinking import SAMPLE_FORMATS, read_drinking_samples, read_drinking_sources
from ecoplan.water.standards import black_odorous as bo
from ecoplan.water.standards import drinking_source as ds
from ecoplan.water.storage.drinking import DrinkingStore, RegisterImport

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan
    from ecoplan.water.service import FeedResult

__all__ = ["BlackOdorousOps", "DrinkingOps", "RegisterImport"]

Rule = Literal["mean", "every_sample"]


def _choice(option: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise EcoplanError.worded(
            "water.error.bad_choice", option=option, value=value, choices=", ".join(choices)
        )


def _below(df: pd.DataFrame, region: str | None) -> pd.DataFrame:
    return df if region is None else df[df["key"].astype(str) == str(region)].reset_index(drop=True)


class _Ops:
    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = DrinkingStore(session.catalog)

    def _check_regions(self, regions: pd.Series) -> None:
        bad = sorted({str(r) for r in regions.dropna()} - self.session.catalog.region_codes())
        if bad:
            raise NotFound.worded(
                "water.error.regions_unknown", regions=", ".join(bad), command="ecoplan init"
            )

    def _named(self, df: pd.DataFrame) -> pd.DataFrame:
        zh: list[str | None] = []
        en: list[str | None] = []
        for k in df["key"].astype(str):
            try:
                r = self.session.catalog.region(k)
                zh.append(r.name_zh)
                en.append(r.name_en or r.name_zh)
            except NotFound:
                zh.append(None)
                en.append(None)
        df.insert(1, "name", zh)
        df.insert(2, "name_en", en)
        return df

    def _result(
        self, rows: list[ValueRow], skipped: list[FeedSkip], years: list[int], dry_run: bool
    ) -> FeedResult:
        from ecoplan.water.service import FeedResult

        if dry_run or not rows:
            return FeedResult(rows, skipped, None, years)
        result = self.session.catalog.add_values(rows, actor="ecoplan water", origin=SOURCE)
        return FeedResult(rows, skipped, result, years)


class DrinkingOps(_Ops):
    """``ep.water.drinking``: centralised drinking-water sources (集中式饮用水水源地)."""

    def load(
        self, samples: Sequence[str | Path] = (), *, register: str | Path | None = None, format: str = "long"
    ) -> RegisterImport:
        """Read a register (:func:`~ecoplan.water.readers.drinking.read_drinking_sources`)
        and monitoring files (``format`` long or wide, checked against the register given
        or stored) and store both in one transaction; idempotent."""
        _choice("format", format, SAMPLE_FORMATS)
        reg = (
            read_drinking_sources([str(register)]) if register is not None else self.store.sources().iloc[0:0]
        )
        self._check_regions(reg["region"])
        known = pd.concat([self.store.sources(), reg], ignore_index=True).drop_duplicates("code", keep="last")
        files = [] if register is None else [str(register)]
        if samples:
            batch = read_drinking_samples([str(s) for s in samples], register=known, format=format)
            return self.store.import_drinking(reg, batch.samples, batch.rejects, [*files, *batch.files])
        empty = pd.DataFrame(columns=["station", "time", "item", "value", "flag"])
        return self.store.import_drinking(reg, empty, pd.DataFrame(columns=["reason"]), files)

    def sources(self) -> pd.DataFrame:
        """The stored register."""
        return self.store.sources()

    def years(self) -> list[int]:
        """Years with stored monitoring."""
        return self.store.drinking_years()

    def attainment(self, *, year: int, rule: Rule = "mean", table3_items: Sequence[str] = ()) -> pd.DataFrame:
        """Each source's verdict for ``year`` (:data:`~.pipeline.drinking.ATTAINMENT_COLUMNS`)."""
        _choice("rule", rule, ("mean", "every_sample"))
        unknown = [i for i in table3_items if i not in ds.TABLE3_LIMITS]
        if unknown:
            raise EcoplanError.worded("water.drinking.error.table3", items=", ".join(unknown))
        samples = self.store.drinking_samples(year)
        if samples.empty:
            raise NotFound.worded(
                "water.drinking.error.no_samples", year=year, command="ecoplan water drinking load"
            )
        return pipe.source_attainment(
            self.store.sources(), samples, year, rule=rule, table3_items=table3_items
        )

    def rates(
        self, *, year: int, levels: str = "county_and_above", region: str | None = None, rule: Rule = "mean",
        table3_items: Sequence[str] = (),
    ) -> pd.DataFrame:  # fmt: skip
        """Attainment rates per region (itself and every region below it) with names."""
        _choice("levels", levels, tuple(pipe.LEVEL_SETS))
        att = self.attainment(year=year, rule=rule, table3_items=table3_items)
        return _below(self._named(pipe.region_rates(att, levels=levels)), region)

    def feed(self, *, year: int | None = None, dry_run: bool = False, rule: Rule = "mean") -> FeedResult:
        """Write ``water.drinking_source_compliance`` and ``water.county_drinking_source_compliance``
        (:data:`~ecoplan.water.feed.drinking.DRINKING_FEEDS`) for every year (or ``year``);
        a value entered by hand is kept (``feeds.manual``)."""
        years = [year] if year is not None else self.years()
        if year is not None and year not in self.years():
            raise NotFound.worded(
                "water.drinking.error.no_samples", year=year, command="ecoplan water drinking load"
            )
        rows: list[ValueRow] = []
        skipped: list[FeedSkip] = []
        for y in years:
            att = self.attainment(year=y, rule=rule)
            rates = pd.concat(
                [pipe.region_rates(att, levels=lv) for lv in pipe.LEVEL_SETS], ignore_index=True
            )
            got, skips = drinking_rows(self.session.catalog, rates, y)
            rows += got
            skipped += skips
        return self._result(rows, skipped, years, dry_run)


class BlackOdorousOps(_Ops):
    """``ep.water.black_odorous``: urban black-odorous water bodies (城市黑臭水体)."""

    def load(
        self, measures: Sequence[str | Path] = (), *, register: str | Path | None = None
    ) -> RegisterImport:
        """Read a body register (:func:`~ecoplan.water.readers.black_odorous.read_bodies`)
        and point measurements and store both in one transaction; idempotent."""
        reg = (
            read_bodies([str(register)]) if register is not None else pd.DataFrame(columns=list(BODY_COLUMNS))
        )
        self._check_regions(reg["region"])
        known = pd.concat([self.store.bodies(), reg], ignore_index=True).drop_duplicates("code", keep="last")
        files = [] if register is None else [str(register)]
        batch = read_black_odorous([str(m) for m in measures], bodies=known) if measures else None
        if batch is None:
            empty = pd.DataFrame(columns=["body", "point", "seq", "date", "item", "value"])
            return self.store.import_black(reg, empty, pd.DataFrame(columns=["reason"]), files)
        return self.store.import_black(reg, batch.measures, batch.rejects, [*files, *batch.files])

    def registered(self) -> pd.DataFrame:
        """The stored register."""
        return self.store.bodies()

    def years(self) -> list[int]:
        """Years with stored measurements."""
        return self.store.black_years()

    def bodies(self, *, year: int) -> pd.DataFrame:
        """Each listed body's point grades, verdict and elimination in ``year``
        (:data:`~ecoplan.water.pipeline.drinking.BODY_YEAR_COLUMNS`)."""
        reg = self.store.bodies()
        if reg.empty:
            raise NotFound.worded(
                "water.black_odorous.error.no_bodies", command="ecoplan water black-odorous load"
            )
        return pipe.black_bodies(reg, self.store.measures(year), year)

    def ratios(self, *, year: int, area: str | None = None, region: str | None = None) -> pd.DataFrame:
        """Elimination ratio and remaining share per region and area, with names."""
        areas = ("prefecture", "county") if area is None else (area,)
        for a in areas:
            _choice("area", a, ("prefecture", "county"))
        return _below(self._named(pipe.black_ratios(self.bodies(year=year), areas=areas)), region)

    def feed(self, *, year: int | None = None, dry_run: bool = False) -> FeedResult:
        """Write ``water.black_odorous_share`` and ``water.black_odorous_county_share``
        (:data:`~ecoplan.water.feed.drinking.BLACK_FEEDS`) for every year (or ``year``);
        a value entered by hand is kept (``feeds.manual``)."""
        years = [year] if year is not None else self.years()
        rows: list[ValueRow] = []
        skipped: list[FeedSkip] = []
        for y in years:
            got, skips = black_rows(self.session.catalog, pipe.black_ratios(self.bodies(year=y)), y)
            rows += got
            skipped += skips
        return self._result(rows, skipped, years, dry_run)


#: The guide the black-odorous verdicts follow (shown by commands and pages).
GUIDE = bo.GUIDE
