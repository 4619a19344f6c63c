"""HJ 941-2018 企业突发环境事件风险分级方法: an enterprise's risk level, air and water apart.

Pure: an :class:`Enterprise` (substances, process units, control measures, past events,
surroundings) and :class:`Rules` in, a :class:`Grade` out, every sub-score kept with its
evidence. What the standard's text confirmed is applied as written; what could only be
recalled (spec ``waste-risk-ecology.md`` B1, marked [M]) is a field of :class:`Rules`,
flagged ``confirmed=False``, and every figure that used it is marked "unconfirmed" in the
evidence and in :attr:`Grade.unconfirmed`. A rules file (YAML/JSON mapping) overrides any
of them (:meth:`Rules.from_mapping`).

The steps (clauses of HJ 941-2018):

* Q (§6.1, §7.1): ``Q = Σ qᵢ / Qᵢ`` over the 涉气 (air) or 涉水 (water) risk substances,
  mixtures converted to the pure substance by their mass fraction. Air substances: parts
  1–4 and 6 of Appendix A, and part 8 except the two liquid wastes; water substances:
  parts 3–8 and the listed water-soluble or water-reactive substances of parts 1–2 [V].
  Q < 1 is graded 一般 at once (Q0); otherwise Q1/Q2/Q3 by the bands of :class:`Rules`.
  A substance's threshold comes from the user's Appendix A table, else from the file,
  else (unconfirmed, :attr:`Rules.hj169_fallback`) from HJ 169-2018 Table B.1
  (:mod:`ecoplan.risk.standards.hj941_hj169`).
* M: process units scored 10 (the listed hazardous processes) or 5 (other high
  temperature/pressure or flammable/explosive processes) per unit, summed and capped at
  30 [V, MEE reply]; plus the control-measure items not met and the events of the last
  three years; bands M1 < 25 ≤ M2 < 45 ≤ M3 < 60 ≤ M4 [V via a provincial guide].
* E: E1–E3 for air from the population around the site, for water from the receptors
  downstream.
* Level: the Q × M matrix of the E class; the enterprise's level is the higher of air
  and water, raised one level (at most 重大) when it was penalised in the last three
  years for illegal discharge or illegal hazardous-waste transfer.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from ecoplan.risk.standards.hj941_hj169 import SOURCE_B1, hj169_lookup

__all__ = [
    "LEVELS",
    "AppendixRow",
    "Enterprise",
    "Grade",
    "GradeError",
    "MediumGrade",
    "ProcessUnit",
    "Rules",
    "Substance",
    "appendix",
    "grade",
    "m_class",
    "parse_appendix",
    "q_class",
    "q_value",
]

#: The three levels, lowest first (一般, 较大, 重大).
LEVELS: tuple[str, ...] = ("general", "larger", "major")
STANDARD = "HJ 941-2018"
AIR_PARTS = frozenset({1, 2, 3, 4, 6})
WATER_PARTS = frozenset({3, 4, 5, 6, 7, 8})
#: Process kinds and their points per unit (10 / 5 confirmed; "obsolete" from memory).
PROCESS_KINDS = ("listed", "other", "obsolete", "none")
E_CLASSES = ("E1", "E2", "E3")


class GradeError(ValueError):
    """Bad input to the grading: ``code`` is the words key's last part, ``params`` its fields."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


# -- Appendix A -------------------------------------------------------------------
@dataclass(frozen=True)
class AppendixRow:
    """One transcribed row of Appendix A (``standards/data/hj941_appendix_a.csv``)."""

    cas: str
    name: str
    threshold_t: float | None
    parts: frozenset[int]
    air: bool
    water: bool
    source: str
    #: False for rows a user transcribed (``--appendix``): their thresholds show "unconfirmed".
    confirmed: bool = True


def _parts(text: str) -> frozenset[int]:
    """``"3"`` → {3}; ``"1-2"`` → {1, 2} (either part)."""
    t = text.strip()
    if not t:
        return frozenset()
    if "-" in t:
        a, b = t.split("-", 1)
        return frozenset(range(int(a), int(b) + 1))
    return frozenset({int(t)})


