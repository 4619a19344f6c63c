"""The incident page: ``/risk/incident?…`` — an incident on a map with its three threat
zones, the sensitive targets inside each, the drinking-water intakes downstream and the
reporting deadlines, beside the form that states the incident (its JSON twin with
``?format=json``).

The page's query parameters are the incident's fields (``time``, ``lon``, ``lat``,
``substance``, ``rate`` g/s, ``height`` m, ``wind`` m/s, ``wind_from`` °, ``stability``,
``red``/``orange``/``yellow`` mg/m³, ``deaths``, ``poisoned``, ``evacuated``, ``loss`` yuan,
``undetermined``, ``downstream_km``); without them the form shows a worked example. The
sensitive targets are the risk registry's (``ep.risk.targets()``), the rivers its river
reaches (``ep.risk.rivers()``, imported with ``ecoplan risk import rivers``): the page shows
the drinking-water intakes downstream once reaches are loaded.

The map is a sketch drawn as SVG in metres around the site (north up, equal scale, a
scale bar): no tiles, nothing fetched from outside.

Recorded incidents (``ep.risk.incidents()``) are listed below the form with their
reporting clocks (each deadline's state: made on time, made late, running, overdue);
``/risk/incident?id=N`` shows a recorded incident as it was screened when recorded (its
stored result: zones, targets inside, intakes), with its clocks and the reports made.

Mounted by the risk domain's ``web`` routes: ``router.include_router(
pages_incident.routes(session, render))`` (one line in ``pages/web.py``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import numpy as np
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from ecoplan.core.words import word
from ecoplan.risk import incidents
from ecoplan.risk.standards import plume

if TYPE_CHECKING:
    from ecoplan.app import Ecoplan

__all__ = ["EXAMPLE", "MAP_H", "MAP_W", "STATE_BADGE", "form_of", "routes", "sketch"]

Render = Callable[..., Response]
Lang: Any = Query("zh", pattern="^(zh|en)$")
Format: Any = Query("html", pattern="^(html|json)$")

#: The form's values when the page is opened without an incident (a worked example).
EXAMPLE: Mapping[str, Any] = {
    "time": "2026-12-06T09:30",
    "lon": 118.80,
    "lat": 32.05,
    "substance": "",
    "rate": 1000.0,
    "height": 0.0,
    "wind": 2.0,
    "wind_from": 270.0,
    "stability": "D",
    "red": 58.0,
    "orange": 5.8,
    "yellow": 1.5,
    "deaths": 0,
    "poisoned": 0,
    "evacuated": 0,
    "loss": 0.0,
    "undetermined": False,
    "downstream_km": incidents.DOWNSTREAM_KM,
}
#: A clock state's badge class (the dashboard's colours).
STATE_BADGE = {"on_time": "s-achieved", "late": "w-amber", "open": "w-watch", "overdue": "w-red"}


def form_of(data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values of a recorded incident's input (mg/m³ for the levels of concern)."""

    def get(path: str) -> Any:
        cur: Any = data
        for part in path.split("."):
            cur = cur.get(part) if isinstance(cur, Mapping) else None
        return cur

    unit = incidents.UNITS_TO_G_M3.get(str(get("loc.unit") or "mg_m3"), 1e-3)
    form = {
        "time": str(get("time") or "").replace(" ", "T")[:16],
        "lon": get("place.lon"), "lat": get("place.lat"),
        "substance": get("substance"), "rate": get("release.rate_g_s"), "height": get("release.height_m"),
        "wind": get("weather.wind_m_s"), "wind_from": get("weather.wind_from_deg"),
        "stability": get("weather.stability"), "deaths": get("counts.deaths"),
        "poisoned": get("counts.poisoned"), "evacuated": get("counts.evacuated"),
        "loss": get("counts.direct_loss_yuan"), "downstream_km": None,
    }  # fmt: skip
    for lv in plume.LEVELS:
        v = get(f"loc.{lv}")
        form[lv] = None if v is None else float(v) * unit * 1000.0
    out = {k: _num(v, EXAMPLE[k]) for k, v in form.items()}
    out["undetermined"] = bool(get("counts.undetermined"))
    return out


#: The map's width and its height's bounds in CSS pixels (the height follows the zones' shape).
MAP_W, MAP_H, MAP_MIN_H = 760, 560, 340
ZONE_COLOURS = {"red": "#e5484d", "orange": "#f5a524", "yellow": "#f7e463"}


