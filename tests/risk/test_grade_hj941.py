"""HJ 941-2018 grading: hand-checked cases (every step written out below), the rules that
could not be confirmed flagged, bad input refused, Hypothesis on the Q and M calculators.

No worked example with figures was found in a published text (see ``docs/risk.md``); the
cases below are computed by hand from the method's steps, not with the code under test.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.risk.standards.hj941 import (
    LEVELS,
    Enterprise,
    GradeError,
    ProcessUnit,
    Rules,
    Substance,
    appendix,
    grade,
    m_class,
    q_class,
    q_value,
)


def _steps(g: object, name: str) -> list[dict[str, object]]:
    return [e for e in g.evidence if e["step"] == name]  # type: ignore[attr-defined]


def chlorination_plant() -> Enterprise:
    """Case A. Air: 液氯 20 t / 1 t = 20, 31 % 盐酸 100 t → 31 t HCl / 2.5 t = 12.4; Q = 32.4
    (Q2). Water: only HCl counts, Q = 12.4 (Q2). Process: 2 chlorination units × 10 + one
    other unit × 5 = 25 (under the cap of 30). M air = 25 + 25 (no toxic-gas alarm) = 50
    (M3); M water = 25 + 8 (no interception) + 10 (a 一般 event) = 43 (M2). E air: 30 000
    people within 5 km → E2; E water: a drinking-water source downstream → E1. Air: E2,
    Q2 × M3 → 重大; water: E1, Q2 × M2 → 重大; the enterprise: 重大."""
    return Enterprise(
        name="A",
        substances=(
            Substance("液氯", 20, cas="7782-50-5", threshold_t=1, part="1", air=True, water=False),
            Substance("盐酸", 100, cas="7647-01-0", fraction=0.31, threshold_t=2.5, air=True, water=True),
        ),
        processes=(ProcessUnit("氯化", "listed", 2), ProcessUnit("精馏", "other", 1)),
        controls_failed={"air": {"toxic_gas_alarm": None}, "water": {"interception": None}},
        events={"water": ("general",)},
        population_5km=30_000,
        population_500m=200,
        water_receptors=("drinking_water_source",),
    )


def test_case_a_every_sub_score() -> None:
    g = grade(chlorination_plant())
    assert math.isclose(g.air.q, 32.4) and g.air.q_class == "Q2"
    assert math.isclose(g.water.q, 12.4) and g.water.q_class == "Q2"
    assert (g.air.m, g.air.m_class, g.air.e, g.air.level) == (50, "M3", "E2", "major")
    assert (g.water.m, g.water.m_class, g.water.e, g.water.level) == (43, "M2", "E1", "major")
    assert g.level == "major" and not g.raised
    ratios = [e["ratio"] for e in _steps(g, "q.substance")]
    assert ratios == pytest.approx([20.0, 12.4])
    assert _steps(g, "m.process")[0]["points"] == 25
    assert _steps(g, "level.air")[0]["cell"] == "Q2×M3"
    # thresholds from the file, the matrices and the E rules are not confirmed: flagged
    assert {"threshold:液氯", "threshold:盐酸", "matrices", "e_air_thresholds"} <= set(g.unconfirmed)
    assert all(e["confirmed"] is False for e in _steps(g, "q.substance"))
    assert _steps(g, "m.process")[0]["confirmed"] is True  # cap 30: the MEE reply
    assert _steps(g, "m.air")[0]["confirmed"] is True  # the M bands


def test_case_b_q_below_one_is_general_at_once() -> None:
    """Case B. 0.5 t of a substance with a 1 t threshold: Q = 0.5 < 1 → Q0 → 一般 for both
    media, with no M or E needed (the file gives no surroundings at all)."""
    g = grade(Enterprise("B", (Substance("苯", 0.5, threshold_t=1, part="3"),)))
    assert (g.air.q_class, g.water.q_class, g.level) == ("Q0", "Q0", "general")
    assert g.air.m is None and g.air.e is None
    assert not _steps(g, "m.process")


def test_case_c_process_cap_and_penalty_raise() -> None:
    """Case C (the MEE reply's example): 2 lines × (加氢 + 聚合) = 4 units × 10 = 40 →
    capped at 30 (M2). 苯 5 t / 1 t: Q = 5 (Q1) for air and water. E3 for air (3 000 people
    within 5 km, 100 within 500 m): E3 Q1 × M2 → 一般; water E3 (no receptor) → 一般.
    Penalised in the last three years → raised one level: 较大."""
    ent = Enterprise(
        "C",
        (Substance("苯", 5, threshold_t=1, part="3"),),
        processes=(ProcessUnit("加氢", "listed", 2), ProcessUnit("聚合", "listed", 2)),
        population_5km=3_000,
        population_500m=100,
        penalised_3y=True,
    )
    g = grade(ent)
    p = _steps(g, "m.process")[0]
    assert (p["raw"], p["points"]) == (40, 30)
    assert (g.air.q, g.air.m, g.air.m_class, g.air.e, g.air.level) == (5, 30, "M2", "E3", "general")
    assert (g.water.e, g.water.level) == ("E3", "general")
    assert g.level == "larger" and g.raised
    assert _steps(g, "level.penalty")[0] == {
        "step": "level.penalty",
        "from": "general",
        "to": "larger",
        "basis": "HJ 941-2018",
        "note": "penalised in the last 3 years",
        "confirmed": False,
    }


def test_penalty_raise_is_capped_at_major() -> None:
    ent = chlorination_plant()
    g = grade(Enterprise(**{**ent.__dict__, "penalised_3y": True}))
    assert g.level == "major" and not g.raised


def test_media_from_appendix_parts_and_file() -> None:
    """氨 is on the 7.1 list (air and water); part 5 is water only; a part 1 substance not
    on the list is air only; 氨's threshold comes from the file (not transcribed)."""
    ent = Enterprise(
        "D",
        (
            Substance("氨", 10, cas="7664-41-7", threshold_t=5),  # 2 → both
            Substance("某易燃固体", 3, threshold_t=1, part="5"),  # 3 → water
            Substance("光气", 1, threshold_t=0.5, part="1"),  # 2 → air
        ),
        population_5km=0,
        population_500m=0,
    )
    g = grade(ent)
    assert g.air.q == pytest.approx(4.0) and g.water.q == pytest.approx(5.0)
    src = {e["substance"]: e["media_source"] for e in _steps(g, "q.substance")}
    assert src == {"氨": "appendix", "某易燃固体": "part", "光气": "part"}


def test_appendix_holds_the_water_list_of_parts_1_2() -> None:
    rows = appendix()
    names = {r.name for r in rows if r.parts == {1, 2}}
    assert len(names) == 21 + 4 and {"硒化氢", "三氟溴乙烯", "二甲醚", "乙烯酮"} <= names
    assert all(r.water for r in rows)
    assert {r.name for r in rows if not r.air} == {
        "NH3-N浓度≥2000mg/L的废液",
        "CODCr浓度≥10000mg/L的有机废液",
    }
    # no threshold was confirmed from a text: none is claimed
    assert all(r.threshold_t is None for r in rows)


def test_rules_file_overrides_and_confirms() -> None:
    r = Rules.from_mapping(
        {"matrices": {"E1": {"Q1": ["major"] * 4, "Q2": ["major"] * 4, "Q3": ["major"] * 4}}}
    )
    assert "matrices" not in r.confirmed
    g = grade(chlorination_plant(), Rules.from_mapping({"confirmed": ["matrices", "q_bands"]}))
    assert "matrices" not in g.unconfirmed and "q_bands" not in g.unconfirmed
    with pytest.raises(GradeError) as exc:
        Rules.from_mapping({"matrix": {}})
    assert exc.value.code == "rules_unknown"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"substances": (Substance("x", 1),)}, "substance_threshold"),
        ({"substances": (Substance("x", -1, threshold_t=1, part="3"),)}, "substance_quantity"),
        ({"substances": (Substance("x", 1, threshold_t=0, part="3"),)}, "substance_threshold_value"),
        ({"substances": (Substance("x", 1, threshold_t=1),)}, "substance_part"),
        ({"substances": (Substance("x", 1, threshold_t=1, part="9"),)}, "substance_part"),
        ({"processes": (ProcessUnit("u", "magic"),)}, "process_kind"),
        ({"controls_failed": {"air": {"nope": None}}}, "control_item"),
        ({"controls_failed": {"air": {"toxic_gas_alarm": 99}}}, "control_points"),
        ({"events": {"air": ("huge",)}}, "event_level"),
        ({"water_receptors": ("lake",)}, "receptor_kind"),
        ({"e_air": "E4"}, "e_class"),
        ({"population_5km": None, "population_500m": None}, "e_air_missing"),
    ],
)
def test_bad_input_is_refused_with_a_code(change: dict[str, object], code: str) -> None:
    ent = chlorination_plant()
    with pytest.raises(GradeError) as exc:
        grade(Enterprise(**{**ent.__dict__, **change}))
    assert exc.value.code == code