def parse_appendix(
    text: str, *, confirmed: bool = False, default_source: str = ""
) -> tuple[AppendixRow, ...]:
    """Appendix A rows from CSV text (columns ``cas``, ``name``, ``threshold_t``, ``part``,
    ``air``, ``water``, ``source``; ``name`` required, the rest optional): the built-in
    file, or one the user transcribed from the standard (``ecoplan risk grade --appendix``)."""
    out = []
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if "name" not in (reader.fieldnames or []):
        raise GradeError("appendix_columns", columns=", ".join(reader.fieldnames or []))
    for n, r in enumerate(reader, start=2):
        cell = {k: (v or "").strip() for k, v in r.items() if k}
        if not cell.get("name"):
            raise GradeError("appendix_row", row=n, field="name", value="")
        t = cell.get("threshold_t", "")
        try:
            threshold = float(t) if t else None
            parts = _parts(cell.get("part", ""))
        except ValueError:
            bad = "threshold_t" if t and not _is_number(t) else "part"
            raise GradeError("appendix_row", row=n, field=bad, value=cell.get(bad, "")) from None
        if (threshold is not None and not threshold > 0) or not parts <= set(range(1, 9)):
            bad = "part" if not parts <= set(range(1, 9)) else "threshold_t"
            raise GradeError("appendix_row", row=n, field=bad, value=cell.get(bad, ""))
        air, water = cell.get("air", "").lower(), cell.get("water", "").lower()
        out.append(
            AppendixRow(
                cas=cell.get("cas", ""),
                name=cell["name"],
                threshold_t=threshold,
                parts=parts,
                air=air == "true" if air else bool(parts & AIR_PARTS) or 8 in parts,
                water=water == "true" if water else _water_default(parts, cell.get("cas", ""), cell["name"]),
                source=cell.get("source", "") or default_source,
                confirmed=confirmed,
            )
        )
    return tuple(out)


def _water_default(parts: frozenset[int], cas: str, name: str) -> bool:
    """Parts 3-8 are water substances; of parts 1-2 only those listed in 7.1 (the built-in rows)."""
    if parts & WATER_PARTS:
        return True
    listed = _lookup(cas, name)
    return listed is not None and listed.water


def _is_number(t: str) -> bool:
    try:
        float(t)
    except ValueError:
        return False
    return True


@cache
def appendix() -> tuple[AppendixRow, ...]:
    """The transcribed rows of Appendix A (what could be confirmed; see the data README)."""
    text = resources.files("ecoplan.risk.standards").joinpath("data/hj941_appendix_a.csv").read_text("utf-8")
    return parse_appendix(text, confirmed=True)


def _lookup(cas: str, name: str, extra: Sequence[AppendixRow] = ()) -> AppendixRow | None:
    """The row of ``cas`` (or, without a CAS number on either side, of ``name``): in
    ``extra`` (a user's table) first, then in the built-in rows."""
    for rows in (extra, appendix()):
        for row in rows:
            if cas and row.cas:
                if row.cas == cas:
                    return row
            elif row.name == name:
                return row
    return None


# -- input ------------------------------------------------------------------------
@dataclass(frozen=True)
class Substance:
    """A risk substance present on site: the largest quantity at any time (t), its mass
    fraction when in a mixture, and — when Appendix A here lacks them — its threshold,
    part and media as the assessor read them in the standard."""

    name: str
    quantity_t: float
    cas: str = ""
    fraction: float = 1.0
    threshold_t: float | None = None
    part: str = ""
    air: bool | None = None
    water: bool | None = None


@dataclass(frozen=True)
class ProcessUnit:
    """A process unit (套) scored by its kind: ``listed`` (光气化, 电解, 氯化, 硝化, 合成氨,
    裂解, 氟化, 加氢, 重氮化, 氧化, 过氧化, 胺基化, 磺化, 聚合, 烷基化, 新型煤化工, 电石,
    偶氮化 …), ``other`` (other high temperature/pressure, flammable/explosive),
    ``obsolete`` (a process or equipment due for phase-out), ``none``."""

    name: str
    kind: str
    count: int = 1


