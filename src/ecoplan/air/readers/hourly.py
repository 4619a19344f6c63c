"""Hourly ambient-air observations (PM2.5, PM10, SO2, NO2, CO, O3), validated.

Four input formats are read into one canonical :class:`AirBatch`:

``read_beijing_multisite``
    The UCI "Beijing Multi-Site Air-Quality" files (``PRSA_Data_<Station>_*.csv[.gz]``):
    columns ``year, month, day, hour, PM2.5, PM10, SO2, NO2, CO, O3, station``
    (other columns are ignored). All six pollutants are in µg/m³ there, CO
    included; this named format declares that, so CO is divided by 1000. The
    ``hour`` (0–23, Beijing time) is taken as the START of the hour. Station
    metadata for the 12 national-control stations ships with this module.
``read_long_csv``
    One value per row: ``station, time, pollutant, value, unit``.
``read_wide_csv`` / ``read_parquet_hourly``
    One station-hour per row: ``station, time`` and any of the pollutant
    columns; a header may carry its unit in brackets (``co[mg/m3]``).

Canonical units are µg/m³, except CO in mg/m³ (HJ 633-2012). A value in a wide
file whose unit is declared nowhere is taken as µg/m³ — what every Chinese
network reports — except CO, whose unit must be declared (µg/m³ and mg/m³
differ by a factor of 1000 and both occur in the wild).

A ``time`` is ``YYYY-MM-DD HH:MM[:SS]`` (``T`` or a space between date and
time, ``/`` accepted in the date), optionally followed by ``Z`` or a UTC offset
(``+08:00``, ``+0800``, ``+08``). Naive times are in the declared time zone
(``tz``, default Asia/Shanghai). Times are stored naive, in local time of that
zone, and label the START of the hour.

Nothing is lost silently: every value that does not reach ``AirBatch.hourly``
is a row of ``AirBatch.rejects`` with one of the reason codes in
:data:`REASONS`. Schema errors (a missing column, an undeclared or unknown
unit, an unknown pollutant name in a long file, an unreadable file) reject the
whole input with :class:`~ecoplan.core.errors.InputFileError` listing every problem.
Values that are kept but look wrong are not changed silently either: a CO column
whose numbers look like the other unit (:data:`CO_UNIT_SPLIT`) is a
:class:`UnitWarning` of ``AirBatch.warnings``, listing its rows.
See ``docs/air-input.md``.
"""

from __future__ import annotations

import csv
import gzip
import math
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.ingest.tables import read_table

__all__ = [
    "BEIJING_STATIONS",
    "CANONICAL_UNITS",
    "CEILINGS",
    "CO_UNIT_SPLIT",
    "MISSING_MARKERS",
    "POLLUTANTS",
    "REASONS",
    "REJECT_COLUMNS",
    "STATION_COLUMNS",
    "STATION_TYPES",
    "AirBatch",
    "UnitWarning",
    "read_beijing_multisite",
    "read_long_csv",
    "read_parquet_hourly",
    "read_stations",
    "read_wide_csv",
]

POLLUTANTS = ("pm25", "pm10", "so2", "no2", "co", "o3")
"""Canonical pollutant names, in the column order of ``AirBatch.hourly``."""

CANONICAL_UNITS: Mapping[str, str] = {p: ("mg/m³" if p == "co" else "µg/m³") for p in POLLUTANTS}

CEILINGS: Mapping[str, float] = {
    "pm25": 3000.0,
    "pm10": 20000.0,  # dust storms have exceeded 8000 µg/m³ in north China
    "so2": 10000.0,
    "no2": 5000.0,
    "co": 150.0,  # mg/m³
    "o3": 2000.0,
}
"""Generous physical/instrument ceilings in canonical units; a value above is ``impossible``."""

MISSING_MARKERS = frozenset({"", "NA", "NaN", "nan", "null", "-", "—"})
"""Texts meaning "no value" (compared case-insensitively, surrounding blanks ignored)."""

REASONS = ("negative", "impossible", "unparseable", "duplicate", "timezone", "bad_time", "unknown_station")
"""Reason codes of ``AirBatch.rejects``."""

CO_UNIT_SPLIT = 20.0
"""CO as written, in its declared unit: hourly CO is hundreds to thousands in µg/m³ and
about 0.1 to 10 in mg/m³, so 20 separates the two. CO declared µg/m³ whose median (per
file and declared unit) is below 20, or declared mg/m³ whose median is above 20, gets a
:class:`UnitWarning` (code ``co_unit``); the values are still taken as declared."""

STATION_TYPES = ("city", "regional", "background", "source", "traffic", "other")
STATION_COLUMNS = ("code", "name", "name_zh", "region", "lat", "lon", "type")

# (national code, English name, Chinese name, lat, lon). Coordinates are APPROXIMATE: three
# decimals of the widely circulated CNEMC national station list, whose datum (WGS-84 or the
# GCJ-02 offset of Chinese web maps) is not stated -- good to a few hundred metres, for maps only.
BEIJING_STATIONS: tuple[tuple[str, str, str, float, float], ...] = (
    ("1001A", "Wanshouxigong", "万寿西宫", 39.867, 116.366),
    ("1002A", "Dingling", "定陵", 40.287, 116.170),
    ("1003A", "Dongsi", "东四", 39.952, 116.434),
    ("1004A", "Tiantan", "天坛", 39.875, 116.434),
    ("1005A", "Nongzhanguan", "农展馆", 39.972, 116.473),
    ("1006A", "Guanyuan", "官园", 39.943, 116.361),
    ("1007A", "Wanliu", "海淀区万柳", 39.993, 116.315),
    ("1008A", "Shunyi", "顺义新城", 40.144, 116.720),
    ("1009A", "Huairou", "怀柔镇", 40.394, 116.644),
    ("1010A", "Changping", "昌平镇", 40.195, 116.230),
    ("1011A", "Aotizhongxin", "奥体中心", 40.003, 116.407),
    ("1012A", "Gucheng", "古城", 39.928, 116.225),
)

