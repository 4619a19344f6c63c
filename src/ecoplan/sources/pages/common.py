"""What the sources sections and pages share: reading a part of ``ep.sources`` (no rows
when nothing is stored yet), tables of cells built from the service's frames, the map of
enterprises and the hourly chart as SVG (drawn on the server, as the soil map is: no
script needed), factor names and periods."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from ecoplan.core.errors import NotFound
from ecoplan.core.words import has, word
from ecoplan.kit.web import fmt
from ecoplan.sources.standards.cards import causes, quarter_of
from ecoplan.sources.standards.emission_standards import factor_name

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = [
    "Cell",
    "Col",
    "Table",
    "chart",
    "factor_name",
    "frame",
    "map_points",
    "quarter_of",
    "records",
    "table",
]


def frame(ep: Ecoplan, part: str, method: str, /, *args: Any, **kw: Any) -> pd.DataFrame:
    """``ep.sources.<part>.<method>(…)`` as a frame; no rows for what is not there
    (``NotFound``): the page then says it has no data."""
    fn = getattr(getattr(ep.sources, part), method)
    try:
        df = fn(*args, **kw)
    except NotFound:
        return pd.DataFrame()
    return df if isinstance(df, pd.DataFrame) else pd.DataFrame(df)


def _plain(v: Any) -> Any:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.to_pydatetime()
    if hasattr(v, "item") and not isinstance(v, str | bytes):
        return v.item()
    return v


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain Python values (``None`` for a missing value)."""
    if df.empty:
        return []
    return [{str(k): _plain(v) for k, v in r.items()} for r in df.to_dict(orient="records")]


def when(v: Any) -> str:
    """A time as the pages show it: ``2020-05-01 13:00`` (seconds when not zero)."""
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S" if v.second else "%Y-%m-%d %H:%M")
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


@dataclass(frozen=True)
class Cell:
    """One table cell: its text, a link, a class, and whether it is a name quoted from
    the register (an enterprise's Chinese name on an English page is marked ``lang="zh"``)
    or an identifier (marked ``lang="zxx"``, no linguistic content)."""

    text: str
    href: str | None = None
    cls: str | None = None
    quoted: bool = False
    code: bool = False  #: an identifier (credit code, outlet id, MN): no language, lang="zxx"


@dataclass(frozen=True)
class Col:
    """A column: the frame's column, its header word, and how a value shows."""

    column: str
    header: str
    #: text, id, number, time, date, name, evidence, enterprise, medium, card, status,
    #: factor, alarm, causes or cycle (see :func:`_cell`)
    kind: str = "text"


@dataclass(frozen=True)
class Table:
    """A table the templates draw as it is (``sources/_table.html``)."""

    id: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    json: list[dict[str, Any]] = field(default_factory=list)


def _word_or(key: str, value: Any, lang: str) -> str:
    return word(key, lang) if has(key) else str(value)


def _cell(col: Col, row: dict[str, Any], lang: str) -> Cell:
    v = row.get(col.column)
    if v is None:
        return Cell("—" if col.kind == "number" else "")
    if col.kind == "number":
        return Cell(fmt(float(v), lang), cls="num")
    if col.kind == "time":
        return Cell(when(v))
    if col.kind == "date":
        return Cell(v.date().isoformat() if isinstance(v, dt.datetime) else when(v))
    if col.kind == "name":
        return Cell(str(v), quoted=True)
    if col.kind == "id":
        return Cell(str(v), code=True)
    if col.kind == "enterprise":
        name = row.get("name") or row.get("enterprise_name") or v
        return Cell(str(name), href=f"/sources/enterprises/{v}?lang={lang}", quoted=name != v)
    if col.kind == "factor":
        return Cell(factor_name(str(v), lang))
    if col.kind == "evidence":  # the event's frames, from the API (the password masked)
        return Cell(word("sources.web.evidence_link", lang), href=f"/api/v1/sources/exceedances/{v}/evidence")
    if col.kind == "causes":
        return Cell(causes(v, lang))
    if col.kind in ("medium", "card", "status", "alarm", "cycle"):
        return Cell(_word_or(f"sources.web.{col.kind}.{v}", v, lang), cls=f"{col.kind}-{v}")
    return Cell(str(v))


def table(id: str, cols: Sequence[Col], rows: list[dict[str, Any]], lang: str) -> Table:
    """The columns of ``cols`` the rows have, each cell shown per its kind."""
    present = [c for c in cols if rows and any(c.column in r for r in rows)] if rows else list(cols)
    return Table(
        id,
        tuple(word(c.header, lang) for c in present),
        tuple(tuple(_cell(c, r, lang) for c in present) for r in rows),
        rows,
    )


_W, _H, _PAD = 480.0, 360.0, 16.0


def map_points(enterprises: list[dict[str, Any]], cards: dict[str, str], lang: str) -> list[dict[str, Any]]:
    """Enterprises with a position in a 480×360 box (north up, equal degrees), each with
    its card of the quarter (``none``, ``yellow``, ``red``) and a link to its page."""
    pts = [e for e in enterprises if e.get("lon") is not None and e.get("lat") is not None]
    if not pts:
        return []
    x0, x1 = min(p["lon"] for p in pts), max(p["lon"] for p in pts)
    y0, y1 = min(p["lat"] for p in pts), max(p["lat"] for p in pts)
    span = max(x1 - x0, y1 - y0, 1e-6)
    k = min(_W - 2 * _PAD, _H - 2 * _PAD) / span
    return [
        {
            "x": round(_PAD + (p["lon"] - x0) * k, 1),
            "y": round(_H - _PAD - (p["lat"] - y0) * k, 1),
            "card": cards.get(str(p["credit_code"]), "none"),
            "title": str(p.get("name") or p["credit_code"]),
            "href": f"/sources/enterprises/{p['credit_code']}?lang={lang}",
        }
        for p in pts
    ]


MAP_BOX = (_W, _H)
_CW, _CH, _L, _R, _T, _B = 540.0, 200.0, 56.0, 12.0, 12.0, 28.0


def chart(points: list[tuple[dt.datetime, float]], limit: float | None) -> dict[str, Any] | None:
    """An hourly series as an SVG polyline in a 540×200 box, with the limit as a dashed
    line and the axes' end labels (times and values); ``None`` without points."""
    pts = sorted(p for p in points if p[1] is not None and not math.isnan(p[1]))
    if not pts:
        return None
    t0, t1 = pts[0][0], pts[-1][0]
    values = [v for _, v in pts] + ([limit] if limit is not None else [])
    lo, hi = min(0.0, min(values)), max(values)
    hi = round(hi * 1.1, 6) if hi > lo else lo + 1.0  # headroom above the highest point or limit
    dt_span = max((t1 - t0).total_seconds(), 1.0)

    def x(t: dt.datetime) -> float:
        return round(_L + (t - t0).total_seconds() / dt_span * (_CW - _L - _R), 1)

    def y(v: float) -> float:
        return round(_CH - _B - (v - lo) / (hi - lo) * (_CH - _T - _B), 1)

    over = [{"x": x(t), "y": y(v)} for t, v in pts if limit is not None and v > limit]
    return {
        "w": _CW,
        "h": _CH,
        "left": _L,
        "right": _CW - _R,
        "top": _T,
        "bottom": _CH - _B,
        "line": " ".join(f"{x(t)},{y(v)}" for t, v in pts),
        "limit_y": None if limit is None else y(limit),
        "limit": limit,
        "over": over,
        "lo": lo,
        "hi": hi,
        "t0": when(t0),
        "t1": when(t1),
        "n": len(pts),
    }