@dataclass(frozen=True)
class Enterprise:
    """What the grading needs of an enterprise (the ``ecoplan risk grade`` file)."""

    name: str
    substances: tuple[Substance, ...]
    processes: tuple[ProcessUnit, ...] = ()
    #: Control items *not* met, per medium: item code → points (None: the rule's maximum).
    controls_failed: Mapping[str, Mapping[str, float | None]] = field(default_factory=dict)
    #: Events of the last three years, per medium: levels (especially_major|major|larger|general).
    events: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: Air surroundings: people within 5 km and within 500 m, and special zones within 5 km.
    population_5km: int | None = None
    population_500m: int | None = None
    special_zone_5km: bool = False
    #: Water receptors downstream (kind codes of :attr:`Rules.water_receptors`), or an E class given.
    water_receptors: tuple[str, ...] = ()
    e_air: str | None = None
    e_water: str | None = None
    #: Penalised in the last three years for illegal discharge or illegal hazardous-waste transfer.
    penalised_3y: bool = False


# -- rules ------------------------------------------------------------------------
def _default_matrices() -> dict[str, dict[str, tuple[str, str, str, str]]]:
    """Q × M matrices per E class (rows Q1–Q3, columns M1–M4) — spec B1 [M], unconfirmed."""
    g, la, ma = "general", "larger", "major"
    return {
        "E1": {"Q1": (la, la, ma, ma), "Q2": (la, ma, ma, ma), "Q3": (ma, ma, ma, ma)},
        "E2": {"Q1": (g, la, la, ma), "Q2": (la, la, ma, ma), "Q3": (la, ma, ma, ma)},
        "E3": {"Q1": (g, g, la, la), "Q2": (g, la, la, ma), "Q3": (la, la, ma, ma)},
    }


@dataclass(frozen=True)
class Rules:
    """The grading's parameters; ``confirmed`` names those checked against a text."""

    q_bands: tuple[float, float, float] = (1.0, 10.0, 100.0)
    m_bands: tuple[float, float, float] = (25.0, 45.0, 60.0)
    process_points: Mapping[str, float] = field(
        default_factory=lambda: {"listed": 10.0, "other": 5.0, "obsolete": 5.0, "none": 0.0}
    )
    process_cap: float = 30.0
    #: Control items per medium: code → maximum points (given when the item is not met).
    controls: Mapping[str, Mapping[str, float]] = field(
        default_factory=lambda: {
            "air": {"toxic_gas_alarm": 25.0, "protection_distance": 25.0},
            "water": {
                "interception": 8.0,
                "accident_water_collection": 8.0,
                "clean_wastewater": 8.0,
                "rainwater": 8.0,
                "process_wastewater": 8.0,
                "discharge_permit": 5.0,
                "hazardous_waste": 5.0,
            },
        }
    )
    event_points: Mapping[str, float] = field(
        default_factory=lambda: {"especially_major": 20.0, "major": 20.0, "larger": 15.0, "general": 10.0}
    )
    #: Air E: (E1 if > a within 5 km or > b within 500 m; E2 if > c or > d).
    e_air_thresholds: tuple[int, int, int, int] = (50_000, 1_000, 10_000, 500)
    water_receptors: Mapping[str, str] = field(
        default_factory=lambda: {
            "drinking_water_source": "E1",
            "cross_border": "E1",
            "cross_province": "E1",
            "nature_reserve": "E1",
            "ecological_sensitive": "E2",
            "cross_city": "E2",
            "other": "E3",
        }
    )
    matrices: Mapping[str, Mapping[str, tuple[str, str, str, str]]] = field(default_factory=_default_matrices)
    penalty_raise: bool = True
    #: Take a substance's threshold from HJ 169-2018 Table B.1 (derived from, but not,
    #: HJ 941 Appendix A; shown "unconfirmed") when neither a table nor the file gives one.
    hj169_fallback: bool = True
    #: The parameters checked against a text of the standard (the rest are shown "unconfirmed").
    confirmed: frozenset[str] = frozenset(
        {"m_bands", "process_cap", "process_points.listed", "process_points.other"}
    )

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Rules:
        """Rules with ``data``'s entries replacing the defaults (a rules file). An entry
        given here stays unconfirmed unless ``confirmed`` lists it."""
        known = {f for f in cls.__dataclass_fields__ if f != "confirmed"}
        bad = sorted(set(data) - known - {"confirmed"})
        if bad:
            raise GradeError("rules_unknown", keys=", ".join(bad), known=", ".join(sorted(known)))
        base = cls()
        kw: dict[str, Any] = {}
        for k, v in data.items():
            if k == "confirmed":
                kw[k] = frozenset(str(x) for x in v)
            elif k in ("q_bands", "m_bands", "e_air_thresholds"):
                kw[k] = tuple(v)
            elif k == "matrices":
                kw[k] = {e: {q: tuple(row) for q, row in rows.items()} for e, rows in v.items()}
            else:
                kw[k] = v
        if "confirmed" not in kw:
            kw["confirmed"] = base.confirmed - set(data)
        return replace(base, **kw)

    def is_confirmed(self, name: str) -> bool:
        return name in self.confirmed


