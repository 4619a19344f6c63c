"""Roles, principals and region scopes (issue #12): ``ecoplan.core.access``.

``covers`` is checked against the bundled GB/T 2260 regions through
``region_lineage`` (a region and its ancestors): a scope covers a region exactly when it
is in the region's lineage, or is the nation.
"""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecoplan.core.access import NATION, Principal, Role, covers
from ecoplan.core.regions import bundled_regions, region_lineage
from ecoplan.core.regions import region_parent as parent_of

CODES = sorted(bundled_regions())
CHILDREN: dict[str, list[str]] = {}
for _code, _r in bundled_regions().items():
    if _r.parent:
        CHILDREN.setdefault(_r.parent, []).append(_code)


def descendants(code: str) -> list[str]:
    out, todo = [], list(CHILDREN.get(code, []))
    while todo:
        c = todo.pop()
        out.append(c)
        todo.extend(CHILDREN.get(c, []))
    return out


codes = st.sampled_from(CODES)


@given(region=codes, scope=codes)
@settings(max_examples=300)
def test_covers_any_two_regions(region: str, scope: str) -> None:
    assert covers(scope, region, parent_of) == (scope == NATION or scope in region_lineage(region))


@given(region=codes, pick=st.integers(0, 10))
@settings(max_examples=300)
def test_every_ancestor_covers_and_no_descendant_does(region: str, pick: int) -> None:
    lineage = region_lineage(region)
    assert lineage[0] == region and lineage[-1] == NATION
    ancestor = lineage[pick % len(lineage)]
    assert covers(ancestor, region, parent_of)
    below = descendants(region)
    if below:
        assert not covers(below[pick % len(below)], region, parent_of)


@given(a=codes, b=codes)
@settings(max_examples=200)
def test_siblings_and_cousins_do_not_cover(a: str, b: str) -> None:
    if a != b and a not in region_lineage(b) and b not in region_lineage(a):
        assert not covers(a, b, parent_of) and not covers(b, a, parent_of)


def test_the_seeds_cases() -> None:
    # Jiangmen (440700) and its county Pengjiang (440703); Guangdong (440000); Zhuhai (440400)
    assert covers("440700", "440703", parent_of)
    assert covers("440700", "440700", parent_of)
    assert covers("440000", "440703", parent_of)
    assert not covers("440700", "440400", parent_of)
    assert not covers("440700", "440000", parent_of)
    assert not covers("440703", "440700", parent_of)
    assert not covers("440000", "450000", parent_of)
    assert covers(NATION, "440703", parent_of)
    assert covers(NATION, "999999", parent_of)  # the nation covers every code
    assert not covers("440700", "999999", parent_of)  # an unknown code is in no city


def test_a_cycle_in_the_parents_ends() -> None:
    parents = {"a": "b", "b": "a"}
    assert not covers("c", "a", parents.get)
    assert covers("b", "a", parents.get)


def test_roles_are_ordered_and_hierarchical() -> None:
    order = [Role.VIEWER, Role.REPORTER, Role.REVIEWER, Role.ADMIN]
    assert [r.rank for r in order] == [0, 1, 2, 3]
    assert sorted(Role, key=lambda r: r.rank) == order
    for have, need in itertools.product(order, order):
        assert have.allows(need) == (order.index(have) >= order.index(need))
        assert Principal("u", have, "440700").can(need) == have.allows(need)
    assert Role("reviewer") is Role.REVIEWER
    with pytest.raises(ValueError):
        Role("superuser")


def test_principals() -> None:
    shell = Principal.shell()
    assert (shell.role, shell.region, shell.via) == (Role.ADMIN, NATION, "cli")
    assert Principal.shell("shell:ops").user == "shell:ops"
    p = Principal("jm", Role.REPORTER, "440700", via="token", token_id="abc")
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.role = Role.ADMIN  # type: ignore[misc]
    assert p.via == "token" and p.token_id == "abc" and p.source is None
