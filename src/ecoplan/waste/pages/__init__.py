"""The waste sections of the dashboard (none on the shared pages yet) and what the pages of
their own (:mod:`.web`) share: tables of rows with worded headers and values, and a
manifest's journey drawn as an SVG line between the producer and the receiver.

The journey is the dashboard's map style (longitude/latitude scaled into an SVG box,
north up, equal degrees, as the sources and soil maps draw their points): a straight
line between the two coordinates, not the vehicle's track (Art. 11's track is not in
the data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ecoplan.core.words import word
from ecoplan.kit.web import Section

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["JOURNEY_BOX", "PAGES", "Col", "WastePages", "journey", "table"]

_W, _H, _PAD = 480.0, 300.0, 40.0
JOURNEY_BOX = (_W, _H)
#: Columns whose values are codes shown by their words (``waste.<area>.<value>``).
_WORDED = {
    "status": "status",
    "from_status": "status",
    "to_status": "status",
    "event": "event",
    "stage": "stage",
}


@dataclass(frozen=True)
class Col:
    """A table column: the row's field, its header word (``waste.col.<field>``), and
    whether its text is quoted from the data (a name: marked ``lang="zh"`` on an English
    page) or an identifier (``lang="zxx"``)."""

    field: str
    quoted: bool = False
    code: bool = False
    href: str | None = None  # a link pattern filled with the row's fields and ``lang``


def _text(col: str, v: Any, lang: str) -> str:
    if v is None:
        return ""
    if col in _WORDED:
        return word(f"waste.{_WORDED[col]}.{v}", lang)
    if isinstance(v, bool):
        return word("waste.yes" if v else "waste.no", lang)
    if isinstance(v, list):
        return "; ".join(map(str, v))
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M")
    return str(v)


def table(tid: str, cols: Sequence[Col], rows: Sequence[dict[str, Any]], lang: str) -> dict[str, Any]:
    """Rows as the template's table: ``id``, worded ``header`` and cells."""
    return {
        "id": tid,
        "header": [word(f"waste.col.{c.field}", lang) for c in cols],
        "rows": [
            [
                {
                    "text": _text(c.field, r.get(c.field), lang),
                    "quoted": c.quoted,
                    "code": c.code,
                    "href": c.href.format(**r, lang=lang) if c.href and r.get(c.field) is not None else None,
                }
                for c in cols
            ]
            for r in rows
        ],
    }


def journey(producer: dict[str, Any] | None, receiver: dict[str, Any] | None) -> dict[str, Any] | None:
    """The producer and the receiver placed in a 480×300 box (north up, equal degrees),
    or None when either lacks coordinates."""
    ends = [producer, receiver]
    if any(e is None or e.get("lon") is None or e.get("lat") is None for e in ends):
        return None
    (x0, y0), (x1, y1) = ((float(e["lon"]), float(e["lat"])) for e in ends if e is not None)
    span = max(abs(x1 - x0), abs(y1 - y0), 1e-6)
    k = min(_W - 2 * _PAD, _H - 2 * _PAD) / span
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2

    def place(lon: float, lat: float) -> tuple[float, float]:
        return round(_W / 2 + (lon - cx) * k, 1), round(_H / 2 - (lat - cy) * k, 1)

    (px, py), (rx, ry) = place(x0, y0), place(x1, y1)
    return {"w": _W, "h": _H, "px": px, "py": py, "rx": rx, "ry": ry}


def _prefix(code: str) -> str:
    """The region code's prefix its subregions share (``320000`` → ``32``)."""
    return code[:2] if code.endswith("0000") else code[:4] if code.endswith("00") else code


class WastePages:
    """The waste sections: on a region's page, its producers' manifests (on-time
    confirmation and closed-loop rates), the province's licensed capacity against the
    waste generated, and the newest manifests (the pages of their own are in :mod:`.web`)."""

    def home(self, ep: Ecoplan, lang: str) -> Section | None:
        return None

    def region(self, ep: Ecoplan, code: str, lang: str, year: int | None = None) -> Section | None:
        prefix = _prefix(code)
        rows = [r for r in ep.waste.rates() if str(r["region"]).startswith(prefix)] if prefix else []
        producers = {str(a["actor_id"]) for a in ep.waste.actors(region=code)} if prefix else set()
        if not rows and not producers:
            return None
        shipped = sum(int(r["shipped"]) for r in rows)
        rates = {
            "shipped": shipped,
            "confirmed_on_time": sum(int(r["confirmed_on_time"]) for r in rows),
            "closed_loop": sum(int(r["closed_loop"]) for r in rows),
        }
        for k, n in (("on_time_pct", "confirmed_on_time"), ("closed_loop_pct", "closed_loop")):
            rates[k] = round(100.0 * rates[n] / shipped, 1) if shipped else None  # type: ignore[assignment]
        when = year or ep.waste.latest_year() or dt.date.today().year
        capacity = next((c for c in ep.waste.capacity(when) if c["province"] == code[:2]), None)
        manifests = [m for m in ep.waste.manifests(limit=200) if str(m["producer_id"]) in producers][:10]
        recent = table(
            "waste-region-manifests",
            (
                Col("manifest_no", code=True, href="/waste/manifests/{manifest_no}?lang={lang}"),
                Col("status"),
                Col("producer_id", code=True),
                Col("receiver_id", code=True),
                Col("shipped_at"),
            ),
            manifests,
            lang,
        )
        data = {"rates": rates, "capacity": capacity, "year": when, "manifests": manifests}
        return Section({"waste": data}, "waste/region.html", {**data, "recent": recent})

    def rankings(self, ep: Ecoplan, year: int | None, lang: str) -> Section | None:
        return None


PAGES = WastePages()
