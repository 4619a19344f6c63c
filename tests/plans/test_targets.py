"""Tests of the target-expression grammar (``ecoplan.plans.targets``).

Forms come from the module docstring and ``docs/plan-format.md``; meanings
from ``assessment.md`` §1.2–1.3.
"""

from __future__ import annotations

import math
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.core.errors import TargetSyntaxError
from ecoplan.plans.targets import Op, Target, TargetKind, format_number, parse_target

K = TargetKind

# (expression, kind, op, value, cumulative, scope)
CASES: list[tuple[object, TargetKind, Op | None, float | None, float | None, str | None]] = [
    # table symbols, full- and half-width: inclusive unless the plan says strict
    ("＞80", K.LEVEL, Op.TABLE_GT, 80.0, None, None),
    (">80", K.LEVEL, Op.TABLE_GT, 80.0, None, None),
    ("＞８０", K.LEVEL, Op.TABLE_GT, 80.0, None, None),
    ("＞60.4", K.LEVEL, Op.TABLE_GT, 60.4, None, None),
    ("＜5", K.LEVEL, Op.TABLE_LT, 5.0, None, None),
    ("<5", K.LEVEL, Op.TABLE_LT, 5.0, None, None),
    # inclusive bounds
    ("≥8", K.LEVEL, Op.GE, 8.0, None, None),
    ("≤5", K.LEVEL, Op.LE, 5.0, None, None),
    (">=8", K.LEVEL, Op.GE, 8.0, None, None),
    ("<=5", K.LEVEL, Op.LE, 5.0, None, None),
    ("＞＝8", K.LEVEL, Op.GE, 8.0, None, None),
    ("≥ 8", K.LEVEL, Op.GE, 8.0, None, None),
    ("90以上", K.LEVEL, Op.GE, 90.0, None, None),
    ("95%以上", K.LEVEL, Op.GE, 95.0, None, None),
    ("95％以上", K.LEVEL, Op.GE, 95.0, None, None),
    ("不低于90", K.LEVEL, Op.GE, 90.0, None, None),
    ("35以下", K.LEVEL, Op.LE, 35.0, None, None),
    ("0.9%以内", K.LEVEL, Op.LE, 0.9, None, None),
    ("不超过35", K.LEVEL, Op.LE, 35.0, None, None),
    ("不高于35", K.LEVEL, Op.LE, 35.0, None, None),
    # strict words (Civil Code Art. 1259: 超过/不满 exclude the number)
    ("超过80", K.LEVEL, Op.GT, 80.0, None, None),
    ("低于5", K.LEVEL, Op.LT, 5.0, None, None),
    ("不满5", K.LEVEL, Op.LT, 5.0, None, None),
    # plain numbers: the indicator's direction decides
    ("80", K.LEVEL, Op.REACH, 80.0, None, None),
    (" 80 ", K.LEVEL, Op.REACH, 80.0, None, None),
    ("75.5", K.LEVEL, Op.REACH, 75.5, None, None),
    (80, K.LEVEL, Op.REACH, 80.0, None, None),
    (0, K.LEVEL, Op.REACH, 0.0, None, None),
    (75.5, K.LEVEL, Op.REACH, 75.5, None, None),
    # about
    ("15左右", K.ABOUT, None, 15.0, None, None),
    ("１５左右", K.ABOUT, None, 15.0, None, None),
    ("达到15左右", K.ABOUT, None, 15.0, None, None),
    # five-year cumulative values
    ("〔18〕", K.CUMULATIVE, None, None, 18.0, None),
    ("〔１８〕", K.CUMULATIVE, None, None, 18.0, None),
    ("[18]", K.CUMULATIVE, None, None, 18.0, None),
    ("【18】", K.CUMULATIVE, None, None, 18.0, None),
    ("23.04〔1.38〕", K.CUMULATIVE, Op.REACH, 23.04, 1.38, None),
    ("165〔14〕", K.CUMULATIVE, Op.REACH, 165.0, 14.0, None),
    (">80〔5〕", K.CUMULATIVE, Op.TABLE_GT, 80.0, 5.0, None),
    # eliminate
    ("基本消除", K.ELIMINATE, None, None, None, "basic"),
    ("全面消除", K.ELIMINATE, None, None, None, "full"),
    ("消除", K.ELIMINATE, None, None, None, "full"),
    # maintain
    ("稳定", K.MAINTAIN, None, None, None, None),
    ("保持", K.MAINTAIN, None, None, None, None),
    ("保持稳定", K.MAINTAIN, None, None, None, None),
    ("不降低", K.MAINTAIN, None, None, None, None),
    ("不下降", K.MAINTAIN, None, None, None, None),
    ("不减少", K.MAINTAIN, None, None, None, None),
    ("稳定在73%以上", K.MAINTAIN, Op.GE, 73.0, None, None),
    ("稳定在73以上", K.MAINTAIN, Op.GE, 73.0, None, None),
    ("保持在12平方米以上", K.MAINTAIN, Op.GE, 12.0, None, None),
    ("保持在12以上", K.MAINTAIN, Op.GE, 12.0, None, None),
    # inherited
    ("控制在省下达的指标内", K.INHERITED, None, None, None, "province"),
    ("完成省下达任务", K.INHERITED, None, None, None, "province"),
    ("达到省下达的目标要求", K.INHERITED, None, None, None, "province"),
    ("市下达", K.INHERITED, None, None, None, "city"),
    ("达到国家要求", K.INHERITED, None, None, None, "nation"),
    ("国家下达", K.INHERITED, None, None, None, "nation"),
    # no target
    ("-", K.NONE, None, None, None, None),
    ("—", K.NONE, None, None, None, None),
    ("--", K.NONE, None, None, None, None),
    ("", K.NONE, None, None, None, None),
    ("  ", K.NONE, None, None, None, None),
    (None, K.NONE, None, None, None, None),
]


