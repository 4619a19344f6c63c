"""Alarm rules (ecoplan's own) and the exceedance rules, pure."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoplan.sources.standards import alarms as al
from ecoplan.sources.standards.exceedance import compared_value, exceeds, merge_events

T = dt.datetime(2020, 6, 1)


def test_bounds() -> None:
    assert al.out_of_bounds("a21026", -0.1) == "negative"
    assert al.out_of_bounds("a21026", 0.0) is None
    assert al.out_of_bounds("a19001", 21.5) == "impossible"
    assert al.out_of_bounds("a19001", -1) == "negative"
    assert al.out_of_bounds("w01001", 14.2) == "impossible"
    assert al.out_of_bounds("a01013", -2.0) is None  # flue-gas pressure may be negative
    assert al.out_of_bounds("a01001", -20.0) is None  # ambient temperature


def test_params_are_checked() -> None:
    assert al.AlarmParams().silence_minutes == 60
    with pytest.raises(ValueError):
        al.AlarmParams(storm_changes=1)


def test_compared_value() -> None:
    assert compared_value(80.0, None, 12.0, None) == 80.0  # no reference O2: the mean
    assert compared_value(80.0, 90.0, 12.0, 9.0) == pytest.approx(80 * 12 / 9)
    assert compared_value(80.0, 90.0, None, 9.0) == 90.0  # no O2: the device's ZsAvg
    assert compared_value(80.0, 90.0, 22.0, 9.0) == 90.0  # impossible O2
    assert exceeds(100.0, 100.0) is False and exceeds(100.01, 100.0) is True
    assert exceeds(None, 100.0) is None


def test_merge_events() -> None:
    h = [("O1", "a21026", "hour", T + dt.timedelta(hours=k)) for k in (0, 1, 2, 5)]
    h.append(("O1", "a21002", "hour", T + dt.timedelta(hours=3)))
    ev = merge_events(h)
    assert [(e.factor, e.start.hour, e.end.hour, e.periods) for e in ev] == [
        ("a21002", 3, 4, 1),
        ("a21026", 0, 3, 3),
        ("a21026", 5, 6, 1),
    ]


@given(st.sets(st.integers(min_value=0, max_value=200), max_size=60))
def test_events_partition_the_hours(hours: set[int]) -> None:
    ev = merge_events(("O", "f", "hour", T + dt.timedelta(hours=k)) for k in hours)
    assert sum(e.periods for e in ev) == len(hours)
    for a, b in itertools.pairwise(ev):
        assert b.start > a.end  # a gap between events: otherwise they would be one
