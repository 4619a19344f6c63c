"""突发环境事件信息报告办法 (环境保护部令第17号, 2011-04-18, in force 2011-05-01): an
incident's grade by the annex 突发环境事件分级标准, and the reporting clocks of Art. 3.

Source read: the order's text as reprinted in repo ``Fungwingwaa/cee``,
``docs/posts/P4/tfhjsjxxbgbf.md`` (commit 4298737c; original at mee.gov.cn
``/gzk/gz/202112/t20211210_963741.shtml``). Rules as written there:

Grades (annex; "以上" includes the number, so where two grades share a bound the higher
grade wins — e.g. 10 deaths are 特别重大, 3 are 重大):

=========  ================  ============  ==========  ===============  =====================
grade      deaths/poisoned   evacuated     direct loss  water source cut  boundary
=========  ================  ============  ==========  ===============  =====================
I 特别重大  ≥10 / ≥100        ≥50 000       ≥1 亿元      地市级以上城市     跨国界
II 重大     3–10 / 50–100     10 000–50 000 ≥2000 万元   县级城市           跨省（区、市）界
III 较大    <3 (≥1) / 10–50   5 000–10 000  ≥500 万元    乡镇               跨地市界
IV 一般     everything else
=========  ================  ============  ==========  ===============  =====================

plus: I (4) regional ecological function lost or a nationally protected species extinct;
II (4) ecological function partly lost or mass deaths of protected species, II (6) a heavy
metal or hazardous-chemical (production, storage, transport, use: explosion, leak …) or
dumped hazardous-waste event in a national key basin, national nature reserve, scenic
area, or residential area, hospital, school (敏感区域); III (4) nationally protected
species damaged. Radiation and nuclear items (I 6, II 7, III 6) are out of scope (Art. 2:
nuclear events follow the nuclear-safety rules).

Reporting (Art. 3): 一般/较大 — the city or county bureau reports to its government and
the next-level bureau **within 4 h** of discovering or learning of the event; 重大/特别重大
— **within 2 h** to its government and the provincial bureau, and at the same time to the
ministry (MEE); the provincial bureau checks and reports to MEE **within 1 h** of receiving
it. Art. 4: an event whose grade cannot be judged at once is reported by the 重大/特别重大
procedure when it touches a drinking-water source protection area, a sensitive area or
population (居民聚居区、学校、医院), heavy metals or metalloids, may cross a province or
national border, caused a mass incident, or the bureau deems it necessary (item 6) — so
here an event marked ``undetermined`` is reported as 重大 (the clock of II).

Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

__all__ = [
    "ART4_CASES",
    "GRADES",
    "Deadline",
    "Facts",
    "Grading",
    "Ground",
    "deadlines",
    "grade",
]

#: The grades, most severe first: I 特别重大, II 重大, III 较大, IV 一般.
GRADES: Final = ("I", "II", "III", "IV")
#: Levels a drinking-water source cut off can name (annex I 5, II 5, III 5).
WATER_SOURCE_LEVELS: Final = {"prefecture": "I", "county": "II", "township": "III"}
#: The boundaries an event can cross (annex I 7, II 8, III 7).
BOUNDARIES: Final = {"national": "I", "province": "II", "prefecture": "III"}
#: Ecological consequences (annex I 4, II 4, III 4).
ECOLOGY: Final = {
    "function_lost": "I",
    "species_extinct": "I",
    "function_partly_lost": "II",
    "species_mass_death": "II",
    "species_damaged": "III",
}
#: Art. 4 circumstances (reasons an undetermined event is reported as 重大).
ART4_CASES: Final = (
    "drinking_water",
    "sensitive_area",
    "heavy_metal",
    "cross_province",
    "mass_incident",
    "bureau_decision",
)


@dataclass(frozen=True)
class Facts:
    """What is known of the event (``None``: not known; counts are people, loss in yuan)."""

    deaths: int | None = None
    poisoned: int | None = None
    evacuated: int | None = None
    direct_loss_yuan: float | None = None
    water_source_cut: str | None = None  # prefecture | county | township
    cross_boundary: str | None = None  # national | province | prefecture
    ecology: str | None = None  # a key of ECOLOGY
    #: heavy metal / hazardous chemical / dumped hazardous waste in a sensitive area (II 6)
    sensitive_area: bool = False
    #: the grade cannot be judged yet (Art. 4): reported as 重大
    undetermined: bool = False
    art4: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("deaths", "poisoned", "evacuated", "direct_loss_yuan"):
            v = getattr(self, name)
            if v is not None and (v != v or v < 0):
                raise ValueError(f"{name}: {v!r} is not a count (zero or more)")
        for name, allowed in (
            ("water_source_cut", WATER_SOURCE_LEVELS),
            ("cross_boundary", BOUNDARIES),
            ("ecology", ECOLOGY),
        ):
            v = getattr(self, name)
            if v is not None and v not in allowed:
                raise ValueError(f"{name}: {v!r} is not one of {', '.join(allowed)}")
        bad = [c for c in self.art4 if c not in ART4_CASES]
        if bad:
            raise ValueError(f"art4: {bad} not among {', '.join(ART4_CASES)}")


@dataclass(frozen=True)
class Ground:
    """One reason for a grade: the annex item (``clause``, e.g. ``II.1``), what matched
    (``code``, a word ``risk.incident.ground.<code>``) and its figures."""

    grade: str
    clause: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"grade": self.grade, "clause": self.clause, "code": self.code, "params": dict(self.params)}


@dataclass(frozen=True)
class Grading:
    """The grade by the facts (``grade``: I–IV), the grade the report follows
    (``reporting_grade``: II when the facts say less but the event is undetermined) and
    every ground found (the highest first)."""

    grade: str
    reporting_grade: str
    grounds: tuple[Ground, ...]
    undetermined: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "grade": self.grade,
            "reporting_grade": self.reporting_grade,
            "undetermined": self.undetermined,
            "grounds": [g.to_dict() for g in self.grounds],
        }


def _band(value: float | None, bands: tuple[tuple[float, str, str], ...], code: str) -> list[Ground]:
    """The grade of ``value`` by ``(lower bound inclusive, grade, clause)``, highest first."""
    if value is None:
        return []
    for lower, g, clause in bands:
        if value >= lower:
            return [Ground(g, clause, code, {"value": value})]
    return []


def grade(f: Facts) -> Grading:
    """The annex grade of an event: the highest grade any of its facts reaches."""
    grounds: list[Ground] = []
    grounds += _band(f.deaths, ((10, "I", "I.1"), (3, "II", "II.1"), (1, "III", "III.1")), "deaths")
    grounds += _band(f.poisoned, ((100, "I", "I.1"), (50, "II", "II.1"), (10, "III", "III.1")), "poisoned")
    grounds += _band(
        f.evacuated, ((50_000, "I", "I.2"), (10_000, "II", "II.2"), (5_000, "III", "III.2")), "evacuated"
    )
    grounds += _band(
        f.direct_loss_yuan,
        ((100_000_000, "I", "I.3"), (20_000_000, "II", "II.3"), (5_000_000, "III", "III.3")),
        "direct_loss",
    )
    if f.ecology is not None:
        g = ECOLOGY[f.ecology]
        grounds.append(Ground(g, f"{g}.4", f"ecology_{f.ecology}"))
    if f.water_source_cut is not None:
        g = WATER_SOURCE_LEVELS[f.water_source_cut]
        grounds.append(Ground(g, f"{g}.5", f"water_source_{f.water_source_cut}"))
    if f.sensitive_area:
        grounds.append(Ground("II", "II.6", "sensitive_area"))
    if f.cross_boundary is not None:
        g = BOUNDARIES[f.cross_boundary]
        grounds.append(Ground(g, {"I": "I.7", "II": "II.8", "III": "III.7"}[g], f"cross_{f.cross_boundary}"))
    grounds.sort(key=lambda x: GRADES.index(x.grade))
    level = grounds[0].grade if grounds else "IV"
    reporting = level
    if f.undetermined and GRADES.index(level) > GRADES.index("II"):
        reporting = "II"
        grounds.append(Ground("II", "art4", "undetermined", {"cases": list(f.art4)}))
    return Grading(level, reporting, tuple(grounds), f.undetermined)


@dataclass(frozen=True)
class Deadline:
    """One reporting duty: who reports (``by``) to whom (``to``, codes with words
    ``risk.incident.party.<code>``), due at ``due`` (the start plus ``hours``)."""

    by: str
    to: tuple[str, ...]
    hours: float
    due: dt.datetime
    clause: str
    after: str  # discovered | received (the clock starts at discovery or at receipt)

    def to_dict(self) -> dict[str, Any]:
        return {
            "by": self.by,
            "to": list(self.to),
            "hours": self.hours,
            "due": self.due.isoformat(timespec="minutes"),
            "clause": self.clause,
            "after": self.after,
        }


def deadlines(
    reporting_grade: str, discovered_at: dt.datetime, province_received_at: dt.datetime | None = None
) -> list[Deadline]:
    """The Art. 3 clocks from the time the local bureau discovered or learned of the event.
    For II/I the province's hour runs from when it receives the report; without that time
    it is counted from the local deadline (the latest it can be due)."""
    if reporting_grade not in GRADES:
        raise ValueError(f"grade {reporting_grade!r}: one of {', '.join(GRADES)}")
    if reporting_grade in ("III", "IV"):
        return [
            Deadline(
                "local_bureau",
                ("local_government", "upper_bureau"),
                4,
                discovered_at + dt.timedelta(hours=4),
                "art3.2",
                "discovered",
            )
        ]
    local = discovered_at + dt.timedelta(hours=2)
    start = province_received_at or local
    return [
        Deadline(
            "local_bureau", ("local_government", "provincial_bureau", "mee"), 2, local, "art3.3", "discovered"
        ),
        Deadline("provincial_bureau", ("mee",), 1, start + dt.timedelta(hours=1), "art3.3", "received"),
    ]
