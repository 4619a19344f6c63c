"""The plan domain: plans, indicators, targets, tasks, projects, regions.

Plain frozen dataclasses; no I/O. A plan is built from a mapping (YAML,
Excel, the store) by :mod:`ecoplan.plans.serialize`.

Conventions
-----------
``direction`` is the direction in which the indicator's *level* improves:
``higher`` (good-air days) or ``lower`` (PM2.5, emissions). For a
cumulative target ``〔x〕`` the change is a decrease when the direction is
``lower`` and an increase when it is ``higher`` (``assessment.md`` §1.2).

A cumulative indicator whose baseline level is not given (``-`` in the
table, as for "PM2.5 decline 〔18〕" or "COD 〔10〕") is measured in *change*
form: its yearly value is the cumulative change achieved since the base year,
in the target's terms (28.8 means 28.8 % down since 2015; for an area, the
area treated since the base year). When the baseline level is known, values
may be given in either form (``basis`` ``level`` or ``change``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from ecoplan.plans.targets import Target, TargetKind

__all__ = [
    "Attribute",
    "Baseline",
    "BaselineRule",
    "Basis",
    "ComparableBaseline",
    "CumulativeMode",
    "Direction",
    "Indicator",
    "IndicatorRef",
    "Method",
    "MethodStatus",
    "Plan",
    "PlanLevel",
    "PlanSettings",
    "Predecessor",
    "Project",
    "Relation",
    "Source",
    "TargetSpec",
    "Task",
    "Text",
]


class Direction(StrEnum):
    """Which way the indicator's level improves."""

    HIGHER = "higher"
    LOWER = "lower"

    @property
    def sign(self) -> int:
        """+1 when higher is better, -1 when lower is better."""
        return 1 if self is Direction.HIGHER else -1


class Attribute(StrEnum):
    """约束性 (binding) or 预期性 (expected) — ``assessment.md`` §1.1."""

    BINDING = "binding"
    EXPECTED = "expected"

    @property
    def zh(self) -> str:
        return "约束性" if self is Attribute.BINDING else "预期性"


