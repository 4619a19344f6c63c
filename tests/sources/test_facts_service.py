"""ep.sources.facts on a real store: alarms by hand-made faults, errors in words, the
commands (json, csv, table) through the real CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from tests.sources.test_facts_pipeline import E1, E2, T0, fixture_values, insert_values, minute, seed_register
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app as cli_app
from ecoplan.core.errors import EcoplanError, NotFound

runner = CliRunner()


def faulty() -> list[dict[str, Any]]:
    """MN1, 10-minute records 00:00–09:50 with, by hand:

    - silence: no record 02:00–03:50 (last 01:50, next 04:00: 120 silent minutes > 60);
    - flatline: NOx 77.0 from 04:00 to 07:50 (24 records = 240 minutes ≥ 240);
    - negative: particulate −1 at 05:00–05:50;
    - flag storm: SO2 flags N D N D N D at 06:00–06:50 (5 changes ≥ 3);
    - zero flow: a00000 0 at 07:00–07:50 while SO2 > 0 (N).
    Everything else varies and is in bounds.
    """
    rows = []
    for k in range(60):
        t = T0 + dt.timedelta(minutes=10 * k)
        if dt.time(2) <= t.time() < dt.time(4):
            continue
        h = t.hour
        so2_flag = ("N" if k % 2 == 0 else "D") if h == 6 else "N"
        rows.append(minute("MN1", t, "a21026", 50 + k % 7, so2_flag, 0.1))
        rows.append(minute("MN1", t, "a19001", 9 + (k % 5) / 10))
        rows.append(minute("MN1", t, "a21002", 77.0 if 4 <= h < 8 else 100 + k))
        rows.append(minute("MN1", t, "a34013", -1.0 if h == 5 else 5 + k % 3))
        rows.append(minute("MN1", t, "a00000", 0.0 if h == 7 else 30 + k % 4))
    return rows


@pytest.fixture
def with_faults(ep: Ecoplan) -> Ecoplan:
    seed_register(ep)
    insert_values(ep, faulty())
    ep.sources.facts.compute()
    return ep


def test_alarms_from_hand_made_faults(with_faults: Ecoplan) -> None:
    al = with_faults.sources.facts.alarms()
    got = {(r.alarm_id, str(r.end)) for r in al.itertuples()}
    assert got == {
        ("silence:MN1:-:202006010150", "2020-06-01 04:00:00"),
        ("flatline:MN1:a21002:202006010400", "2020-06-01 08:00:00"),
        ("negative:MN1:a34013:202006010500", "2020-06-01 06:00:00"),
        ("flag_storm:MN1:a21026:202006010600", "2020-06-01 07:00:00"),
        ("zero_flow:MN1:a00000:202006010700", "2020-06-01 08:00:00"),
    }
    assert set(al["credit_code"]) == {E1} and set(al["region"]) == {"110101"}
    assert list(with_faults.sources.facts.alarms(kind="silence")["alarm_id"]) == [
        "silence:MN1:-:202006010150"
    ]
    assert with_faults.sources.facts.alarms(region="440000").empty


def test_credit_inputs(with_faults: Ecoplan) -> None:
    cr = with_faults.sources.facts.credit(2020).set_index("credit_code")
    assert cr.loc[E1, "alarms_silence"] == 1 and cr.loc[E1, "alarms_zero_flow"] == 1
    assert cr.loc[E1, "exceedance_events"] == 0 and cr.loc[E1, "red_cards"] == 0
    assert cr.loc[E1, "hours"] == 40  # 5 factors × 8 hours with data


def test_errors_are_worded(ep: Ecoplan) -> None:
    with pytest.raises(NotFound) as e:
        ep.sources.facts.compute()
    assert e.value.key == "sources.facts.error.no_values"
    seed_register(ep)
    insert_values(ep, fixture_values())
    for call, key in (
        (lambda: ep.sources.facts.compute(engine="oracle"), "sources.facts.error.bad_engine"),
        (lambda: ep.sources.facts.cards("2020Q9"), "sources.facts.error.bad_quarter"),
        (lambda: ep.sources.facts.alarms(kind="ghost"), "sources.facts.error.bad_kind"),
        (lambda: ep.sources.facts.evidence("nope"), "sources.facts.error.no_event"),
        (lambda: ep.sources.facts.totals(by="river"), "sources.facts.error.bad_by"),
        (lambda: ep.sources.facts.hourly(start="June"), "sources.facts.error.bad_time"),
    ):
        with pytest.raises(EcoplanError) as err:
            call()
        assert err.value.key == key
        assert err.value.message("zh") != err.value.message("en")


def test_compute_of_a_period_leaves_the_rest(ep: Ecoplan) -> None:
    seed_register(ep)
    insert_values(ep, fixture_values())
    ep.sources.facts.compute()
    n = len(ep.sources.facts.daily())
    res = ep.sources.facts.compute(start="2020-06-02", end="2020-06-03")
    assert (res.start, res.end) == (dt.datetime(2020, 6, 2), dt.datetime(2020, 6, 3))
    assert len(ep.sources.facts.daily()) == n
    assert len(ep.sources.facts.exceedances()) == 3


def test_commands(ep: Ecoplan, db_path: Path, tmp_path: Path) -> None:
    seed_register(ep)
    insert_values(ep, fixture_values())
    ep.close()
    db = str(db_path)
    res = runner.invoke(cli_app, ["sources", "compute", "--db", db, "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["exceedances"] == 3
    res = runner.invoke(
        cli_app, ["sources", "exceedances", "--db", db, "--format", "json", "--region", "110000"]
    )
    assert [e["event_id"] for e in json.loads(res.output)] == [
        "O1:a21026:hour:2020060100",
        "O1:a21026:hour:2020060103",
    ]
    res = runner.invoke(
        cli_app, ["sources", "evidence", "O1:a21026:hour:2020060103", "--db", db, "--format", "csv"]
    )
    assert res.exit_code == 0 and res.output.count("##raw MN1") == 12
    res = runner.invoke(cli_app, ["sources", "cards", "--db", db, "--quarter", "2020Q2", "--lang", "en"])
    assert res.exit_code == 0 and "yellow" in res.output
    res = runner.invoke(cli_app, ["sources", "cards", "--db", db, "--quarter", "2020Q2", "--lang", "zh"])
    assert "黄牌" in res.output
    res = runner.invoke(cli_app, ["sources", "totals", "--db", db, "--by", "region", "--format", "json"])
    assert {r["region"] for r in json.loads(res.output)} >= {"110000", "440000"}
    res = runner.invoke(cli_app, ["sources", "hourly", "--db", db, "--outlet", "O1", "--factor", "a21026"])
    assert res.exit_code == 0
    res = runner.invoke(cli_app, ["sources", "evidence", "nope", "--db", db, "--lang", "en"])
    assert res.exit_code != 0 and "no exceedance event nope" in res.output
    rep = tmp_path / "rep.csv"
    rep.write_text("region,year,pollutant,tonnes,source\n440000,2015,COD,1.0,test\n", encoding="utf-8")
    res = runner.invoke(cli_app, ["sources", "reported", "load", str(rep), "--db", db, "--format", "json"])
    assert json.loads(res.output)["added"] == 1
    res = runner.invoke(cli_app, ["sources", "feed", "--db", db, "--dry-run", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    # 0.060 t of COD in 2020 against 1.0 t reported for 2015: not fed — 3 of 366 days covered
    assert out["rows"] == [] and {s["reason"] for s in out["skipped"]} >= {"sources.facts.feed.not_covered"}


def test_a_pollutant_without_data_has_no_total_not_zero(with_faults: Ecoplan) -> None:
    """The paper mill's outfall (O2) is permitted COD but never reported: its total is
    unknown (NaN, coverage 0), never 0 t; the boiler's SO2 (reported) has a total."""
    t = with_faults.sources.facts.totals(2020)
    cod = t[(t.credit_code == E2) & (t.factor == "w01018")].iloc[0]
    so2 = t[(t.credit_code == E1) & (t.factor == "a21026")].iloc[0]
    assert cod.tonnes != cod.tonnes and cod.days == 0  # NaN
    assert so2.tonnes > 0
    by_region = with_faults.sources.facts.totals(2020, by="region")
    gd = by_region[(by_region.region == "440000") & (by_region.factor == "w01018")].iloc[0]
    assert gd.tonnes != gd.tonnes


def test_frames_of_unregistered_devices_do_not_make_registered_ones_silent(ep: Ecoplan) -> None:
    """A captured file of other sites' packets (devices the registry does not know) with a
    later DataTime must not stretch a trailing silence of every registered device."""
    seed_register(ep)
    insert_values(ep, faulty())
    insert_values(ep, [minute("UNKNOWN-MN", T0 + dt.timedelta(hours=14), "a21026", 10.0)])
    ep.sources.facts.compute()  # no end given: a trailing silence ends at the newest record
    silences = [r for r in ep.sources.facts.alarms().itertuples() if r.kind == "silence"]
    assert [(r.mn, str(r.start)) for r in silences] == [("MN1", "2020-06-01 01:50:00")]
