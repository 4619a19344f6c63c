"""Tests of the scoring rule sets and grade bands (``ecoplan.assess.scoring``).

Grade table: ``assessment.md`` §6.7.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ecoplan.assess.scoring import ScoringRules, grade, load_rules
from ecoplan.core.errors import ScoringRuleError


@pytest.fixture(scope="module")
def rules() -> ScoringRules:
    return load_rules()


VALID = """\
name: test-rules
weights: {binding: 3, expected: 2}
min_assessed_share: 0.5
grades:
  - {min: 60, zh: 合格, en: pass}
  - {min: 90, zh: 优秀, en: excellent}
  - {min: 0, zh: 不合格}
veto: binding_not_met
caps:
  major_incident: 合格
"""


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------ default rules


def test_default_rules(rules):
    assert rules.name == "ecoplan-default-1"
    assert rules.weights == {"binding": 3.0, "expected": 2.0}
    assert rules.min_assessed_share == 0.8
    assert [(g.min, g.zh) for g in rules.grades] == [
        (90.0, "优秀"),
        (70.0, "良好"),
        (60.0, "合格"),
        (0.0, "不合格"),
    ]
    assert rules.veto == "binding_not_met"
    assert rules.caps == {"major_incident": "良好"}


# ---------------------------------------------------------- grade (§6.7)


@pytest.mark.parametrize(
    ("score", "zh"),
    [
        (100, "优秀"),
        (90, "优秀"),
        (89.99, "良好"),
        (70, "良好"),
        (69.99, "合格"),
        (60, "合格"),
        (59.99, "不合格"),
        (0, "不合格"),
    ],
)
def test_grade_bands(rules, score, zh):
    assert grade(score, rules).zh == zh


def test_grade_english_label(rules):
    assert grade(90, rules).en == "excellent"
    assert grade(59.99, rules).en == "fail"


def test_veto_overrides_score(rules):
    assert grade(95, rules, vetoed=True).zh == "不合格"
    assert grade(92, rules, vetoed=True).zh == "不合格"  # §7: CO2 cumulative target missed


def test_incident_caps_excellent_at_good(rules):
    assert grade(95, rules, flags={"major_incident"}).zh == "良好"


def test_cap_never_raises_a_grade(rules):
    assert grade(65, rules, flags={"major_incident"}).zh == "合格"
    assert grade(75, rules, flags={"major_incident"}).zh == "良好"


def test_no_flags_is_the_same_as_empty_flags(rules):
    assert grade(95, rules, flags=set()) == grade(95, rules) == grade(95, rules, flags=None)


def test_unknown_flag_raises(rules):
    with pytest.raises(ScoringRuleError, match="no_such_flag"):
        grade(95, rules, flags={"no_such_flag"})


# ----------------------------------------------------------- rule files


def test_load_rules_from_file(tmp_path):
    r = load_rules(write(tmp_path, VALID))
    assert r.name == "test-rules"
    assert r.min_assessed_share == 0.5
    assert [g.min for g in r.grades] == [90.0, 60.0, 0.0]  # sorted best first
    assert r.grades[-1].en == "不合格"  # en defaults to zh
    assert grade(95, r, flags={"major_incident"}).zh == "合格"
    assert grade(75, r).zh == "合格"


def test_load_rules_accepts_str_path(tmp_path):
    assert load_rules(str(write(tmp_path, VALID))).name == "test-rules"


def test_min_assessed_share_defaults_to_80_percent(tmp_path):
    r = load_rules(write(tmp_path, VALID.replace("min_assessed_share: 0.5\n", "")))
    assert r.min_assessed_share == 0.8


def test_missing_score_is_refused_with_the_reason(tmp_path):
    path = write(tmp_path, VALID.replace("min_assessed_share: 0.5\n", "missing_score: 60\n"))
    with pytest.raises(ScoringRuleError, match="no longer supported"):
        load_rules(path)


@pytest.mark.parametrize(
    "text",
    [
        "name: [unclosed\n",  # YAML syntax error
        "",  # empty document
        "just a string\n",
        "- a\n- list\n",
        VALID.replace("name: test-rules\n", ""),
        VALID.replace("weights: {binding: 3, expected: 2}\n", ""),
        VALID.replace("weights: {binding: 3, expected: 2}", "weights: {binding: x, expected: 2}"),
        VALID.replace("{min: 90, zh: 优秀, en: excellent}", "{zh: 优秀}"),
        VALID.replace("{min: 90, zh: 优秀, en: excellent}", "{min: ninety, zh: 优秀}"),
        VALID.replace("  - {min: 60, zh: 合格, en: pass}\n", "  - {min: 60, en: pass}\n"),
    ],
    ids=[
        "yaml-syntax",
        "empty",
        "scalar",
        "list",
        "no-name",
        "no-weights",
        "weight-not-number",
        "grade-without-min",
        "grade-min-not-number",
        "grade-without-zh",
    ],
)
def test_malformed_rules_file_names_the_file(tmp_path, text):
    path = write(tmp_path, text, "bad-rules.yaml")
    with pytest.raises(ScoringRuleError) as info:
        load_rules(path)
    assert str(path) in str(info.value)


def test_weights_missing_expected(tmp_path):
    path = write(tmp_path, VALID.replace("{binding: 3, expected: 2}", "{binding: 3}"))
    with pytest.raises(ScoringRuleError, match="expected") as info:
        load_rules(path)
    assert str(path) in str(info.value)


def test_weights_with_unknown_attribute(tmp_path):
    path = write(tmp_path, VALID.replace("{binding: 3, expected: 2}", "{binding: 3, expected: 2, other: 1}"))
    with pytest.raises(ScoringRuleError, match="binding"):
        load_rules(path)


def test_unknown_veto(tmp_path):
    path = write(tmp_path, VALID.replace("veto: binding_not_met", "veto: any_not_met"))
    with pytest.raises(ScoringRuleError, match="any_not_met"):
        load_rules(path)


def test_veto_may_be_absent(tmp_path):
    r = load_rules(write(tmp_path, VALID.replace("veto: binding_not_met\n", "")))
    assert r.veto is None


def test_cap_naming_no_grade_is_refused(tmp_path):
    """BUG: a cap naming a grade that does not exist is silently ignored.

    With ``caps: {major_incident: 良}`` (no grade of that name; a typo for 合格
    here) load_rules accepts the file and grade(95, flags={"major_incident"})
    returns 优秀: the cap is lost without a word. A malformed rule set should
    raise ScoringRuleError.
    """
    path = write(tmp_path, VALID.replace("major_incident: 合格", "major_incident: 良"))
    with pytest.raises(ScoringRuleError, match="良"):
        load_rules(path)


def test_empty_grade_list_is_refused(tmp_path):
    """BUG: ``grades: []`` is accepted by load_rules; grade() then fails with
    IndexError (``rules.grades[-1]``) instead of the rule set being refused."""
    path = write(tmp_path, "name: x\nweights: {binding: 3, expected: 2}\ngrades: []\n")
    with pytest.raises(ScoringRuleError) as info:
        load_rules(path)
    assert str(path) in str(info.value)
