"""``ep.water``: the API the routes and pages build on (names and columns)."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.water.pipeline.water_helpers import batch, sample, station

from ecoplan.app import Ecoplan
from ecoplan.core.errors import EcoplanError, NotFound
from ecoplan.water.pipeline import SECTION_COLUMNS, SHARE_COLUMNS
from ecoplan.water.pipeline.evaluate import _pct
from ecoplan.water.readers.batch import SAMPLE_COLUMNS, STATION_COLUMNS


@given(st.integers(0, 5000), st.integers(1, 5000))
def test_shares_round_half_even_on_the_exact_quotient(n: int, d: int) -> None:
    q = Fraction(1000 * n, d)  # tenths of a percent
    lo = q.numerator // q.denominator
    frac = q - lo
    tenths = lo + (1 if frac > Fraction(1, 2) or (frac == Fraction(1, 2) and lo % 2 == 1) else 0)
    assert _pct(n, d) == tenths / 10


@pytest.fixture
def loaded(ep: Ecoplan) -> Ecoplan:
    sts = [
        station("A", "130102", river="滹沱河"),
        station("B", "130203", river="滦河", basin="海河流域"),
        station("C", "320102", "lake", basin="太湖流域", river="太湖"),
    ]
    rows = [
        sample("A", "2025-03-01 08:00", "NH3N", 0.4),
        sample("A", "2025-04-01 08:00", "NH3N", 0.6),
        sample("A", "2025-04-01 08:00", "pH", 7.5),
        sample("B", "2025-03-01 08:00", "NH3N", 2.5),
        sample("C", "2025-03-01 08:00", "TP", 0.08),
        sample("C", "2024-03-01 08:00", "TP", 0.01),
    ]
    ep.water.load_batch(batch(sts, rows), format="long")
    return ep


def test_read_api(loaded: Ecoplan) -> None:
    w = loaded.water
    assert list(w.stations().columns) == list(STATION_COLUMNS) and len(w.stations()) == 3
    s = w.samples("A", start=pd.Timestamp("2025-04-01"), items=["NH3N"])
    assert list(s.columns) == list(SAMPLE_COLUMNS) and s["value"].tolist() == [0.6]
    with pytest.raises(NotFound):
        w.samples("Z")
    assert w.years() == [2024, 2025]
    st_ = w.status()
    assert st_["samples"] == 6 and st_["stations"] == 3 and st_["years"] == [2024, 2025]


def test_sections_api(loaded: Ecoplan) -> None:
    sec = loaded.water.sections(year=2025)
    assert list(sec.columns[: len(SECTION_COLUMNS)]) == list(SECTION_COLUMNS)
    got = sec.set_index("station")
    # A: NH3N mean of March 0.4 and April 0.6 = 0.5 → Ⅱ; B: 2.5 → 劣Ⅴ; C (lake) TP 0.08 → Ⅳ
    assert got["class"].tolist() == [2, 6, 4]
    assert got["class_label"].tolist() == ["Ⅱ", "劣Ⅴ", "Ⅳ"]
    assert got["grade"].tolist() == ["excellent", "severe", "light"]
    assert got.loc["A", "mean_NH3N"] == pytest.approx(0.5)
    assert list(loaded.water.sections(year=2025, region="130000")["station"]) == ["A", "B"]
    assert list(loaded.water.sections(year=2025, region="130100")["station"]) == ["A"]
    assert list(loaded.water.sections(year=2025, basin="太湖流域")["station"]) == ["C"]
    months = loaded.water.sections(year=2025, period="month", month=4)
    assert list(months["period"]) == ["2025-04"] and list(months["class"]) == [3]  # NH3N 0.6 → Ⅲ
    with pytest.raises(NotFound):
        loaded.water.sections(year=2019)
    with pytest.raises(EcoplanError):
        loaded.water.sections(year=2025, period="week")


def test_shares_api(loaded: Ecoplan) -> None:
    sh = loaded.water.shares(year=2025)
    assert list(sh.columns[: len(SHARE_COLUMNS)]) == list(SHARE_COLUMNS)
    got = sh.set_index("key")
    assert list(got.index) == ["130000", "130100", "130200", "320000", "320100"]
    assert got.loc["130000", "name"] == "河北省"
    assert (got.loc["130000", "n_sections"], got.loc["130000", "share_i_iii_pct"]) == (2, 50.0)
    assert got.loc["130000", "share_worse_v_pct"] == 50.0
    rivers = loaded.water.shares(year=2025, by="river").set_index("key")
    assert rivers.loc["太湖", "n_class_4"] == 1 and rivers.loc["太湖", "grade"] == "light"
    rank = loaded.water.rank(year=2025)
    assert rank["rank"].tolist()[0] == 1 and rank["key"].tolist()[0] == "130100"
    with pytest.raises(EcoplanError):
        loaded.water.shares(year=2025, by="lake")


def test_feed_of_a_year_without_data(loaded: Ecoplan) -> None:
    with pytest.raises(NotFound):
        loaded.water.feed(year=2019)