_ALIASES = {"pm2.5": "pm25", **{p: p for p in POLLUTANTS}}
_MISSING_LOWER = frozenset(m.lower() for m in MISSING_MARKERS)
# no \s in these patterns: pandas then runs them in pyarrow (RE2) rather than Python's re;
# the texts are stripped beforehand
_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_TIME = (
    r"^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:[.,]([0-9]+))?)?[ \t]*(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)?$"
)
_HEADER = re.compile(r"^\s*(?P<name>[^\[\(]*?)\s*(?:[\[\(](?P<unit>[^\]\)]*)[\]\)])?\s*$")
_TYPE_ALIASES = {
    "city": "city",
    "城市": "city",
    "城市点": "city",
    "regional": "regional",
    "区域": "regional",
    "区域点": "regional",
    "background": "background",
    "背景": "background",
    "背景点": "background",
    "source": "source",
    "污染源": "source",
    "traffic": "traffic",
    "交通": "traffic",
    "交通点": "traffic",
    "other": "other",
    "其他": "other",
}
REJECT_COLUMNS = ("file", "row", "station", "time", "pollutant", "value", "reason", "time_text")
_YEARS = (1900, 2100)
_BEIJING_TZ = "Asia/Shanghai"

FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class UnitWarning:
    """CO values of one file that do not look like their declared unit.

    They are taken as declared (nothing is guessed: converted, or rejected as
    ``impossible`` above the ceiling); declaring the other unit and loading
    the file again revises them. ``rows`` and ``values`` are the
    rows (numbered as in ``AirBatch.rejects``) whose value lies on the other
    side of :data:`CO_UNIT_SPLIT`, and the values as written; ``total`` is the
    number of CO values of the file in that declared unit, ``median`` their median.
    """

    file: str
    column: str
    declared: str
    likely: str
    median: float
    total: int
    rows: tuple[int, ...]
    values: tuple[str, ...]
    pollutant: str = "co"
    code: str = "co_unit"

    @property
    def count(self) -> int:
        return len(self.rows)

    def message(self, lang: str = "en", show: int = 5) -> str:
        """One line naming the file, the column, the count and the first ``show`` rows."""
        zh = lang == "zh"
        first = list(zip(self.rows[:show], self.values[:show], strict=True))
        more = self.count - len(first)
        side = ("低于" if zh else "below") if self.declared == "µg/m³" else ("高于" if zh else "above")
        if zh:
            sample = "、".join(f"第{r}行 {v}" for r, v in first) + (f" 等，另 {more} 行" if more else "")
            return (
                f"{self.file}：列 {self.column} 的 CO 声明为 {self.declared}，但其 {self.total} 个数值的"
                f"中位数为 {self.median:g}，像是 {self.likely}；{self.count} 个数值{side} "
                f"{CO_UNIT_SPLIT:g}（{sample}）。已按声明单位处理；如确为 {self.likely}，"
                "请声明该单位后重新导入（后一次导入将修订这些数值）"
            )
        sample = ", ".join(f"row {r}: {v}" for r, v in first) + (f", … {more} more" if more else "")
        return (
            f"{self.file}: column {self.column!r}: CO declared {self.declared}, but the median of its "
            f"{self.total} values is {self.median:g}, which looks like {self.likely}; {self.count} values "
            f"{side} {CO_UNIT_SPLIT:g} ({sample}). Taken as declared; if they are {self.likely}, "
            "declare that unit and load the file again (the later load revises them)"
        )

    def to_dict(self, limit: int | None = None) -> dict[str, object]:
        """JSON form; ``rows`` lists at most ``limit`` rows (``count`` says how many there are)."""
        pairs = list(zip(self.rows, self.values, strict=True))[:limit]
        return {
            "code": self.code,
            "file": self.file,
            "column": self.column,
            "pollutant": self.pollutant,
            "declared": self.declared,
            "likely": self.likely,
            "median": self.median,
            "total": self.total,
            "count": self.count,
            "rows": [{"row": r, "value": v} for r, v in pairs],
            "message": self.message("en"),
            "message_zh": self.message("zh"),
        }