def test_bands() -> None:
    assert [q_class(x) for x in (0, 0.999, 1, 9.99, 10, 99.9, 100, 1e6)] == [
        "Q0", "Q0", "Q1", "Q1", "Q2", "Q2", "Q3", "Q3",
    ]  # fmt: skip
    assert [m_class(x) for x in (0, 24.9, 25, 44.9, 45, 59.9, 60, 100)] == [
        "M1", "M1", "M2", "M2", "M3", "M3", "M4", "M4",
    ]  # fmt: skip


def test_default_matrices_are_monotone() -> None:
    """A worse Q, M or E never gives a lower level (a check of the transcription)."""
    mx = Rules().matrices
    rank = LEVELS.index
    for e in ("E1", "E2", "E3"):
        for qi, q in enumerate(("Q1", "Q2", "Q3")):
            row = [rank(x) for x in mx[e][q]]
            assert row == sorted(row)
            if qi:
                prev = [rank(x) for x in mx[e][("Q1", "Q2", "Q3")[qi - 1]]]
                assert all(a >= b for a, b in zip(row, prev, strict=True))
    for q in ("Q1", "Q2", "Q3"):
        for i in range(4):
            assert rank(mx["E1"][q][i]) >= rank(mx["E2"][q][i]) >= rank(mx["E3"][q][i])