def _nice(span: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10ⁿ m) about a quarter of ``span``."""
    raw = max(span / 4.0, 1.0)
    p = 10.0 ** math.floor(math.log10(raw))
    return float(next(m * p for m in (5, 2, 1) if m * p <= raw))


def sketch(
    res: Mapping[str, Any],
    targets: Sequence[incidents.Target],
    rivers: Sequence[incidents.River] = (),
    focus: Sequence[str] = plume.LEVELS,
    min_span_m: float = 1000.0,
) -> dict[str, Any]:
    """The map in SVG pixels: zone polygons, the site, the targets in or near the zones,
    rivers, a scale bar and the wind arrow (north up, one scale for both axes). The view
    fits the zones of the ``focus`` levels (all by default; ``("red",)`` for a close-up)
    and the targets inside them, at least ``min_span_m`` across."""
    lon0, lat0 = res["incident"]["lon"], res["incident"]["lat"]

    def local(pts: Sequence[Sequence[float]]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        return plume.lonlat_to_local([p[0] for p in pts], [p[1] for p in pts], lon0, lat0)

    zones = [(z["level"], local(z["polygon"])) for z in res["zones"] if z["polygon"]]
    framed = [zz for zz in zones if zz[0] in focus]
    xs = [0.0] + [float(v) for _, (e, _) in framed for v in e]
    ys = [0.0] + [float(v) for _, (_, n) in framed for v in n]
    inside = {t["id"] for t in res["targets"] if t["zone"]}
    # the targets near enough to matter are framed too: within the framed zones' reach
    reach = max([float(z["distance_m"] or 0.0) for z in res["zones"] if z["level"] in focus] + [min_span_m])
    for t in res["targets"]:
        if (t["id"] in inside and t["zone"] in focus) or t["distance_m"] <= reach:
            (te,), (tn,) = local([(t["lon"], t["lat"])])
            xs.append(float(te))
            ys.append(float(tn))
    if xs == [0.0]:
        xs, ys = [-500.0, 500.0], [-500.0, 500.0]
    xspan = max(max(xs) - min(xs), min_span_m) * 1.25
    yspan = max(max(ys) - min(ys), min_span_m) * 1.25
    height = int(min(MAP_H, max(MAP_MIN_H, MAP_W * yspan / xspan)))
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    k = min(MAP_W / xspan, height / yspan)  # pixels per metre, the same both ways

    def px(e: float, n: float) -> tuple[float, float]:
        return round((e - cx) * k + MAP_W / 2, 1), round(height / 2 - (n - cy) * k, 1)

    def visible(x: float, y: float) -> bool:
        return -20 <= x <= MAP_W + 20 and -20 <= y <= height + 20

    shapes = []
    for level, (e, n) in reversed(zones):  # yellow below, red on top
        pts = " ".join(f"{a},{b}" for a, b in (px(float(x), float(y)) for x, y in zip(e, n, strict=True)))
        shapes.append({"level": level, "points": pts, "colour": ZONE_COLOURS[level]})
    marks = []
    for t in targets:
        (e,), (n,) = local([(t.lon, t.lat)])
        x, y = px(float(e), float(n))
        if not visible(x, y):
            continue
        ring = ""
        if t.ring:
            re_, rn = local(t.ring)
            ring = " ".join(
                f"{a},{b}" for a, b in (px(float(p), float(q)) for p, q in zip(re_, rn, strict=True))
            )
        marks.append({"id": t.id, "name": t.name, "kind": t.kind, "x": x, "y": y, "ring": ring,
                      "inside": t.id in inside})  # fmt: skip
    lines = []
    for r in rivers:
        e, n = local(r.coords)
        lines.append(
            " ".join(f"{a},{b}" for a, b in (px(float(p), float(q)) for p, q in zip(e, n, strict=True)))
        )
    bar = _nice(MAP_W / k)
    sx, sy = px(0.0, 0.0)
    to = math.radians(res["incident"]["wind_from_deg"] + 180.0)
    return {
        "w": MAP_W,
        "h": height,
        "zones": shapes,
        "targets": marks,
        "rivers": lines,
        "site": {"x": sx, "y": sy},
        "wind": {"x2": round(sx + 40 * math.sin(to), 1), "y2": round(sy - 40 * math.cos(to), 1)},
        "bar": {"px": round(bar * k, 1), "label": f"{bar / 1000:g} km" if bar >= 1000 else f"{bar:g} m"},
    }


def _num(value: object, default: Any) -> Any:
    return default if value in (None, "") else value


def routes(session: Callable[[], AbstractContextManager[Ecoplan]], render: Render) -> APIRouter:
    """The incident page, reading the registry through ``session()``."""
    router = APIRouter()

    @router.get("/incident")
    def incident_page(
        request: Request,
        time: str | None = Query(None, max_length=25),
        lon: float | None = Query(None, ge=-180, le=180),
        lat: float | None = Query(None, ge=-90, le=90),
        substance: str | None = Query(None, max_length=100),
        rate: float | None = Query(None),
        height: float | None = Query(None),
        wind: float | None = Query(None),
        wind_from: float | None = Query(None),
        stability: str | None = Query(None, max_length=1),
        red: float | None = Query(None),
        orange: float | None = Query(None),
        yellow: float | None = Query(None),
        deaths: int | None = Query(None, ge=0),
        poisoned: int | None = Query(None, ge=0),
        evacuated: int | None = Query(None, ge=0),
        loss: float | None = Query(None, ge=0),
        undetermined: bool = Query(False),
        downstream_km: float | None = Query(None, ge=0, le=200),
        id: int | None = Query(None, ge=1, le=2**31 - 1, description="A recorded incident"),
        lang: str = Lang,
        format: str = Format,
    ) -> Response:
        given = {
            "time": time, "lon": lon, "lat": lat, "substance": substance, "rate": rate,
            "height": height, "wind": wind, "wind_from": wind_from, "stability": stability,
            "red": red, "orange": orange, "yellow": yellow, "deaths": deaths,
            "poisoned": poisoned, "evacuated": evacuated, "loss": loss,
            "downstream_km": downstream_km,
        }  # fmt: skip
        one: dict[str, Any] | None = None
        with session() as ep:
            if id is not None:
                one = ep.risk.incident(id)
            recorded = ep.risk.incidents()
            targets = [] if one is not None else incidents.registry_targets(ep)
            rivers = incidents.rivers_from(ep.risk.rivers(), "risk_rivers")
        if one is not None:  # as screened when recorded
            form = form_of(one["input"])
            res = one["result"]
            targets = incidents.targets_from(res["targets"], "risk_incidents")
        else:
            form = {k: _num(v, EXAMPLE[k]) for k, v in given.items()}
            form["undetermined"] = undetermined
            locs = {lv: form[lv] for lv in plume.LEVELS if form[lv] not in (None, 0)}
            data_in = {
                "time": form["time"],
                "place": {"lon": form["lon"], "lat": form["lat"]},
                "substance": form["substance"],
                "release": {"rate_g_s": form["rate"], "height_m": form["height"]},
                "weather": {"wind_m_s": form["wind"], "wind_from_deg": form["wind_from"],
                            "stability": form["stability"]},
                "loc": {"unit": "mg_m3", **locs},
                "counts": {"deaths": form["deaths"], "poisoned": form["poisoned"],
                           "evacuated": form["evacuated"], "direct_loss_yuan": form["loss"],
                           "undetermined": undetermined},
            }  # fmt: skip
            inc = incidents.incident_from_mapping(data_in, word("risk.incident.page.form", lang))
            res = incidents.assess(inc, targets, rivers, downstream_km=float(form["downstream_km"]))
        kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "format")]
        path = "/risk/incident" + (f"?{urlencode(kept)}" if kept else "")
        if format == "json":
            return render("risk/incident.html", None, lang, path, res if one is None else one, format)
        inside = [t for t in res["targets"] if t["zone"]]
        return render(
            "risk/incident.html",
            word("risk.incident.page.title", lang),
            lang,
            path,
            res,
            format,
            form=form,
            res=res,
            stabilities=plume.STABILITIES,
            levels=plume.LEVELS,
            colours=ZONE_COLOURS,
            map=sketch(res, targets, rivers),
            closeup=_closeup(res, targets, rivers),
            inside=inside,
            clause=_clause,
            one=one,
            recorded=recorded,
            badge=STATE_BADGE,
        )

    return router


def _closeup(
    res: Mapping[str, Any], targets: Sequence[incidents.Target], rivers: Sequence[incidents.River] = ()
) -> dict[str, Any] | None:
    """A close-up of the red zone when the whole map shows it too small to read (its
    reach under a quarter of the widest zone's)."""
    reach = {z["level"]: z["distance_m"] for z in res["zones"] if z["distance_m"]}
    if "red" not in reach or len(reach) < 2 or reach["red"] * 4 > max(reach.values()):
        return None
    return sketch(res, targets, rivers, focus=("red",), min_span_m=200.0)


def _clause(clause: str, lang: str) -> str:
    """An annex clause as the text writes it (``II.6`` → ``Ⅱ.6``; ``art3.3`` → 第三条)."""
    if clause.startswith("art"):
        n = clause[3:].split(".")[0]
        zh = {"3": "第三条", "4": "第四条"}.get(n, clause)
        return zh if lang == "zh" else f"Art. {n}"
    roman = {"IV": "Ⅳ", "III": "Ⅲ", "II": "Ⅱ", "I": "Ⅰ"}
    head, _, rest = clause.partition(".")
    return roman.get(head, head) + (f".{rest}" if rest else "")