# -- output -----------------------------------------------------------------------
@dataclass
class MediumGrade:
    """The grading of one medium (``air`` or ``water``)."""

    medium: str
    q: float
    q_class: str
    m: float | None = None
    m_class: str | None = None
    e: str | None = None
    level: str = "general"

    def notation(self) -> str:
        """``Q1-M2-E1`` (or ``Q0``)."""
        if self.q_class == "Q0":
            return "Q0"
        return f"{self.q_class}-{self.m_class}-{self.e}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "q": self.q,
            "q_class": self.q_class,
            "m": self.m,
            "m_class": self.m_class,
            "e": self.e,
            "level": self.level,
            "notation": self.notation(),
        }


@dataclass
class Grade:
    """An enterprise's HJ 941-2018 level, both media and the evidence of every step."""

    enterprise: str
    level: str
    air: MediumGrade
    water: MediumGrade
    raised: bool
    evidence: list[dict[str, Any]]
    unconfirmed: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "enterprise": self.enterprise,
            "level": self.level,
            "raised": self.raised,
            "air": self.air.to_dict(),
            "water": self.water.to_dict(),
            "evidence": self.evidence,
            "unconfirmed": self.unconfirmed,
            "standard": STANDARD,
        }


# -- the steps ----------------------------------------------------------------------
def q_value(pairs: Iterable[tuple[float, float]]) -> float:
    """``Σ qᵢ/Qᵢ`` of (quantity, threshold) pairs (both in t, thresholds > 0)."""
    return math.fsum(q / t for q, t in pairs)


def q_class(q: float, bands: Sequence[float] = (1.0, 10.0, 100.0)) -> str:
    """Q0 (< 1), Q1 (1 ≤ Q < 10), Q2 (10 ≤ Q < 100), Q3 (≥ 100) with the default bands."""
    if q < bands[0]:
        return "Q0"
    if q < bands[1]:
        return "Q1"
    if q < bands[2]:
        return "Q2"
    return "Q3"


def m_class(m: float, bands: Sequence[float] = (25.0, 45.0, 60.0)) -> str:
    """M1 (< 25), M2 (25 ≤ M < 45), M3 (45 ≤ M < 60), M4 (≥ 60)."""
    for i, b in enumerate(bands):
        if m < b:
            return f"M{i + 1}"
    return "M4"


def _flag(rules: Rules, name: str) -> bool:
    return rules.is_confirmed(name)


def _media(s: Substance, row: AppendixRow | None) -> tuple[bool, bool, str]:
    """Is the substance an air / water risk substance, and where that came from."""
    if s.air is not None or s.water is not None:
        return bool(s.air), bool(s.water), "file"
    if row is not None:
        return row.air, row.water, "appendix"
    try:
        parts = _parts(s.part) if s.part else frozenset()
    except ValueError:
        parts = frozenset()
    if not parts or not parts <= set(range(1, 9)):
        raise GradeError("substance_part", substance=s.name)
    # Parts 1-2: water substances only as listed in 7.1 (all in Appendix A here), so a
    # part 1-2 substance not found above is an air substance only.
    air = bool(parts & AIR_PARTS) or 8 in parts
    return air, bool(parts & WATER_PARTS), "part"