@pytest.mark.parametrize(("expr", "kind", "op", "value", "cumulative", "scope"), CASES)
def test_parse_every_form(expr, kind, op, value, cumulative, scope):
    t = parse_target(expr)  # type: ignore[arg-type]
    assert t.kind is kind
    assert t.op is op
    assert t.value == (None if value is None else pytest.approx(value))
    assert t.cumulative == (None if cumulative is None else pytest.approx(cumulative))
    assert t.scope == scope


@pytest.mark.parametrize(("expr", "kind", "op", "value", "cumulative", "scope"), CASES)
def test_canonical_of_every_form_parses_back(expr, kind, op, value, cumulative, scope):
    t = parse_target(expr)  # type: ignore[arg-type]
    again = parse_target(t.canonical())
    assert again == t
    assert again.kind is kind


@pytest.mark.parametrize(
    ("expr", "canonical"),
    [
        ("＞80", ">80"),
        ("＜5", "<5"),
        (">=8", "≥8"),
        ("90以上", "≥90"),
        ("0.9%以内", "≤0.9"),
        ("不满5", "低于5"),
        ("超过80", "超过80"),
        ("15左右", "15左右"),
        ("〔18〕", "〔18〕"),
        ("23.04〔1.38〕", "23.04〔1.38〕"),
        ("稳定", "保持"),
        ("稳定在73%以上", "稳定在73以上"),
        ("基本消除", "基本消除"),
        ("消除", "全面消除"),
        ("完成省下达任务", "省下达"),
        ("达到国家要求", "国家要求"),
        ("—", "-"),
        (80, "80"),
    ],
)
def test_canonical_spelling(expr, canonical):
    assert parse_target(expr).canonical() == canonical


def test_text_is_kept_but_not_compared():
    a, b = parse_target("＞８０"), parse_target(">80")
    assert a.text == "＞８０"
    assert b.text == ">80"
    assert a == b


def test_number_text_is_formatted():
    assert parse_target(80).text == "80"
    assert parse_target(0.5).text == "0.5"


@pytest.mark.parametrize(
    ("expr", "quantitative"),
    [
        ("＞80", True),
        ("保持", True),
        ("基本消除", True),
        ("〔18〕", True),
        ("-", False),
        ("达到国家要求", False),
    ],
)
def test_is_quantitative(expr, quantitative):
    assert parse_target(expr).is_quantitative is quantitative


@pytest.mark.parametrize(
    "expr",
    [
        "abc",
        "≥90以上",  # comparison stated twice
        "15左右以上",
        "左右",
        "＞80左右",
        "15左右〔3〕",
        "80以上以下",
        "≥",
        ">>80",
        "1.2.3",
        ".5",
        "〔〕",
        "〔abc〕",
        "〔18〕〔2〕",
        "稳定在",
        "保持在abc",
        "基本",
        "省",
        "-5",
    ],
)
def test_syntax_errors_quote_the_text(expr):
    with pytest.raises(TargetSyntaxError) as info:
        parse_target(expr)
    assert info.value.text == expr
    assert repr(expr) in str(info.value)
    assert info.value.detail  # says what was expected


def test_syntax_error_is_a_value_error():
    with pytest.raises(ValueError, match="abc"):
        parse_target("abc")


