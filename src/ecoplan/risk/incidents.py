"""Incident decision support: an incident (time, place, substance, release, weather, levels
of concern, the counts the grade needs) → its grade and reporting deadlines, the threat
zones, the sensitive targets inside each zone and the drinking-water intakes downstream.

Pure functions on plain data (no store): :func:`incident_from_mapping` reads an incident
as the YAML file or the page's form gives it, :func:`targets_from` and :func:`rivers_from`
read sensitive targets and a river network (rows as the registries keep them, or GeoJSON
features), :func:`assess` puts it together. Every error names the file and the field.

Targets and zones (the rule, simple and stated):

- A point target is inside a zone when the ground-level plume concentration at it reaches
  the zone's LOC (the same as lying inside the zone's outline). A polygon target (a
  residential area) is inside when the concentration reaches the LOC at any of its
  vertices or its centroid, or when the zone's outline has a point inside the polygon
  (a zone smaller than the area).
- Drinking-water intakes downstream: rivers are polylines whose vertices run with the
  flow; a river whose last vertex lies within :data:`JOIN_M` of another river's vertex
  flows into it there. The plume enters the water where a river point (every
  :data:`STEP_M` along it) lies inside the outermost zone, or within ``entry_m`` (default
  :data:`ENTRY_M`) of the incident site (a spill). An intake target (kind
  ``drinking_water_intake``) is snapped to the nearest river point within :data:`SNAP_M`
  and is reported when it lies downstream of an entry within ``downstream_km`` (default
  10 km) along the river, with that distance. No travel time, no dilution: a screen.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np

from ecoplan.core.errors import EcoplanError
from ecoplan.risk.clock import to_local
from ecoplan.risk.standards import incident as grading
from ecoplan.risk.standards import plume

__all__ = [
    "CLOCK_STATES",
    "DOWNSTREAM_KM",
    "ENTRY_M",
    "INTAKE_KINDS",
    "JOIN_M",
    "REPORT_KINDS",
    "REPORT_PARTIES",
    "SENSITIVE_KINDS",
    "SNAP_M",
    "STEP_M",
    "Incident",
    "River",
    "Target",
    "assess",
    "clocks",
    "digest",
    "incident_from_mapping",
    "registry_targets",
    "rivers_from",
    "targets_from",
]

#: How far downstream (km, along the river) intakes are looked for by default.
DOWNSTREAM_KM: Final = 10.0
#: A river point within this distance (m) of the site counts as a spill entry.
ENTRY_M: Final = 200.0
#: An intake farther than this (m) from every river is not on the network.
SNAP_M: Final = 500.0
#: A river's last vertex this close (m) to another river's vertex joins it there.
JOIN_M: Final = 100.0
#: Rivers are walked in steps of at most this length (m).
STEP_M: Final = 25.0
#: Target kinds that are sensitive places or people (Art. 4 (二): 居民聚居区、学校、医院).
SENSITIVE_KINDS: Final = frozenset({"school", "hospital", "residential"})
#: Target kinds that are drinking-water intakes (取水口).
INTAKE_KINDS: Final = frozenset({"drinking_water_intake", "water_intake", "intake"})

UNITS_TO_G_M3: Final = {"g_m3": 1.0, "mg_m3": 1e-3, "ug_m3": 1e-6}


@dataclass(frozen=True)
class Incident:
    """An incident as recorded: when it was discovered, where, what and how much is
    released, the weather, the levels of concern (g/m³) and the facts the grade needs."""

    discovered_at: dt.datetime
    lon: float
    lat: float
    place: str
    substance: str
    rate_g_s: float
    height_m: float
    wind_m_s: float
    wind_from_deg: float
    stability: str
    locs_g_m3: Mapping[str, float]
    facts: grading.Facts = field(default_factory=grading.Facts)
    province_received_at: dt.datetime | None = None


@dataclass(frozen=True)
class Target:
    """A sensitive target: a point (``lon``, ``lat``) or a polygon ``ring`` of (lon, lat)."""

    id: str
    name: str
    kind: str
    lon: float
    lat: float
    ring: tuple[tuple[float, float], ...] = ()

    @property
    def is_intake(self) -> bool:
        return self.kind in INTAKE_KINDS


@dataclass(frozen=True)
class River:
    """A river reach: vertices (lon, lat) in the direction of flow; ``downstream`` the id
    of the reach it flows into (where a registry says so; else joins are found by
    position), ``length_m`` its length as the registry gives it (kept, not used: distances
    are measured along the vertices)."""

    id: str
    name: str
    coords: tuple[tuple[float, float], ...]
    downstream: str | None = None
    length_m: float | None = None


# -- reading -----------------------------------------------------------------------------


def _err(key: str, file: str, fld: str, **params: Any) -> EcoplanError:
    return EcoplanError.worded(f"risk.incident.error.{key}", file=file, field=fld, **params)


def _get(data: Mapping[str, Any], path: str) -> Any:
    cur: Any = data
    for part in path.split("."):
        if not isinstance(cur, Mapping) or part not in cur:
            return None
        cur = cur[part]
    return cur


def _number(
    data: Mapping[str, Any], path: str, file: str, *, required: bool = True, low: float | None = None
) -> float | None:
    v = _get(data, path)
    if v is None or v == "":
        if required:
            raise _err("missing", file, path)
        return None
    try:
        if isinstance(v, bool):
            raise ValueError
        x = float(v)
    except (TypeError, ValueError):
        raise _err("number", file, path, value=repr(v)) from None
    if not math.isfinite(x) or (low is not None and x < low):
        raise _err("number", file, path, value=repr(v))
    return x


def _positive(data: Mapping[str, Any], path: str, file: str) -> float:
    x = _number(data, path, file, low=0.0)
    assert x is not None
    if x <= 0:
        raise _err("number", file, path, value=repr(_get(data, path)))
    return x


def _time(data: Mapping[str, Any], path: str, file: str, *, required: bool = True) -> dt.datetime | None:
    v = _get(data, path)
    if v is None or v == "":
        if required:
            raise _err("missing", file, path)
        return None
    if isinstance(v, dt.datetime):
        return to_local(v)
    try:
        return to_local(dt.datetime.fromisoformat(str(v).strip().replace(" ", "T")))
    except ValueError:
        raise _err("time", file, path, value=repr(v)) from None


def _choice(data: Mapping[str, Any], path: str, file: str, choices: Iterable[str]) -> str | None:
    v = _get(data, path)
    if v is None or v == "":
        return None
    allowed = list(choices)
    if str(v) not in allowed:
        raise _err("choice", file, path, value=repr(v), choices=", ".join(allowed))
    return str(v)


def _count(data: Mapping[str, Any], path: str, file: str) -> int | None:
    x = _number(data, path, file, required=False, low=0.0)
    if x is None:
        return None
    if x != int(x):
        raise _err("number", file, path, value=repr(_get(data, path)))
    return int(x)


def _lonlat(lon: float, lat: float, file: str, fld: str) -> None:
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise _err("lonlat", file, fld, value=f"{lon}, {lat}")


def incident_from_mapping(data: Mapping[str, Any], file: str = "incident") -> Incident:
    """An incident from its YAML mapping (``docs/risk-incidents.md`` shows the fields)::

    time: 2026-12-06 09:30          # discovered or learned of (local time)
    place: {lon: 118.80, lat: 32.05, name: …}
    substance: 氯气
    release: {rate_g_s: 500, height_m: 0}
    weather: {wind_m_s: 2.5, wind_from_deg: 45, stability: D}
    loc: {unit: mg_m3, red: 58, orange: 5.8, yellow: 1.5}
    counts: {deaths: 0, poisoned: 12, evacuated: 3000, direct_loss_yuan: 0,
             water_source_cut: county, cross_boundary: prefecture,
             sensitive_area: false, ecology: …, undetermined: false, art4: [...]}
    province_received_at: …        # optional
    """
    if not isinstance(data, Mapping):
        raise _err("not_mapping", file, "-")
    at = _time(data, "time", file)
    assert at is not None
    lon = _number(data, "place.lon", file)
    lat = _number(data, "place.lat", file)
    assert lon is not None and lat is not None
    _lonlat(lon, lat, file, "place")
    stab = _get(data, "weather.stability")
    if stab is None:
        raise _err("missing", file, "weather.stability")
    stab_s = str(stab).strip().upper()
    if stab_s not in plume.STABILITIES:
        raise _err(
            "choice", file, "weather.stability", value=repr(stab), choices=", ".join(plume.STABILITIES)
        )
    wind_from = _number(data, "weather.wind_from_deg", file, required=False)
    unit = str(_get(data, "loc.unit") or "mg_m3")
    if unit not in UNITS_TO_G_M3:
        raise _err("choice", file, "loc.unit", value=repr(unit), choices=", ".join(UNITS_TO_G_M3))
    locs: dict[str, float] = {}
    for lv in plume.LEVELS:
        if _get(data, f"loc.{lv}") is not None:
            locs[lv] = _positive(data, f"loc.{lv}", file) * UNITS_TO_G_M3[unit]
    if not locs:
        raise _err("missing", file, "loc.red|orange|yellow")
    vals = [locs[lv] for lv in plume.LEVELS if lv in locs]
    if any(a < b for a, b in itertools.pairwise(vals)):
        raise _err("loc_order", file, "loc")
    loss = _number(data, "counts.direct_loss_yuan", file, required=False, low=0.0)
    art4 = _get(data, "counts.art4") or []
    if not isinstance(art4, list) or any(str(c) not in grading.ART4_CASES for c in art4):
        raise _err("choice", file, "counts.art4", value=repr(art4), choices=", ".join(grading.ART4_CASES))
    facts = grading.Facts(
        deaths=_count(data, "counts.deaths", file),
        poisoned=_count(data, "counts.poisoned", file),
        evacuated=_count(data, "counts.evacuated", file),
        direct_loss_yuan=loss,
        water_source_cut=_choice(data, "counts.water_source_cut", file, grading.WATER_SOURCE_LEVELS),
        cross_boundary=_choice(data, "counts.cross_boundary", file, grading.BOUNDARIES),
        ecology=_choice(data, "counts.ecology", file, grading.ECOLOGY),
        sensitive_area=bool(_get(data, "counts.sensitive_area") or False),
        undetermined=bool(_get(data, "counts.undetermined") or False),
        art4=tuple(str(c) for c in art4),
    )
    return Incident(
        discovered_at=at,
        lon=lon,
        lat=lat,
        place=str(_get(data, "place.name") or ""),
        substance=str(_get(data, "substance") or ""),
        rate_g_s=_positive(data, "release.rate_g_s", file),
        height_m=_number(data, "release.height_m", file, required=False, low=0.0) or 0.0,
        wind_m_s=_positive(data, "weather.wind_m_s", file),
        wind_from_deg=(wind_from or 0.0) % 360.0,
        stability=stab_s,
        locs_g_m3=locs,
        facts=facts,
        province_received_at=_time(data, "province_received_at", file, required=False),
    )


def _geometry(item: Mapping[str, Any]) -> tuple[str, Any] | None:
    g = item.get("geometry")
    if isinstance(g, Mapping):
        return str(g.get("type")), g.get("coordinates")
    return None


def targets_from(items: Iterable[Mapping[str, Any]], file: str = "targets") -> list[Target]:
    """Sensitive targets from rows (``id``, ``name``, ``kind``, ``lon``, ``lat``, or a
    ``polygon``/``ring`` list of [lon, lat]) or GeoJSON features (``properties`` with id,
    name, kind; a Point or Polygon geometry, the outer ring used)."""
    out: list[Target] = []
    for i, raw in enumerate(items, start=1):
        props = raw.get("properties") if isinstance(raw.get("properties"), Mapping) else raw
        assert isinstance(props, Mapping)
        tid = str(props.get("id") or props.get("target_id") or i)
        name = str(props.get("name") or tid)
        kind = str(props.get("kind") or "other")
        where = f"[{i}]"
        geo = _geometry(raw)
        ring: list[tuple[float, float]] = []
        try:
            if geo is not None and geo[0] == "Point":
                lon, lat = float(geo[1][0]), float(geo[1][1])
            elif geo is not None and geo[0] == "Polygon":
                ring = [(float(p[0]), float(p[1])) for p in geo[1][0]]
            elif props.get("polygon") or props.get("ring"):
                poly = props.get("polygon") or props.get("ring")
                if isinstance(poly, str):  # a JSON ring, as the registry's column keeps it
                    poly = json.loads(poly)
                ring = [(float(p[0]), float(p[1])) for p in poly or []]
            else:
                lon, lat = float(props["lon"]), float(props["lat"])
        except (KeyError, TypeError, ValueError, IndexError):  # JSONDecodeError is a ValueError
            raise _err("geometry", file, f"{where}.lon/lat|geometry") from None
        if ring:
            if len(ring) < 3:
                raise _err("geometry", file, f"{where}.polygon")
            lon = sum(p[0] for p in ring) / len(ring)
            lat = sum(p[1] for p in ring) / len(ring)
        if not all(math.isfinite(v) for v in (lon, lat)):
            raise _err("geometry", file, f"{where}.lon/lat")
        _lonlat(lon, lat, file, where)
        out.append(Target(tid, name, kind, lon, lat, tuple(ring)))
    return out


def registry_targets(ep: Any) -> list[Target]:
    """The sensitive targets of the risk registry (``ep.risk.targets()``: rows with
    ``target_id``, ``name``, ``kind``, ``lon``, ``lat``, ``polygon``), or none when the
    domain has no registry service."""
    try:
        rows = ep.risk.targets()
    except AttributeError:
        return []
    return targets_from(rows, "risk_targets")


def _coords(v: Any) -> Any:
    """A reach's vertices as given: a list of [lon, lat], or text — JSON, or ``lon lat;
    lon lat; …`` as a CSV cell holds them."""
    if not isinstance(v, str):
        return v
    text = v.strip()
    if text.startswith("["):
        return json.loads(text)
    return [p.replace(",", " ").split() for p in text.split(";") if p.strip()]


def rivers_from(items: Iterable[Mapping[str, Any]], file: str = "rivers") -> list[River]:
    """Rivers from rows (``id`` or ``river_id``, ``name``, ``coords``: [[lon, lat], …] with
    the flow, or that list as text; optional ``downstream_id`` and ``length_m``) or GeoJSON
    LineString/MultiLineString features (each part a reach)."""
    out: list[River] = []
    for i, raw in enumerate(items, start=1):
        props = raw.get("properties") if isinstance(raw.get("properties"), Mapping) else raw
        assert isinstance(props, Mapping)
        rid = str(props.get("id") or props.get("river_id") or i)
        name = str(props.get("name") or rid)
        down = props.get("downstream_id") or props.get("downstream") or None
        length = _number(props, "length_m", file, required=False, low=0.0)
        geo = _geometry(raw)
        parts: list[Any]
        if geo is not None and geo[0] == "LineString":
            parts = [geo[1]]
        elif geo is not None and geo[0] == "MultiLineString":
            parts = list(geo[1])
        else:
            parts = [props.get("coords")]
        for k, part in enumerate(parts):
            try:
                coords = tuple((float(p[0]), float(p[1])) for p in _coords(part))
            except (TypeError, ValueError, IndexError):  # JSONDecodeError is a ValueError
                raise _err("geometry", file, f"[{i}].coords") from None
            if len(coords) < 2 or not all(math.isfinite(a) and math.isfinite(b) for a, b in coords):
                raise _err("geometry", file, f"[{i}].coords")
            for lon, lat in coords:
                _lonlat(lon, lat, file, f"[{i}].coords")
            reach = rid if len(parts) == 1 else f"{rid}#{k + 1}"
            out.append(River(reach, name, coords, str(down) if down is not None else None, length))
    return out


# -- assessing ---------------------------------------------------------------------------


def _conc(inc: Incident, lon: Sequence[float], lat: Sequence[float]) -> np.ndarray[Any, np.dtype[np.float64]]:
    return plume.at_receptors(
        inc.rate_g_s,
        inc.wind_m_s,
        inc.stability,
        inc.height_m,
        np.asarray(lon, dtype=np.float64),
        np.asarray(lat, dtype=np.float64),
        (inc.lon, inc.lat),
        inc.wind_from_deg,
    )


def _target_conc(inc: Incident, targets: Sequence[Target]) -> list[float]:
    """Each target's highest concentration among its point, or its vertices and centroid."""
    lon: list[float] = []
    lat: list[float] = []
    owner: list[int] = []
    for i, t in enumerate(targets):
        pts = [(t.lon, t.lat), *t.ring]
        lon += [p[0] for p in pts]
        lat += [p[1] for p in pts]
        owner += [i] * len(pts)
    best = np.zeros(len(targets))
    if owner:
        np.maximum.at(best, np.asarray(owner), _conc(inc, lon, lat))
    return [float(v) for v in best]


