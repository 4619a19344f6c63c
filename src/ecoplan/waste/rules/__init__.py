"""The hazardous-waste alert rules (R1–R11 of issue 14), each with its words, its legal
source and whether its threshold is confirmed by that source or a configurable default.

The rules are data (:data:`RULES`); the SQL that evaluates them is in
:mod:`ecoplan.waste.pipeline.sql`, the thresholds in :class:`AlertSettings`.
"""

from ecoplan.waste.rules.settings import AlertSettings
from ecoplan.waste.rules.table import RULES, Rule, base_rule, rule

__all__ = ["RULES", "AlertSettings", "Rule", "base_rule", "rule"]
