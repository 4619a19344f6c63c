"""The canonical batch every hourly reader returns, and the vocabulary it is written in.

:class:`AirBatch` holds hourly observations of the six pollutants (PM2.5, PM10,
SO2, NO2, CO, O3) in canonical units — µg/m³, except CO in mg/m³ (HJ 633-2012) —
one row per station-hour, naive local times labelling the START of the hour.
Nothing is lost silently: every value that does not reach ``AirBatch.hourly`` is
a row of ``AirBatch.rejects`` (:func:`_reject_frame`, columns
:data:`REJECT_COLUMNS`) with one of the reason codes in :data:`REASONS`; values
kept but suspicious (CO that looks like the other unit, :data:`CO_UNIT_SPLIT`)
are :class:`UnitWarning` entries of ``AirBatch.warnings``. See ``docs/air-input.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "CANONICAL_UNITS",
    "CEILINGS",
    "CO_UNIT_SPLIT",
    "MISSING_MARKERS",
    "POLLUTANTS",
    "POLLUTANT_NAMES",
    "REASONS",
    "REJECT_COLUMNS",
    "STATION_COLUMNS",
    "STATION_TYPES",
    "AirBatch",
    "UnitWarning",
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

POLLUTANT_NAMES: Mapping[str, str] = {
    "PM2.5": "pm25",
    "PM10": "pm10",
    "SO2": "so2",
    "NO2": "no2",
    "CO": "co",
    "O3": "o3",
}
"""Pollutant names as monitoring networks write them -> canonical names. Readers match
them case-insensitively and accept the canonical names (``pm25``) too."""

REJECT_COLUMNS = ("file", "row", "station", "time", "pollutant", "value", "reason", "time_text")

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


def _station_frame(cols: Mapping[str, Sequence[object]]) -> pd.DataFrame:
    out = pd.DataFrame({c: cols[c] for c in STATION_COLUMNS})
    for c in ("code", "name", "name_zh", "region", "type"):
        out[c] = out[c].astype("str")
    for c in ("lat", "lon"):
        out[c] = out[c].astype("float64")
    return out
