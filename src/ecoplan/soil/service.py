"""Soil operations of a session: load, samples, classify, rates, feed plan indicators.

``ep.soil.load([...], "qiyang-cd")``, ``ep.soil.classify()``, ``ep.soil.rates()`` … — what
``ecoplan soil …`` does, as methods. Engines: ``"duckdb"`` (default) or ``"spark"``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.ingest.values import ValueRow
from ecoplan.soil import readers as soil_readers
from ecoplan.soil.feed import FEEDS, feed_value
from ecoplan.soil.pipeline import class_counts, classify_samples, rates_table
from ecoplan.soil.readers import SoilBatch
from ecoplan.soil.storage import SoilImportResult, SoilStore
from ecoplan.store.catalog import ImportResult
from ecoplan.store.engines import Engines
from ecoplan.store.feeds import fed_indicators

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["FORMATS", "SOURCE", "FeedResult", "SoilOps"]

FORMATS = tuple(soil_readers.FORMATS)
SOURCE = "pipeline soil"


@dataclass
class FeedResult:
    """Values written to the indicator-values table, and the plan indicators and years
    that got none (no contaminated land counted that year)."""

    result: ImportResult
    rows: list[ValueRow]
    skipped: list[tuple[str, str, int]]


class SoilOps:
    """The soil part of an :class:`~ecoplan.app.Ecoplan` session."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = SoilStore(session.catalog)
        self.engine = Engines()

    # -- load ------------------------------------------------------------------
    def read(self, paths: Sequence[str | Path], fmt: str, **options: Any) -> SoilBatch:
        """Read files of a named format (:data:`ecoplan.soil.readers.FORMATS`)."""
        return soil_readers.read(fmt, [str(p) for p in paths], **options)

    def load(
        self,
        paths: Sequence[str | Path],
        fmt: str,
        *,
        region: str | None = None,
        year: int | None = None,
        units: Mapping[str, str] | None = None,
        area_unit: str | None = None,
    ) -> tuple[SoilBatch, SoilImportResult]:
        """Read, check and store (idempotent; a changed row is revised, the old one kept)."""
        batch = self.read(paths, fmt, region=region, year=year, units=units, area_unit=area_unit)
        bad = sorted(set(batch.rows["region"].astype(str)) - self.session.catalog.region_codes())
        if bad:
            raise NotFound.worded(
                "soil.error.regions_unknown", regions=", ".join(bad), command="ecoplan init"
            )
        return batch, self.store.import_batch(batch, fmt=fmt)

    # -- read ------------------------------------------------------------------
    def regions(self) -> list[str]:
        """Regions with soil data."""
        return self.store.regions()

    def samples(self, region: str | None = None) -> pd.DataFrame:
        """Stored samples (of ``region``)."""
        return self.store.samples(region)

    def rejects(self, reason: str | None = None) -> pd.DataFrame:
        if reason is not None and reason not in soil_readers.REASONS:
            raise EcoplanError.worded(
                "soil.error.bad_reason", reason=reason, choices=", ".join(soil_readers.REASONS)
            )
        return self.store.rejects(reason)

    def state(self) -> tuple[object, ...]:
        return self.store.state()

    # -- compute ---------------------------------------------------------------
    def classify(
        self,
        region: str | None = None,
        *,
        include_cu_ni_zn: bool = False,
        rotation: bool = False,
        per_unit: bool = False,
        engine: str = "duckdb",
    ) -> pd.DataFrame:
        """Each stored sample's GB 15618—2018 class (the pipeline's SQL); ``per_unit``: the
        class of each region × land-use unit from its mean contents (spec §5.4)."""
        s = self.store.samples(region)
        if s.empty:
            raise NotFound.worded("soil.error.no_samples", region=region or "—", command="ecoplan soil load")
        return classify_samples(
            self.engine(engine), s, include_cu_ni_zn=include_cu_ni_zn, rotation=rotation, per_unit=per_unit
        )

    def counts(
        self, region: str | None = None, *, include_cu_ni_zn: bool = False, engine: str = "duckdb"
    ) -> pd.DataFrame:
        """Samples per region, land use and category."""
        return class_counts(
            self.engine(engine), self.classify(region, include_cu_ni_zn=include_cu_ni_zn, engine=engine)
        )

    def rates(self, region: str | None = None, *, engine: str = "duckdb") -> pd.DataFrame:
        """The safe-use rates per region and year (from the stored register)."""
        u, p = self.store.units(region), self.store.plots(region)
        if u.empty and p.empty:
            raise NotFound.worded("soil.error.no_register", region=region or "—", command="ecoplan soil load")
        return rates_table(self.engine(engine), u, p)

    # -- plans -----------------------------------------------------------------
    def feed(
        self, region: str | None = None, years: Sequence[int] | None = None, *, engine: str = "duckdb"
    ) -> FeedResult:
        """Write the plan indicators the rates measure to the indicator values, source
        ``pipeline soil``, for ``region`` (default: every region the register covers; a
        region's parents are not covered by its register). Plans considered: those of the
        region or one of its ancestors. One transaction; re-running with the same data
        writes nothing new."""
        cat = self.session.catalog
        table = self.rates(region, engine=engine)
        if years:
            table = table[table["year"].isin(list(years))]
        rows: list[ValueRow] = []
        skipped: list[tuple[str, str, int]] = []
        for code, part in table.groupby("region", sort=True):
            by_year = {int(r["year"]): {str(k): v for k, v in r.items()} for _, r in part.iterrows()}
            self._feed_region(str(code), by_year, rows, skipped)
        result = cat.add_values(rows, actor="ecoplan soil", origin=SOURCE)
        return FeedResult(result, rows, skipped)

    def _feed_region(
        self,
        region: str,
        by_year: dict[int, dict[str, Any]],
        rows: list[ValueRow],
        skipped: list[tuple[str, str, int]],
    ) -> None:
        """The value rows of one region's rates (appended to ``rows``/``skipped``)."""
        for plan, ind, feed in fed_indicators(self.session.catalog, region, FEEDS):
            for y, row in sorted(by_year.items()):
                if not plan.base_year <= y <= plan.end:
                    continue
                got = feed_value(feed, row)
                if got is None:
                    skipped.append((plan.id, ind.id, y))
                    continue
                rows.append(
                    ValueRow(
                        plan=plan.id,
                        indicator=ind.id,
                        region=region,
                        year=y,
                        value=got[0],
                        unit=ind.unit,
                        basis=feed.basis,
                        source=SOURCE,
                        note=got[1],
                    )
                )