@dataclass
class AirBatch:
    """Canonical hourly observations read from one or more files.

    Attributes
    ----------
    hourly
        ``station`` (str), ``time`` (datetime64[ns], naive local time of the
        declared zone, start of the hour) and one float64 column per pollutant
        in :data:`POLLUTANTS` (canonical units; NaN = missing or rejected).
        Unique ``(station, time)``, sorted by station then time.
    stations
        Metadata of the stations, columns :data:`STATION_COLUMNS`: every station
        of the station file (also those without data), the shipped metadata of
        the Beijing stations read, or no rows when no station file was given
        (codes are then accepted as they are; nothing is invented).
    rejects
        One row per rejected value, columns :data:`REJECT_COLUMNS`: ``file``,
        ``row`` (1-based record number, header = 1 for CSV; -1 if unknown),
        ``station``, ``time`` (datetime64[ns] like ``hourly.time``; NaT for
        ``bad_time`` and ``timezone``), ``pollutant``, ``value`` (the cell as
        written), ``reason`` (one of :data:`REASONS`) and ``time_text`` (the
        timestamp as written).
    absent
        Pollutants with no column in any input file (not monitored by design),
        as opposed to missing values.
    files
        The files read, in reading order.
    warnings
        Values kept but suspicious: :class:`UnitWarning` (CO that looks like
        the other unit), in reading order.
    """

    hourly: pd.DataFrame
    stations: pd.DataFrame
    rejects: pd.DataFrame
    absent: frozenset[str]
    files: list[str] = field(default_factory=list)
    warnings: list[UnitWarning] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Number of rejected values per reason code (every code, zeros included)."""
        got = self.rejects["reason"].value_counts()
        return {r: int(got.get(r, 0)) for r in REASONS}

    def summary(self) -> dict[str, object]:
        """Rows, stations, first/last hour, missing share per pollutant, reject counts, absent."""
        h = self.hourly
        n = len(h)
        first = h["time"].min() if n else None
        last = h["time"].max() if n else None
        missing: dict[str, float | None] = {
            p: (None if p in self.absent or n == 0 else float(h[p].isna().mean())) for p in POLLUTANTS
        }
        return {
            "files": len(self.files),
            "rows": n,
            "stations": int(h["station"].nunique()),
            "first": None if first is None else pd.Timestamp(first).isoformat(),
            "last": None if last is None else pd.Timestamp(last).isoformat(),
            "missing_share": missing,
            "rejects": self.counts(),
            "absent": sorted(self.absent),
        }


# --------------------------------------------------------------------------- helpers


@dataclass
class _Column:
    """One pollutant column of a file: raw cells and the conversion to canonical units."""

    raw: pd.Series
    mul: float | FloatArray = 1.0
    div: float | FloatArray = 1.0
    name: str = ""  # the header as written (named in warnings)


@dataclass
class _Acc:
    """What the files read so far have produced."""

    files: list[str] = field(default_factory=list)
    parts: list[pd.DataFrame] = field(default_factory=list)
    rejects: list[pd.DataFrame] = field(default_factory=list)
    given: set[str] = field(default_factory=set)
    warnings: list[UnitWarning] = field(default_factory=list)


def _unit_key(text: str) -> str | None:
    t = text.strip().lower().replace("µ", "u").replace("μ", "u").replace("³", "3").replace(" ", "")
    return {"ug/m3": "ug", "mg/m3": "mg"}.get(t)


def _conversion(pollutant: str, unit: str) -> tuple[float, float]:
    """``(multiplier, divisor)`` from ``unit`` ("ug"/"mg") to the canonical unit."""
    if pollutant == "co":
        return (1.0, 1000.0) if unit == "ug" else (1.0, 1.0)
    return (1000.0, 1.0) if unit == "mg" else (1.0, 1.0)


def _pollutant(text: str) -> str | None:
    return _ALIASES.get(text.strip().lower())


def _map_unique(s: pd.Series, func: Callable[[str], str | None]) -> ObjArray:
    """``func`` applied to each distinct text of ``s`` (None where it gives None)."""
    codes, uniques = pd.factorize(_text(s))
    mapped = np.array([func(str(u)) for u in uniques] + [None], dtype=object)
    return mapped[codes]  # code -1 (none here, as _text has no NaN) would pick the trailing None


def _expand(paths: Sequence[str | Path] | str | Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Files named in ``paths``; a folder stands for its files ending in one of ``suffixes``."""
    items = [paths] if isinstance(paths, str | Path) else list(paths)
    if not items:
        raise ValueError("no input files given")
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.name.lower().endswith(suffixes))
            if not found:
                wanted = " or ".join("*" + s for s in suffixes)
                raise InputFileError(str(item), f"folder has no {wanted} files")
            out.extend(found)
        elif p.is_file():
            out.append(p)
        else:
            raise InputFileError(str(item), "file not found")
    return out


def _read_csv(path: Path, usecols: Callable[[str], bool] | None = None) -> pd.DataFrame:
    """All cells as text (blank cell = ""), headers stripped, blank lines dropped.

    The index is the record number minus 2 (header = record 1), blank lines included.
    """
    name = str(path)
    last: Exception | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            df = pd.read_csv(
                path,
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=False,
                encoding=encoding,
                usecols=(lambda c: usecols(str(c).strip())) if usecols else None,
            )
            break
        except UnicodeDecodeError as exc:
            last = exc
        except pd.errors.EmptyDataError as exc:
            raise InputFileError(name, "empty file: expected a header row") from exc
        except (pd.errors.ParserError, OSError, EOFError, zlib.error, gzip.BadGzipFile, csv.Error) as exc:
            raise InputFileError(name, f"not a readable CSV file ({exc})") from exc
    else:
        raise InputFileError(name, f"not UTF-8 or GB18030 text ({last})")
    df.columns = [str(c).strip() for c in df.columns]
    names = set(df.columns)
    twice = [c for c in df.columns if (m := re.fullmatch(r"(.+)\.[0-9]+", c)) and m.group(1) in names]
    if twice:  # pandas renames a repeated header "co" to "co.1"
        raise InputFileError(
            name,
            [Problem(name, "column given twice", row=1, field=c.rsplit(".", 1)[0]) for c in twice],
        )
    if len(df.columns) and len(df):
        blank = (df.fillna("") == "").all(axis=1).to_numpy()
        if blank.any():
            df = df[~blank]
    return df


