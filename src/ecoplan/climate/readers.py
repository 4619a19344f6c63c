"""The long-format energy-use file (CSV or XLSX) of ``ecoplan climate inventory``: one line per region,
year, fuel (and optionally sector and use).

Columns (header names in English or Chinese, :data:`VARIABLE_MAP`)::

    region,year,fuel,amount,unit[,use][,sector]
    130000,2020,raw_coal,27000,万吨,combustion,industry
    130000,2020,natural_gas,180,亿立方米
    130000,2020,electricity,800,亿千瓦时

``fuel`` is a key of the factor table (``raw_coal``, ``natural_gas`` …) or its Chinese
name (:data:`FUEL_NAMES`); ``electricity`` is the region's net imported electricity
(imports − exports, negative for a net exporter). ``use`` is ``combustion`` (default),
``non_energy`` or ``feedstock`` (excluded from combustion CO2). Every bad cell is a
:class:`Reject` with a reason code (:data:`REASONS`) naming file, row and field; the
command refuses a file with any reject whole.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from ecoplan.climate.standards.electricity import ELECTRICITY_UNITS
from ecoplan.climate.standards.energy import UNITS, USES
from ecoplan.climate.standards.factors import FuelFactor

__all__ = [
    "ELECTRICITY",
    "FUEL_NAMES",
    "REASONS",
    "VARIABLE_MAP",
    "Batch",
    "Line",
    "Reject",
    "read_energy_use",
]

#: The fuel key of net imported electricity.
ELECTRICITY = "electricity"
#: Header spellings → canonical column.
VARIABLE_MAP = {
    "region": "region",
    "地区": "region",
    "地区代码": "region",
    "year": "year",
    "年份": "year",
    "fuel": "fuel",
    "能源品种": "fuel",
    "品种": "fuel",
    "amount": "amount",
    "消费量": "amount",
    "数量": "amount",
    "unit": "unit",
    "单位": "unit",
    "计量单位": "unit",
    "use": "use",
    "用途": "use",
    "sector": "sector",
    "部门": "sector",
}
#: Chinese names of the fuels (the factor tables' rows and the yearbooks' spellings).
FUEL_NAMES = {
    "原煤": "raw_coal",
    "焦炭": "coke",
    "原油": "crude_oil",
    "燃料油": "fuel_oil",
    "汽油": "gasoline",
    "煤油": "kerosene",
    "柴油": "diesel",
    "液化石油气": "lpg",
    "炼厂干气": "refinery_gas",
    "天然气": "natural_gas",
    "电力": ELECTRICITY,
    "调入电力": ELECTRICITY,
    "净调入电力": ELECTRICITY,
}
#: Reason codes of a reject (words ``climate.reason.<code>``).
REASONS = (
    "missing_column",
    "missing",
    "bad_year",
    "bad_number",
    "negative",
    "unknown_fuel",
    "unknown_unit",
    "unit_mismatch",
    "bad_use",
    "no_grid_factor",
    "bad_prices",
    "duplicate",
    "bad_share",
    "unknown_region",
    "bad_date",
    "conflict",
)
_USE_NAMES = {"燃烧": "combustion", "非能源利用": "non_energy", "原料": "feedstock"}
_REQUIRED = ("region", "year", "fuel", "amount", "unit")


@dataclass(frozen=True)
class Line:
    """One accepted line (amount in its own unit, fuel as a factor-table key)."""

    row: int
    region: str
    year: int
    fuel: str
    amount: float
    unit: str
    use: str = "combustion"
    sector: str = ""


@dataclass(frozen=True)
class Reject:
    """One refused cell: where, what and the reason code."""

    file: str
    row: int | None
    field: str
    value: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "row": self.row,
            "field": self.field,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass
class Batch:
    """The file's accepted lines and rejects."""

    lines: list[Line] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


