"""Ecology operations of a session: the EI calculator, county EI import and reads, and the
feed of the plan indicator the county EI measures.

``ep.ecology.ei(...)``, ``ep.ecology.import_ei(path)``, ``ep.ecology.counties(...)``,
``ep.ecology.feed(...)`` — what ``ecoplan ecology …`` does, as methods; layers, patches and
the red-line report: :mod:`ecoplan.ecology.spatial_ops`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.app.single_writer import as_writer
from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.core.rounding import round_half_even
from ecoplan.ecology.ei_file import REASONS, EIBatch, read_ei_file
from ecoplan.ecology.feed import FEEDS, SOURCE, feed_value
from ecoplan.ecology.spatial_ops import SpatialOps
from ecoplan.ecology.standards import eqi
from ecoplan.ecology.standards.hj192_2015 import (
    RESTRICTIONS,
    STANDARD,
    SubIndices,
    change_class,
    evaluate,
)
from ecoplan.ecology.storage import EcologyStore, EIImportResult
from ecoplan.ingest.values import ValueRow
from ecoplan.store.catalog import ImportResult
from ecoplan.store.feeds import fed_indicators, manual_source

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["SOURCE", "EcologyOps", "FeedResult"]


@dataclass
class FeedResult:
    """Values written to the indicator-values table, and the plan indicators and years
    left alone (a value from another source is in force: ``(plan, indicator, year, source)``)."""

    result: ImportResult
    rows: list[ValueRow]
    skipped: list[tuple[str, str, int, str]]


class EcologyOps(SpatialOps):
    """The ecology part of an :class:`~ecoplan.app.Ecoplan` session (the spatial methods —
    layers, patches, cases, statistics, red-line report — from :class:`SpatialOps`)."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = EcologyStore(session.catalog)

    # -- the calculator --------------------------------------------------------
    @staticmethod
    def ei(
        abundance: float,
        vegetation: float,
        water: float,
        stress: float,
        pollution: float,
        restriction: str | None = None,
        previous: float | None = None,
    ) -> dict[str, Any]:
        """HJ 192-2015 EI, grade and (with ``previous``) ΔEI class: the JSON contract of
        ``ecoplan ecology ei``. Bad input raises a worded error naming the field."""
        given = {
            "abundance": abundance,
            "vegetation": vegetation,
            "water": water,
            "stress": stress,
            "pollution": pollution,
        }
        for k, v in given.items():
            if v != v or not 0 <= v <= 100:
                raise EcoplanError.worded("ecology.error.sub_index", field=k, value=v)
        if restriction is not None and restriction not in RESTRICTIONS:
            raise EcoplanError.worded(
                "ecology.error.restriction", code=restriction, choices=", ".join(RESTRICTIONS)
            )
        if previous is not None and (previous != previous or not 0 <= previous <= 100):
            raise EcoplanError.worded("ecology.error.previous", value=previous)
        return evaluate(SubIndices(**given), restriction, previous)

    @staticmethod
    def methods() -> list[dict[str, Any]]:
        """The evaluation methods the domain knows, and whether each is loaded."""
        return [
            {
                "code": "hj192",
                "document": STANDARD,
                "loaded": True,
                "first_level": ["生物丰度", "植被覆盖", "水网密度", "土地胁迫", "污染负荷", "环境限制"],
                "note": "weights, grades and change classes confirmed; restriction rules and "
                "normalisation coefficients unconfirmed",
            },
            eqi.METHOD.to_dict(),
        ]

    # -- county EI ---------------------------------------------------------------
    def read_ei(self, path: str | Path) -> EIBatch:
        return read_ei_file(path, self.session.catalog.region_codes())

    @as_writer("ecology")
    def import_ei(self, path: str | Path) -> tuple[EIBatch, EIImportResult]:
        """Read, check and store a county EI file (idempotent; a changed row is revised)."""
        batch = self.read_ei(path)
        return batch, self.store.import_batch(batch)

    def counties(
        self, region: str | None = None, year: int | None = None, county: str | None = None
    ) -> pd.DataFrame:
        """Stored county EI with sub-indices (of a region, a year, a county)."""
        return self.store.ei(region=region, county=county, year=year)

    def county(self, code: str) -> pd.DataFrame:
        """One county's EI per year, with ΔEI against the stored year before it and its
        change class (HJ 192-2015 §5.3.2); NotFound when none is stored."""
        df = self.store.ei(county=code)
        if df.empty:
            raise NotFound.worded("ecology.error.no_county", county=code, command="ecoplan ecology ei-import")
        deltas: list[float | None] = [None]
        classes: list[str | None] = [None]
        directions: list[str | None] = [None]
        eis = [float(v) for v in df["ei"]]
        for prev, cur in itertools.pairwise(eis):
            d = round_half_even(float(Decimal(repr(cur)) - Decimal(repr(prev))), 2)
            assert d is not None
            c, direction = change_class(d)
            deltas.append(d)
            classes.append(c.key)
            directions.append(direction)
        return df.assign(
            delta=pd.Series(deltas, index=df.index, dtype=object),
            change_class=pd.Series(classes, index=df.index, dtype=object),
            direction=pd.Series(directions, index=df.index, dtype=object),
        )

    def key_means(self, region: str | None = None) -> pd.DataFrame:
        """Mean EI of the key counties per region and year."""
        return self.store.key_means(region)

    def rejects(self, reason: str | None = None) -> pd.DataFrame:
        if reason is not None and reason not in REASONS:
            raise EcoplanError.worded("ecology.error.bad_reason", reason=reason, choices=", ".join(REASONS))
        return self.store.rejects(reason)

    def state(self) -> tuple[object, ...]:
        return (*self.store.state(), *self.spatial.state())

    # -- plans -----------------------------------------------------------------
    @as_writer("ecology")
    def feed(self, region: str | None = None, years: Sequence[int] | None = None) -> FeedResult:
        """Write ``eco.key_function_county_index`` for every region (or ``region``) and year
        of the stored key counties, source ``pipeline ecology``, into the plans of the
        region or one of its ancestors; a value from another source is left in force. One
        transaction; re-running with the same data writes nothing new."""
        cat = self.session.catalog
        means = self.store.key_means(region)
        if means.empty:
            raise NotFound.worded(
                "ecology.error.no_ei", region=region or "—", command="ecoplan ecology ei-import"
            )
        if years:
            means = means[means["year"].isin(list(years))]
        rows: list[ValueRow] = []
        skipped: list[tuple[str, str, int, str]] = []
        by_region: dict[str, list[dict[str, Any]]] = {}
        for rec in means.to_dict("records"):
            by_region.setdefault(str(rec["region"]), []).append({str(k): v for k, v in rec.items()})
        for code, part in sorted(by_region.items()):
            for plan, ind, feed in fed_indicators(cat, code, FEEDS):
                for r in part:
                    y = int(r["year"])
                    if not plan.base_year <= y <= plan.end:
                        continue
                    other = manual_source(cat, plan.id, ind.id, code, y, SOURCE)
                    if other is not None:
                        skipped.append((plan.id, ind.id, y, other))
                        continue
                    value, note = feed_value(feed, float(r["ei"]), int(r["counties"]))
                    rows.append(
                        ValueRow(
                            plan=plan.id,
                            indicator=ind.id,
                            region=code,
                            year=y,
                            value=value,
                            unit=ind.unit,
                            basis=feed.basis,
                            source=SOURCE,
                            note=note,
                        )
                    )
        result = cat.add_values(rows, actor="ecoplan ecology", origin=SOURCE)
        return FeedResult(result, rows, skipped)