def _zone_in_polygon(zone: plume.Zone, t: Target) -> bool:
    if not t.ring or not zone.ring_lonlat:
        return False
    pts = zone.ring_lonlat
    inside = plume.point_in_polygon([p[0] for p in pts], [p[1] for p in pts], list(t.ring))
    return bool(np.any(inside))


def _walk(
    inc: Incident, rivers: Sequence[River]
) -> tuple[list[np.ndarray[Any, Any]], list[np.ndarray[Any, Any]], list[np.ndarray[Any, Any]]]:
    """Each river densified: east and north metres from the site, and along-river metres."""
    es, ns, ss = [], [], []
    for r in rivers:
        e, n = plume.lonlat_to_local([p[0] for p in r.coords], [p[1] for p in r.coords], inc.lon, inc.lat)
        de, dn, ds = [e[:1]], [n[:1]], [np.zeros(1)]
        total = 0.0
        for k in range(len(e) - 1):
            seg = math.hypot(float(e[k + 1] - e[k]), float(n[k + 1] - n[k]))
            steps = max(1, math.ceil(seg / STEP_M))
            t = np.arange(1, steps + 1) / steps
            de.append(e[k] + (e[k + 1] - e[k]) * t)
            dn.append(n[k] + (n[k + 1] - n[k]) * t)
            ds.append(total + seg * t)
            total += seg
        es.append(np.concatenate(de))
        ns.append(np.concatenate(dn))
        ss.append(np.concatenate(ds))
    return es, ns, ss


