"""Exceptional events (例外事件): city-days whose data are deducted in assessment.

HJ 663—2026 introduces exceptional events (MEE, 2026-02); its text was not
available to this project, so the file format follows the sand-dust practice of
环办监测〔2016〕120号: CNEMC identifies the affected region and period and the
affected pollutants' data are deducted.

Columns: ``region`` (GB/T 2260), ``start`` (YYYY-MM-DD), optional ``end``
(inclusive; default = start), ``kind`` (``dust`` 沙尘, ``fireworks`` 烟花爆竹,
``wildfire`` 火灾, ``other``), optional ``pollutants`` (comma- or space-separated;
default: PM10 and PM2.5 for dust, all six otherwise), ``approved`` (yes/no;
default yes — only approved events are deducted), ``note``.
Every bad row is reported; a file with a bad row imports nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Set
from pathlib import Path

import pandas as pd

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.ingest.tables import read_table

__all__ = ["EVENT_KINDS", "read_events"]

EVENT_KINDS = ("dust", "fireworks", "wildfire", "other")
_POLL = {"pm2.5": "pm25", "pm25": "pm25", "pm10": "pm10", "so2": "so2", "no2": "no2", "co": "co", "o3": "o3"}
_ALL = ("pm25", "pm10", "so2", "no2", "co", "o3")
_YES = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "是": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "否": False,
    "": True,
}


def read_events(path: str | Path, regions: Set[str]) -> pd.DataFrame:
    """One row per (region, day, kind): ``region, day, kind, approved, note`` and a
    boolean column per pollutant. Raises :class:`InputFileError` listing every bad row."""
    name = str(path)
    header, rows = read_table(path)
    missing = [c for c in ("region", "start", "kind") if c not in header]
    if missing:
        raise InputFileError(name, [Problem(name, f"missing column(s) {', '.join(missing)}", row=1)])
    problems: list[Problem] = []
    out: list[dict[str, object]] = []
    for rownum, r in rows:

        def bad(field: str, reason: str, _row: int = rownum, _r: dict[str, str] = r) -> None:
            problems.append(Problem(name, reason, row=_row, field=field, text=_r.get(field, "")))

        region = r["region"].strip()
        if region not in regions:
            bad("region", "unknown region code (GB/T 2260, six digits)")
        try:
            start = dt.date.fromisoformat(r["start"].strip())
        except ValueError:
            bad("start", "expected a date YYYY-MM-DD")
            continue
        end = start
        if r.get("end", "").strip():
            try:
                end = dt.date.fromisoformat(r["end"].strip())
            except ValueError:
                bad("end", "expected a date YYYY-MM-DD")
                continue
        if end < start:
            bad("end", f"before start {start}")
            continue
        if (end - start).days > 31:
            bad("end", "an event longer than 31 days; split it or check the dates")
            continue
        kind = r["kind"].strip().lower()
        if kind not in EVENT_KINDS:
            bad("kind", f"expected one of {', '.join(EVENT_KINDS)}")
            continue
        text = r.get("pollutants", "").strip()
        if text:
            names = [t for t in re.split(r"[,\s，、]+", text.lower()) if t]
            unknown = [t for t in names if t not in _POLL]
            if unknown:
                bad("pollutants", f"unknown pollutant(s) {', '.join(unknown)}")
                continue
            polls = {_POLL[t] for t in names}
        else:
            polls = {"pm25", "pm10"} if kind == "dust" else set(_ALL)
        appr = r.get("approved", "").strip().lower()
        if appr not in _YES:
            bad("approved", "expected yes or no")
            continue
        day = start
        while day <= end:
            out.append(
                {
                    "region": region,
                    "day": day,
                    "kind": kind,
                    "approved": _YES[appr],
                    "note": r.get("note", "").strip() or None,
                    **{p: p in polls for p in _ALL},
                }
            )
            day += dt.timedelta(days=1)
    if problems:
        raise InputFileError(name, problems)
    cols = ["region", "day", "kind", "approved", "note", *_ALL]
    return pd.DataFrame(out, columns=cols)