def _q(
    ent: Enterprise,
    rules: Rules,
    ev: list[dict[str, Any]],
    unconfirmed: set[str],
    table: Sequence[AppendixRow] = (),
) -> dict[str, float]:
    totals = {"air": 0.0, "water": 0.0}
    terms: dict[str, list[tuple[float, float]]] = {"air": [], "water": []}
    for i, s in enumerate(ent.substances):
        if not (s.quantity_t >= 0 and math.isfinite(s.quantity_t)):
            raise GradeError("substance_quantity", substance=s.name, value=s.quantity_t)
        if not 0 < s.fraction <= 1:
            raise GradeError("substance_fraction", substance=s.name, value=s.fraction)
        row = _lookup(s.cas, s.name, table)
        ref = hj169_lookup(s.cas, s.name)
        basis = f"{STANDARD} 6.1/7.1 附录A"
        if row is not None and row.threshold_t is not None:
            threshold, t_source, t_ok = row.threshold_t, row.source, row.confirmed
        elif s.threshold_t is not None:
            threshold, t_source, t_ok = s.threshold_t, "file", False
        elif rules.hj169_fallback and ref is not None:
            threshold, t_source, t_ok = ref.threshold_t, SOURCE_B1, False
            basis = f"{STANDARD} 6.1/7.1; {SOURCE_B1}"
        else:
            raise GradeError("substance_threshold", substance=s.name, cas=s.cas or "—")
        if not threshold > 0:
            raise GradeError("substance_threshold_value", substance=s.name, value=threshold)
        air, water, m_source = _media(s, row)
        pure = s.quantity_t * s.fraction
        ratio = pure / threshold
        for medium, on in (("air", air), ("water", water)):
            if on:
                terms[medium].append((pure, threshold))
        if not t_ok:
            unconfirmed.add(f"threshold:{s.name}")
        ev.append(
            {
                "step": "q.substance",
                "index": i,
                "substance": s.name,
                "cas": s.cas or None,
                "quantity_t": s.quantity_t,
                "fraction": s.fraction,
                "pure_t": pure,
                "threshold_t": threshold,
                "threshold_source": t_source,
                "ratio": ratio,
                "air": air,
                "water": water,
                "media_source": m_source,
                "basis": basis,
                "confirmed": t_ok,
                # HJ 169-2018 Table B.1's value for comparison (None when not listed there).
                "reference_threshold_t": ref.threshold_t if ref is not None else None,
            }
        )
    for medium in totals:
        totals[medium] = q_value(terms[medium])
        cls = q_class(totals[medium], rules.q_bands)
        ok = _flag(rules, "q_bands")
        if not ok:
            unconfirmed.add("q_bands")
        ev.append(
            {
                "step": f"q.{medium}",
                "q": totals[medium],
                "q_class": cls,
                "terms": len(terms[medium]),
                "bands": list(rules.q_bands),
                "basis": f"{STANDARD} 6.1" if medium == "air" else f"{STANDARD} 7.1",
                "confirmed": ok,
            }
        )
    return totals


def _process(ent: Enterprise, rules: Rules, ev: list[dict[str, Any]], unconfirmed: set[str]) -> float:
    raw = 0.0
    for p in ent.processes:
        if p.kind not in rules.process_points:
            raise GradeError("process_kind", unit=p.name, kind=p.kind, kinds=", ".join(rules.process_points))
        if p.count < 0:
            raise GradeError("process_count", unit=p.name, value=p.count)
        pts = rules.process_points[p.kind] * p.count
        ok = _flag(rules, f"process_points.{p.kind}") or p.kind == "none"
        if not ok:
            unconfirmed.add(f"process_points.{p.kind}")
        raw += pts
        ev.append(
            {
                "step": "m.process_unit",
                "unit": p.name,
                "kind": p.kind,
                "count": p.count,
                "points": pts,
                "basis": f"{STANDARD} 表1",
                "note": "per unit, summed (MEE reply)",
                "confirmed": ok,
            }
        )
    capped = min(raw, rules.process_cap)
    ev.append(
        {
            "step": "m.process",
            "raw": raw,
            "cap": rules.process_cap,
            "points": capped,
            "basis": f"{STANDARD} 表1",
            "confirmed": _flag(rules, "process_cap"),
        }
    )
    return capped