def _columns_ci(df: pd.DataFrame) -> dict[str, str]:
    """Lower-cased header -> header as written (first occurrence wins)."""
    out: dict[str, str] = {}
    for c in df.columns:
        out.setdefault(str(c).strip().lower(), str(c))
    return out


def _require(name: str, df: pd.DataFrame, required: Sequence[str]) -> dict[str, str]:
    cols = _columns_ci(df)
    missing = [c for c in required if c not in cols]
    if missing:
        header = ", ".join(str(c) for c in df.columns)
        raise InputFileError(
            name, [Problem(name, f"missing column(s) {', '.join(missing)}; header is {header}", row=1)]
        )
    return cols


def _text(s: pd.Series) -> pd.Series:
    """A column as str dtype; NaN/None become ""."""
    if s.dtype == object or isinstance(s.dtype, pd.StringDtype):
        return s.astype("str").fillna("")
    out = s.astype("str")
    return out.where(s.notna(), "")


def _parse_values(col: _Column, ceiling: float | FloatArray) -> tuple[FloatArray, ObjArray, FloatArray]:
    """Canonical values (NaN if missing or rejected), reason codes (None if accepted/missing)
    and the numbers as written, before conversion and checks (NaN if missing or unparseable)."""
    raw = col.raw
    n = len(raw)
    reasons: ObjArray = np.full(n, None, dtype=object)
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        written = raw.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        text = _text(raw).str.strip()
        missing = text.str.lower().isin(_MISSING_LOWER).to_numpy()
        number = text.str.fullmatch(_NUMBER).to_numpy(dtype=bool, na_value=False) & ~missing
        written = np.full(n, np.nan)
        if number.any():
            written[number] = text[number].astype("float64").to_numpy()
        reasons[~missing & ~number] = "unparseable"
    with np.errstate(invalid="ignore", over="ignore"):
        values = written * col.mul / col.div
        negative = values < 0
        impossible = values > ceiling
    reasons[negative] = "negative"
    reasons[impossible] = "impossible"
    values[negative | impossible] = np.nan
    return values, reasons, written


def _co_unit_warnings(
    file: str,
    col: _Column,
    rows: npt.NDArray[np.int64],
    written: FloatArray,
    given: BoolArray,
    raw: pd.Series,
) -> list[UnitWarning]:
    """CO of one file whose values, per declared unit, sit on the wrong side of :data:`CO_UNIT_SPLIT`."""
    div = np.broadcast_to(np.asarray(col.div, dtype=np.float64), written.shape)
    with np.errstate(invalid="ignore"):
        ok = given & np.isfinite(written) & (written >= 0)
        out = []
        for ug in (True, False):
            mask = ok & ((div == 1000.0) if ug else (div != 1000.0))
            if not mask.any():
                continue
            median = float(np.median(written[mask]))
            if (median >= CO_UNIT_SPLIT) if ug else (median <= CO_UNIT_SPLIT):
                continue
            odd = np.flatnonzero(mask & ((written < CO_UNIT_SPLIT) if ug else (written > CO_UNIT_SPLIT)))
            texts = raw.to_numpy(dtype=object)[odd]
            out.append(
                UnitWarning(
                    file=file,
                    column=col.name or "co",
                    declared="µg/m³" if ug else "mg/m³",
                    likely="mg/m³" if ug else "µg/m³",
                    median=median,
                    total=int(mask.sum()),
                    rows=tuple(int(r) for r in rows[odd]),
                    values=tuple(str(v).strip() for v in texts),
                )
            )
    return out


def _missing_cell(col: _Column) -> BoolArray:
    raw = col.raw
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        return raw.isna().to_numpy()
    return _text(raw).str.strip().str.lower().isin(_MISSING_LOWER).to_numpy()


def _parse_times(text: pd.Series, tz: str) -> tuple[npt.NDArray[np.datetime64], ObjArray]:
    """Naive local start-of-hour times (NaT if rejected) and reasons (``bad_time``/``timezone``/None).

    Distinct texts are parsed once: a year of hours is 8,760 texts however many stations.
    """
    codes, uniques = pd.factorize(_text(text).str.strip())
    u = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    if len(u):
        parts = u.str.extract(_TIME)
        num = [pd.to_numeric(parts[k], errors="coerce").to_numpy(dtype=np.float64) for k in range(6)]
        frac = parts[6].fillna("").str.strip("0").to_numpy(dtype=object) == ""
        times, why = _assemble(
            num[0], num[1], num[2], num[3], num[4], num[5], frac, _offset_minutes(parts[7]), tz
        )
    else:
        times, why = np.empty(0, dtype="datetime64[ns]"), np.empty(0, dtype=object)
    full_times = np.where(codes >= 0, times[codes], np.datetime64("NaT")).astype("datetime64[ns]")
    full_why: ObjArray = np.where(codes >= 0, why[codes], "bad_time").astype(object)
    return full_times, full_why


