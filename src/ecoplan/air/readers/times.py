"""Timestamps of the hourly readers: text, date components and Parquet timestamps to
naive local start-of-hour times, with the reason when a time is rejected.

A ``time`` is ``YYYY-MM-DD HH:MM[:SS]`` (``T`` or a space between date and time,
``/`` accepted in the date), optionally followed by ``Z`` or a UTC offset
(``+08:00``, ``+0800``, ``+08``). Naive times are in the declared time zone
(``tz``, default Asia/Shanghai); a time whose offset differs from that zone's
offset at that instant is rejected as ``timezone``; a missing or non-integer
component, a date that does not exist, a year outside 1900–2100 or a time not on
a whole hour as ``bad_time``. Times are stored naive, in local time of the zone,
and label the START of the hour. Internal to :mod:`ecoplan.air.readers`.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecoplan.air.readers.batch import (
    BoolArray,
    FloatArray,
    ObjArray,
)
from ecoplan.air.readers.parsing import (
    _text,
)

# no \s in this pattern: pandas then runs it in pyarrow (RE2) rather than Python's re;
# the texts are stripped beforehand
_TIME = (
    r"^([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:[.,]([0-9]+))?)?[ \t]*(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)?$"
)


_YEARS = (1900, 2100)


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


def _check_tz(tz: str) -> None:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {tz!r} (use an IANA name such as Asia/Shanghai)") from exc