quantities = st.lists(
    st.tuples(st.floats(0, 1e6, allow_nan=False), st.floats(0.01, 1e4, allow_nan=False)),
    min_size=1,
    max_size=8,
)


@given(quantities, st.integers(0, 7), st.floats(0, 1e6, allow_nan=False))
def test_q_is_monotone_in_quantities(pairs: list[tuple[float, float]], i: int, more: float) -> None:
    i %= len(pairs)
    bigger = list(pairs)
    bigger[i] = (pairs[i][0] + more, pairs[i][1])
    assert q_value(bigger) >= q_value(pairs)
    assert q_value(pairs) == pytest.approx(sum(q / t for q, t in pairs))
    order = ("Q0", "Q1", "Q2", "Q3")
    assert order.index(q_class(q_value(bigger))) >= order.index(q_class(q_value(pairs)))


@given(st.lists(st.integers(0, 5), min_size=3, max_size=3), st.integers(0, 2), st.integers(1, 4))
def test_grade_is_monotone_in_quantity_and_process_units(counts: list[int], which: int, extra: int) -> None:
    """More of a substance or another process unit never lowers Q, M or the level."""

    def ent(qty: float, c: list[int]) -> Enterprise:
        kinds = ("listed", "other", "obsolete")
        return Enterprise(
            "H",
            (Substance("苯", qty, threshold_t=1, part="3"),),
            processes=tuple(ProcessUnit(k, k, n) for k, n in zip(kinds, c, strict=True)),
            population_5km=20_000,
            population_500m=0,
        )

    base = grade(ent(5, counts))
    more_units = list(counts)
    more_units[which] += extra
    g2 = grade(ent(5, more_units))
    g3 = grade(ent(50, counts))
    assert g2.air.m is not None and base.air.m is not None
    assert base.air.m <= g2.air.m <= 30
    assert g3.air.q >= base.air.q
    for g in (g2, g3):
        assert LEVELS.index(g.level) >= LEVELS.index(base.level)


