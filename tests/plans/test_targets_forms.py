"""The target forms of real plans beyond the seeds (issue 13, point 2) and how they are assessed.

``〔16〕左右``, ``〔10〕以上`` / ``〔10〕以下``, ``稳中向好``, qualitative aims (``有效保障``,
``与GDP增长同步``, ``保持在合理区间``: "not judged quantitatively") and ``力争X``
(stretch). Each is parsed, printed back canonically (Hypothesis: the round trip
holds for every combination), and assessed by the scalar rules and the vectorised
table alike.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.assess.test_table import assert_same, scalar_rows

from ecoplan.assess.evaluate import Observation, Status, Verdict, assess_indicator
from ecoplan.assess.table import assess_table
from ecoplan.core.errors import TargetSyntaxError
from ecoplan.plans import Basis, plan_from_mapping
from ecoplan.plans.model import Plan
from ecoplan.plans.targets import Op, Target, TargetKind, parse_target

K = TargetKind

# (expression, kind, op, value, cumulative, scope, bound, about, stretch, canonical)
FORMS = [
    ("＜27", K.LEVEL, Op.TABLE_LT, 27.0, None, None, None, False, False, "<27"),
    ("1.45左右", K.ABOUT, None, 1.45, None, None, None, False, False, "1.45左右"),
    ("79%左右", K.ABOUT, None, 79.0, None, None, None, False, False, "79左右"),
    ("〔16〕左右", K.CUMULATIVE, None, None, 16.0, None, None, True, False, "〔16〕左右"),
    ("〔10〕以上", K.CUMULATIVE, None, None, 10.0, None, Op.GE, False, False, "〔10〕以上"),
    ("〔10%〕以上", K.CUMULATIVE, None, None, 10.0, None, Op.GE, False, False, "〔10〕以上"),
    ("〔10〕以下", K.CUMULATIVE, None, None, 10.0, None, Op.LE, False, False, "〔10〕以下"),
    ("〔10〕以内", K.CUMULATIVE, None, None, 10.0, None, Op.LE, False, False, "〔10〕以下"),
    ("23〔1.5〕以上", K.CUMULATIVE, Op.REACH, 23.0, 1.5, None, Op.GE, False, False, "23〔1.5〕以上"),
    ("稳中向好", K.MAINTAIN, None, None, None, "improve", None, False, False, "稳中向好"),
    ("基本消除", K.ELIMINATE, None, None, None, "basic", None, False, False, "基本消除"),
    ("有效保障", K.QUALITATIVE, None, None, None, "有效保障", None, False, False, "有效保障"),
    # 得到 adds nothing to the aim: one scope, one canonical spelling
    ("得到有效保障", K.QUALITATIVE, None, None, None, "有效保障", None, False, False, "有效保障"),
    (
        "比2015年下降15%以上",
        K.QUALITATIVE,
        None,
        None,
        None,
        "比2015年下降15%以上",
        None,
        False,
        False,
        "比2015年下降15%以上",
    ),
    (
        "比2005年下降70.0%",
        K.QUALITATIVE,
        None,
        None,
        None,
        "比2005年下降70%",
        None,
        False,
        False,
        "比2005年下降70%",
    ),
    ("年均降低3.2%", K.QUALITATIVE, None, None, None, "年均降低3.2%", None, False, False, "年均降低3.2%"),
    (
        "年均增长7%以内",
        K.QUALITATIVE,
        None,
        None,
        None,
        "年均增长7%以下",
        None,
        False,
        False,
        "年均增长7%以下",
    ),
    ("减少", K.QUALITATIVE, None, None, None, "减少", None, False, False, "减少"),
    ("达到国家要求", K.INHERITED, None, None, None, "nation", None, False, False, "国家要求"),
    ("与GDP增长同步", K.QUALITATIVE, None, None, None, "与GDP增长同步", None, False, False, "与GDP增长同步"),
    (
        "与ＧＤＰ增长同步",
        K.QUALITATIVE,
        None,
        None,
        None,
        "与GDP增长同步",
        None,
        False,
        False,
        "与GDP增长同步",
    ),
    (
        "保持在合理区间",
        K.QUALITATIVE,
        None,
        None,
        None,
        "保持在合理区间",
        None,
        False,
        False,
        "保持在合理区间",
    ),
    ("定性", K.QUALITATIVE, None, None, None, None, None, False, False, "定性"),
    ("全面达标", K.QUALITATIVE, None, None, None, "全面达标", None, False, False, "全面达标"),
    ("稳定达到Ⅱ类", K.QUALITATIVE, None, None, None, "稳定达到II类", None, False, False, "稳定达到II类"),
    ("以Ⅱ类为主", K.QUALITATIVE, None, None, None, "以II类为主", None, False, False, "以II类为主"),
    (
        "达到第一类海水水质标准",
        K.QUALITATIVE,
        None,
        None,
        None,
        "达到第一类海水水质标准",
        None,
        False,
        False,
        "达到第一类海水水质标准",
    ),
    (
        "增长趋势得到有效控制",
        K.QUALITATIVE,
        None,
        None,
        None,
        "增长趋势得到有效控制",
        None,
        False,
        False,
        "增长趋势得到有效控制",
    ),
    ("得到合理控制", K.QUALITATIVE, None, None, None, "得到合理控制", None, False, False, "得到合理控制"),
    ("持续下降", K.QUALITATIVE, None, None, None, "持续下降", None, False, False, "持续下降"),
    ("总体稳定", K.MAINTAIN, None, None, None, None, None, False, False, "保持"),
    ("完成下达目标任务", K.INHERITED, None, None, None, "nation", None, False, False, "国家要求"),
    ("力争85", K.LEVEL, Op.REACH, 85.0, None, None, None, False, True, "力争85"),
    ("力争达到87.5%", K.LEVEL, Op.REACH, 87.5, None, None, None, False, True, "力争87.5"),
    ("力争 90%以上", K.LEVEL, Op.GE, 90.0, None, None, None, False, True, "力争≥90"),
    ("力争〔10〕左右", K.CUMULATIVE, None, None, 10.0, None, None, True, True, "力争〔10〕左右"),
    ("力争基本消除", K.ELIMINATE, None, None, None, "basic", None, False, True, "力争基本消除"),
]


@pytest.mark.parametrize(
    ("expr", "kind", "op", "value", "cumulative", "scope", "bound", "about", "stretch", "canonical"), FORMS
)
def test_form(expr, kind, op, value, cumulative, scope, bound, about, stretch, canonical) -> None:
    t = parse_target(expr)
    assert (t.kind, t.op, t.value, t.cumulative, t.scope) == (kind, op, value, cumulative, scope)
    assert (t.bound, t.about, t.stretch) == (bound, about, stretch)
    assert t.canonical() == canonical
    assert t.text == expr


@pytest.mark.parametrize("expr", ["有效保障", "与GDP增长同步", "保持在合理区间", "定性", "持续改善"])
def test_qualitative_targets_are_not_quantitative(expr: str) -> None:
    t = parse_target(expr)
    assert t.kind is K.QUALITATIVE and not t.is_quantitative


def test_a_qualitative_target_carries_no_number() -> None:
    t = Target(K.QUALITATIVE, Op.GE, 5.0, 3.0, "有效保障", bound=Op.LE, about=True)
    assert (t.op, t.value, t.cumulative, t.bound, t.about) == (None, None, None, None, False)


@pytest.mark.parametrize(
    "expr",
    [
        "力争",
        "力争-",
        "力争有效保障",
        "力争力争85",
        "力争省下达",
        "〔10〕以上以上",
        "左右〔10〕",
        "有效",
        "与GDP同",
    ],
)
def test_malformed_forms_are_errors_that_quote_the_text(expr: str) -> None:
    with pytest.raises(TargetSyntaxError) as info:
        parse_target(expr)
    assert info.value.text == expr


values = st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False, allow_infinity=False).map(
    float
)
QUALITATIVE = [
    None,
    "有效保障",
    "比2015年下降15%以上",
    "年均降低3.2%",
    "与GDP增长同步",
    "与经济增长同步",
    "保持在合理区间",
    "持续改善",
]


@st.composite
def new_targets(draw: st.DrawFn) -> Target:
    """Targets of the new forms, stretch or not."""
    form = draw(st.sampled_from(["cumulative", "improve", "qualitative", "level", "about", "eliminate"]))
    stretch = draw(st.booleans())
    if form == "qualitative":
        return Target(K.QUALITATIVE, scope=draw(st.sampled_from(QUALITATIVE)))
    if form == "improve":
        return Target(K.MAINTAIN, scope="improve", stretch=stretch)
    if form == "level":
        return Target(K.LEVEL, draw(st.sampled_from(list(Op))), draw(values), stretch=stretch)
    if form == "about":
        return Target(K.ABOUT, value=draw(values), stretch=stretch)
    if form == "eliminate":
        return Target(K.ELIMINATE, scope=draw(st.sampled_from(["basic", "full"])), stretch=stretch)
    about = draw(st.booleans())
    bound = None if about else draw(st.sampled_from([None, Op.GE, Op.LE]))
    if draw(st.booleans()):
        return Target(K.CUMULATIVE, cumulative=draw(values), bound=bound, about=about, stretch=stretch)
    op = draw(st.sampled_from(list(Op)))
    return Target(K.CUMULATIVE, op, draw(values), draw(values), bound=bound, about=about, stretch=stretch)


@given(new_targets())
def test_canonical_round_trip_of_the_new_forms(t: Target) -> None:
    text = t.canonical()
    back = parse_target(text)
    assert back == t
    assert back.canonical() == text


# -- assessment ---------------------------------------------------------------------------


def _plan(expr: str, baseline: float | None, direction: str, unit: str = "万吨") -> Plan:
    return plan_from_mapping(
        {
            "id": "p",
            "title": "规划",
            "level": "city",
            "region": "440700",
            "period": {"start": 2016, "end": 2020},
            "base_year": 2015,
            "indicators": [
                {
                    "id": "x",
                    "name": "指标",
                    "unit": unit,
                    "direction": direction,
                    "attribute": "binding",
                    "baseline": {"year": 2015, "value": baseline},
                    "targets": [{"year": 2020, "expr": expr}],
                }
            ],
        }
    )


def _verdict(p: Plan, value: float) -> Verdict:
    return assess_indicator(
        p, p.indicators[0], "440700", 2020, [Observation(2020, value, Basis.LEVEL)]
    ).verdict


@pytest.mark.parametrize(
    ("expr", "baseline", "direction", "value", "verdict"),
    [
        # a decline of 5 or 15 from 100 against "at most 10" and plain "10"
        ("〔10〕以下", 100.0, "lower", 95.0, Verdict.MET),
        ("〔10〕以下", 100.0, "lower", 85.0, Verdict.NOT_MET),
        ("〔10〕", 100.0, "lower", 95.0, Verdict.NOT_MET),
        ("〔10〕", 100.0, "lower", 85.0, Verdict.MET),
        ("〔10〕以上", 100.0, "lower", 95.0, Verdict.NOT_MET),
        ("〔10〕以上", 100.0, "lower", 85.0, Verdict.MET),
        ("〔16〕左右", 100.0, "lower", 83.0, Verdict.MET),
        ("〔16〕左右", 100.0, "lower", 90.0, Verdict.NOT_MET),
        ("稳中向好", 80.0, "higher", 80.0, Verdict.MET),
        ("稳中向好", 80.0, "higher", 79.0, Verdict.NOT_MET),
        ("力争85", 80.0, "higher", 85.0, Verdict.MET),
        ("力争85", 80.0, "higher", 84.0, Verdict.NOT_MET),
    ],
)
def test_new_quantitative_forms_are_judged(expr, baseline, direction, value, verdict) -> None:
    assert _verdict(_plan(expr, baseline, direction), value) is verdict


@pytest.mark.parametrize("expr", ["有效保障", "与GDP增长同步", "保持在合理区间"])
def test_qualitative_target_is_not_judged_quantitatively(expr: str) -> None:
    p = _plan(expr, 80.0, "higher", unit="%")
    a = assess_indicator(p, p.indicators[0], "440700", 2020, [Observation(2020, 99.0, Basis.LEVEL)])
    assert (a.status, a.verdict) == (Status.NOT_ASSESSABLE, Verdict.PENDING)
    assert a.reason.en == f"qualitative target “{expr}”: not judged quantitatively"
    assert a.reason.zh == f"定性目标“{expr}”，不作量化评估"


@pytest.mark.parametrize("expr", ["有效保障", "〔10〕以下", "〔16〕左右", "〔10〕以上", "稳中向好", "力争85"])
def test_table_agrees_with_the_scalar_rules(expr: str) -> None:
    direction = "higher" if expr in ("稳中向好", "力争85") else "lower"
    plan = _plan(expr, 100.0, direction)
    regions, years = ["440700"], [2018, 2020]
    rows = [("x", "440700", y, v, "level") for y, v in ((2015, 100.0), (2018, 93.0), (2020, 88.0))]
    values = pd.DataFrame(rows, columns=["indicator_id", "region", "year", "value", "basis"])
    table = assess_table(plan, values, years, regions=regions)
    assert_same(table, scalar_rows(plan, values, regions, years))
    if expr == "有效保障":
        assert set(table["status"].astype(str)) == {"not_assessable"}
