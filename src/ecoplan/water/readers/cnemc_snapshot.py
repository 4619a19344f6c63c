"""CNEMC automatic-station snapshots (国家地表水水质自动监测实时数据发布系统), as CSV or XLSX.

The columns are those of ``shared/data/water/README.md``: ``province, city, basin,
river, station, monitor_time, published_class``, one full-precision column per item
(:data:`VARIABLE_MAP`, the tooltip's 原始值), the printed value of six items
(:data:`PUBLISHED_MAP`, ``*_disp``), ``station_status`` and ``snapshot_time``.

- ``value`` is the full-precision column, ``published`` the ``*_disp`` column (the
  value as CNEMC prints it, rounded half to even — GB/T 8170; spec §2.8), ``revised_at``
  the ``snapshot_time``: the same slot read from two snapshots keeps the later one.
- ``flag`` is ``station_status`` when it is not 正常 (e.g. 维护, maintenance).
- ``published_class`` (水质类别, ``Ⅰ … 劣Ⅴ``; ``--`` or empty = none given) goes to
  ``WaterBatch.published_class`` — kept to check ecoplan's class, never used to make one.
- Station code (:func:`station_code`): ``cnemc-<province code>-<8 hex digits>``, the
  hex digits the start of the SHA-1 of ``province|basin|station`` (UTF-8). The river and
  the city are not part of it: the 2026 snapshots leave them empty (no tooltip), and
  ``(province, basin, station)`` is unique among the 1,712 stations of the file.
- Registry: name, province, basin; city and river are the most frequent non-empty
  ones of the station's rows (ties: the first in sort order); ``region`` the GB/T 2260
  code of the city inside the province (else of the province); ``control_level``
  ``national`` (the national automatic network); ``drinking_source`` unknown (NA);
  ``water_body`` by :func:`~.stations.infer_water_body`. A registry given as ``stations``
  overrides, per code, every field it fills (e.g. ``water_body``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

import numpy as np
import pandas as pd

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.water.readers.accumulate import finish, station_frame
from ecoplan.water.readers.batch import STATION_COLUMNS, WaterBatch
from ecoplan.water.readers.parsing import (
    Number,
    Sources,
    Table,
    expand,
    name_of,
    parse_number,
    parse_time,
    read_tables,
    require,
)
from ecoplan.water.readers.stations import infer_water_body, registry, resolve_region
from ecoplan.water.standards import gb3838_2002 as gb

__all__ = ["PUBLISHED_MAP", "STATION_FIELDS", "VARIABLE_MAP", "read_cnemc_snapshot", "station_code"]

VARIABLE_MAP: Mapping[str, str] = {
    "water_temp_c": "WT",
    "ph": "pH",
    "do_mg_l": "DO",
    "conductivity_us_cm": "Cond",
    "turbidity_ntu": "Turb",
    "codmn_mg_l": "CODMn",
    "nh3n_mg_l": "NH3N",
    "tp_mg_l": "TP",
    "tn_mg_l": "TN",
    "chla_mg_l": "Chla",
    "algae_cells_l": "Algae",
}
"""Item columns of the format -> canonical items (units as canonical: mg/L, µS/cm, NTU,
cells/L; chlorophyll a in mg/L as published)."""

PUBLISHED_MAP: Mapping[str, str] = {
    "ph_disp": "pH",
    "do_disp": "DO",
    "codmn_disp": "CODMn",
    "nh3n_disp": "NH3N",
    "tp_disp": "TP",
    "tn_disp": "TN",
}
"""The printed (rounded) columns -> canonical items."""

STATION_FIELDS = ("province", "city", "basin", "river", "station")
_REQUIRED = ("province", "basin", "station", "monitor_time")
_NORMAL = "正常"


def station_code(province: str, basin: str, station: str, region: str | None = None) -> str:
    """The stable code of a CNEMC station (module doc): ``cnemc-310000-1a2b3c4d``."""
    key = f"{province.strip()}|{basin.strip()}|{station.strip()}".encode()
    prov = (region or resolve_region(province.strip()) or "000000")[:2] + "0000"
    return f"cnemc-{prov}-{hashlib.sha1(key).hexdigest()[:8]}"


def _float(n: Number | str | None) -> float:
    return float(n.value) if isinstance(n, Number) else float("nan")


def _read_table(
    t: Table, parts: list[pd.DataFrame], meta: list[pd.DataFrame], pcs: list[pd.DataFrame]
) -> None:
    pos = require(t, _REQUIRED)
    cells = t.cells

    def col(name: str) -> pd.Series:
        return cells[pos[name]].str.strip() if name in pos else pd.Series([""] * len(cells), dtype=object)

    prov, basin, st = col("province"), col("basin"), col("station")
    empty = (st == "") | (prov == "")
    if empty.any():
        r = int(t.rows[np.flatnonzero(empty.to_numpy())[0]])
        raise InputFileError(t.name, [Problem(t.name, "empty province or station", row=r, field="station")])
    region = [resolve_region(p, c) for p, c in zip(prov, col("city"), strict=True)]
    codes = [station_code(p, b, s, rg) for p, b, s, rg in zip(prov, basin, st, region, strict=True)]
    time_text = col("monitor_time")
    times = pd.Series([parse_time(x) for x in time_text], dtype="datetime64[ns]")
    revised = pd.Series([parse_time(x) for x in col("snapshot_time")], dtype="datetime64[ns]")
    status = col("station_status")
    flag = status.where((status != "") & (status != _NORMAL), None)
    meta.append(
        pd.DataFrame(
            {
                "code": codes,
                "name": st,
                "province": prov,
                "city": col("city"),
                "region": region,
                "basin": basin,
                "river": col("river"),
            }
        )
    )
    base = {
        "file": t.name,
        "row": t.rows,
        "station": codes,
        "time_text": time_text.to_numpy(),
        "time": times.to_numpy(),
        "named_body": None,
        "flag": flag.to_numpy(),
        "revised_at": revised.to_numpy(),
    }
    disp_of = {v: k for k, v in PUBLISHED_MAP.items()}
    for column, item in VARIABLE_MAP.items():
        if column not in pos:
            continue
        raw = col(column)
        parsed = [parse_number(x) for x in raw]
        shown = (
            [parse_number(x) for x in col(disp_of[item])] if disp_of.get(item) in pos else [None] * len(raw)
        )
        given = np.array([p is not None or s is not None for p, s in zip(parsed, shown, strict=True)])
        if not given.any():
            continue
        # the tooltip value is the value; without one the printed value stands in
        value = np.array(
            [_float(p) if p is not None else _float(s) for p, s in zip(parsed, shown, strict=True)]
        )
        reason = np.array(
            [
                "unparseable"
                if isinstance(p, str) or isinstance(s, str)
                else ("bad_time" if pd.isna(tm) else None)
                for p, s, tm in zip(parsed, shown, times, strict=True)
            ],
            dtype=object,
        )
        part = pd.DataFrame(
            {
                **base,
                "field": column,
                "item": item,
                "raw": raw.to_numpy(),
                "value": value,
                "published": [_float(s) for s in shown],
                "reason": reason,
            }
        )
        parts.append(part[given])
    if "published_class" in pos:
        pc = col("published_class")
        has = ~pc.isin(["", "--", "-", "*"]) & times.notna().to_numpy()
        cls = [
            gb.parse_class(x)
            if x in gb.CLASS_LABELS or x.upper() in ("I", "II", "III", "IV", "V", "劣V")
            else None
            for x in pc
        ]
        bad = has & pd.Series([c is None for c in cls])
        if bad.any():
            parts.append(
                pd.DataFrame(
                    {
                        **base,
                        "field": "published_class",
                        "item": None,
                        "raw": pc.to_numpy(),
                        "value": np.nan,
                        "published": np.nan,
                        "reason": "unparseable",
                    }
                )[bad.to_numpy()]
            )
        ok = (has & ~bad).to_numpy()
        pcs.append(
            pd.DataFrame(
                {
                    "station": np.asarray(codes)[ok],
                    "time": times[ok].to_numpy(),
                    "published_class": np.asarray([c or 0 for c in cls])[ok],
                    "_rev": revised[ok].to_numpy(),
                }
            )
        )


def _most_frequent(s: pd.Series) -> str | None:
    s = s[s.astype(str).str.strip() != ""]
    if s.empty:
        return None
    counts = s.value_counts()
    top = counts[counts == counts.max()].index
    return str(sorted(str(x) for x in top)[0])


def _registry(meta: pd.DataFrame, override: pd.DataFrame | None) -> pd.DataFrame:
    rows = []
    for code, g in meta.groupby("code", sort=True):
        city = _most_frequent(g["city"])
        river = _most_frequent(g["river"])
        name = str(g["name"].iloc[0])
        rows.append(
            {
                "code": code,
                "name": name,
                "province": g["province"].iloc[0],
                "city": city,
                "region": resolve_region(str(g["province"].iloc[0]), city or ""),
                "basin": g["basin"].iloc[0] or None,
                "river": river,
                "water_body": infer_water_body(river, name),
                "control_level": "national",
                "drinking_source": None,
                "lat": np.nan,
                "lon": np.nan,
            }
        )
    if override is not None:
        given = {str(r["code"]): r for r in override.to_dict("records")}
        for r in rows:
            o = given.get(str(r["code"]))
            if o is not None:
                r.update(
                    {c: o[c] for c in STATION_COLUMNS if c != "code" and not pd.isna(o[c]) and o[c] != ""}
                )
    return station_frame(rows)


def read_cnemc_snapshot(
    sources: Sources, *, stations: Sources | pd.DataFrame | WaterBatch | None = None
) -> WaterBatch:
    """Read CNEMC snapshot files (module doc). ``stations``: a registry overriding, per
    code, the inferred station fields (``water_body`` above all).

    Raises ``InputFileError`` when a file cannot be read or lacks a required column
    (``province``, ``basin``, ``station``, ``monitor_time``) or has a row without a station.
    """
    override = registry(stations)
    parts: list[pd.DataFrame] = []
    meta: list[pd.DataFrame] = []
    pcs: list[pd.DataFrame] = []
    files: list[str] = []
    for item in expand(sources):
        files.append(name_of(item))
        for t in read_tables(item):
            _read_table(t, parts, meta, pcs)
    reg = _registry(pd.concat(meta, ignore_index=True), override)
    pc = (
        pd.concat(pcs, ignore_index=True)
        if pcs
        else pd.DataFrame(columns=["station", "time", "published_class", "_rev"])
    )
    pc = pc.assign(_seq=np.arange(len(pc))).sort_values(["_rev", "_seq"], kind="stable", na_position="first")
    pc = pc.drop_duplicates(["station", "time"], keep="last").sort_values(["station", "time"], kind="stable")
    pc = pc[["station", "time", "published_class"]].astype({"published_class": "int64"})
    return finish(parts, reg, registry_given=False, files=files, published_class=pc)