def _assemble(
    year: FloatArray,
    month: FloatArray,
    day: FloatArray,
    hour: FloatArray,
    minute: FloatArray,
    second: FloatArray,
    frac_zero: BoolArray,
    offset: FloatArray,
    tz: str,
) -> tuple[npt.NDArray[np.datetime64], ObjArray]:
    """Times from components (NaN = not given; seconds and offset may be absent).

    ``bad_time``: a component is missing or not an integer, the date does not
    exist, the year is outside 1900–2100, or the time is not on a whole hour.
    ``timezone``: the offset differs from the declared zone's offset at that instant.
    """
    n = len(year)
    times = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    why: ObjArray = np.full(n, "bad_time", dtype=object)
    with np.errstate(invalid="ignore"):
        whole = np.ones(n, dtype=bool)
        for a in (year, month, day, hour):
            whole &= np.floor(a) == a
        ok = (
            whole
            & (year >= _YEARS[0])
            & (year <= _YEARS[1])
            & (hour >= 0)
            & (hour <= 23)
            & (minute == 0)
            & (np.isnan(second) | (second == 0))
            & frac_zero
        )
    if ok.any():
        stamp = pd.to_datetime(
            pd.DataFrame({"year": year[ok], "month": month[ok], "day": day[ok], "hour": hour[ok]}),
            errors="coerce",
        )
        times[ok] = stamp.to_numpy(dtype="datetime64[ns]")
    ok &= ~np.isnat(times)
    why[ok] = None
    check = ok & ~np.isnan(offset)
    if check.any():
        wall = pd.DatetimeIndex(times[check])
        utc = wall - pd.to_timedelta(offset[check], unit="min")
        local = utc.tz_localize("UTC").tz_convert(tz).tz_localize(None)
        declared = (local - utc).total_seconds().to_numpy() / 60.0
        wrong = np.flatnonzero(check)[declared != offset[check]]
        why[wrong] = "timezone"
        times[wrong] = np.datetime64("NaT")
    return times, why


def _offset_minutes(off: pd.Series) -> FloatArray:
    """Minutes east of UTC for ``Z``/``+08:00``/``+0800``/``+08``; NaN when absent."""
    s = off.fillna("").astype("str")
    out = np.full(len(s), np.nan)
    z = s.str.upper().to_numpy(dtype=object) == "Z"
    out[z] = 0.0
    has = (s.str.len().to_numpy() >= 3) & ~z
    if has.any():
        t = s[has].str.replace(":", "", regex=False)
        hh = pd.to_numeric(t.str.slice(1, 3)).to_numpy(dtype=np.float64)
        mm = pd.to_numeric(t.str.slice(3, 5).replace("", "0")).to_numpy(dtype=np.float64)
        sign = np.where(t.str.startswith("-").to_numpy(dtype=bool), -1.0, 1.0)
        out[has] = sign * (hh * 60 + mm)
    return out


def _datetimes(s: pd.Series, tz: str) -> tuple[npt.NDArray[np.datetime64], ObjArray, pd.Series]:
    """Times, reasons and time texts of a datetime64 column (Parquet timestamps)."""
    text = _text(s)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        utc = s.dt.tz_convert("UTC").dt.tz_localize(None)
        own = s.dt.tz_localize(None)
        local = s.dt.tz_convert(tz).dt.tz_localize(None)
        wrong = ((own - utc) != (local - utc)).to_numpy(dtype=bool, na_value=False)
        wall = own.to_numpy(dtype="datetime64[ns]")
    else:
        wrong = np.zeros(len(s), dtype=bool)
        wall = s.to_numpy(dtype="datetime64[ns]")
    why: ObjArray = np.full(len(s), None, dtype=object)
    nat = np.isnat(wall)
    whole = wall == wall.astype("datetime64[h]").astype("datetime64[ns]")
    year = wall.astype("datetime64[Y]").astype(np.int64) + 1970
    why[wrong] = "timezone"
    why[nat | ~whole | (year < _YEARS[0]) | (year > _YEARS[1])] = "bad_time"
    wall = np.where(pd.isna(why), wall, np.datetime64("NaT")).astype("datetime64[ns]")
    return wall, why, text


def _reject_frame(
    file: str,
    rows: npt.ArrayLike,
    station: npt.ArrayLike,
    time: npt.ArrayLike,
    time_text: npt.ArrayLike,
    pollutant: str,
    value: npt.ArrayLike,
    reason: str | npt.ArrayLike,
) -> pd.DataFrame:
    rows_a = np.asarray(rows, dtype=np.int64)
    n = len(rows_a)
    return pd.DataFrame(
        {
            "file": pd.Series([file] * n, dtype="str"),
            "row": rows_a,
            "station": pd.Series(np.asarray(station, dtype=object), dtype="str"),
            "time": np.asarray(time, dtype="datetime64[ns]"),
            "pollutant": pd.Series([pollutant] * n, dtype="str"),
            "value": pd.Series(np.asarray(value, dtype=object), dtype="str"),
            "reason": pd.Series(np.broadcast_to(np.asarray(reason, dtype=object), n), dtype="str"),
            "time_text": pd.Series(np.asarray(time_text, dtype=object), dtype="str"),
        }
    )


def _empty_rejects() -> pd.DataFrame:
    return _reject_frame("", [], [], [], [], "", [], [])


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


def _stations_arg(stations: str | Path | pd.DataFrame | None) -> pd.DataFrame | None:
    if stations is None:
        return None
    if isinstance(stations, pd.DataFrame):
        return stations
    return read_stations(stations)


def _station_check(codes: pd.Series, known: pd.DataFrame | None) -> BoolArray:
    ok = (codes != "").to_numpy(dtype=bool)
    if known is not None:
        ok = ok & codes.isin(set(known["code"])).to_numpy(dtype=bool)
    return ok


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


def _known_stations(known: pd.DataFrame | None) -> pd.DataFrame:
    """The station table of a batch: the station file, or nothing (no metadata is invented)."""
    if known is not None:
        return known
    return _station_frame({c: [] for c in STATION_COLUMNS})