def _m(
    ent: Enterprise,
    rules: Rules,
    medium: str,
    process: float,
    ev: list[dict[str, Any]],
    unconfirmed: set[str],
) -> tuple[float, str]:
    items = rules.controls.get(medium, {})
    total = process
    controls_ok = _flag(rules, "controls")
    for code, given in ent.controls_failed.get(medium, {}).items():
        if code not in items:
            raise GradeError("control_item", medium=medium, item=code, items=", ".join(items))
        pts = items[code] if given is None else float(given)
        if not 0 <= pts <= items[code]:
            raise GradeError("control_points", item=code, value=pts, max=items[code])
        if not controls_ok:
            unconfirmed.add("controls")
        total += pts
        ev.append(
            {
                "step": f"m.{medium}.control",
                "item": code,
                "points": pts,
                "max": items[code],
                "basis": STANDARD,
                "confirmed": controls_ok,
            }
        )
    # Events of the last three years: the worst one counts (one score per medium).
    events_ok = _flag(rules, "event_points")
    worst = 0.0
    for lvl in ent.events.get(medium, ()):
        if lvl not in rules.event_points:
            raise GradeError("event_level", level=lvl, levels=", ".join(rules.event_points))
        worst = max(worst, rules.event_points[lvl])
        if not events_ok:
            unconfirmed.add("event_points")
        ev.append(
            {
                "step": f"m.{medium}.event",
                "level": lvl,
                "points": rules.event_points[lvl],
                "basis": STANDARD,
                "note": "events of the last 3 years; the worst counts",
                "confirmed": events_ok,
            }
        )
    total += worst
    cls = m_class(total, rules.m_bands)
    ev.append(
        {
            "step": f"m.{medium}",
            "m": total,
            "process": process,
            "m_class": cls,
            "bands": list(rules.m_bands),
            "basis": STANDARD,
            "confirmed": _flag(rules, "m_bands"),
        }
    )
    return total, cls


def _e_air(ent: Enterprise, rules: Rules, ev: list[dict[str, Any]], unconfirmed: set[str]) -> str:
    if ent.e_air is not None:
        if ent.e_air not in E_CLASSES:
            raise GradeError("e_class", medium="air", value=ent.e_air)
        ev.append({"step": "e.air", "e": ent.e_air, "source": "file", "basis": STANDARD, "confirmed": False})
        unconfirmed.add("e_air:file")
        return ent.e_air
    if ent.population_5km is None and ent.population_500m is None and not ent.special_zone_5km:
        raise GradeError("e_air_missing")
    p5, p05 = ent.population_5km or 0, ent.population_500m or 0
    a, b, c, d = rules.e_air_thresholds
    if ent.special_zone_5km or p5 > a or p05 > b:
        e = "E1"
    elif p5 >= c or p05 >= d:
        e = "E2"
    else:
        e = "E3"
    ok = _flag(rules, "e_air_thresholds")
    if not ok:
        unconfirmed.add("e_air_thresholds")
    ev.append(
        {
            "step": "e.air",
            "e": e,
            "population_5km": ent.population_5km,
            "population_500m": ent.population_500m,
            "special_zone_5km": ent.special_zone_5km,
            "thresholds": list(rules.e_air_thresholds),
            "basis": STANDARD,
            "confirmed": ok,
        }
    )
    return e


