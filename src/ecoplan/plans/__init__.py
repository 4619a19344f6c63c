"""The plan domain: plans, indicators, the target grammar, regions, built-in plans."""

from ecoplan.core.regions import Region, bundled_regions, is_known_region, region_lineage
from ecoplan.plans.builtin import builtin_plans
from ecoplan.plans.model import (
    Attribute,
    Baseline,
    Basis,
    CumulativeMode,
    Direction,
    Indicator,
    IndicatorRef,
    Plan,
    PlanLevel,
    PlanSettings,
    Project,
    Source,
    TargetSpec,
    Task,
    Text,
)
from ecoplan.plans.serialize import plan_from_mapping, plan_to_mapping
from ecoplan.plans.targets import Op, Target, TargetKind, parse_target

__all__ = [
    "Attribute",
    "Baseline",
    "Basis",
    "CumulativeMode",
    "Direction",
    "Indicator",
    "IndicatorRef",
    "Op",
    "Plan",
    "PlanLevel",
    "PlanSettings",
    "Project",
    "Region",
    "Source",
    "Target",
    "TargetKind",
    "TargetSpec",
    "Task",
    "Text",
    "builtin_plans",
    "bundled_regions",
    "is_known_region",
    "parse_target",
    "plan_from_mapping",
    "plan_to_mapping",
    "region_lineage",
]