def _station_frame(cols: Mapping[str, Sequence[object]]) -> pd.DataFrame:
    out = pd.DataFrame({c: cols[c] for c in STATION_COLUMNS})
    for c in ("code", "name", "name_zh", "region", "type"):
        out[c] = out[c].astype("str")
    for c in ("lat", "lon"):
        out[c] = out[c].astype("float64")
    return out


def _check_region(region: str | None) -> None:
    if region is not None and not (len(region) == 6 and region.isascii() and region.isdigit()):
        raise ValueError(f"region must be a six-digit GB/T 2260 code, not {region!r}")


def _check_tz(tz: str) -> None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {tz!r} (use an IANA name such as Asia/Shanghai)") from exc


def _declared_units(units: Mapping[str, str] | None) -> dict[str, str]:
    out: dict[str, str] = {}
    bad: list[str] = []
    for k, v in (units or {}).items():
        p, u = _pollutant(k), _unit_key(v)
        if p is None or u is None:
            bad.append(f"{k}={v}")
        else:
            out[p] = u
    if bad:
        raise ValueError(
            f"bad unit declaration(s) {', '.join(bad)}: pollutants are {', '.join(POLLUTANTS)}, "
            "units ug/m3 or mg/m3"
        )
    return out


def _wide_columns(name: str, df: pd.DataFrame, units: Mapping[str, str]) -> dict[str, _Column]:
    """Pollutant columns of a wide table with their unit conversion; other columns are ignored."""
    problems: list[Problem] = []
    found: dict[str, _Column] = {}
    header_of: dict[str, str] = {}
    for c in df.columns:
        m = _HEADER.match(str(c))
        if m is None:
            continue
        p = _pollutant(m.group("name"))
        if p is None:
            continue
        if p in found:
            problems.append(
                Problem(name, f"{p} given twice (columns {header_of[p]!r} and {c!r})", row=1, field=str(c))
            )
            continue
        unit_text = m.group("unit")
        unit: str | None = None
        if unit_text is not None:
            unit = _unit_key(unit_text)
            if unit is None:
                problems.append(
                    Problem(name, "unknown unit (use ug/m3 or mg/m3)", row=1, field=str(c), text=unit_text)
                )
                continue
            if p in units and units[p] != unit:
                problems.append(
                    Problem(
                        name,
                        f"unit of {p} declared twice: header says {unit_text.strip()}, "
                        f"--unit says {units[p]}/m3",
                        row=1,
                        field=str(c),
                    )
                )
                continue
        else:
            unit = units.get(p)
        if unit is None:
            if p == "co":
                problems.append(
                    Problem(
                        name,
                        "unit of co not declared; write co[mg/m3] in the header or pass --unit co=mg/m3",
                        row=1,
                        field=str(c),
                    )
                )
                continue
            unit = "ug"
        mul, div = _conversion(p, unit)
        found[p] = _Column(df[c], mul, div, name=str(c))
        header_of[p] = str(c)
    if problems:
        raise InputFileError(name, problems)
    return found


def _add_wide(
    acc: _Acc,
    name: str,
    df: pd.DataFrame,
    rows: npt.NDArray[np.int64],
    units: Mapping[str, str],
    known: pd.DataFrame | None,
    tz: str,
) -> None:
    cols = _require(name, df, ("station", "time"))
    columns = _wide_columns(name, df, units)
    station = _text(df[cols["station"]]).str.strip()
    tcol = df[cols["time"]]
    if pd.api.types.is_datetime64_any_dtype(tcol.dtype):
        times, why, ttext = _datetimes(tcol, tz)
    else:
        ttext = _text(tcol)
        times, why = _parse_times(ttext, tz)
    acc_station_ok = _station_check(station, known)
    _add_rows(
        acc,
        file=name,
        rows=rows,
        station=station,
        station_ok=acc_station_ok,
        time_text=ttext,
        times=times,
        time_why=why,
        columns=columns,
    )


# --------------------------------------------------------------------------- public readers


def read_stations(path: str | Path) -> pd.DataFrame:
    """Read a station file (CSV or XLSX).

    Columns ``code``, ``name``, ``region`` (six-digit GB/T 2260 code) are
    required; ``name_zh``, ``lat``, ``lon``, ``type`` are optional (``type``
    defaults to ``city``; one of :data:`STATION_TYPES`, Chinese 城市/区域/背景/
    污染源/交通/其他 accepted).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STATION_COLUMNS`, in file order.

    Raises
    ------
    InputFileError
        Listing every problem with its row: missing column, empty code or
        name, duplicate code, region not six digits, lat/lon not a number or
        out of range, unknown type.
    """
    name = str(path)
    header, rows = read_table(path)
    lower = {h.lower(): h for h in header if h}
    missing = [c for c in ("code", "name", "region") if c not in lower]
    if missing:
        raise InputFileError(
            name,
            [Problem(name, f"missing column(s) {', '.join(missing)}; header is {', '.join(header)}", row=1)],
        )
    problems: list[Problem] = []
    out: dict[str, list[Any]] = {c: [] for c in STATION_COLUMNS}
    first_row: dict[str, int] = {}
    for rownum, r in rows:

        def get(col: str, _r: dict[str, str] = r) -> str:
            h = lower.get(col)
            return _r.get(h, "").strip() if h else ""

        def bad(col: str, reason: str, _row: int = rownum) -> None:
            problems.append(Problem(name, reason, row=_row, field=col, text=get(col)))

        code = get("code")
        if not code:
            bad("code", "empty station code")
        elif code in first_row:
            bad("code", f"duplicate station code (first given in row {first_row[code]})")
        else:
            first_row[code] = rownum
        if not get("name"):
            bad("name", "empty station name")
        region = get("region")
        if not (len(region) == 6 and region.isascii() and region.isdigit()):
            bad("region", "region must be a six-digit GB/T 2260 code")
        coords: dict[str, float] = {}
        for col, limit in (("lat", 90.0), ("lon", 180.0)):
            text = get(col)
            if not text:
                coords[col] = math.nan
                continue
            try:
                v = float(text)
            except ValueError:
                bad(col, "not a number")
                continue
            if not -limit <= v <= limit:
                bad(col, f"out of range (-{limit:g} to {limit:g})")
            coords[col] = v
        type_text = get("type")
        st = _TYPE_ALIASES.get(type_text.lower()) if type_text else "city"
        if st is None:
            bad("type", f"unknown station type (one of {', '.join(STATION_TYPES)})")
        out["code"].append(code)
        out["name"].append(get("name"))
        out["name_zh"].append(get("name_zh"))
        out["region"].append(region)
        out["lat"].append(coords.get("lat", math.nan))
        out["lon"].append(coords.get("lon", math.nan))
        out["type"].append(st)
    if not rows:
        problems.append(Problem(name, "no stations: the file has a header but no rows"))
    if problems:
        raise InputFileError(name, problems)
    return _station_frame(out)


