"""The assessment's reasons are catalog codes with parameters (issue #9 item 5).

Every ``Reason("code", ...)`` written in the source names a word of the catalog with a
Chinese and an English text; a result's JSON carries the code and the parameters, and
they render back to the texts it shows; over every built-in plan (sampled regions,
every year, the demo values) no Chinese reason holds an English word and no English
reason a Chinese one, except the target expressions quoted from the plans.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import ecoplan
from ecoplan.assess.evaluate import Message, Observation, assess_indicator, warning_reason
from ecoplan.assess.model import IndicatorAssessment, PlanAssessment
from ecoplan.core.regions import bundled_regions
from ecoplan.core.words import Reason, has, params, word
from ecoplan.core.words.purity import foreign
from ecoplan.demo.synthetic import synthetic_values, territory
from ecoplan.plans import Basis, builtin_plans
from ecoplan.plans.model import IndicatorRef, Plan, TargetSpec
from ecoplan.plans.targets import parse_target

SRC = Path(ecoplan.__file__).parent


def _reason_calls() -> Iterator[tuple[str, int, ast.expr]]:
    for path in sorted(SRC.rglob("*.py")):
        if path.parent.name == "words" and path.parent.parent.name == "core":
            continue  # the catalog itself
        tree = ast.parse(path.read_text("utf-8"), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Reason":
                yield (
                    f"{path.relative_to(SRC)}:{node.lineno}",
                    node.lineno,
                    node.args[0] if node.args else node,
                )


def test_every_reason_code_in_the_source_is_in_the_catalog() -> None:
    calls = list(_reason_calls())
    assert len(calls) >= 20  # the assessment's and the air evaluation's reasons
    for where, _, arg in calls:
        assert isinstance(arg, ast.Constant) and isinstance(arg.value, str), f"{where}: code is not a literal"
        key = f"reason.{arg.value}"
        assert has(key), f"{where}: no word {key}"
        for lang in ("zh", "en"):
            assert word(key, lang, **dict.fromkeys(params(key), 1.0)).strip(), (where, lang)


# -- a broad sample of reasons -----------------------------------------------------------------


def _unresolved(ref: IndicatorRef, region: str, year: int) -> TargetSpec | None:
    return None


def _sample() -> Iterator[tuple[Plan, IndicatorAssessment]]:
    regs = bundled_regions()
    for plan in builtin_plans():
        rng = np.random.default_rng(5)
        regions = territory(plan, regs.values())
        pick = set(rng.choice(regions, size=min(8, len(regions)), replace=False)) - {plan.region}
        sample = sorted(pick)
        own = "__own__"  # the plan's own region, with values (its printed baseline applies)
        values = synthetic_values(plan, [*sample, own], seed=4, share=0.8)
        values.loc[values["region"] == own, "region"] = plan.region
        for r in [*sample, plan.region]:
            rg = regs.get(r)
            name = None if rg is None else Message(rg.name_en or rg.name_zh, rg.name_zh)
            d = values[values["region"] == r]
            for ind in plan.indicators:
                dd = d[d["indicator"] == ind.id]
                obs = [
                    Observation(int(y), float(x), Basis(b))
                    for y, x, b in zip(dd["year"], dd["value"], dd["basis"], strict=True)
                ]
                for y in range(plan.base_year, plan.end + 1):
                    yield plan, assess_indicator(plan, ind, r, y, obs, _unresolved, region_name=name)


@pytest.fixture(scope="module")
def sample() -> list[tuple[Plan, IndicatorAssessment]]:
    return list(_sample())


def _quoted(plan: Plan) -> set[str]:
    """What a reason may quote from the plans: target expressions and indicator ids."""
    ids: set[str] = set()
    exprs: set[str] = set()
    for p in builtin_plans():
        for ind in p.indicators:
            ids.add(ind.id)
            specs = [*ind.targets, *(s for a in ind.allocations.values() for s in a)]
            exprs |= {t for s in specs for t in (s.target.text, s.target.canonical()) if t}
    # the expressions with Chinese in them (a bare "3" or "-" would cut an id apart)
    return ids | {t for t in exprs if not t.isascii()}


def test_reasons_are_in_one_language(sample: list[tuple[Plan, IndicatorAssessment]]) -> None:
    allowed = _quoted(sample[0][0])
    codes: set[str] = set()
    messages = []
    for _, a in sample:
        messages.append(a.reason)
        if a.warning is not None:
            messages.append(a.warning.reason)
    for m in messages:
        assert m.reason is not None, m
        codes.add(m.reason.code)
        assert foreign(m.zh, "zh", allowed=allowed) == [], m.zh
        assert foreign(m.en, "en", allowed=allowed) == [], m.en
    # the sample reaches the rules' reasons
    assert {"no_value", "meets_target", "misses_target", "on_schedule", "from_start"} <= codes
    assert {"warning.projected", "inherited_unresolved", "behind_improving"} <= codes


def test_reason_code_and_params_round_trip_through_the_json(
    sample: list[tuple[Plan, IndicatorAssessment]],
) -> None:
    seen = 0
    for _, a in sample[::7]:
        d = a.to_dict()
        r = Reason.from_dict({"code": d["reason_code"], "params": d["reason_params"]})
        assert r == a.reason.reason
        assert (r.text("en"), r.text("zh")) == (d["reason"], d["reason_zh"])
        seen += 1
    assert seen > 500
    plan, a = next((p, a) for p, a in sample if a.warning is not None)
    pa = PlanAssessment(plan, a.region, a.year, None, [a])
    w = pa.to_dict()["warnings"][0]
    r = Reason.from_dict({"code": w["reason_code"], "params": w["reason_params"]})
    assert (r.text("en"), r.text("zh")) == (w["reason"], w["reason_zh"])


def test_region_names_are_given_per_language() -> None:
    plan = next(p for p in builtin_plans() if p.id == "cn-13th-eco")
    ind = next(i for i in plan.indicators if i.id == "air-good-days")
    a = assess_indicator(
        plan, ind, "110000", 2018, [Observation(2018, 70.0)], region_name=Message("Beijing", "北京市")
    )
    assert a.reason.reason is not None and a.reason.reason.code == "progress_needs_baseline"
    assert a.reason.en.startswith("no 2015 value for Beijing: ")
    assert a.reason.zh.startswith("缺少北京市2015年基期值")
    assert a.to_dict()["reason_params"]["region"] == {"zh": "北京市", "en": "Beijing"}


def test_warning_reason_units_per_language() -> None:
    m = warning_reason(1.24, -0.5, "万平方公里/yr", 2015, 50.0, 2020)
    assert m is not None and m.reason is not None
    assert m.en == "needs +1.2 10⁴ km²/yr, achieved -0.5 10⁴ km²/yr since 2015; projected 2020: 50"
    assert m.zh == "需年均变化+1.2 万平方公里，2015年以来实际-0.5 万平方公里；预计2020年50"
    undated = warning_reason(-1.0, 0.3, "%/yr", 2015, 3.0, None)
    assert undated is not None
    assert undated.en == "met the target in 2015, moved +0.3 %/yr since; projected final value: 3"
    assert undated.zh == "2015年已达到目标，此后年均变化+0.3 %；预计期末值3"


def test_tolerance_is_said_in_both_languages() -> None:
    plan = next(p for p in builtin_plans() if p.id == "cn-13th-eco")
    ind = next(i for i in plan.indicators if i.targets and i.targets[-1].target.text == "90左右")
    spec = ind.targets[-1]
    assert spec.target.kind is parse_target("90左右").kind
    a = assess_indicator(plan, ind, plan.region, 2020, [Observation(2020, 89.5)])
    assert a.reason.reason is not None and a.reason.reason.code == "meets_target_within_tolerance"
    assert "左右" not in a.reason.en.replace("90左右", "")
    assert "（在“左右”容差内）" in a.reason.zh
