"""Data flags (HJ 212-2017 Table 8) and period validity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.sources.standards import validity as v


def test_every_table_8_flag_has_a_rule() -> None:
    assert set(v.FLAGS) == set("NFMSDCTB")
    assert v.VALID_FLAGS == ("N", "T")
    assert v.STOPPED_FLAGS == ("F",)


def test_ten_minute_records_stand_for_ten_minutes() -> None:
    # 5 valid 10-minute records = 50 minutes ≥ 45: a valid hour
    assert v.valid_minutes([("N", 10)] * 5 + [("C", 10)]) == 50
    assert v.hour_status(50, 0) == "valid"
    # 4 valid = 40 minutes: not valid
    assert v.valid_minutes([("N", 10)] * 4 + [("M", 10)] * 2) == 40
    assert v.hour_status(40, 0) == "invalid"
    # one-minute data: 45 valid minutes is exactly enough
    assert v.hour_status(v.valid_minutes([("N", 1)] * 45 + [("D", 1)] * 15), 0) == "valid"
    assert v.hour_status(v.valid_minutes([("N", 1)] * 44), 0) == "invalid"


def test_stopped_and_missing_flag() -> None:
    assert v.hour_status(0, 60) == "stopped"
    assert v.valid_minutes([(None, 10)] * 6) == 60  # no flag: N
    with pytest.raises(ValueError):
        v.valid_minutes([("N", 7)])


def test_thresholds_are_data_with_sources() -> None:
    assert v.PERIOD_RULES[("air", "hour")].min_valid == 45
    assert v.PERIOD_RULES[("air", "day")].min_valid == 20
    assert "formula (24)" in v.PERIOD_RULES[("air", "hour")].source
    assert v.PERIOD_RULES[("water", "hour")].own


def test_aggregate_flag_rules() -> None:
    # flue gas: ≥ 75 % normal → N
    assert v.aggregate_flag("air", ["N", "N", "N", "D"]) == "N"
    assert v.aggregate_flag("air", ["N", "N", "D", "D"]) == "D"
    # wastewater: any abnormal → abnormal
    assert v.aggregate_flag("water", ["N", "N", "N", "D"]) == "D"
    assert v.aggregate_flag("water", ["N"] * 6) == "N"


@given(st.lists(st.tuples(st.sampled_from("NFMSDCTB"), st.sampled_from(v.MIN_INTERVALS)), max_size=70))
def test_valid_minutes_bounded_and_monotone(records: list[tuple[str, int]]) -> None:
    m = v.valid_minutes(records)
    assert 0 <= m <= 60
    assert v.valid_minutes([*records, ("N", 1)]) >= m
    assert v.valid_minutes([*records, ("D", 10)]) == m
