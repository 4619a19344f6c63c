"""The plans ecoplan ships: YAML files beside this module, one plan each.

============================  ===================================================
id                            document (seed file)
============================  ===================================================
``cn-13th-eco``               国务院 “十三五”生态环境保护规划 国发〔2016〕65号 (000)
``cn-13th-eco-mee2020``       生态环境部 环厅〔2020〕27号 annex, adds CO2 intensity (002)
``jiangmen-13th-eco``         江门市生态环境保护“十三五”规划 (征求意见稿) (003)
``hebei-14th-eco``            河北省生态环境保护“十四五”规划 (004)
``cn-14th-eco``               国务院 “十四五”生态环境保护规划 (document number not reached): its table not
                              reachable, the targets as the 2021 opinion and the 14th outline
                              state them (no seed: secondary copies cited in the file)
``cn-15th-outline``           “十五五”规划纲要 专栏1, the indicators sourced so far (no seed:
                              the sources are cited in the file), linked to the 14th plan
``cn-beautiful-china-2035``   《关于全面推进美丽中国建设的意见》 (2024), its quotable 2035 target
``zhejiang-14th-eco``         浙江省生态环境保护“十四五”规划, targets as a news report states them
``shanghai-14th-eco``         上海市生态环境保护“十四五”规划, 10 of its targets (explainer copy)
``henan-14th-eco``            河南省“十四五”生态环境保护和生态经济发展规划, 12 targets (report)
============================  ===================================================
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml

from ecoplan.plans.model import Plan
from ecoplan.plans.serialize import plan_from_mapping

__all__ = ["builtin_plans"]


@cache
def builtin_plans() -> tuple[Plan, ...]:
    """All built-in plans, parents before children."""
    plans = []
    for entry in sorted(resources.files(__name__).iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".yaml"):
            data = yaml.safe_load(entry.read_text("utf-8"))
            plans.append(plan_from_mapping(data, file=f"builtin/{entry.name}"))
    by_id = {p.id: p for p in plans}
    ordered: list[Plan] = []

    def visit(p: Plan) -> None:
        if p in ordered:
            return
        if p.parent in by_id:
            visit(by_id[p.parent])
        ordered.append(p)

    for p in plans:
        visit(p)
    return tuple(ordered)
