"""Reference O2 and typical limits of the emission standards (standards/emission_standards.py)."""

from __future__ import annotations

import re

import pytest

from ecoplan.sources.standards.emission_standards import (
    STANDARDS,
    factor_code,
    limit_of,
    medium_of_factor,
    normalise_unit,
    ref_o2_of,
    standard_of,
    unit_fits,
)


@pytest.mark.parametrize(
    ("text", "o2"),
    [
        ("GB 13271-2014/coal", 9.0),  # GB 13271-2014 Table 6 (hj212 spec §9.4)
        ("GB13271—2014 燃煤锅炉", 9.0),
        ("GB 13271-2014 燃油锅炉", 3.5),
        ("GB 13271-2014 燃气锅炉 特别排放限值", 3.5),
        ("GB 18484-2020", 11.0),  # hj212 spec §9.4
        ("GB 13223-2011 燃煤锅炉", 6.0),
        ("GB 13223-2011 燃气轮机组", 15.0),
        ("GB 13271-2014", None),  # which boiler? ambiguous: no default
        ("GB 18918-2002 一级A", None),  # water: no reference O2
        ("DB 13/1234-2020", None),
        ("", None),
        (None, None),
    ],
)
def test_reference_o2(text: str | None, o2: float | None) -> None:
    assert ref_o2_of(text) == o2


def test_every_standard_cites_its_tables() -> None:
    for key, s in STANDARDS.items():
        number = key.split("/")[0]
        assert s.limits, key
        for lim in s.limits:
            assert lim.table.startswith(number) and re.search(r"Table \d+", lim.table), (key, lim)
            assert unit_fits(lim.unit, s.medium) and medium_of_factor(lim.factor) == s.medium
        assert (s.ref_o2 is None) == (s.medium == "water"), key
        if s.ref_o2 is not None:
            assert s.ref_o2_table and s.ref_o2_table.startswith(number)


def test_special_limits_are_not_looser() -> None:
    for key, s in STANDARDS.items():
        if key.endswith("-special"):
            general = STANDARDS[key.removesuffix("-special")]
            for lim in s.limits:
                g = limit_of(general.key, lim.factor, lim.basis)
                assert g is not None and lim.value <= g.value, (key, lim.factor)


def test_limits_and_lookups() -> None:
    lim = limit_of("GB 13271-2014 燃煤锅炉", "a21026")
    assert lim is not None and (lim.value, lim.unit, lim.table) == (300, "mg/m3", "GB 13271-2014 Table 2")
    assert limit_of("GB 18484-2020", "a34013", "day") is not None
    assert limit_of("GB 18484-2020", "w01018") is None
    assert standard_of("GB 13223-2011 燃煤 特别排放限值") is STANDARDS["GB 13223-2011/coal-special"]
    assert [
        factor_code(t) for t in ("a21026", "二氧化硫", "SO2", "NOx", "颗粒物", "COD", "氨氮", "NH3-N")
    ] == [
        "a21026",
        "a21026",
        "a21026",
        "a21002",
        "a34013",
        "w01018",
        "w21003",
        "w21003",
    ]
    assert factor_code("sulphur") is None
    assert [normalise_unit(u) for u in ("mg/m³", "mg/Nm3", "毫克/升", "mg/l", "无量纲", "kg")] == [
        "mg/m3",
        "mg/m3",
        "mg/L",
        "mg/L",
        "dimensionless",
        None,
    ]
    assert unit_fits("mg/m3", "air") and not unit_fits("mg/L", "air") and not unit_fits("mg/m3", "water")
