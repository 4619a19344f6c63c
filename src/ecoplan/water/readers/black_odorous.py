"""Urban black and odorous water bodies (城市黑臭水体): the register and point measurements.

The register (CSV or an XLSX sheet, :data:`BODY_COLUMNS`): ``code`` (the water body id),
``name``, ``region`` (GB/T 2260 code of the city or county), ``area`` — the built-up area
it lies in: ``prefecture`` (地级及以上城市建成区) or ``county`` (县级城市建成区) —
and ``listed_year`` (the year it was listed, 1900–2100). A bad register is an
:class:`~ecoplan.core.errors.InputFileError` listing every problem (file, row, field,
the cell and why; words ``water.black_odorous.problem.*``).

Measurements (:data:`POINT_COLUMNS`), one row per point and date: ``body``, ``point``
(the point id; points are ordered along the body by ``order`` when given, else by id),
``date``, and the four indicators of the 指南's 表1 with their units in the column
name — ``sd_cm`` (透明度, cm), ``do_mg_l`` (溶解氧, mg/L), ``orp_mv`` (氧化还原电位, mV),
``nh3n_mg_l`` (氨氮, mg/L) — and ``depth_cm`` (水深, cm; the 表1 footnote lowers the SD
thresholds below 25 cm). The Chinese headers with the unit (``透明度(cm)``,
``溶解氧(mg/L)``, ``氧化还原电位(mV)``, ``氨氮(mg/L)``, ``水深(cm)``) are read too; a
header giving another unit is refused (units are declared, never guessed).

Each cell is checked as the sample readers do (reason codes of
:data:`~.batch.REASONS`): ``unparseable``, ``negative`` (all but ORP), ``impossible``
(:data:`CEILINGS`), ``bad_time``, ``unknown_station`` (a body the register does not
hold) and ``duplicate`` (the later row of a body, point, date and item wins).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ecoplan.core.errors import InputFileError, Problem
from ecoplan.core.regions import is_known_region
from ecoplan.water.readers.accumulate import rejects_frame
from ecoplan.water.readers.batch import REJECT_COLUMNS
from ecoplan.water.readers.drinking import problem_word
from ecoplan.water.readers.parsing import (
    Number,
    Sources,
    expand,
    name_of,
    parse_number,
    parse_time,
    read_tables,
)

__all__ = [
    "AREAS",
    "BODY_COLUMNS",
    "CEILINGS",
    "ITEMS",
    "MEASURE_COLUMNS",
    "POINT_COLUMNS",
    "BlackOdorousBatch",
    "read_black_odorous",
    "read_bodies",
]

BODY_COLUMNS: tuple[str, ...] = ("code", "name", "region", "area", "listed_year")
AREAS: tuple[str, ...] = ("prefecture", "county")
#: Indicator -> measurement column (unit in the name).
ITEMS: Mapping[str, str] = {
    "SD": "sd_cm", "DO": "do_mg_l", "ORP": "orp_mv", "NH3N": "nh3n_mg_l", "depth": "depth_cm",
}  # fmt: skip
POINT_COLUMNS: tuple[str, ...] = ("body", "point", "date", *ITEMS.values())
#: The stored measurements, long form: one value per body, point, date and item.
MEASURE_COLUMNS: tuple[str, ...] = ("body", "point", "seq", "date", "item", "value")
#: Ceilings (canonical units); above → ``impossible`` (typing or unit slips).
CEILINGS: Mapping[str, float] = {"SD": 1000.0, "DO": 50.0, "ORP": 1000.0, "NH3N": 1000.0, "depth": 5000.0}

_AREA: Mapping[str, str] = {
    "prefecture": "prefecture", "地级": "prefecture", "地级及以上": "prefecture",
    "地级城市": "prefecture", "地级及以上城市": "prefecture", "市区": "prefecture",
    "county": "county", "县级": "county", "县级城市": "county", "县城": "county",
}  # fmt: skip
_ZH: Mapping[str, tuple[str, str]] = {
    "透明度": ("sd_cm", "cm"), "溶解氧": ("do_mg_l", "mg/l"), "氧化还原电位": ("orp_mv", "mv"),
    "氨氮": ("nh3n_mg_l", "mg/l"), "水深": ("depth_cm", "cm"),
}  # fmt: skip
_HEAD = re.compile(r"^\s*([^()（）]+?)\s*[（(]\s*([^()（）]*?)\s*[)）]\s*$")


@dataclass
class BlackOdorousBatch:
    """Bodies (:data:`BODY_COLUMNS`), measurements (:data:`MEASURE_COLUMNS`), rejects
    (:data:`~.batch.REJECT_COLUMNS`; ``station`` holds the body) and the files read."""

    bodies: pd.DataFrame
    measures: pd.DataFrame
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(REJECT_COLUMNS)))
    files: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Rejected values per reason code (only the codes that occur)."""
        return {str(k): int(v) for k, v in self.rejects["reason"].value_counts().sort_index().items()}


def _why(code: str) -> str:
    return problem_word(f"water.black_odorous.problem.{code}")


