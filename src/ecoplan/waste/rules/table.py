"""The rule table: one :class:`Rule` per check (R1–R11, with sub-checks ``R5.code`` …).

``source`` is the citation stored with every alert (the document's name and article as
published); ``confirmed`` says whether the threshold is the text's own (``True``) or a
configurable default (``False``, shown as "unconfirmed"); ``settings`` names the
:class:`~ecoplan.waste.rules.settings.AlertSettings` fields the rule reads. The words of a
rule are ``waste.alerts.rule.<id>`` (lower case, ``.`` as ``_``: its name) in ``words_alerts.yaml``.

Primary texts checked: 危险废物转移管理办法 (生态环境部 公安部 交通运输部令第23号, 2021) Arts.
15, 16, 18, 20, 21, 27, 28 (Fungwingwaa/cee ``docs/posts/P4/wxfwzyglbf.md``); 固体废物污染
环境防治法 (2020) Arts. 80, 81 ¶3 and 危险废物经营许可证管理办法 (2016) Arts. 3, 10, 12(二)(四)
(LawRefBook/Laws); HJ 1259-2022 §5.5.1 e), §7.2. 40 CFR 264.72 (10 %) comes from the issue's research
notes, not re-read here.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = ["RULES", "Rule", "base_rule", "rule"]

_ZYB: Final = "《危险废物转移管理办法》"
_GFF: Final = "《固体废物污染环境防治法》"
_XKZ: Final = "《危险废物经营许可证管理办法》"
_HJ: Final = "HJ 1259-2022"


@dataclass(frozen=True)
class Rule:
    """One check of the rule set."""

    id: str
    source: str
    confirmed: bool
    subject: str  # manifest | line | actor | batch | declaration | approval
    settings: tuple[str, ...] = ()

    @property
    def base(self) -> str:
        """The rule of issue 14 this check belongs to (``R5.code`` → ``R5``)."""
        return base_rule(self.id)

    @property
    def name_key(self) -> str:
        """The words key of the rule's name."""
        return f"waste.alerts.rule.{self.id.replace('.', '_').lower()}"


def base_rule(rule_id: str) -> str:
    """``R5.code`` → ``R5``."""
    return rule_id.split(".", 1)[0]


_ALL: Final = (
    Rule("R1", f"{_ZYB}第十五条", True, "manifest"),
    Rule("R2", f"{_ZYB}第十八条第一款", True, "manifest", ("confirm_workdays", "transit_allowance_days")),
    Rule("R3", f"{_ZYB}第十八条第二款; 40 CFR 264.72", False, "line", ("tolerance_pct",)),
    Rule("R3.pieces", f"{_ZYB}第十八条第二款; {_HJ} 5.5.1", True, "line", ("piece_tolerance",)),
    Rule("R4", f"{_ZYB}第十八条第二款", True, "line"),
    Rule("R5.permit", f"{_GFF}第八十条; {_ZYB}第十条", True, "manifest"),
    Rule("R5.code", f"{_GFF}第八十条; {_XKZ}第十条", True, "line"),
    Rule("R5.capacity", f"{_XKZ}第十条、第十二条", True, "actor", ("reapply_pct",)),
    Rule("R6.none", f"{_ZYB}第二十一条", True, "manifest"),
    Rule("R6.outside", f"{_ZYB}第二十七条、第二十八条", True, "manifest"),
    Rule("R6.expiry", f"{_ZYB}第二十七条第二款", True, "approval"),
    Rule(
        "R6.method", f"{_XKZ}第三条; {_ZYB}第二十七条、第二十八条", False, "approval", ("treatment_methods",)
    ),
    Rule("R7", f"{_ZYB}第十一条第三项", False, "manifest", ("road_factor", "speed_kmh", "transit_slack_h")),
    Rule("R8", f"{_ZYB}第二十条第二款", True, "manifest", ("backfill_workdays",)),
    Rule("R9.storage", f"{_GFF}第八十一条第三款", True, "batch", ("storage_days",)),
    Rule("R9.balance", f"{_HJ} 附录C", False, "actor", ("balance_tolerance_t",)),
    Rule("R10", f"{_HJ} 7.2", True, "declaration", ("declare_day", "annual_due_month", "annual_due_day")),
    Rule("R11", f"{_ZYB}第十六条第二款", True, "manifest"),
)

#: Every check by id, in order.
RULES: Final = MappingProxyType({r.id: r for r in _ALL})


def rule(rule_id: str) -> Rule:
    """The check ``rule_id`` (``KeyError`` for an unknown one)."""
    return RULES[rule_id]
