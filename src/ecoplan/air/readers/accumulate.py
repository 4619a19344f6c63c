"""Validating the rows of one file into an accumulating batch, and finishing the batch.

:func:`_add_rows` is the one path every input format goes through: a row whose
time is rejected (``bad_time``, ``timezone``) or whose station is unknown
(``unknown_station``) rejects every value it gave under that reason; each other
value is checked by :func:`~ecoplan.air.readers.parsing._parse_values`.
:func:`_finish` concatenates the files, resolves duplicate station-hours (the
last file and row wins; each value it overrides is a ``duplicate`` reject),
sorts, and returns the :class:`~ecoplan.air.readers.batch.AirBatch`. Internal to
:mod:`ecoplan.air.readers`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecoplan.air.readers.batch import (
    CEILINGS,
    POLLUTANTS,
    AirBatch,
    BoolArray,
    ObjArray,
    UnitWarning,
    _empty_rejects,
    _reject_frame,
)
from ecoplan.air.readers.parsing import (
    _co_unit_warnings,
    _Column,
    _missing_cell,
    _parse_values,
    _text,
)


@dataclass
class _Acc:
    """What the files read so far have produced."""

    files: list[str] = field(default_factory=list)
    parts: list[pd.DataFrame] = field(default_factory=list)
    rejects: list[pd.DataFrame] = field(default_factory=list)
    given: set[str] = field(default_factory=set)
    warnings: list[UnitWarning] = field(default_factory=list)


def _add_rows(
    acc: _Acc,
    *,
    file: str,
    rows: npt.NDArray[np.int64],
    station: pd.Series,
    station_ok: BoolArray,
    time_text: pd.Series,
    times: npt.NDArray[np.datetime64],
    time_why: ObjArray,
    columns: Mapping[str, _Column],
    given: Mapping[str, BoolArray] | None = None,
) -> None:
    """Validate one file's rows (one station-hour each, or one value each for long files).

    Rejects go to ``acc.rejects``; usable rows, with the raw text and record
    number kept for duplicate resolution, go to ``acc.parts``.
    """
    n = len(rows)
    fidx = len(acc.files)
    acc.files.append(file)
    row_why: ObjArray = time_why.copy()
    row_why[pd.isna(row_why) & ~station_ok] = "unknown_station"
    usable = pd.isna(row_why).astype(bool)
    kept = int(usable.sum())
    station_s = _text(station).reset_index(drop=True)
    time_s = _text(time_text).reset_index(drop=True)
    part: dict[str, Any] = {
        "station": station_s[usable].reset_index(drop=True),
        "time": times[usable],
        "_f": np.full(kept, fidx, dtype=np.int64),
        "_row": rows[usable],
        "_tt": time_s[usable].reset_index(drop=True),
    }
    for p in POLLUTANTS:
        col = columns.get(p)
        if col is None:
            part[p] = np.full(kept, np.nan)
            part[f"_t_{p}"] = pd.Series([""] * kept, dtype="str")
            part[f"_g_{p}"] = np.zeros(kept, dtype=bool)
            continue
        acc.given.add(p)
        g = np.ones(n, dtype=bool) if given is None else given[p]
        values, why, written = _parse_values(col, CEILINGS[p])
        raw = _text(col.raw).reset_index(drop=True)
        if p == "co":
            acc.warnings.extend(_co_unit_warnings(file, col, rows, written, g, raw))
        # a dropped row rejects every value it gave, whatever its content, under the row's reason
        dropped = ~usable & g & ~_missing_cell(col)
        keep_why: ObjArray = np.where(usable & g, why, np.full(n, None, dtype=object))
        why = np.where(dropped, row_why, keep_why)
        bad = ~pd.isna(why)
        if bad.any():
            acc.rejects.append(
                _reject_frame(
                    file,
                    rows[bad],
                    station_s[bad].to_numpy(),
                    times[bad],
                    time_s[bad].to_numpy(),
                    p,
                    raw[bad].to_numpy(),
                    why[bad],
                )
            )
        part[p] = values[usable]
        part[f"_t_{p}"] = raw[usable].reset_index(drop=True)
        part[f"_g_{p}"] = g[usable]
    acc.parts.append(pd.DataFrame(part))


def _finish(acc: _Acc, stations: pd.DataFrame) -> AirBatch:
    """Concatenate the files, resolve duplicate station-hours (last wins), sort."""
    rejects = list(acc.rejects)
    data = pd.concat(acc.parts, ignore_index=True) if acc.parts else None
    if data is None or data.empty:
        hourly = pd.DataFrame(
            {"station": pd.Series([], dtype="str"), "time": pd.Series([], dtype="datetime64[ns]")}
        )
        for p in POLLUTANTS:
            hourly[p] = pd.Series([], dtype="float64")
    else:
        dup = data.duplicated(["station", "time"], keep=False).to_numpy()
        keep = data.loc[~dup, ["station", "time", *POLLUTANTS]]
        if dup.any():
            sub = data[dup]
            merged = sub.drop_duplicates(["station", "time"], keep="last")[["station", "time"]]
            for p in POLLUTANTS:
                g = sub[sub[f"_g_{p}"].to_numpy(dtype=bool)]
                lose = g.duplicated(["station", "time"], keep="last").to_numpy() & g[p].notna().to_numpy()
                if lose.any():
                    lost = g[lose]
                    for fidx, chunk in lost.groupby("_f", sort=True):
                        rejects.append(
                            _reject_frame(
                                acc.files[int(str(fidx))],
                                chunk["_row"].to_numpy(),
                                chunk["station"].to_numpy(),
                                chunk["time"].to_numpy(),
                                chunk["_tt"].to_numpy(),
                                p,
                                chunk[f"_t_{p}"].to_numpy(),
                                "duplicate",
                            )
                        )
                win = g.drop_duplicates(["station", "time"], keep="last")[["station", "time", p]]
                merged = merged.merge(win, on=["station", "time"], how="left")
            keep = pd.concat([keep, merged[["station", "time", *POLLUTANTS]]], ignore_index=True)
        hourly = keep.sort_values(["station", "time"], kind="stable").reset_index(drop=True)
    hourly["station"] = hourly["station"].astype("str")
    hourly["time"] = hourly["time"].astype("datetime64[ns]")
    for p in POLLUTANTS:
        hourly[p] = hourly[p].astype("float64")
    rej = pd.concat(rejects, ignore_index=True) if rejects else _empty_rejects()
    if len(rej):
        order = {f: i for i, f in enumerate(acc.files)}
        rej = (
            rej.assign(
                _f=rej["file"].map(order),
                _p=rej["pollutant"].map({p: i for i, p in enumerate(POLLUTANTS)}),
            )
            .sort_values(["_f", "row", "_p"], kind="stable")
            .drop(columns=["_f", "_p"])
            .reset_index(drop=True)
        )
    return AirBatch(
        hourly=hourly,
        stations=stations.reset_index(drop=True),
        rejects=rej,
        absent=frozenset(p for p in POLLUTANTS if p not in acc.given),
        files=list(acc.files),
        warnings=list(acc.warnings),
    )
