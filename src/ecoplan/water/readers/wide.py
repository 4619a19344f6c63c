"""Wide format: one row per station and time, one column per item, in a CSV or an XLSX sheet.

Columns ``station``, ``time``, ``flag`` (optional) and one column per item, named as in
:mod:`.long` (溶解氧, ``NH3N`` …). The unit of an item column is declared either in its
header — ``氨氮(mg/L)``, ``氨氮（µg/L）``, ``NH3N[mg/L]`` — or in a *units row*: the first
row after the header whose ``station`` and ``time`` cells are empty or ``unit``/``单位``.
A header unit wins over the units row. A column naming no item rejects each of its
values as ``unknown_item``; a missing or unfitting unit rejects them as ``unknown_unit``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pandas as pd

from ecoplan.water.readers.accumulate import empty_stations, finish
from ecoplan.water.readers.batch import WaterBatch
from ecoplan.water.readers.cells import candidates
from ecoplan.water.readers.parsing import Sources, Table, expand, name_of, read_tables, require
from ecoplan.water.readers.stations import registry

__all__ = ["VARIABLE_MAP", "read_wide", "split_header"]

VARIABLE_MAP: Mapping[str, str] = {"station": "station", "time": "time", "flag": "flag"}
"""Fixed columns of the format -> canonical names; every other column is an item column."""

_UNIT_IN_HEADER = re.compile(r"^(?P<item>.+?)\s*[(（\[【](?P<unit>[^()（）\[\]【】]*)[)）\]】]\s*$")
_UNITS_ROW = {"", "unit", "units", "单位"}


def split_header(header: str) -> tuple[str, str | None]:
    """``(item, unit or None)`` of an item column's header.

    >>> split_header("氨氮(mg/L)"), split_header("总磷（湖、库）"), split_header("pH")
    (('氨氮', 'mg/L'), ('总磷（湖、库）', None), ('pH', None))
    """
    m = _UNIT_IN_HEADER.match(header.strip())
    if m is None:
        return header.strip(), None
    unit = m.group("unit").strip()
    # a bracket holding a qualifier of the item (湖、库, 以P计, 六价) is no unit
    if not re.search(r"[A-Za-zµμ℃°/个]", unit) or unit.upper() in ("VI", "NH3-N"):
        return header.strip(), None
    return m.group("item").strip(), unit


def _read(t: Table) -> pd.DataFrame:
    pos = require(t, ("station", "time"))
    fixed = {pos["station"], pos["time"], pos.get("flag", -1)}
    cells, rows = t.cells, t.rows
    units: dict[int, str] = {}
    if (
        len(cells)
        and {
            str(cells.iat[0, pos["station"]]).strip().lower(),
            str(cells.iat[0, pos["time"]]).strip().lower(),
        }
        <= _UNITS_ROW
    ):
        units = {i: str(cells.iat[0, i]).strip() for i in range(len(t.header))}
        cells, rows = cells.iloc[1:], rows[1:]
    station = cells[pos["station"]].tolist()
    time = cells[pos["time"]].tolist()
    flag = cells[pos["flag"]].tolist() if "flag" in pos else [""] * len(cells)
    parts = []
    for i, head in enumerate(t.header):
        if i in fixed or not head:
            continue
        item, unit = split_header(head)
        u = unit if unit is not None else units.get(i, "")
        n = len(cells)
        parts.append(
            candidates(
                t.name, rows.tolist(), [head] * n, station, time, [item] * n, cells[i].tolist(), [u] * n, flag
            )
        )
    parts = [p for p in parts if len(p)]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def read_wide(sources: Sources, *, stations: Sources | pd.DataFrame | WaterBatch | None = None) -> WaterBatch:
    """Read wide-format files (module doc); ``stations`` as in :func:`~.long.read_long`.

    Raises ``InputFileError`` when a file cannot be read or lacks ``station``/``time``.
    """
    reg = registry(stations)
    parts: list[pd.DataFrame] = []
    files: list[str] = []
    for src in expand(sources):
        files.append(name_of(src))
        parts += [_read(t) for t in read_tables(src)]
    return finish(
        parts, reg if reg is not None else empty_stations(), registry_given=reg is not None, files=files
    )