def read_beijing_multisite(paths: Sequence[str | Path] | str | Path, *, region: str = "110000") -> AirBatch:
    """Read UCI "Beijing Multi-Site Air-Quality" files (``*.csv`` / ``*.csv.gz``; folders allowed).

    CO is given in µg/m³ by this format and is converted to mg/m³. ``hour``
    (0–23, Asia/Shanghai) is taken as the start of the hour. Stations are
    identified by English name (Chinese name or national code also accepted)
    and stored under their national code (``1001A`` …); a name that is not one
    of the 12 national-control stations is rejected as ``unknown_station``.

    Parameters
    ----------
    paths
        Files or folders.
    region
        GB/T 2260 code given to the stations (default Beijing, 110000).

    Raises
    ------
    InputFileError
        A file is missing, unreadable or lacks a year/month/day/hour/station column.
    """
    _check_region(region)
    files = _expand(paths, (".csv", ".csv.gz"))
    lookup: dict[str, str] = {}
    for code, en, zh, _lat, _lon in BEIJING_STATIONS:
        lookup.update({code.lower(): code, en.lower(): code, zh: code})
    wanted = {"year", "month", "day", "hour", "station", *(k for k in _ALIASES)}
    acc = _Acc()
    for path in files:
        name = str(path)
        df = _read_csv(path, usecols=lambda c: c.lower() in wanted)
        cols = _require(name, df, ("year", "month", "day", "hour", "station"))
        rows = df.index.to_numpy(dtype=np.int64) + 2
        ymdh = [_text(df[cols[k]]).str.strip() for k in ("year", "month", "day", "hour")]
        ttext = ymdh[0] + "-" + ymdh[1] + "-" + ymdh[2] + " " + ymdh[3] + ":00"
        y, mo, d, h = (pd.to_numeric(c, errors="coerce").to_numpy(dtype=np.float64) for c in ymdh)
        zero, whole = np.zeros(len(df)), np.ones(len(df), dtype=bool)
        times, why = _assemble(y, mo, d, h, zero, zero, whole, zero + np.nan, _BEIJING_TZ)
        raw_station = _text(df[cols["station"]]).str.strip()
        mapped = _map_unique(raw_station, lambda s: lookup.get(s.lower()))
        ok = ~pd.isna(mapped)
        station = pd.Series(np.where(ok, mapped, raw_station.to_numpy(dtype=object)), dtype="str")
        columns: dict[str, _Column] = {}
        for c in df.columns:
            p = _pollutant(c)
            if p is not None and p not in columns:
                columns[p] = _Column(df[c], *_conversion(p, "ug"), name=str(c))
        _add_rows(
            acc,
            file=name,
            rows=rows,
            station=station,
            station_ok=ok,
            time_text=ttext,
            times=times,
            time_why=why,
            columns=columns,
        )
    seen = {str(c) for part in acc.parts for c in part["station"].unique()}
    meta = [s for s in BEIJING_STATIONS if s[0] in seen]
    stations = _station_frame(
        {
            "code": [s[0] for s in meta],
            "name": [s[1] for s in meta],
            "name_zh": [s[2] for s in meta],
            "region": [region] * len(meta),
            "lat": [s[3] for s in meta],
            "lon": [s[4] for s in meta],
            "type": ["city"] * len(meta),
        }
    )
    return _finish(acc, stations)


