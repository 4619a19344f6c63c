"""HJ 169-2018 Table B.1/B.2 as the grading's reference thresholds: the transcription
counted and spot-checked (values typed from the source, see ``data/README.md``), the
lookups, and hand-checked gradings that take their thresholds from it (every step below).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.risk.standards.hj941 import Enterprise, GradeError, ProcessUnit, Rules, Substance, grade
from ecoplan.risk.standards.hj941_hj169 import (
    SOURCE_B1,
    cas_valid,
    hj169_lookup,
    hj169_recommended,
    hj169_table,
    normalize_name,
)

# (CAS, name as the table writes it, 临界量 t) — read off the source, not from the CSV.
SPOT = [
    ("7782-50-5", "氯气", 1.0),
    ("7664-41-7", "氨气", 5.0),
    ("7783-06-4", "硫化氢", 2.5),
    ("74-90-8", "氰化氢", 1.0),
    ("75-44-5", "光气", 0.25),
    ("7647-01-0", "氯化氢", 2.5),
    ("7647-01-0", "盐酸（≥37%）", 7.5),
    ("71-43-2", "苯", 10.0),
    ("67-56-1", "甲醇", 10.0),
    ("50-00-0", "甲醛", 0.5),
    ("7439-97-6", "汞", 0.5),
    ("7440-38-2", "砷", 0.25),
    ("1327-53-3", "三氧化二砷", 0.25),
    ("143-33-9", "氰化钠", 0.25),
    ("7775-09-9", "氯酸钠", 100.0),
    ("3811-04-9", "氯酸钾", 100.0),
    ("6484-52-2", "硝酸铵", 50.0),
    ("", "油类物质（矿物油类，如石油、汽油、柴油等；生物柴油等）", 2500.0),
    ("", "CODCr浓度≥10000mg/L的有机废液", 10.0),
    ("", "NH3-N浓度≥2000mg/L的废液", 5.0),
    ("", "铬及其化合物（以铬计）", 0.25),
    ("", "煤气", 7.5),
    ("7664-93-9", "硫酸", 10.0),
    ("7697-37-2", "硝酸", 7.5),
    ("7664-39-3", "氢氟酸", 1.0),
    ("1336-21-6", "氨水（浓度≥20%）", 10.0),
    ("75-21-8", "环氧乙烷", 7.5),
    ("75-01-4", "氯乙烯", 5.0),
    ("108-88-3", "甲苯", 10.0),
    ("74-82-8", "甲烷", 10.0),
    ("68476-85-7", "石油气", 10.0),
    ("10102-44-0", "二氧化氮", 1.0),
    ("7446-09-5", "二氧化硫", 2.5),
    ("624-83-9", "异氰酸甲酯", 1.0),
    ("7803-51-2", "磷化氢", 1.0),
    ("584-84-9", "甲苯-2,4-二异氰酸酯（TDI）", 5.0),
    ("7681-52-9", "次氯酸钠", 5.0),
]


def test_table_b1_is_whole_and_well_formed() -> None:
    rows = hj169_table()
    assert len(rows) == 385
    assert sum(1 for r in rows if not r.cas) == 15
    assert all(cas_valid(r.cas) for r in rows if r.cas)
    assert len({normalize_name(r.name) for r in rows}) == 385
    # The only CAS number on two rows: 氯化氢 and 盐酸（≥37%）.
    cas = [r.cas for r in rows if r.cas]
    assert [c for c in set(cas) if cas.count(c) > 1] == ["7647-01-0"]
    assert {r.threshold_t for r in rows} == {0.25, 0.5, 1.0, 2.5, 5.0, 7.5, 10.0, 50.0, 100.0, 2500.0}
    assert sum(1 for r in rows if r.note) == 10  # the ten "以…计" metal groups (表注*)


@pytest.mark.parametrize(("cas", "name", "threshold"), SPOT)
def test_spot_checked_rows(cas: str, name: str, threshold: float) -> None:
    row = hj169_lookup(cas, name)
    assert row is not None and (row.cas, row.name, row.threshold_t) == (cas, name, threshold)


def test_table_b2_recommended_values() -> None:
    assert [(r.category, r.threshold_t, r.basis) for r in hj169_recommended()] == [
        ("健康危险急性毒性物质（类别1）", 5.0, "GB 30000.18"),
        ("健康危险急性毒性物质（类别2，类别3）", 50.0, "GB 30000.18"),
        ("危害水环境物质（急性毒性类别1）", 100.0, "GB 30000.28"),
    ]


def test_lookup_by_cas_name_decides_when_shared() -> None:
    assert hj169_lookup("7647-01-0", "盐酸(≥37%)").threshold_t == 7.5  # type: ignore[union-attr]
    assert hj169_lookup("7647-01-0", "盐酸") is None  # 31 % 盐酸: neither row, the file must say
    assert hj169_lookup("7782-50-5", "液氯").name == "氯气"  # type: ignore[union-attr]
    assert hj169_lookup("", "氯气").cas == "7782-50-5"  # type: ignore[union-attr]
    assert hj169_lookup("1-00-0", "氯气") is None  # a CAS number decides alone
    assert hj169_lookup("", "CODCr 浓度≥10000mg/L 的有机废液").threshold_t == 10.0  # type: ignore[union-attr]


def test_every_row_is_found_by_itself() -> None:
    assert all(hj169_lookup(r.cas, r.name) == r for r in hj169_table())


@given(st.sampled_from(hj169_table()), st.lists(st.integers(min_value=0, max_value=40), max_size=4))
def test_lookup_ignores_spacing(row: object, cuts: list[int]) -> None:
    name = row.name  # type: ignore[attr-defined]
    for c in sorted(cuts, reverse=True):
        name = name[:c] + " " + name[c:]
    assert hj169_lookup("", name).threshold_t == row.threshold_t  # type: ignore[attr-defined,union-attr]


def test_cas_check_digit() -> None:
    assert cas_valid("7732-18-5") and cas_valid("7647-01-0")
    assert not cas_valid("7732-18-4") and not cas_valid("7732185")


def cold_store() -> Enterprise:
    """Case D, thresholds from HJ 169-2018 Table B.1. 氨 12 t / 5 t = 2.4 (air and water:
    氨 is on the 7.1 list); 10 % 次氯酸钠 10 t → 1 t / 5 t = 0.2 (water only, as the file
    says). Air Q = 2.4 (Q1); water Q = 2.6 (Q1). Process: one other unit × 5 = 5. M air =
    5 + 10 (toxic-gas alarm partly missing) = 15 (M1); M water = 5 (M1). E air: 60 000
    people within 5 km → E1; E water: an ordinary receptor → E3. Air: E1, Q1 × M1 → 较大;
    water: E3, Q1 × M1 → 一般; the enterprise: 较大."""
    return Enterprise(
        name="D",
        substances=(
            Substance("氨", 12, cas="7664-41-7"),
            Substance("次氯酸钠溶液", 10, cas="7681-52-9", fraction=0.1, air=False, water=True),
        ),
        processes=(ProcessUnit("制冷", "other", 1),),
        controls_failed={"air": {"toxic_gas_alarm": 10}},
        population_5km=60_000,
        population_500m=300,
        water_receptors=("other",),
    )


def test_case_d_thresholds_from_table_b1() -> None:
    g = grade(cold_store())
    subs = [e for e in g.evidence if e["step"] == "q.substance"]
    assert [(e["threshold_t"], e["threshold_source"], e["confirmed"]) for e in subs] == [
        (5.0, SOURCE_B1, False),
        (5.0, SOURCE_B1, False),
    ]
    assert [(e["air"], e["water"], e["media_source"]) for e in subs] == [
        (True, True, "appendix"),
        (False, True, "file"),
    ]
    assert math.isclose(subs[0]["ratio"], 2.4) and math.isclose(subs[1]["ratio"], 0.2)
    assert math.isclose(g.air.q, 2.4) and g.air.q_class == "Q1"
    assert math.isclose(g.water.q, 2.6) and g.water.q_class == "Q1"
    assert (g.air.m, g.air.m_class, g.air.e, g.air.level) == (15.0, "M1", "E1", "larger")
    assert (g.water.m, g.water.m_class, g.water.e, g.water.level) == (5.0, "M1", "E3", "general")
    assert g.level == "larger" and not g.raised
    assert {"threshold:氨", "threshold:次氯酸钠溶液"} <= set(g.unconfirmed)


def test_the_file_overrides_the_table_which_stays_as_reference() -> None:
    """硫化氢 10 t with the file's 5 t → 2 (Table B.1 says 2.5 t: kept for comparison)."""
    ent = Enterprise(
        name="E",
        substances=(Substance("硫化氢", 10, cas="7783-06-4", threshold_t=5, part="1"),),
        population_5km=0,
        population_500m=0,
    )
    sub = grade(ent).evidence[0]
    assert (sub["threshold_t"], sub["threshold_source"], sub["reference_threshold_t"]) == (5.0, "file", 2.5)
    assert math.isclose(sub["ratio"], 2.0) and (sub["air"], sub["water"]) == (True, False)


def test_the_fallback_can_be_turned_off() -> None:
    with pytest.raises(GradeError) as exc:
        grade(cold_store(), Rules.from_mapping({"hj169_fallback": False}))
    assert exc.value.code == "substance_threshold" and exc.value.params["substance"] == "氨"