@contextmanager
def table_rows(path: Path) -> Iterator[Iterator[list[str]]]:
    """The rows of a CSV (UTF-8, BOM allowed) or of the first sheet of an XLSX workbook,
    every cell as text (a whole number written by Excel as ``2020.0`` read as ``2020``)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            ws = wb.worksheets[0]
            yield ([_cell(c) for c in row] for row in ws.iter_rows(values_only=True))
        finally:
            wb.close()
        return
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield csv.reader(fh)


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


@dataclass
class Cells:
    """One data row of a table file: its number and its cells by canonical column.

    The four climate readers check a row the same way: each bad cell a :class:`Reject`
    naming file, row and field, the row kept only when it added none (:attr:`ok`).
    """

    shown: str
    row: int
    v: dict[str, str]
    rejects: list[Reject]
    start: int = 0

    def __post_init__(self) -> None:
        self.start = len(self.rejects)

    @property
    def ok(self) -> bool:
        """True while no cell of this row was refused."""
        return len(self.rejects) == self.start

    def bad(self, f: str, reason: str) -> None:
        """Refuse the cell of column ``f`` for ``reason`` (a code of :data:`REASONS`)."""
        self.rejects.append(Reject(self.shown, self.row, f, self.v.get(f, ""), reason))

    def require(self, *columns: str) -> None:
        """A ``missing`` reject for each of ``columns`` left empty."""
        for f in columns:
            if not self.v[f]:
                self.bad(f, "missing")

    def year(self, low: int = 1949) -> int:
        """The ``year`` cell as a whole number (0 when it is none); outside ``low``–2100 a ``bad_year``."""
        try:
            year = int(self.v["year"])
        except ValueError:
            self.bad("year", "bad_year")
            return 0
        if not low <= year <= 2100:
            self.bad("year", "bad_year")
        return year

    def number(self, f: str, not_finite: str = "bad_number") -> float | None:
        """The cell of ``f`` as a number (thousands commas allowed); None and a reject when it is
        none (``bad_number``) or not finite (``not_finite``)."""
        try:
            x = float(self.v.get(f, "").replace(",", ""))
        except ValueError:
            self.bad(f, "bad_number")
            return None
        if not math.isfinite(x):
            self.bad(f, not_finite)
            return None
        return x

    def unique(self, seen: set[tuple[str, int]], key: tuple[str, int]) -> None:
        """A ``duplicate`` year when ``key`` came before in the file; ``key`` remembered."""
        if key in seen:
            self.bad("year", "duplicate")
        seen.add(key)


def records(
    path: Path,
    columns: Mapping[str, str],
    required: Sequence[str | tuple[str, ...]],
    shown: str,
    rejects: list[Reject],
) -> Iterator[Cells]:
    """The non-blank data rows of a table file, cells keyed by canonical column (``columns``:
    header spelling → column). A ``required`` column absent from the header (a tuple: none of
    its columns there, named by the first) is a ``missing_column`` reject on row 1, and no row
    is read."""
    with table_rows(path) as reader:
        head = next(reader, [])
        cols = {columns[h.strip()]: i for i, h in enumerate(head) if h.strip() in columns}
        missing = [
            (c,) if isinstance(c, str) else c
            for c in required
            if not cols.keys() & ({c} if isinstance(c, str) else set(c))
        ]
        if missing:
            rejects.extend(Reject(shown, 1, c[0], "", "missing_column") for c in missing)
            return
        for n, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            yield Cells(
                shown, n, {c: (cells[i].strip() if i < len(cells) else "") for c, i in cols.items()}, rejects
            )


def _fuel(text: str, factors: Mapping[str, FuelFactor]) -> str | None:
    key = FUEL_NAMES.get(text, text)
    return key if key in factors or key == ELECTRICITY else None


def read_energy_use(path: Path, factors: Mapping[str, FuelFactor], *, name: str | None = None) -> Batch:
    """Every line of the file, checked against the factor table (``name``: the file as shown)."""
    batch = Batch()
    for r in records(path, VARIABLE_MAP, _REQUIRED, name or path.name, batch.rejects):
        line = _line(r, factors)
        if line is not None:
            batch.lines.append(line)
    return batch


def _line(r: Cells, factors: Mapping[str, FuelFactor]) -> Line | None:
    v = r.v
    r.require(*_REQUIRED)
    year = r.year() if v["year"] else 0
    fuel = _fuel(v["fuel"], factors) if v["fuel"] else None
    if v["fuel"] and fuel is None:
        r.bad("fuel", "unknown_fuel")
    amount = math.nan
    if v["amount"]:
        x = r.number("amount")
        if x is not None:
            amount = x
            if amount < 0 and fuel != ELECTRICITY:
                r.bad("amount", "negative")
    use = _USE_NAMES.get(v.get("use", ""), v.get("use", "")) or "combustion"
    if use not in USES:
        r.bad("use", "bad_use")
    if v["unit"] and fuel is not None:
        if fuel == ELECTRICITY:
            if v["unit"] not in ELECTRICITY_UNITS:
                r.bad("unit", "unknown_unit")
        elif v["unit"] not in UNITS:
            r.bad("unit", "unknown_unit")
        elif UNITS[v["unit"]][0] != factors[fuel].basis:
            r.bad("unit", "unit_mismatch")
    if not r.ok or fuel is None:
        return None
    return Line(r.row, v["region"], year, fuel, amount, v["unit"], use, v.get("sector", ""))


#: GDP file headers → canonical column.
GDP_MAP = {
    "region": "region",
    "地区": "region",
    "地区代码": "region",
    "year": "year",
    "年份": "year",
    "gdp": "gdp",
    "地区生产总值": "gdp",
    "prices": "prices",
    "价格": "prices",
    "index": "index",
    "指数": "index",
    "地区生产总值指数": "index",
}


@dataclass(frozen=True)
class GdpLine:
    """A region's GDP in a year: at ``prices`` (``current`` or a constant-price year),
    and/or its volume index against the year before (= 100)."""

    row: int
    region: str
    year: int
    gdp: float | None
    prices: str
    index: float | None


@dataclass
class GdpBatch:
    lines: list[GdpLine] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def _positive(text: str) -> float | None:
    try:
        x = float(text.replace(",", ""))
    except ValueError:
        return None
    return x if math.isfinite(x) and x > 0 else None


def read_gdp(path: Path, *, name: str | None = None) -> GdpBatch:
    """``region,year,gdp[,prices][,index]``: GDP (any unit, the same for every row of a
    region) at ``current`` prices (default) or the constant prices of a year (``2015``),
    and the volume index (上年=100); a row needs ``gdp`` or ``index``."""
    batch = GdpBatch()
    seen: set[tuple[str, int]] = set()
    for r in records(path, GDP_MAP, ("region", "year", ("gdp", "index")), name or path.name, batch.rejects):
        v = r.v
        r.require("region")
        year = r.year()
        gdp = idx = None
        if v.get("gdp"):
            gdp = _positive(v["gdp"])
            if gdp is None:
                r.bad("gdp", "bad_number")
        if v.get("index"):
            idx = _positive(v["index"])
            if idx is None:
                r.bad("index", "bad_number")
        if not v.get("gdp") and not v.get("index"):
            r.bad("gdp", "missing")
        prices = v.get("prices", "") or "current"
        if prices != "current" and not (prices.isdigit() and len(prices) == 4):
            r.bad("prices", "bad_prices")
        r.unique(seen, (v["region"], year))
        if r.ok:
            batch.lines.append(GdpLine(r.row, v["region"], year, gdp, prices, idx))
    return batch


#: Energy-totals file headers → canonical column.
TOTALS_MAP = {
    "region": "region",
    "地区": "region",
    "地区代码": "region",
    "year": "year",
    "年份": "year",
    "total": "total",
    "能源消费总量": "total",
    "nonfossil": "nonfossil",
    "非化石能源消费量": "nonfossil",
}


@dataclass(frozen=True)
class TotalLine:
    """A region's total energy consumption in a year and its non-fossil part (same unit)."""

    row: int
    region: str
    year: int
    total: float
    nonfossil: float | None


@dataclass
class TotalsBatch:
    lines: list[TotalLine] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)


def read_totals(path: Path, *, name: str | None = None) -> TotalsBatch:
    """``region,year,total[,nonfossil]``: total energy consumption and its non-fossil part,
    in one unit per region (e.g. 10⁴ tce, as the statistics publish them)."""
    batch = TotalsBatch()
    seen: set[tuple[str, int]] = set()
    for r in records(path, TOTALS_MAP, ("region", "year", "total"), name or path.name, batch.rejects):
        v = r.v
        r.require("region")
        year = r.year()
        total = _positive(v["total"]) if v["total"] else None
        if total is None:
            r.bad("total", "bad_number" if v["total"] else "missing")
        nonfossil = None
        if v.get("nonfossil"):
            nonfossil = r.number("nonfossil", not_finite="bad_share")
            if nonfossil is not None and (nonfossil < 0 or (total is not None and nonfossil > total)):
                r.bad("nonfossil", "bad_share")
        r.unique(seen, (v["region"], year))
        if r.ok and total is not None:
            batch.lines.append(TotalLine(r.row, v["region"], year, total, nonfossil))
    return batch
