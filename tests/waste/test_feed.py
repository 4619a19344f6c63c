"""Waste rates into plan values (``ep.waste.feed``, :mod:`ecoplan.waste.feed`) on a real
DuckDB file: a small Henan data set whose rates are computed by hand below, the values
written to 河南省“十四五”规划's 危险废物利用处置率 (source ``pipeline waste``), a re-feed
that writes nothing, a value entered by a person kept, and ``ecoplan assess`` showing
the fed value. Hypothesis checks the on-time count against the working-day calendar.

The data (2025 unless said; R1 in 郑州 holds a permit for HW08 and 900-041-49, 2024–2028,
1000 t/a; R2 in 开封 one for 900-249-08 only, expired 2025-06-30, 500 t/a):

=====  ========  ====================  =========================================  ========
no.    producer  code, t               arrived → confirmed (working days)         status
=====  ========  ====================  =========================================  ========
M1     P1 郑州   900-249-08, 10 → R1   09-26 → 10-09: 9-28 (调休), 9-29, 9-30, 10-09  closed
                                       = 4 (10-01…10-08 National Day)
M2     P1        900-041-49, 4 → R1    03-03 → 03-11: 4, 5, 6, 7, 10, 11 = 6 late  confirmed
M5     P1        900-249-08, 1 → R1    03-03 → 03-10: 4, 5, 6, 7, 10 = 5 on time  closed
M3     P2 洛阳   900-041-49, 5 → R2    05-06 arrived, not confirmed               received
M4     P2        900-249-08, 3 → R1    rejected                                    rejected
=====  ========  ====================  =========================================  ========

Ledgers: P1 generated 10 + 4 + 2 + 1 = 17 t, self-treated 2 t, shipped 10 + 4 + 1 = 15 t
(all on manifests to R1, licensed for the codes that day); P2 generated 5 + 3 = 8 t,
shipped 8 t (M3: R2 not licensed for 900-041-49; M4: rejected), and 1 t generated in 2024.

By hand, 2025: 河南 410000: on time 2/5 = 40 %, closed loop 3/5 = 60 %,
利用处置率 (2 + 15) / 25 = 68 %, capacity (R1 only: R2's permit is not valid on 1 July)
1000 / 25 = 40; 郑州 410100: 2/3, 3/3, (2 + 15) / 17 = 100 %, 1000 / 17; 洛阳 410300:
0/2, 0/2, 0 / 8 = 0 %, 0 / 8 = 0. 2024: 1 t generated in 洛阳, none used: 0 %; R1's
permit valid on 2024-07-01: 1000 / 1.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import chinese_calendar  # type: ignore[import-untyped]
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.ingest.values import ValueRow
from ecoplan.plans.model import Basis
from ecoplan.waste.feed import SOURCE, region_rates

PLAN, IND = "henan-14th-eco", "hazardous-waste-use-disposal"

ACTORS = [
    "actor_id,roles,name,credit_code,region,address,lon,lat,unit_class",
    "P1,producer,郑州某化工有限公司,,410102,郑州中原区,113.60,34.75,key",
    "P2,producer,洛阳某机械厂,,410302,洛阳老城区,112.47,34.68,simplified",
    "T1,transporter,河南某危货运输公司,,410100,郑州,113.65,34.76,",
    "R1,receiver,郑州某环境服务有限公司,,410100,郑州,113.70,34.80,key",
    "R2,receiver,开封某处置有限公司,,410200,开封,114.31,34.80,",
]
PERMITS = [
    "permit_no,actor_id,kind,valid_from,valid_to,annual_capacity_t,codes",
    "HN-0001,R1,comprehensive,2024-01-01,2028-12-31,1000,HW08;900-041-49",
    "HN-0002,R2,comprehensive,2025-01-01,2025-06-30,500,900-249-08",
]
_MH = (
    "manifest_no,producer_id,transporter_id,receiver_id,approval_no,status,paper,shipped_at,arrived_at,"
    "confirmed_at,closed_at,backfilled_at,vehicle,producers_on_manifest,line_no,code,form,packaging,containers,"
    "qty_shipped_t,qty_received_t,code_received,form_received,packaging_received"
)
MANIFESTS = [
    _MH,
    "20254101000001,P1,T1,R1,,closed,false,2025-09-26 08:00,2025-09-26 18:00,2025-10-09 10:00,"
    "2025-10-10 10:00,,豫A00001,1,1,900-249-08,液态,桶,10,10,10,,,",
    "20254101000002,P1,T1,R1,,confirmed,false,2025-03-03 08:00,2025-03-03 16:00,2025-03-11 09:00,"
    ",,豫A00001,1,1,900-041-49,固态,袋,4,4,4,,,",
    "20254101000003,P1,T1,R1,,closed,false,2025-03-03 08:00,2025-03-03 16:00,2025-03-10 09:00,"
    "2025-03-12 09:00,,豫A00002,1,1,900-249-08,液态,桶,1,1,1,,,",
    "20254103000001,P2,T1,R2,,received,false,2025-05-06 08:00,2025-05-06 17:00,,,,豫C00001,1,1,"
    "900-041-49,固态,袋,5,5,5,,,",
    "20254103000002,P2,T1,R1,,rejected,false,2025-06-02 08:00,2025-06-02 15:00,,,,豫C00001,1,1,"
    "900-249-08,液态,桶,3,3,,,,",
]
LEDGER = [
    "actor_id,batch_code,stage,at,code,quantity_t,container_code,linked_batch,facility",
    "P1,HWCS1,generated,2025-09-20 09:00,900-249-08,10,,,",
    "P1,HWCS1,shipped,2025-09-26 08:00,900-249-08,10,,,",
    "P1,HWCS2,generated,2025-02-20 09:00,900-041-49,4,,,",
    "P1,HWCS2,shipped,2025-03-03 08:00,900-041-49,4,,,",
    "P1,HWCS3,generated,2025-04-01 09:00,900-249-08,2,,,",
    "P1,HWCS3,self_treated,2025-04-02 09:00,900-249-08,2,,,",
    "P1,HWCS7,generated,2025-03-01 09:00,900-249-08,1,,,",
    "P1,HWCS7,shipped,2025-03-03 08:00,900-249-08,1,,,",
    "P2,HWCS4,generated,2025-05-01 09:00,900-041-49,5,,,",
    "P2,HWCS4,shipped,2025-05-06 08:00,900-041-49,5,,,",
    "P2,HWCS5,generated,2025-05-20 09:00,900-249-08,3,,,",
    "P2,HWCS5,shipped,2025-06-02 08:00,900-249-08,3,,,",
    "P2,HWCS6,generated,2024-12-10 09:00,900-249-08,1,,,",
]
FILES = {"actors": ACTORS, "permits": PERMITS, "manifests": MANIFESTS, "ledger": LEDGER}

#: (region, year) → the hand-computed values of the module docstring.
EXPECTED = {
    ("410000", 2025): dict(
        shipped=5,
        confirmed_on_time=2,
        closed_loop=3,
        on_time_pct=40.0,
        closed_loop_pct=60.0,
        generated_t=25.0,
        self_treated_t=2.0,
        shipped_t=23.0,
        licensed_shipped_t=15.0,
        use_disposal_pct=68.0,
        capacity_t=1000.0,
        capacity_ratio=40.0,
    ),
    ("410100", 2025): dict(
        shipped=3,
        confirmed_on_time=2,
        closed_loop=3,
        on_time_pct=200 / 3,
        closed_loop_pct=100.0,
        generated_t=17.0,
        licensed_shipped_t=15.0,
        use_disposal_pct=100.0,
        capacity_ratio=1000 / 17,
    ),
    ("410300", 2025): dict(
        shipped=2,
        confirmed_on_time=0,
        closed_loop=0,
        on_time_pct=0.0,
        generated_t=8.0,
        shipped_t=8.0,
        licensed_shipped_t=0.0,
        use_disposal_pct=0.0,
        capacity_t=0.0,
        capacity_ratio=0.0,
    ),
    ("410000", 2024): dict(
        shipped=0, generated_t=1.0, use_disposal_pct=0.0, capacity_t=1000.0, capacity_ratio=1000.0
    ),
}
#: The values the feed writes: the use-disposal rate of every region holding the actors.
FED = {
    ("410000", 2024): 0.0,
    ("410000", 2025): 68.0,
    ("410100", 2025): 100.0,
    ("410102", 2025): 100.0,
    ("410300", 2024): 0.0,
    ("410300", 2025): 0.0,
    ("410302", 2024): 0.0,
    ("410302", 2025): 0.0,
}


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("waste-feed") / "init.duckdb"
    with Ecoplan(db) as session:
        session.init()
    return db


@pytest.fixture
def loaded(initialised: Path, tmp_path: Path) -> Iterator[Ecoplan]:
    """A copy of the initialised store with the data set of the module docstring."""
    db = tmp_path / "feed.duckdb"
    shutil.copyfile(initialised, db)
    with Ecoplan(db) as session:
        for kind, rows in FILES.items():
            path = tmp_path / f"{kind}.csv"
            path.write_text("\n".join(rows) + "\n", encoding="utf-8")
            session.waste.import_file(kind, path)
        yield session


def _row(table: pd.DataFrame, region: str, year: int) -> dict[str, object]:
    got = table[(table["region"] == region) & (table["year"] == year)]
    assert len(got) == 1, (region, year)
    return {str(k): v for k, v in got.iloc[0].to_dict().items()}


def test_rates_per_region_and_year_are_the_hand_computed_ones(loaded: Ecoplan) -> None:
    table = loaded.waste.region_rates()
    for (region, year), want in EXPECTED.items():
        row = _row(table, region, year)
        for k, v in want.items():
            assert row[k] == pytest.approx(v), (region, year, k)
    undefined = _row(table, "410000", 2024)["on_time_pct"]
    assert undefined != undefined  # NaN: no manifest shipped in 2024
    # the nation holds everything; 开封 (R2 only: no producer, no ledger) has no row
    assert _row(table, "000000", 2025)["use_disposal_pct"] == pytest.approx(68.0)
    assert not (table["region"] == "410200").any()
    # the same on-time and closed-loop counts as ep.waste.rates() (per producer region)
    by_region = {r["region"]: r for r in loaded.waste.rates()}
    assert (by_region["410102"]["confirmed_on_time"], by_region["410102"]["closed_loop"]) == (2, 3)
    # a year and a region asked for
    only = loaded.waste.region_rates([2024], "410300")
    assert list(only["region"]) == ["410300"] and list(only["year"]) == [2024]


def test_feed_writes_the_plan_values_once(loaded: Ecoplan) -> None:
    fr = loaded.waste.feed()
    assert fr.result is not None and fr.result.inserted == len(FED)
    got = {(r.region, r.year): r.value for r in fr.rows}
    assert got == pytest.approx(FED)
    assert {(r.plan, r.indicator, r.source, r.unit) for r in fr.rows} == {(PLAN, IND, SOURCE, "%")}
    hn = next(r for r in fr.rows if (r.region, r.year) == ("410000", 2025))
    assert "(2 t + 15 t) / 25 t" in hn.note and "to no licensed receiver found 8 t" in hn.note
    stored = {
        int(r["year"]): (float(r["value"]), r["source"])
        for r in loaded.catalog.value_rows(PLAN, "410000", IND)
    }
    assert stored == {2024: (0.0, SOURCE), 2025: (68.0, SOURCE)}
    # again: nothing new, no revision
    again = loaded.waste.feed()
    assert again.result is not None
    assert (again.result.inserted, again.result.revised, again.result.unchanged) == (0, 0, len(FED))
    assert len(loaded.catalog.value_rows(PLAN, "410000", IND)) == 2


def test_feed_by_year_and_region_and_dry_run(loaded: Ecoplan) -> None:
    dry = loaded.waste.feed(2025, "410000", dry_run=True)
    assert [(r.region, r.year, r.value) for r in dry.rows] == [("410000", 2025, 68.0)]
    assert dry.result is None and loaded.catalog.value_rows(PLAN, "410000", IND) == []
    fr = loaded.waste.feed([2024], "410300")
    assert [(r.region, r.year, r.value) for r in fr.rows] == [("410300", 2024, 0.0)]


def test_a_value_a_person_entered_is_kept(loaded: Ecoplan) -> None:
    mine = ValueRow(PLAN, IND, "410000", 2025, 97.5, "%", Basis.LEVEL, "河南省生态环境状况公报", None)
    loaded.catalog.add_values([mine], actor="test")
    fr = loaded.waste.feed(2025, "410000")
    assert fr.rows == [] and fr.result is None
    (skip,) = fr.skipped
    assert (skip.plan, skip.indicator, skip.region, skip.year, skip.why.key) == (
        PLAN,
        IND,
        "410000",
        2025,
        "feeds.manual",
    )
    (row,) = loaded.catalog.value_rows(PLAN, "410000", IND)
    assert float(row["value"]) == 97.5


def test_assess_shows_the_fed_value(loaded: Ecoplan) -> None:
    loaded.waste.feed(2025, "410000")
    db = loaded.catalog.path
    loaded.close()  # the command opens the file itself
    res = CliRunner().invoke(
        cli_app,
        ["assess", PLAN, "--region", "410000", "--year", "2025", "--format", "json", "--db", db],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    (ind,) = [i for i in data["indicators"] if i["id"] == IND]
    assert ind["value"] == pytest.approx(68.0) and ind["value_source"] == SOURCE
    assert (ind["verdict"], ind["reason_code"]) == ("not_met", "misses_target")  # the target is 98
    # the table form shows it too (value and source)
    res = CliRunner().invoke(
        cli_app, ["assess", PLAN, "--region", "410000", "--year", "2025", "--lang", "en", "--db", db]
    )
    assert res.exit_code == 0, res.output
    (line,) = [
        x
        for x in res.output.splitlines()
        if "Utilization and disposal rate of hazardous waste" in x and "│" in x
    ]
    assert "│ 68 %" in line and "not met" in line


# -- Hypothesis: the on-time count is the working-day calendar's --------------------------

_day = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 20))


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            _day, st.integers(0, 20), st.booleans(), st.sampled_from(["confirmed", "closed", "received"])
        ),
        min_size=1,
        max_size=12,
    )
)
def test_on_time_counts_working_days_after_arrival(trips: list[tuple[dt.date, int, bool, str]]) -> None:
    manifests = []
    for i, (arrived, wait, confirmed, status) in enumerate(trips):
        when = dt.datetime.combine(arrived, dt.time(9))
        manifests.append(
            {
                "manifest_no": f"M{i}",
                "producer_id": "P",
                "receiver_id": "R",
                "status": status,
                "shipped_at": when,
                "arrived_at": when,
                "confirmed_at": when + dt.timedelta(days=wait) if confirmed else None,
            }
        )
    table = region_rates(
        manifests, [], [], [], [{"actor_id": "P", "region": "410102"}], {"410102": ("410102",)}
    )
    want: dict[int, int] = {}
    for a, wait, confirmed, _ in trips:
        # working days after arrival up to the confirmation, from the holiday library itself
        worked = sum(chinese_calendar.is_workday(a + dt.timedelta(days=k)) for k in range(1, wait + 1))
        on_time = confirmed and worked <= 5
        want[a.year] = want.get(a.year, 0) + int(on_time)
    got = {int(r["year"]): int(r["confirmed_on_time"]) for r in table.to_dict("records")}
    assert got == want
    for r in table.to_dict("records"):
        assert 0.0 <= r["on_time_pct"] <= 100.0 and 0.0 <= r["closed_loop_pct"] <= 100.0


# -- Hypothesis: the licensed share against a plain loop, and the roll-up to parents -----------

_CODES = ("900-249-08", "900-041-49")  # few codes and days: trips and records meet often
_RECEIVERS = {"R1": ("HW08",), "R2": ("900-041-49",), "R3": ("HW17",)}
_YEAR = {"valid_from": dt.date(2025, 1, 1), "valid_to": dt.date(2025, 12, 31), "annual_capacity_t": 10.0}
_PERMITS = [{"actor_id": r, **_YEAR, "codes": list(c)} for r, c in _RECEIVERS.items()]
_ACTORS = [
    {"actor_id": "P1", "region": "410102"},
    {"actor_id": "P2", "region": "410302"},
    *({"actor_id": r, "region": "410100"} for r in _RECEIVERS),
]
_CHAIN = {
    "410102": ("410102", "410100", "410000"),
    "410302": ("410302", "410300", "410000"),
    "410100": ("410100", "410000"),
}


@settings(max_examples=30, deadline=None)
@given(
    trips=st.lists(
        st.tuples(
            st.sampled_from(["P1", "P2"]),
            st.sampled_from(sorted(_RECEIVERS)),
            st.sampled_from(_CODES),
            st.integers(1, 2),  # day of March
            st.sampled_from(["closed", "rejected", "received"]),
        ),
        min_size=1,
        max_size=8,
    ),
    records=st.lists(
        st.tuples(
            st.sampled_from(["P1", "P2"]),
            st.sampled_from(["generated", "shipped", "self_treated"]),
            st.sampled_from(_CODES),
            st.integers(1, 2),
            st.integers(1, 50),  # tonnes / 10
        ),
        min_size=1,
        max_size=10,
    ),
)
@example(  # one load to a licensed receiver (R1: HW08) and one to an unlicensed one (R2), same day
    trips=[("P1", "R1", "900-249-08", 1, "closed"), ("P1", "R2", "900-249-08", 1, "closed")],
    records=[("P1", "shipped", "900-249-08", 1, 10)],
)
def test_licensed_shipments_and_roll_up(
    trips: list[tuple[str, str, str, int, str]], records: list[tuple[str, str, str, int, int]]
) -> None:
    manifests, lines = [], []
    for i, (p, r, code, day, status) in enumerate(trips):
        at = dt.datetime(2025, 3, day, 8)
        manifests.append(
            {"manifest_no": f"M{i}", "producer_id": p, "receiver_id": r, "status": status, "shipped_at": at}
        )
        lines.append({"manifest_no": f"M{i}", "code": code})
    ledger = [
        {
            "actor_id": p,
            "stage": stage,
            "at": dt.datetime(2025, 3, day, 8),
            "code": code,
            "quantity_t": q / 10,
        }
        for p, stage, code, day, q in records
    ]
    table = region_rates(manifests, lines, ledger, _PERMITS, _ACTORS, _CHAIN, [2025])

    def covers(receiver: str, code: str) -> bool:
        return any(
            a == code or (a.startswith("HW") and code.endswith("-" + a[2:])) for a in _RECEIVERS[receiver]
        )

    want: dict[str, float] = {}
    for p, stage, code, day, q in records:
        loads = [
            tr for tp, tr, tc, td, ts in trips if tp == p and tc == code and td == day and ts != "rejected"
        ]
        sent = bool(loads) and all(covers(tr, code) for tr in loads)
        if stage == "shipped" and sent:
            want[p] = want.get(p, 0.0) + q / 10
    got = {str(r["region"]): r for r in table.to_dict("records")}
    for p, county in (("P1", "410102"), ("P2", "410302")):
        row = got.get(county)
        assert (row["licensed_shipped_t"] if row else 0.0) == pytest.approx(want.get(p, 0.0))
        if row:
            assert row["licensed_shipped_t"] <= row["shipped_t"] + 1e-9
    # the province holds both producers: its sums are theirs
    if "410000" in got:
        for col in ("generated_t", "self_treated_t", "shipped_t", "licensed_shipped_t", "shipped"):
            parts = sum(float(got[c][col]) for c in ("410102", "410302") if c in got)
            assert float(got["410000"][col]) == pytest.approx(parts)