def _e_water(ent: Enterprise, rules: Rules, ev: list[dict[str, Any]], unconfirmed: set[str]) -> str:
    if ent.e_water is not None:
        if ent.e_water not in E_CLASSES:
            raise GradeError("e_class", medium="water", value=ent.e_water)
        ev.append(
            {"step": "e.water", "e": ent.e_water, "source": "file", "basis": STANDARD, "confirmed": False}
        )
        unconfirmed.add("e_water:file")
        return ent.e_water
    classes = []
    for kind in ent.water_receptors:
        if kind not in rules.water_receptors:
            raise GradeError("receptor_kind", kind=kind, kinds=", ".join(rules.water_receptors))
        classes.append(rules.water_receptors[kind])
    e = min(classes) if classes else "E3"
    ok = _flag(rules, "water_receptors")
    if not ok:
        unconfirmed.add("water_receptors")
    ev.append(
        {
            "step": "e.water",
            "e": e,
            "receptors": list(ent.water_receptors),
            "basis": STANDARD,
            "confirmed": ok,
        }
    )
    return e


def _level(rules: Rules, medium: MediumGrade, ev: list[dict[str, Any]], unconfirmed: set[str]) -> str:
    if medium.q_class == "Q0":
        ok = _flag(rules, "q_bands")
        if not ok:
            unconfirmed.add("q_bands")
        ev.append(
            {
                "step": f"level.{medium.medium}",
                "level": "general",
                "rule": "Q<1",
                "basis": STANDARD,
                "confirmed": ok,
            }
        )
        return "general"
    assert medium.e is not None and medium.m_class is not None
    row = rules.matrices[medium.e][medium.q_class]
    lvl = row[int(medium.m_class[1]) - 1]
    ok = _flag(rules, "matrices")
    if not ok:
        unconfirmed.add("matrices")
    ev.append(
        {
            "step": f"level.{medium.medium}",
            "level": lvl,
            "matrix": medium.e,
            "cell": f"{medium.q_class}×{medium.m_class}",
            "basis": STANDARD,
            "confirmed": ok,
        }
    )
    return lvl


def grade(ent: Enterprise, rules: Rules | None = None, table: Sequence[AppendixRow] = ()) -> Grade:
    """The HJ 941-2018 level of ``ent`` (see the module docstring); ``table``: Appendix A
    rows a user transcribed (:func:`parse_appendix`), looked up before the built-in ones.
    Raises :class:`GradeError` on input the method cannot grade."""
    rules = rules or Rules()
    ev: list[dict[str, Any]] = []
    unconfirmed: set[str] = set()
    qs = _q(ent, rules, ev, unconfirmed, table)
    process: float | None = None
    media: dict[str, MediumGrade] = {}
    for medium in ("air", "water"):
        g = MediumGrade(medium, qs[medium], q_class(qs[medium], rules.q_bands))
        if g.q_class != "Q0":
            if process is None:
                process = _process(ent, rules, ev, unconfirmed)
            g.m, g.m_class = _m(ent, rules, medium, process, ev, unconfirmed)
            g.e = (_e_air if medium == "air" else _e_water)(ent, rules, ev, unconfirmed)
        g.level = _level(rules, g, ev, unconfirmed)
        media[medium] = g
    top = max(LEVELS.index(media["air"].level), LEVELS.index(media["water"].level))
    raised = bool(ent.penalised_3y and rules.penalty_raise and top < len(LEVELS) - 1)
    if ent.penalised_3y and rules.penalty_raise:
        ok = _flag(rules, "penalty_raise")
        if not ok:
            unconfirmed.add("penalty_raise")
        ev.append(
            {
                "step": "level.penalty",
                "from": LEVELS[top],
                "to": LEVELS[min(top + 1, len(LEVELS) - 1)],
                "basis": STANDARD,
                "note": "penalised in the last 3 years",
                "confirmed": ok,
            }
        )
        top = min(top + 1, len(LEVELS) - 1)
    ev.append(
        {"step": "level", "level": LEVELS[top], "basis": STANDARD, "note": "the higher of air and water"}
    )
    return Grade(ent.name, LEVELS[top], media["air"], media["water"], raised, ev, sorted(unconfirmed))
