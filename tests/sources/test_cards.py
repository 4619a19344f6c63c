"""Yellow/red cards (国发〔2016〕65号 ch. 5 §1; the deadline rule is ecoplan's [M])."""

from __future__ import annotations

import datetime as dt

import pytest

from ecoplan.sources.standards.cards import (
    Occurrence,
    next_quarter,
    quarter_bounds,
    quarter_cards,
    quarter_of,
)


def occ(code: str, kind: str, factor: str, y: int, m: int, d: int) -> Occurrence:
    return Occurrence(code, kind, factor, dt.datetime(y, m, d))


def test_quarters() -> None:
    assert quarter_of(dt.date(2020, 6, 30)) == "2020Q2"
    assert quarter_bounds("2020Q4") == (dt.datetime(2020, 10, 1), dt.datetime(2021, 1, 1))
    assert next_quarter("2020Q4") == "2021Q1"
    with pytest.raises(ValueError):
        quarter_bounds("2020Q5")


def test_yellow_then_red_when_the_cause_persists_after_the_deadline() -> None:
    cards = quarter_cards(
        [
            occ("A", "exceedance", "a21026", 2020, 5, 3),
            occ("A", "exceedance", "a21026", 2020, 8, 2),  # after 30 June + 30 days: persists
            occ("B", "exceedance", "a21026", 2020, 5, 3),
            occ("B", "exceedance", "a21026", 2020, 7, 20),  # before the deadline (30 July): yellow again
            occ("C", "exceedance", "a21026", 2020, 5, 3),
            occ("C", "quantity", "a21026", 2020, 9, 1),  # another cause: yellow
        ]
    )
    got = {(c.credit_code, c.quarter): (c.card, c.causes, c.persisting) for c in cards}
    assert got == {
        ("A", "2020Q2"): ("yellow", ("exceedance:a21026",), ()),
        ("A", "2020Q3"): ("red", ("exceedance:a21026",), ("exceedance:a21026",)),
        ("B", "2020Q2"): ("yellow", ("exceedance:a21026",), ()),
        ("B", "2020Q3"): ("yellow", ("exceedance:a21026",), ()),
        ("C", "2020Q2"): ("yellow", ("exceedance:a21026",), ()),
        ("C", "2020Q3"): ("yellow", ("quantity:a21026",), ()),
    }


def test_no_occurrence_in_between_breaks_the_chain() -> None:
    cards = quarter_cards(
        [occ("A", "quantity", "w01018", 2020, 2, 1), occ("A", "quantity", "w01018", 2020, 12, 1)]
    )
    assert [c.card for c in cards] == ["yellow", "yellow"]


def test_rectify_days_is_a_parameter() -> None:
    o = [occ("A", "exceedance", "a21026", 2020, 5, 3), occ("A", "exceedance", "a21026", 2020, 7, 10)]
    assert quarter_cards(o, rectify_days=30)[-1].card == "yellow"
    assert quarter_cards(o, rectify_days=0)[-1].card == "red"
    with pytest.raises(ValueError):
        quarter_cards(o, rectify_days=-1)
    with pytest.raises(ValueError):
        quarter_cards([occ("A", "other", "x", 2020, 1, 1)])


def test_causes_in_words_in_each_language() -> None:
    """The codes a card carries (``exceedance:<factor>``, ``quantity:<factor>``) read as
    words in the command's table and on the pages, in zh and in en."""
    from ecoplan.sources.standards.cards import causes

    assert causes("exceedance:a21002", "zh") == "超标排放 氮氧化物"
    assert causes("quantity:w01018,quantity:w21003", "zh") == "超许可排放量 化学需氧量、超许可排放量 氨氮"
    assert causes("quantity:w21003", "en") == "Over the permitted quantity NH3-N"
    assert causes("", "en") == ""
