"""Climate operations of a session: energy-use and GDP imports, the inventory of the stored
data, and the feed of the CO2-intensity indicator.

``ep.climate.load_energy(path)``, ``ep.climate.load_gdp(path)``, ``ep.climate.load_totals(path)``,
``ep.climate.inventory(region)``, ``ep.climate.feed(region, years)`` — what
``ecoplan climate load|feed`` do, as methods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from ecoplan.app.single_writer import as_writer
from ecoplan.climate.feed import FEEDS, SOURCE, gdp_pair
from ecoplan.climate.inventory import Inventory, compute
from ecoplan.climate.market import discrepancy, read_market, status
from ecoplan.climate.readers import GdpLine, Reject, TotalLine, read_energy_use, read_gdp, read_totals
from ecoplan.climate.standards.factors import FuelFactor, GridFactor, fuel_factors, grid_factors
from ecoplan.climate.standards.intensity import decline_pct
from ecoplan.climate.storage import ClimateImport, ClimateStore
from ecoplan.climate.trajectory import Trajectory, trajectory
from ecoplan.core.errors import EcoplanError, InputFileError, NotFound, Problem
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


class _Located(Protocol):
    """A line of a climate file: its row and its region."""

    @property
    def row(self) -> int: ...

    @property
    def region(self) -> str: ...


class _Batch(Protocol):
    """What a climate reader returns: accepted lines and rejects."""

    @property
    def lines(self) -> Sequence[_Located]: ...

    @property
    def rejects(self) -> list[Reject]: ...


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

    def _checked(self, shown: str, batch: _Batch) -> None:
        """Refuse the file whole (:class:`InputFileError`) on any reject of the reader or any
        line of a region the catalog does not know (``unknown_region``)."""
        known = self.session.catalog.region_codes()
        _refuse(
            shown,
            batch.rejects
            + [
                Reject(shown, ln.row, "region", ln.region, "unknown_region")
                for ln in batch.lines
                if ln.region not in known
            ],
        )

    @as_writer("climate")
    def load_energy(self, path: str | Path, name: str | None = None) -> ClimateImport:
        """Check and store a long-format energy-use file (:mod:`ecoplan.climate.readers`):
        refused whole (:class:`InputFileError`, every reject with its reason code) on any
        bad cell, an unknown fuel or region."""
        p = Path(path)
        shown = name or str(p)
        batch = read_energy_use(p, fuel_factors(), name=shown)
        self._checked(shown, batch)
        return self.store.import_energy(batch.lines, shown)

    @as_writer("climate")
    def load_gdp(self, path: str | Path, name: str | None = None) -> ClimateImport:
        """Check and store a GDP file (``region,year,gdp[,prices][,index]``), whole or not at all."""
        p = Path(path)
        shown = name or str(p)
        batch = read_gdp(p, name=shown)
        self._checked(shown, batch)
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

    def emissions(self, region: str | None = None, year: int | None = None) -> list[dict[str, Any]]:
        """CO2 (t) of the stored energy use by region, year, fuel and sector (of ``region``,
        of ``year``), with the shipped tables and the national average grid factor."""
        rows: list[dict[str, Any]] = self.inventory(region).to_dict()["rows"]
        return [r for r in rows if year is None or r["year"] == year]

    def trajectories(self, region: str) -> list[Trajectory]:
        """The region's CO2-intensity decline against each plan's target trajectory, for
        every plan (of the region, an ancestor or the nation) with the indicator. The target
        is the region's allocation or the plan's own (``inherited`` when the plan is an
        ancestor's and allocates nothing to the region); a target that is not a 〔D〕 figure
        is kept as text. The declines are what the feed computes, from the stored data."""
        cat = self.session.catalog
        cat.region(region)  # an unknown region is NotFound
        code = "climate.co2_intensity_decline"
        data = _RegionData.of(self.store, region, fuel_factors(), self._grid(None, "national", "average"))
        out: list[Trajectory] = []
        for plan, ind, feed in fed_indicators(cat, region, FEEDS):
            if feed.code != code:
                continue
            own = ind.targets_for(region, plan.region)
            specs = own or ind.targets
            spec = max(specs, key=lambda s: s.year) if specs else None
            actual: dict[int, float] = {}
            skipped: list[dict[str, Any]] = []
            for y in data.years(code, plan.base_year, plan.end, None):
                got = data.value(code, plan.base_year, y)
                if isinstance(got, Skip):
                    skipped.append({"year": y, "reason": got.key, "params": dict(got.params)})
                else:
                    actual[y] = got[0]
            out.append(
                trajectory(
                    plan.id,
                    ind.id,
                    {"zh": plan.title.get("zh"), "en": plan.title.get("en")},
                    plan.base_year,
                    spec.year if spec is not None else plan.end,
                    None if spec is None else spec.target.cumulative,
                    "" if spec is None else spec.target.text,
                    not own,
                    actual,
                    skipped,
                )
            )
        return out

    def state(self) -> tuple[object, ...]:
        return self.store.state()

    @as_writer("climate")
    def load_totals(self, path: str | Path, name: str | None = None) -> ClimateImport:
        """Check and store total energy consumption and its non-fossil part
        (``region,year,total[,nonfossil]``), whole or not at all."""
        p = Path(path)
        shown = name or str(p)
        batch = read_totals(p, name=shown)
        self._checked(shown, batch)
        return self.store.import_totals(batch.lines, shown)

    # -- the carbon market -------------------------------------------------------
    @as_writer("climate")
    def load_market(self, path: str | Path, name: str | None = None) -> ClimateImport:
        """Check and store the carbon-market file (:mod:`ecoplan.climate.market`), whole or not at all."""
        p = Path(path)
        shown = name or str(p)
        batch = read_market(p, name=shown)
        self._checked(shown, batch)
        return self.store.import_market(batch.lines, shown)

    def market(
        self, region: str | None = None, year: int | None = None, as_of: dt.date | None = None
    ) -> list[dict[str, Any]]:
        """Every stored facility-year with its discrepancy, allocation balance and compliance
        as of ``as_of`` (default today)."""
        when = as_of or dt.date.today()
        out = []
        for m in self.store.market(region, year):
            d = discrepancy(m.reported, m.verified)
            c = status(m, when)
            out.append(
                {
                    "facility": m.facility,
                    "name": m.name,
                    "region": m.region,
                    "sector": m.sector,
                    "guide": m.guide,
                    "year": m.year,
                    "reported_t": m.reported,
                    "verified_t": m.verified,
                    "allocation_t": m.allocation,
                    "surrendered_t": m.surrendered,
                    "deadline": None if m.deadline is None else m.deadline.isoformat(),
                    "discrepancy_t": None if d is None else d[0],
                    "discrepancy_pct": None if d is None or d[1] is None else round_half_even(d[1], 2),
                    "balance_t": None
                    if m.allocation is None or m.verified is None
                    else m.allocation - m.verified,
                    "status": c.status,
                    "shortfall_t": c.shortfall,
                }
            )
        return out

    def discrepancies(
        self, threshold_pct: float = 0.0, region: str | None = None, year: int | None = None
    ) -> list[dict[str, Any]]:
        """Facility-years whose reported and verified emissions differ by more than
        ``threshold_pct`` % of the verified figure, the largest first."""
        rows = [
            r
            for r in self.market(region, year)
            if r["discrepancy_t"]
            and (r["discrepancy_pct"] is None or abs(r["discrepancy_pct"]) > threshold_pct)
        ]
        return sorted(rows, key=lambda r: -abs(r["discrepancy_t"]))

    def market_totals(
        self, region: str | None = None, year: int | None = None, as_of: dt.date | None = None
    ) -> list[dict[str, Any]]:
        """Per region and year: facilities, verified emissions, allocation, surrendered, and
        the facilities overdue (t; blanks count as nothing)."""
        acc: dict[tuple[str, int], dict[str, Any]] = {}
        for r in self.market(region, year, as_of):
            t = acc.setdefault(
                (r["region"], r["year"]),
                {"region": r["region"], "year": r["year"], "facilities": 0, "verified_t": 0.0,
                 "allocation_t": 0.0, "surrendered_t": 0.0, "overdue": 0},
            )  # fmt: skip
            t["facilities"] += 1
            for k in ("verified_t", "allocation_t", "surrendered_t"):
                t[k] += r[k] or 0.0
            t["overdue"] += r["status"] == "overdue"
        return [acc[k] for k in sorted(acc)]

    @as_writer("climate")
    def feed(
        self,
        region: str | None = None,
        years: Sequence[int] | None = None,
        *,
        grid: Path | None = None,
        grid_region: str = "national",
        grid_series: str = "average",
    ) -> FeedResult:
        """Write the CO2-intensity decline, the energy-intensity decline and the non-fossil
        share (:data:`~ecoplan.climate.feed.FEEDS`) for every stored region (or ``region``)
        and year after a plan's base year, source ``pipeline climate``, into the plans of the
        region, its ancestors or the nation; a value from another source is kept. One
        transaction; re-running with the same data writes nothing new."""
        cat = self.session.catalog
        regions = [region] if region is not None else self.store.regions()
        if not any(self.store.energy(c) or self.store.totals(c) for c in regions):
            raise NotFound.worded(
                "climate.error.no_data", region=region or "—", command="ecoplan climate load"
            )
        table = self._grid(grid, grid_region, grid_series)
        factors = fuel_factors()
        rows: list[ValueRow] = []
        skipped: list[tuple[str, str, str, int, Skip]] = []
        for code in regions:
            data = _RegionData.of(self.store, code, factors, table)
            for plan, ind, feed in fed_indicators(cat, code, FEEDS):
                for y in data.years(feed.code, plan.base_year, plan.end, years):
                    got = manual_skip(cat, plan.id, ind.id, code, y, SOURCE) or data.value(
                        feed.code, plan.base_year, y
                    )
                    if isinstance(got, Skip):
                        skipped.append((plan.id, ind.id, code, y, got))
                        continue
                    value, note = got
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
                            note=f"{feed.rule}; {note}",
                        )
                    )
        result = cat.add_values(rows, actor="ecoplan climate", origin=SOURCE)
        return FeedResult(result, rows, skipped)


@dataclass
class _RegionData:
    """One region's stored data, as the feed's three indicators need them."""

    totals_co2: dict[int, float]
    no_grid: set[int]
    energy_years: set[int]
    gdp: dict[int, GdpLine]
    totals: dict[int, TotalLine]

    @classmethod
    def of(
        cls, store: ClimateStore, code: str, factors: dict[str, FuelFactor], grid: dict[int, GridFactor]
    ) -> _RegionData:
        lines = store.energy(code)
        inv = compute(lines, factors, grid)
        return cls(
            {y: d["total"] for (_, y), d in inv.totals().items()},
            {int(r.value) for r in inv.rejects},
            {ln.year for ln in lines},
            {g.year: g for g in store.gdp(code)},
            {t.year: t for t in store.totals(code)},
        )

    def years(self, code: str, base: int, end: int, only: Sequence[int] | None) -> list[int]:
        """The stored years a feed can give a value for: after the base year (the share:
        from it), up to the plan's end."""
        stored = self.totals.keys() if code != "climate.co2_intensity_decline" else self.energy_years
        first = base if code == "climate.nonfossil_energy_share" else base + 1
        return sorted(y for y in stored if first <= y <= end and (not only or y in only))

    def value(self, code: str, base: int, year: int) -> tuple[float, str] | Skip:
        if code == "climate.nonfossil_energy_share":
            t = self.totals[year]
            if t.nonfossil is None:
                return Skip("climate.skip.no_nonfossil", {"year": year})
            return _r2(t.nonfossil / t.total * 100.0), f"{t.nonfossil:.6g} / {t.total:.6g}"
        if code == "climate.co2_intensity_decline":
            for y in (base, year):
                if y not in self.energy_years:
                    return Skip("climate.skip.no_energy", {"year": y})
                if y in self.no_grid:
                    return Skip("climate.skip.no_grid_factor", {"year": y})
            q0, q = self.totals_co2[base], self.totals_co2[year]
            unit = "t"
        else:
            for y in (base, year):
                if y not in self.totals:
                    return Skip("climate.skip.no_totals", {"year": y})
            q0, q = self.totals[base].total, self.totals[year].total
            unit = ""
        pair = gdp_pair(self.gdp, base, year)
        if isinstance(pair, Skip):
            return pair
        try:
            d = decline_pct(q0, pair[0], q, pair[1])
        except EcoplanError:  # a zero or negative base (a net exporter's CO2): no intensity
            return Skip("climate.skip.not_positive", {"year": base})
        return _r2(d), f"{base}: {q0:.6g} {unit}, {year}: {q:.6g} {unit}".strip()


def _r2(x: float) -> float:
    v = round_half_even(x, 2)
    assert v is not None
    return v
