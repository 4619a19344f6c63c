"""The reduction-indicator feed: cumulative decline vs the reported base year, coverage,
no base, a value entered by hand kept."""

from __future__ import annotations

import pandas as pd
import pytest

from ecoplan.app import Ecoplan
from ecoplan.ingest.values import ValueRow
from ecoplan.plans.model import Basis
from ecoplan.sources.feed import FEEDS, SOURCE, decline_pct, plan_rows


def _totals(rows: list[tuple[int, str, str, float, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["year", "region", "factor", "tonnes", "days", "expected_days"])


def _reported(rows: list[tuple[str, int, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(*r, "stat") for r in rows], columns=["region", "year", "factor", "tonnes", "source"]
    )


def _ind(ep: Ecoplan, code: str) -> str:
    return next(i.id for i in ep.catalog.plan("cn-13th-eco").indicators if i.code == code)


def test_the_four_indicators_of_cn_13th_eco_are_fed() -> None:
    assert set(FEEDS) == {"emission.cod_decline", "emission.nh3n_decline", "emission.so2_decline",
                          "emission.nox_decline"}  # fmt: skip
    assert decline_pct(200.0, 150.0) == 25.0
    with pytest.raises(ValueError):
        decline_pct(0.0, 1.0)


def test_decline_coverage_and_base(ep: Ecoplan) -> None:
    totals = _totals(
        [
            (2020, "130000", "a21026", 80.0, 366, 366),  # covered: (100 − 80) / 100 = 20 %
            (2019, "130000", "a21026", 90.0, 300, 365),  # 82 % covered: skipped
            (2020, "130000", "a21002", 50.0, 366, 366),  # no base: skipped
        ]
    )
    rows, skipped = plan_rows(
        ep.catalog, totals, _reported([("130000", 2015, "a21026", 100.0)]), plan="cn-13th-eco"
    )
    assert [(r.indicator, r.year, r.value, r.basis, r.source) for r in rows] == [
        (_ind(ep, "emission.so2_decline"), 2020, 20.0, Basis.CHANGE, SOURCE)
    ]
    why = {(s.indicator, s.year): s.why.key for s in skipped}
    assert why == {
        (_ind(ep, "emission.so2_decline"), 2019): "sources.facts.feed.not_covered",
        (_ind(ep, "emission.nox_decline"), 2020): "sources.facts.feed.no_base",
    }
    assert "82.2" in next(s for s in skipped if s.year == 2019).why.text("en")


def test_a_value_entered_by_hand_stays(ep: Ecoplan) -> None:
    ind = _ind(ep, "emission.so2_decline")
    ep.catalog.add_values(
        [
            ValueRow(
                plan="cn-13th-eco",
                indicator=ind,
                region="130000",
                year=2020,
                value=12.0,
                unit="%",
                basis=Basis.CHANGE,
                source="statistical bulletin",
                note=None,
            )
        ]
    )
    totals = _totals([(2020, "130000", "a21026", 80.0, 366, 366)])
    reported = _reported([("130000", 2015, "a21026", 100.0)])
    rows, skipped = plan_rows(ep.catalog, totals, reported, plan="cn-13th-eco")
    assert rows == [] and [s.why.key for s in skipped] == ["feeds.manual"]


def test_reported_file_errors_name_row_and_field(ep: Ecoplan, tmp_path: object) -> None:
    from pathlib import Path

    from ecoplan.core.errors import InputFileError

    p = Path(str(tmp_path)) / "r.csv"
    p.write_text(
        "region,year,pollutant,tonnes,source\n130000,2015,SO2,10,a\n999999,2015,SO2,1,a\n130000,15,PM,-1,\n"
        "130000,2015,二氧化硫,3,b\n",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError) as e:
        ep.sources.facts.load_reported([p])
    text = str(e.value)
    bits = ("row 3, field 'region'", "row 4, field 'year'", "row 4, field 'pollutant'",
            "row 4, field 'tonnes'", "row 4, field 'source'", "row 5, field 'pollutant'")  # fmt: skip
    for bit in bits:
        assert bit in text, bit
    assert ep.sources.facts.reported().empty  # nothing stored
    p.write_text(
        "region,year,pollutant,tonnes,source\n130000,2015,SO2,10,a\n130100,2015,氨氮,2,b\n", encoding="utf-8"
    )
    first = ep.sources.facts.load_reported([p])
    again = ep.sources.facts.load_reported([p])
    assert (first.added, again.added, again.unchanged) == (2, 0, 2)
    assert list(ep.sources.facts.reported(region="130000")["factor"]) == ["a21026", "w21003"]