AIR_ITEMS = ("toxic_gas_alarm", "protection_distance")
WATER_ITEMS = ("interception", "accident_water_collection", "clean_wastewater", "rainwater")
EVENT_LEVELS = ("general", "larger", "major", "especially_major")


@given(
    st.sets(st.sampled_from(AIR_ITEMS + WATER_ITEMS)),
    st.sampled_from(AIR_ITEMS + WATER_ITEMS),
    st.lists(st.sampled_from(EVENT_LEVELS), max_size=3),
    st.sampled_from(EVENT_LEVELS),
)
def test_m_is_monotone_in_controls_not_met_and_events(
    failed: set[str], one_more: str, events: list[str], another: str
) -> None:
    """Another control not met or another event never lowers M or the level; M never
    exceeds 100 with the default points (30 + 50 + 20 for air, 30 + 32 + 20 here)."""

    def ent(items: set[str], evs: list[str]) -> Enterprise:
        air = {i: None for i in items if i in AIR_ITEMS}
        water = {i: None for i in items if i in WATER_ITEMS}
        return Enterprise(
            "M",
            (Substance("苯", 5, threshold_t=1, part="3"),),
            processes=(ProcessUnit("u", "listed", 3),),
            controls_failed={"air": air, "water": water},
            events={"air": tuple(evs), "water": tuple(evs)},
            population_5km=20_000,
            population_500m=0,
            water_receptors=("other",),
        )

    base = grade(ent(failed, events))
    more = grade(ent(failed | {one_more}, events))
    later = grade(ent(failed, [*events, another]))
    for g in (more, later):
        for medium in ("air", "water"):
            a, b = getattr(base, medium), getattr(g, medium)
            assert a.m is not None and b.m is not None and b.m >= a.m
        assert LEVELS.index(g.level) >= LEVELS.index(base.level)
    assert base.air.m is not None and base.air.m <= 100
    # the sum is the parts: processes (capped) + controls + the worst event
    worst = max((Rules().event_points[e] for e in events), default=0.0)
    assert base.air.m == 30 + 25 * len(failed & set(AIR_ITEMS)) + worst
    assert base.water.m == 30 + 8 * len(failed & set(WATER_ITEMS)) + worst


def test_a_user_transcribed_appendix_table() -> None:
    """Thresholds from a table the user transcribed are used (before the built-in rows)
    and shown unconfirmed with their source; a bad row is refused naming row and field."""
    from ecoplan.risk.standards.hj941 import parse_appendix

    table = parse_appendix(
        "cas,name,threshold_t,part,source\n7782-50-5,氯,1,1,p.12\n,某液体,4,3,\n7664-41-7,氨,5,1-2,\n",
        default_source="t.csv",
    )
    assert [(r.name, r.threshold_t, r.air, r.water, r.source) for r in table] == [
        ("氯", 1.0, True, False, "p.12"),  # part 1, not on the 7.1 list: air only
        ("某液体", 4.0, True, True, "t.csv"),
        ("氨", 5.0, True, True, "t.csv"),  # on the 7.1 list: water too
    ]
    ent = Enterprise(
        "T",
        (Substance("液氯", 20, cas="7782-50-5"), Substance("某液体", 2)),
        population_5km=0,
        population_500m=0,
    )
    g = grade(ent, table=table)
    # air: 20/1 + 2/4 = 20.5 (Q2); water: 2/4 = 0.5 (Q0)
    assert (g.air.q, g.air.q_class, g.water.q_class) == (20.5, "Q2", "Q0")
    subs = _steps(g, "q.substance")
    assert [(e["threshold_source"], e["confirmed"]) for e in subs] == [("p.12", False), ("t.csv", False)]
    assert {"threshold:液氯", "threshold:某液体"} <= set(g.unconfirmed)
    for text, field in (
        ("name,threshold_t\nx,-1\n", "threshold_t"),
        ("name,part\nx,9\n", "part"),
        ("name\n\n,\n", "name"),
    ):
        with pytest.raises(GradeError) as exc:
            parse_appendix(text)
        assert exc.value.code == "appendix_row" and exc.value.params["field"] == field
    with pytest.raises(GradeError) as exc:
        parse_appendix("cas,threshold\n1,2\n")
    assert exc.value.code == "appendix_columns"
