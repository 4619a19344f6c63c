"""Climate operations of a session: energy-use and GDP imports, the inventory of the stored
data, and the feed of the CO2-intensity indicator.

``ep.climate.load_energy(path)``, ``ep.climate.load_gdp(path)``,
``ep.climate.inventory(region)``, ``ep.climate.feed(region, years)`` — what
``ecoplan climate load|feed`` do, as methods.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ecoplan.climate.feed import FEEDS, SOURCE, gdp_pair
from ecoplan.climate.inventory import Inventory, compute
from ecoplan.climate.readers import Reject, read_energy_use, read_gdp
from ecoplan.climate.standards.factors import GridFactor, fuel_factors, grid_factors
from ecoplan.climate.standards.intensity import decline_pct
from ecoplan.climate.storage import ClimateImport, ClimateStore
from ecoplan.core.errors import InputFileError, NotFound, Problem
from ecoplan.core.feeds import Skip
from ecoplan.core.rounding import round_half_even
from ecoplan.ingest.values import ValueRow
from ecoplan.store.catalog import ImportResult
from ecoplan.store.feeds import fed_indicators, manual_skip

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["ClimateOps", "FeedResult"]


@dataclass
class FeedResult:
    """Values written, and the plan indicators and years left without one and why."""

    result: ImportResult
    rows: list[ValueRow]
    skipped: list[tuple[str, str, str, int, Skip]] = field(default_factory=list)


def _refuse(file: str, rejects: list[Reject]) -> None:
    if rejects:
        raise InputFileError(
            file,
            [Problem(r.file, f"{r.reason}", row=r.row, field=r.field, text=r.value) for r in rejects],
        )


class ClimateOps:
    """The climate part of an :class:`~ecoplan.app.Ecoplan` session."""

    def __init__(self, session: Ecoplan) -> None:
        self.session = session
        self.store = ClimateStore(session.catalog)

    def _known(self, file: str, regions: list[tuple[int, str]]) -> list[Reject]:
        known = self.session.catalog.region_codes()
        return [
            Reject(file, row, "region", code, "unknown_region") for row, code in regions if code not in known
        ]

    def load_energy(self, path: str | Path, name: str | None = None) -> ClimateImport:
        """Check and store a long-format energy-use file (:mod:`ecoplan.climate.readers`):
        refused whole (:class:`InputFileError`, every reject with its reason code) on any
        bad cell, an unknown fuel or region."""
        p = Path(path)
        shown = name or str(p)
        batch = read_energy_use(p, fuel_factors(), name=shown)
        rejects = batch.rejects + self._known(shown, [(ln.row, ln.region) for ln in batch.lines])
        _refuse(shown, rejects)
        return self.store.import_energy(batch.lines, shown)

    def load_gdp(self, path: str | Path, name: str | None = None) -> ClimateImport:
        """Check and store a GDP file (``region,year,gdp[,prices][,index]``), whole or not at all."""
        p = Path(path)
        shown = name or str(p)
        batch = read_gdp(p, name=shown)
        rejects = batch.rejects + self._known(shown, [(ln.row, ln.region) for ln in batch.lines])
        _refuse(shown, rejects)
        return self.store.import_gdp(batch.lines, shown)

    def _grid(self, grid: Path | None, region: str, series: str) -> dict[int, GridFactor]:
        return {g.year: g for g in grid_factors(grid) if (g.region, g.series) == (region, series)}

    def inventory(
        self,
        region: str | None = None,
        *,
        grid: Path | None = None,
        grid_region: str = "national",
        grid_series: str = "average",
    ) -> Inventory:
        """CO2 of the stored energy use (of ``region``); electricity of a year without a
        published factor is listed in ``rejects``, never counted with another year's."""
        return compute(self.store.energy(region), fuel_factors(), self._grid(grid, grid_region, grid_series))

    def state(self) -> tuple[object, ...]:
        return self.store.state()

    def feed(
        self,
        region: str | None = None,
        years: Sequence[int] | None = None,
        *,
        grid: Path | None = None,
        grid_region: str = "national",
        grid_series: str = "average",
    ) -> FeedResult:
        """Write ``climate.co2_intensity_decline`` for every stored region (or ``region``)
        and year after a plan's base year, source ``pipeline climate``, into the plans of
        the region, its ancestors or the nation; a value from another source is kept. One
        transaction; re-running with the same data writes nothing new."""
        cat = self.session.catalog
        energy = self.store.energy(region)
        if not energy:
            raise NotFound.worded(
                "climate.error.no_data", region=region or "—", command="ecoplan climate load"
            )
        table = self._grid(grid, grid_region, grid_series)
        factors = fuel_factors()
        rows: list[ValueRow] = []
        skipped: list[tuple[str, str, str, int, Skip]] = []
        for code in sorted({ln.region for ln in energy}):
            lines = [ln for ln in energy if ln.region == code]
            inv = compute(lines, factors, table)
            totals = inv.totals()
            stored_years = {ln.year for ln in lines}
            no_grid = {int(r.value) for r in inv.rejects}
            gdp = {g.year: g for g in self.store.gdp(code)}
            for plan, ind, feed in fed_indicators(cat, code, FEEDS):
                wanted = sorted(y for y in stored_years if plan.base_year < y <= plan.end)
                if years:
                    wanted = [y for y in wanted if y in years]
                for y in wanted:
                    skip = manual_skip(cat, plan.id, ind.id, code, y, SOURCE) or self._why_not(
                        plan.base_year, y, stored_years, no_grid
                    )
                    pair = gdp_pair(gdp, plan.base_year, y) if skip is None else skip
                    if isinstance(pair, Skip):
                        skipped.append((plan.id, ind.id, code, y, pair))
                        continue
                    e0, e = totals[(code, plan.base_year)]["total"], totals[(code, y)]["total"]
                    value = round_half_even(decline_pct(e0, pair[0], e, pair[1]), 2)
                    assert value is not None
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
                            note=f"{feed.rule}; E0 {e0:.6g} t, E {e:.6g} t",
                        )
                    )
        result = cat.add_values(rows, actor="ecoplan climate", origin=SOURCE)
        return FeedResult(result, rows, skipped)

    @staticmethod
    def _why_not(base: int, year: int, stored: set[int], no_grid: set[int]) -> Skip | None:
        for y in (base, year):
            if y not in stored:
                return Skip("climate.skip.no_energy", {"year": y})
            if y in no_grid:
                return Skip("climate.skip.no_grid_factor", {"year": y})
        return None