def _downstream(
    inc: Incident,
    rivers: Sequence[River],
    intakes: Sequence[Target],
    outer_loc: float | None,
    downstream_km: float,
    entry_m: float,
) -> list[dict[str, Any]]:
    """Intakes within ``downstream_km`` along the rivers from where the plume or a spill
    enters them; each with the river and the along-river distance (m)."""
    if not rivers or not intakes:
        return []
    es, ns, ss = _walk(inc, rivers)
    reach = downstream_km * 1000.0
    # entries: (river, along-river position)
    best: dict[int, list[tuple[float, float, float]]] = {}  # river -> [(from_s, to_s, dist_at_from)]
    queue: list[tuple[int, float, float]] = []
    for i in range(len(rivers)):
        near = np.hypot(es[i], ns[i]) <= entry_m
        if outer_loc is not None:
            x, y = plume.local_to_plume(es[i], ns[i], inc.wind_from_deg)
            c = plume.concentration(inc.rate_g_s, inc.wind_m_s, inc.stability, inc.height_m, x, y)
            near |= c >= outer_loc
        idx = np.flatnonzero(near)
        if idx.size:
            queue.append((i, float(ss[i][idx[0]]), 0.0))
    # joins: river i's end flows into river j at position s
    # (a reach naming its downstream reach joins it at that reach's nearest point, however far)
    joins: dict[int, list[tuple[int, float]]] = {}
    for i in range(len(rivers)):
        down = rivers[i].downstream
        for j in range(len(rivers)):
            if i == j:
                continue
            named = down is not None and (rivers[j].id == down or rivers[j].id.startswith(f"{down}#"))
            if down is not None and not named:
                continue
            d = np.hypot(es[j] - es[i][-1], ns[j] - ns[i][-1])
            k = int(np.argmin(d))
            if named or float(d[k]) <= JOIN_M:
                joins.setdefault(i, []).append((j, float(ss[j][k])))
    seen: set[tuple[int, int]] = set()
    while queue:
        i, s0, d0 = queue.pop()
        key = (i, round(s0))
        if key in seen or d0 > reach:
            continue
        seen.add(key)
        end = float(ss[i][-1])
        s1 = min(end, s0 + (reach - d0))
        best.setdefault(i, []).append((s0, s1, d0))
        if s0 + (reach - d0) > end:
            for j, sj in joins.get(i, []):
                queue.append((j, sj, d0 + (end - s0)))
    out: list[dict[str, Any]] = []
    for t in intakes:
        e, n = plume.lonlat_to_local([t.lon], [t.lat], inc.lon, inc.lat)
        nearest: tuple[float, int, float] | None = None
        for i in range(len(rivers)):
            d = np.hypot(es[i] - e[0], ns[i] - n[0])
            k = int(np.argmin(d))
            if float(d[k]) <= SNAP_M and (nearest is None or float(d[k]) < nearest[0]):
                nearest = (float(d[k]), i, float(ss[i][k]))
        if nearest is None:
            continue
        _, i, s = nearest
        dists = [d0 + (s - a) for a, b, d0 in best.get(i, []) if a - 1e-6 <= s <= b + 1e-6]
        if dists:
            out.append(
                {
                    "id": t.id,
                    "name": t.name,
                    "kind": t.kind,
                    "lon": t.lon,
                    "lat": t.lat,
                    "river": rivers[i].name,
                    "river_id": rivers[i].id,
                    "along_river_m": round(min(dists), 1),
                    "off_river_m": round(nearest[0], 1),
                }
            )
    out.sort(key=lambda r: r["along_river_m"])
    return out