class PlanLevel(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    COUNTY = "county"


class CumulativeMode(StrEnum):
    """How a 〔x〕 change is measured (``assessment.md`` §1.2)."""

    RELATIVE = "relative"  #: x % of the baseline level
    ABSOLUTE = "absolute"  #: x in the indicator's unit (area added, points gained)


class Basis(StrEnum):
    """Form of an indicator value: the level itself, or the change since base year."""

    LEVEL = "level"
    CHANGE = "change"


@dataclass(frozen=True)
class Text:
    """A user-facing string in Chinese and English."""

    zh: str
    en: str = ""

    def get(self, lang: str = "zh") -> str:
        """The text in ``lang`` (``zh`` or ``en``), falling back to Chinese."""
        return self.en if lang == "en" and self.en else self.zh


@dataclass(frozen=True)
class Source:
    """Where a definition comes from: a file and the quoted text."""

    file: str | None = None
    quote: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Baseline:
    year: int
    value: float | None = None


@dataclass(frozen=True)
class TargetSpec:
    """A target for one year (milestone or final), with an optional stretch (力争)."""

    year: int
    target: Target
    stretch: Target | None = None


@dataclass(frozen=True)
class IndicatorRef:
    """An indicator of another plan (the parent of a decomposed indicator)."""

    plan: str
    indicator: str


class Relation(StrEnum):
    """How an indicator of a later period stands to the one it follows (``plan-format.md``
    "Across periods").

    ``continued`` and ``renamed`` keep one measure, so the two are one series (the
    successor's baseline should equal the predecessor's end value); ``redefined``,
    ``split`` and ``merged`` make a different definition, never compared as one series.
    """

    CONTINUED = "continued"  #: same definition: one series
    REDEFINED = "redefined"  #: a new definition (PM2.5 decline -> concentration)
    SPLIT = "split"  #: one indicator became several
    MERGED = "merged"  #: several indicators became one
    RENAMED = "renamed"  #: a new name, the same measure

    @property
    def one_series(self) -> bool:
        """True when successor and predecessor are one series (``continued``, ``renamed``)."""
        return self in (Relation.CONTINUED, Relation.RENAMED)


@dataclass(frozen=True)
class Predecessor:
    """The indicator of an earlier plan that ``Indicator`` follows, and how."""

    plan: str
    indicator: str
    relation: Relation
    note: Text = Text("")


class BaselineRule(StrEnum):
    """How a plan makes its base-year value comparable with later years."""

    FIXED_STATIONS = "fixed-stations"  #: the base year re-computed on the period's fixed station set
    REBASED = "rebased"  #: the base-year value re-based to the new definition or method
    AS_PUBLISHED = "as-published"  #: the base-year value as published, unchanged


@dataclass(frozen=True)
class ComparableBaseline:
    """A plan's comparable-baseline rule (``settings.comparable_baseline``)."""

    rule: BaselineRule
    note: Text = Text("")


@dataclass(frozen=True)
class PlanSettings:
    """Per-plan reading of target expressions and schedules.

    Defaults: ``X左右`` is met within ±5 % of X (``about_tolerance_pct``; the
    issue's default — ``assessment.md`` §1.3 suggests max(0.5, 2 %)), or at
    least ``about_tolerance_min`` units; table ``＞``/``＜`` are inclusive;
    ``基本消除`` leaves at most 10 (% of water bodies, the 水十条 2020 bar for
    prefecture-level cities: 黑臭水体控制在10%以内); 序时进度 is linear.
    """

    about_tolerance_pct: float = 5.0
    about_tolerance_min: float = 0.0
    strict_gt: bool = False
    strict_lt: bool = False
    eliminate_basic: float = 10.0
    eliminate_full: float = 0.0
    schedule: str = "linear"
    comparable_baseline: ComparableBaseline | None = None

    def about_tolerance(self, x: float) -> float:
        """Tolerance of an ``X左右`` target [indicator unit]."""
        return max(abs(x) * self.about_tolerance_pct / 100.0, self.about_tolerance_min)


class MethodStatus(StrEnum):
    """Whether the rule that computes an indicator's value is published."""

    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"


@dataclass(frozen=True)
class Method:
    """How an indicator's value is computed, when the plan or its issuer says.

    ``unpublished`` marks an indicator whose computation rule is not yet public (the
    15th FYP outline's 优良水体比例: a broader measure than the 2011 share of class
    Ⅰ–Ⅲ sections, ``water-soil-updates.md`` §2). Such an indicator is never fed by a
    domain pipeline's proxy; without a value entered with its own source it is not
    assessed, with the reason ``method_unpublished`` (:mod:`ecoplan.assess.verdict`).
    """

    status: MethodStatus = MethodStatus.PUBLISHED
    note: Text = Text("")
    source: Source = Source()

    @property
    def unpublished(self) -> bool:
        return self.status is MethodStatus.UNPUBLISHED


@dataclass(frozen=True)
class Indicator:
    """One plan indicator (a row of the plan's indicator table)."""

    id: str
    name: Text
    unit: str
    direction: Direction
    attribute: Attribute
    baseline: Baseline
    targets: tuple[TargetSpec, ...]
    category: Text = Text("")
    code: str | None = None
    cumulative_mode: CumulativeMode | None = None
    footnotes: tuple[str, ...] = ()
    scope: str | None = None
    source: Source = Source()
    parent: IndicatorRef | None = None
    allocations: Mapping[str, tuple[TargetSpec, ...]] = field(default_factory=dict)
    method: Method = Method()
    predecessors: tuple[Predecessor, ...] = ()

    @property
    def predecessor(self) -> Predecessor | None:
        """The (first) indicator this one follows; ``merged`` may name several."""
        return self.predecessors[0] if self.predecessors else None

    @property
    def final(self) -> TargetSpec | None:
        """The target of the latest year (the plan-end target)."""
        return self.targets[-1] if self.targets else None

    @property
    def is_cumulative(self) -> bool:
        """True when the final target is a five-year cumulative change (〔x〕)."""
        final = self.final
        return final is not None and final.target.kind is TargetKind.CUMULATIVE

    @property
    def cumulative(self) -> CumulativeMode | None:
        """How the 〔x〕 change is measured, or None for a non-cumulative indicator.

        Inferred when the plan does not say (``assessment.md`` §1.2): a level
        printed with it (``23.04〔1.38〕``) or a quantity unit (万平方公里)
        makes it absolute; a percentage indicator of a decline or increase
        (``浓度下降（%）〔18〕``) is relative to the baseline level.
        """
        if not self.is_cumulative:
            return None
        if self.cumulative_mode is not None:
            return self.cumulative_mode
        final = self.final
        assert final is not None
        if final.target.value is not None or self.unit not in ("%", "％"):
            return CumulativeMode.ABSOLUTE
        return CumulativeMode.RELATIVE

    @property
    def default_basis(self) -> Basis:
        """Form of values when a file does not say: change form without a baseline level."""
        if self.is_cumulative and self.baseline.value is None:
            return Basis.CHANGE
        return Basis.LEVEL

    def targets_for(self, region: str, plan_region: str) -> tuple[TargetSpec, ...]:
        """The targets that apply to ``region``: an allocation, or the plan's own."""
        if region in self.allocations:
            return self.allocations[region]
        if region == plan_region:
            return self.targets
        return ()


@dataclass(frozen=True)
class Task:
    """A task with a deadline (重点任务)."""

    id: str
    text: Text
    due: dt.date | None = None
    responsible: tuple[str, ...] = ()
    source: Source = Source()


@dataclass(frozen=True)
class Project:
    """A key project (重点工程)."""

    id: str
    name: Text
    category: str | None = None
    region: str | None = None
    investment: float | None = None  # 亿元 (100 million yuan)
    source: Source = Source()


@dataclass(frozen=True)
class Plan:
    """A five-year plan (or an annex/decomposition of one)."""

    id: str
    title: Text
    level: PlanLevel
    region: str
    start: int
    end: int
    base_year: int
    indicators: tuple[Indicator, ...]
    issuer: Text = Text("")
    document_number: str | None = None
    parent: str | None = None
    source: Source = Source()
    settings: PlanSettings = PlanSettings()
    tasks: tuple[Task, ...] = ()
    projects: tuple[Project, ...] = ()

    def indicator(self, key: str) -> Indicator:
        """Find an indicator by id or by its exact Chinese name.

        Raises
        ------
        KeyError
            Neither an id nor a Chinese name of this plan.
        """
        for ind in self.indicators:
            if key in (ind.id, ind.name.zh):
                return ind
        raise KeyError(key)