def read_bodies(sources: Sources) -> pd.DataFrame:
    """The register of ``sources`` (:data:`BODY_COLUMNS`, sorted by code); raises
    ``InputFileError`` listing every bad row (module doc)."""
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for item in expand(sources):
        problems: list[Problem] = []
        for t in read_tables(item):
            lower = [h.lower() for h in t.header]
            pos = {h: lower.index(h) for h in BODY_COLUMNS if h in lower}
            missing = [c for c in BODY_COLUMNS if c not in pos]
            if missing:
                problems.append(Problem(t.name, _why("columns") + ": " + ", ".join(missing), row=1))
                continue
            for r, rec in zip(t.rows, t.cells.itertuples(index=False), strict=True):
                cell = {c: str(rec[pos[c]]).strip() for c in BODY_COLUMNS}

                def bad(
                    col: str, code: str, r: int = int(r), cell: dict[str, str] = cell, name: str = t.name,
                    problems: list[Problem] = problems,
                ) -> None:  # fmt: skip
                    problems.append(Problem(name, _why(code), row=r, field=col, text=cell[col]))

                if not cell["code"]:
                    bad("code", "empty")
                elif cell["code"] in seen:
                    bad("code", "twice")
                seen.add(cell["code"])
                if not cell["name"]:
                    bad("name", "empty")
                if not is_known_region(cell["region"]):
                    bad("region", "region")
                area = _AREA.get(cell["area"].lower())
                if area is None:
                    bad("area", "area")
                y = cell["listed_year"]
                if not (y.isdigit() and 1900 <= int(y) <= 2100):
                    bad("listed_year", "year")
                rows.append(
                    {"code": cell["code"], "name": cell["name"], "region": cell["region"], "area": area,
                     "listed_year": int(y) if y.isdigit() else 0}
                )  # fmt: skip
        if problems:
            raise InputFileError(name_of(item), problems)
    df = pd.DataFrame(rows, columns=list(BODY_COLUMNS))
    df["listed_year"] = df["listed_year"].astype("int64")
    return df.sort_values("code", kind="stable").reset_index(drop=True)


def _positions(t: Any) -> dict[str, int]:
    """Canonical column -> position; a Chinese header with a wrong unit raises."""
    pos: dict[str, int] = {}
    for i, h in enumerate(t.header):
        low = h.strip().lower()
        if low in (*POINT_COLUMNS, "order"):
            pos.setdefault(low, i)
            continue
        m = _HEAD.match(h)
        name = m.group(1) if m else h.strip()
        if name in _ZH:
            canon, unit = _ZH[name]
            given = (m.group(2) if m else "").replace(" ", "").lower().replace("毫克/升", "mg/l")
            if given != unit:
                raise InputFileError(
                    t.name, [Problem(t.name, _why("unit") + f" ({unit})", row=1, field=h, text=h)]
                )
            pos.setdefault(canon, i)
    missing = [c for c in ("body", "point", "date") if c not in pos]
    if missing or not any(c in pos for c in ITEMS.values()):
        shown = ", ".join(missing) or ", ".join(ITEMS.values())
        raise InputFileError(t.name, [Problem(t.name, _why("columns") + ": " + shown, row=1)])
    return pos


def read_black_odorous(sources: Sources, *, bodies: pd.DataFrame | None = None) -> BlackOdorousBatch:
    """Point measurements of ``sources`` (module doc). With ``bodies`` (a register), a body
    it does not hold is an ``unknown_station`` reject. Raises ``InputFileError`` when a
    file cannot be read or lacks a required column."""
    recs: list[dict[str, Any]] = []
    files: list[str] = []
    known = None if bodies is None else set(bodies["code"].astype(str))
    for src in expand(sources):
        files.append(name_of(src))
        for t in read_tables(src):
            pos = _positions(t)
            for r, rec in zip(t.rows, t.cells.itertuples(index=False), strict=True):
                body, point, dtext = (str(rec[pos[c]]).strip() for c in ("body", "point", "date"))
                parsed = parse_time(dtext)
                when = None if parsed is None else parsed.normalize()
                order = str(rec[pos["order"]]).strip() if "order" in pos else ""
                seq = int(order) if order.isdigit() else None
                for item, col in ITEMS.items():
                    if col not in pos:
                        continue
                    raw = str(rec[pos[col]])
                    num = parse_number(raw)
                    if num is None:
                        continue
                    reason: str | None = None
                    value = math.nan
                    if not isinstance(num, Number) or num.nd:
                        reason = "unparseable"
                    else:
                        value = float(num.value)
                        if when is None:
                            reason = "bad_time"
                        elif value < 0 and item != "ORP":
                            reason = "negative"
                        elif abs(value) > CEILINGS[item]:
                            reason = "impossible"
                        elif known is not None and body not in known:
                            reason = "unknown_station"
                    recs.append(
                        {"file": t.name, "row": int(r), "field": col, "station": body, "point": point,
                         "seq": seq, "time_text": dtext, "time": when, "item": item, "raw": raw,
                         "value": value, "reason": reason}
                    )  # fmt: skip
    c = pd.DataFrame(
        recs,
        columns=["file", "row", "field", "station", "point", "seq", "time_text", "time", "item", "raw",
                 "value", "reason"],
    )  # fmt: skip
    ok = c["reason"].isna()
    dup = ok & c[["station", "point", "time", "item"]].where(ok).duplicated(keep="last")
    c.loc[dup, "reason"] = "duplicate"
    ok = c["reason"].isna()
    good = c[ok]
    measures = pd.DataFrame(
        {
            "body": good["station"].astype(str),
            "point": good["point"].astype(str),
            "seq": pd.array(good["seq"].tolist(), dtype="Int64"),
            "date": pd.to_datetime(good["time"]).dt.normalize().astype("datetime64[ns]"),
            "item": good["item"].astype(str),
            "value": good["value"].astype("float64"),
        },
        columns=list(MEASURE_COLUMNS),
    ).reset_index(drop=True)
    empty = pd.DataFrame(columns=list(REJECT_COLUMNS))
    rejects = rejects_frame(c[~ok]) if (~ok).any() else empty
    if bodies is None:
        bodies = pd.DataFrame(columns=list(BODY_COLUMNS))
    return BlackOdorousBatch(bodies.reset_index(drop=True), measures, rejects, files)