def assess(
    inc: Incident,
    targets: Sequence[Target] = (),
    rivers: Sequence[River] = (),
    *,
    downstream_km: float = DOWNSTREAM_KM,
    entry_m: float = ENTRY_M,
    x_max: float = plume.FAR_FIELD_M,
) -> dict[str, Any]:
    """Everything the decision support shows, as JSON-ready data: the grade and the
    deadlines, the zones (most severe first) with the targets inside each, every target's
    concentration and innermost zone, the intakes downstream, the Art. 4 circumstances the
    screen suggests (``art4_hints``: sensitive places in a zone, an intake in a zone or
    downstream — reasons to report an event not yet graded as 重大), and the model's
    warnings."""
    g = grading.grade(inc.facts)
    clocks = grading.deadlines(g.reporting_grade, inc.discovered_at, inc.province_received_at)
    zones = plume.threat_zones(
        inc.rate_g_s,
        inc.wind_m_s,
        inc.stability,
        inc.height_m,
        inc.locs_g_m3,
        (inc.lon, inc.lat),
        inc.wind_from_deg,
        x_max,
    )
    conc = _target_conc(inc, targets)
    e, n = plume.lonlat_to_local([t.lon for t in targets], [t.lat for t in targets], inc.lon, inc.lat)
    rows: list[dict[str, Any]] = []
    away = np.hypot(e, n)
    for k, t in enumerate(targets):
        ck = conc[k]
        inside = next(
            (
                z.level
                for z in zones
                if ck >= z.loc_g_m3 or (t.ring and z.ring_lonlat and _zone_in_polygon(z, t))
            ),
            None,
        )
        rows.append(
            {
                "id": t.id,
                "name": t.name,
                "kind": t.kind,
                "lon": t.lon,
                "lat": t.lat,
                "polygon": [list(p) for p in t.ring] or None,
                "distance_m": round(float(away[k]), 1),
                "c_mg_m3": ck * 1000.0,
                "zone": inside,
            }
        )
    zone_rows = []
    for z in zones:
        d = z.to_dict()
        d["targets"] = [r["id"] for r in rows if r["zone"] is not None and _ge(r["zone"], z.level)]
        zone_rows.append(d)
    outer = min(inc.locs_g_m3.values()) if zones and any(z.ring_lonlat for z in zones) else None
    intakes = _downstream(inc, rivers, [t for t in targets if t.is_intake], outer, downstream_km, entry_m)
    warnings = list(plume.WARNINGS)
    if any(z.x_end_m is not None and z.x_end_m < plume.NEAR_FIELD_M for z in zones):
        warnings.append("near_field")
    if any(z.reaches_limit for z in zones):
        warnings.append("beyond_limit")
    # Art. 4 circumstances the screen itself suggests (the bureau decides): sensitive
    # places or people inside a zone, a drinking-water intake in a zone or downstream
    hints = []
    if any(r["zone"] and r["kind"] in SENSITIVE_KINDS for r in rows):
        hints.append("sensitive_area")
    if intakes or any(r["zone"] and r["kind"] in INTAKE_KINDS for r in rows):
        hints.append("drinking_water")
    return {
        "incident": {
            "time": inc.discovered_at.isoformat(timespec="minutes"),
            "lon": inc.lon,
            "lat": inc.lat,
            "place": inc.place,
            "substance": inc.substance,
            "rate_g_s": inc.rate_g_s,
            "height_m": inc.height_m,
            "wind_m_s": inc.wind_m_s,
            "wind_from_deg": inc.wind_from_deg,
            "stability": inc.stability,
        },
        "grade": g.to_dict(),
        "deadlines": [c.to_dict() for c in clocks],
        "zones": zone_rows,
        "targets": sorted(rows, key=lambda r: (r["zone"] is None, _rank(r["zone"]), r["distance_m"])),
        "intakes_downstream": intakes,
        "downstream_km": downstream_km,
        "art4_hints": hints,
        "warnings": warnings,
    }