def read_long_csv(
    paths: Sequence[str | Path] | str | Path,
    *,
    stations: str | Path | pd.DataFrame | None = None,
    tz: str = "Asia/Shanghai",
) -> AirBatch:
    """Read long CSV files: one value per row, ``station, time, pollutant, value, unit``.

    ``unit`` is required on every row that has a value (µg/m³, ug/m3, μg/m3,
    ug/m³, mg/m³, mg/m3); values are converted to canonical units. A pollutant
    that appears in no row of any file is ``absent``.

    Parameters
    ----------
    paths
        Files (``.csv``, ``.csv.gz``) or folders.
    stations
        A station file (see :func:`read_stations`) or its parsed table; codes not
        in it are rejected as ``unknown_station``.
    tz
        IANA time zone of the times (naive times are in it; offsets must match it).

    Raises
    ------
    InputFileError
        Missing column, unknown pollutant name, missing or unknown unit (every
        bad row listed), unreadable file.
    """
    _check_tz(tz)
    known = _stations_arg(stations)
    acc = _Acc()
    for path in _expand(paths, (".csv", ".csv.gz")):
        name = str(path)
        df = _read_csv(path)
        cols = _require(name, df, ("station", "time", "pollutant", "value", "unit"))
        rows = df.index.to_numpy(dtype=np.int64) + 2
        pol = pd.Series(_map_unique(df[cols["pollutant"]], _pollutant))
        unit = pd.Series(_map_unique(df[cols["unit"]], _unit_key))
        value = df[cols["value"]]
        value_missing = value.str.strip().str.lower().isin(_MISSING_LOWER).to_numpy()
        problems: list[Problem] = []
        for i in np.flatnonzero(pol.isna().to_numpy()):
            problems.append(
                Problem(
                    name,
                    f"unknown pollutant (one of {', '.join(POLLUTANTS)}; PM2.5 accepted)",
                    row=int(rows[i]),
                    field=cols["pollutant"],
                    text=str(df[cols["pollutant"]].iat[int(i)]),
                )
            )
        for i in np.flatnonzero(unit.isna().to_numpy() & ~value_missing):
            text = str(df[cols["unit"]].iat[int(i)])
            problems.append(
                Problem(
                    name,
                    "unit not declared: every value needs ug/m3 or mg/m3"
                    if not text.strip()
                    else "unknown unit (use ug/m3 or mg/m3)",
                    row=int(rows[i]),
                    field=cols["unit"],
                    text=text,
                )
            )
        if problems:
            raise InputFileError(name, problems)
        pol_a = pol.to_numpy(dtype=object)
        unit_a = unit.fillna("ug").to_numpy(dtype=object)
        station = df[cols["station"]].str.strip()
        ttext = df[cols["time"]]
        times, why = _parse_times(ttext, tz)
        station_ok = _station_check(station, known)
        columns: dict[str, _Column] = {}
        given: dict[str, BoolArray] = {}
        for p in POLLUTANTS:
            mask = pol_a == p
            if not mask.any():
                continue
            mul = np.ones(len(df))
            div = np.ones(len(df))
            for u in ("ug", "mg"):
                m, d = _conversion(p, u)
                mul[mask & (unit_a == u)] = m
                div[mask & (unit_a == u)] = d
            # cells of other pollutants are blank in this column: missing, not given
            columns[p] = _Column(value.where(mask, ""), mul, div, name=cols["value"])
            given[p] = mask
        _add_rows(
            acc,
            file=name,
            rows=rows,
            station=station,
            station_ok=station_ok,
            time_text=ttext,
            times=times,
            time_why=why,
            columns=columns,
            given=given,
        )
    return _finish(acc, _known_stations(known))


def read_wide_csv(
    paths: Sequence[str | Path] | str | Path,
    *,
    units: Mapping[str, str] | None = None,
    stations: str | Path | pd.DataFrame | None = None,
    tz: str = "Asia/Shanghai",
) -> AirBatch:
    """Read wide CSV files: ``station, time`` and any of the pollutant columns.

    A pollutant header may carry its unit in brackets (``co[mg/m3]``,
    ``PM2.5[ug/m3]``, ``PM2.5(μg/m³)``); otherwise ``units`` declares it
    (``{"co": "mg/m3"}``). An undeclared unit means µg/m³, except for CO,
    whose unit must be declared. Columns that are not pollutants are ignored.
    ``stations`` and ``tz`` are as in :func:`read_long_csv`.

    Raises
    ------
    InputFileError
        Missing ``station``/``time`` column, undeclared CO unit, unknown or
        conflicting unit, a pollutant given twice, unreadable file.
    ValueError
        ``units`` names an unknown pollutant or unit, or ``tz`` is unknown.
    """
    _check_tz(tz)
    declared = _declared_units(units)
    known = _stations_arg(stations)
    acc = _Acc()
    for path in _expand(paths, (".csv", ".csv.gz")):
        df = _read_csv(path)
        _add_wide(acc, str(path), df, df.index.to_numpy(dtype=np.int64) + 2, declared, known, tz)
    return _finish(acc, _known_stations(known))


def read_parquet_hourly(
    paths: Sequence[str | Path] | str | Path,
    *,
    units: Mapping[str, str] | None = None,
    stations: str | Path | pd.DataFrame | None = None,
    tz: str = "Asia/Shanghai",
) -> AirBatch:
    """Read Parquet files with the columns of a wide CSV (see :func:`read_wide_csv`).

    Value columns may be numeric or text; ``time`` may be text or a timestamp
    (a time-zone-aware timestamp must be in a zone with the declared offset).
    ``row`` in rejects is the 1-based record number (Parquet has no header row).
    Folders stand for their ``*.parquet`` / ``*.pq`` files.
    """
    _check_tz(tz)
    declared = _declared_units(units)
    known = _stations_arg(stations)
    acc = _Acc()
    for path in _expand(paths, (".parquet", ".pq")):
        name = str(path)
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises many kinds for a bad file
            raise InputFileError(name, f"not a readable Parquet file ({exc})") from exc
        df = df.reset_index(drop=True)
        df.columns = [str(c).strip() for c in df.columns]
        _add_wide(acc, name, df, df.index.to_numpy(dtype=np.int64) + 1, declared, known, tz)
    return _finish(acc, _known_stations(known))