def test_bool_is_not_a_number():
    with pytest.raises(TargetSyntaxError, match="True"):
        parse_target(True)


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (80, "80"),
        (80.0, "80"),
        (0.9, "0.9"),
        (23.04, "23.04"),
        (100000, "100000"),
        (0.0, "0"),
        (-0.0, "0"),
        (1e-3, "0.001"),
        (12.5, "12.5"),
    ],
)
def test_format_number(x, text):
    assert format_number(x) == text


def test_format_number_none():
    with pytest.raises(ValueError, match="no number"):
        format_number(None)


@pytest.mark.parametrize(
    "x",
    [-5, -0.5, math.inf, math.nan, pytest.param("1" + "0" * 400, id="400-digit-string")],
)
def test_numeric_input_outside_the_grammar_is_refused(x):
    """Numbers the grammar cannot write are refused, not stored.

    The grammar (docs/plan-format.md) has no sign and no infinity: a target value
    is a finite number, zero or more. ``parse_target(-5)`` once returned a level
    target whose canonical text '-5' the grammar refuses, breaking the promise
    ``parse_target(t.canonical()) == t``; likewise inf, nan and a 400-digit string
    (which float() turns into inf). Each must raise TargetSyntaxError quoting it.
    """
    with pytest.raises(TargetSyntaxError) as info:
        parse_target(x)
    assert str(x)[:20] in str(info.value)


@pytest.mark.parametrize("x", [0, 5, 0.5, 80, 1e6, "1" + "0" * 20])
def test_numeric_input_in_the_grammar_round_trips(x):
    """Finite numbers of zero or more are plain level targets and print back."""
    t = parse_target(x)
    assert (t.kind, t.op, t.value) == (TargetKind.LEVEL, Op.REACH, float(x))
    assert parse_target(t.canonical()) == t


# ---------------------------------------------------------------- properties

values = st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False, allow_infinity=False).map(
    float
)
level_ops = st.sampled_from(list(Op))


@st.composite
def targets(draw: st.DrawFn) -> Target:
    kind = draw(st.sampled_from(list(TargetKind)))
    if kind is K.NONE:
        return Target(kind)
    if kind is K.ELIMINATE:
        return Target(kind, scope=draw(st.sampled_from(["basic", "full"])))
    if kind is K.INHERITED:
        return Target(kind, scope=draw(st.sampled_from(["province", "city", "nation"])))
    if kind is K.ABOUT:
        return Target(kind, value=draw(values))
    if kind is K.MAINTAIN:
        if draw(st.booleans()):
            return Target(kind)
        return Target(kind, draw(st.sampled_from([Op.GE, Op.LE, Op.REACH])), draw(values))
    if kind is K.LEVEL:
        return Target(kind, draw(level_ops), draw(values))
    cumulative = draw(values)
    if draw(st.booleans()):
        return Target(kind, cumulative=cumulative)
    return Target(kind, draw(level_ops), draw(values), cumulative)


@given(targets())
def test_canonical_round_trip(t):
    text = t.canonical()
    back = parse_target(text)
    assert back == t
    assert back.canonical() == text


_FULLWIDTH = {ord(c): chr(ord(c) - 0x21 + 0xFF01) for c in "0123456789<>.=%"}


def fullwidth(expr: str) -> str:
    return expr.translate(_FULLWIDTH)


def test_fullwidth_helper_folds_back_under_nfkc():
    assert fullwidth(">=80.5%") == "＞＝８０．５％"
    assert unicodedata.normalize("NFKC", fullwidth(">=80.5%")) == ">=80.5%"


example_exprs = st.sampled_from([c[0] for c in CASES if isinstance(c[0], str)])


@given(st.one_of(targets().map(Target.canonical), example_exprs))
def test_fullwidth_variant_parses_the_same(expr):
    variant = fullwidth(expr)
    assert parse_target(variant) == parse_target(expr)


@given(st.text())
def test_parse_raises_only_target_syntax_error(text):
    try:
        t = parse_target(text)
    except TargetSyntaxError as exc:
        assert exc.text == text
    else:
        assert isinstance(t, Target)
        assert t.text == text


_GRAMMAR_CHARS = list(
    "0123456789.%<>=≥≤〔〕[]【】左右以上下内不超过低于满稳定在保持省市达国家要求基本全面消除-—０９．＞＜ "
)


@given(st.text(st.sampled_from(_GRAMMAR_CHARS), max_size=12))
def test_parsed_near_miss_text_round_trips(text):
    """Text drawn from the grammar's own alphabet: errors or round-trips."""
    try:
        t = parse_target(text)
    except TargetSyntaxError as exc:
        assert repr(text) in str(exc)
    else:
        assert parse_target(t.canonical()) == t