def _rank(level: str | None) -> int:
    return plume.LEVELS.index(level) if level in plume.LEVELS else len(plume.LEVELS)


def _ge(inner: str, zone: str) -> bool:
    """A target in zone ``inner`` (say red) is also inside every wider zone (orange, yellow)."""
    return _rank(inner) <= _rank(zone)


# -- recorded incidents: the reporting clocks ---------------------------------------------

#: The reports of Art. 12: 初报 (the first, under the Art. 3 clock), 续报 (as the facts come
#: in, no deadline), 处理结果报告 (once the incident is dealt with, no deadline; it closes it).
REPORT_KINDS: Final = ("initial", "progress", "final")
#: Who reports (Art. 3): the city or county bureau, and for 重大/特别重大 the province too.
REPORT_PARTIES: Final = ("local_bureau", "provincial_bureau")
#: A clock's states: made in time, made after its deadline, running, past due and not made.
CLOCK_STATES: Final = ("on_time", "late", "open", "overdue")


def digest(data: Mapping[str, Any], region: str | None) -> str:
    """What identifies a recorded incident: its input as given (and its region); the same
    input recorded twice is one incident."""
    import hashlib

    text = json.dumps({"region": region, "input": data}, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _at(v: Any) -> dt.datetime | None:
    if v is None or isinstance(v, dt.datetime):
        return v
    return dt.datetime.fromisoformat(str(v))


def clocks(
    reporting_grade: str,
    discovered_at: dt.datetime,
    province_received_at: dt.datetime | None,
    reports: Sequence[Mapping[str, Any]],
    now: dt.datetime,
) -> dict[str, Any]:
    """The Art. 3 clocks of a recorded incident on ``now``, with the reports made
    (``{kind, party, made_at}``, any order). Each clock is the first report (``initial``)
    of one party: ``on_time`` or ``late`` once made, else ``open`` until its deadline and
    ``overdue`` after. The province's hour (重大/特别重大) runs from ``province_received_at``,
    else from the local bureau's first report, else from the local deadline. The answer:
    ``clocks`` (each deadline's fields, ``made_at``, ``state``), ``overdue`` and ``late``
    (any clock so), ``next_due`` (the earliest open deadline), ``closed_at`` (the final
    report's time). Reports made after ``now`` do not count yet."""
    first: dict[str, dt.datetime] = {}
    closed: dt.datetime | None = None
    for r in sorted(reports, key=lambda r: _at(r["made_at"]) or discovered_at):
        made = _at(r["made_at"])
        assert made is not None
        if made > now:  # not made yet on ``now``
            continue
        if r["kind"] == "initial":
            first.setdefault(str(r["party"]), made)
        elif r["kind"] == "final" and closed is None:
            closed = made
    start = province_received_at or first.get("local_bureau")
    out = []
    for d in grading.deadlines(reporting_grade, discovered_at, start):
        made = first.get(d.by)
        if made is not None:
            state = "on_time" if made <= d.due else "late"
        else:
            state = "open" if now <= d.due else "overdue"
        shown = made.isoformat(timespec="minutes") if made else None
        out.append({**d.to_dict(), "kind": "initial", "made_at": shown, "state": state})
    open_dues = [c["due"] for c in out if c["state"] == "open"]
    return {
        "clocks": out,
        "overdue": any(c["state"] == "overdue" for c in out),
        "late": any(c["state"] == "late" for c in out),
        "next_due": min(open_dues) if open_dues else None,
        "closed_at": closed.isoformat(timespec="minutes") if closed else None,
    }
