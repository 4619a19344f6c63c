"""The simulated month end to end: register (load_folder), frames (load_file), reported base
year; compute → exactly the injected exceedance events, alarms and cards; the region totals
are those written and flow into cn-13th-eco's reduction indicators.

The expected facts are the simulator's ground truth (truth.json: what it injected and the
Cou it wrote), never recomputed by the pipeline.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from ecoplan.app import Ecoplan
from ecoplan.sources.simulate.month import write_scenario

FED = {"emission.cod_decline": "w01018", "emission.nh3n_decline": "w21003",
       "emission.so2_decline": "a21026", "emission.nox_decline": "a21002"}  # fmt: skip


def run_scenario(ep: Ecoplan, out: Path, **kw: Any) -> dict[str, Any]:
    summary = write_scenario(out, **kw)
    ep.sources.registry.load_folder(str(out / "register"))
    for name in ("minutes.txt", "daily.txt"):
        ep.sources.frames.load_file(str(out / name))
    ep.sources.facts.load_reported([str(out / "reported.csv")])
    ep.sources.facts.compute()
    truth: dict[str, Any] = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    truth["summary"] = summary
    return truth


def check(ep: Ecoplan, out: Path, truth: dict[str, Any]) -> None:
    f = ep.sources.facts
    ev = f.exceedances()
    got = {(r.event_id, r.basis, int(r.periods), pd.Timestamp(r.end).isoformat()) for r in ev.itertuples()}
    want = {(e["event_id"], e["basis"], e["periods"], e["end"]) for e in truth["exceedances"]}
    assert got == want
    al = f.alarms()
    got_a = {(r.alarm_id, r.kind, pd.Timestamp(r.end).isoformat()) for r in al.itertuples()}
    assert got_a == {(a["alarm_id"], a["kind"], a["end"]) for a in truth["alarms"]}
    cards = f.cards()
    got_c = {(r.quarter, r.credit_code, r.card, r.causes, r.persisting) for r in cards.itertuples()}
    want_c = {(c["quarter"], c["credit_code"], c["card"], ",".join(c["causes"]), ",".join(c["persisting"]))
              for c in truth["cards"]}  # fmt: skip
    assert got_c == want_c
    assert {c["card"] for c in truth["cards"]} == {"yellow", "red"}
    # every event has its frames as evidence
    for e in truth["exceedances"][:3]:
        assert len(f.evidence(e["event_id"])) >= 1
    # the region totals are the Cou written (t), every level, covered
    tot = f.totals(2020, by="region").set_index(["region", "factor"])
    for region, per in truth["totals_t"].items():
        for factor, tonnes in per.items():
            assert tot.loc[(region, factor), "tonnes"] == pytest.approx(tonnes, rel=1e-9), (region, factor)
            assert tot.loc[(region, factor), "coverage"] == pytest.approx(1.0)
    # the feed: (base − total) / base × 100 from the reported file and the truth
    with open(out / "reported.csv", encoding="utf-8") as fh:
        base = {(r["region"], r["pollutant"]): float(r["tonnes"]) for r in csv.DictReader(fh)}
    names = {"w01018": "COD", "w21003": "NH3-N", "a21026": "SO2", "a21002": "NOx"}
    res = f.feed(plan="cn-13th-eco")
    assert res.result is not None and res.result.inserted == len(res.rows) > 0
    by = {(r.indicator, r.region): r for r in res.rows}
    plan = ep.catalog.plan("cn-13th-eco")
    ind_of = {i.code: i.id for i in plan.indicators}
    for code, factor in FED.items():
        for region in ("130000", "130100"):
            b = base[(region, names[factor])]
            want_v = (b - truth["totals_t"][region][factor]) / b * 100
            row = by[(ind_of[code], region)]
            assert row.year == 2020 and row.value == pytest.approx(want_v, abs=1e-5)
            assert row.source == "pipeline sources"
    # the values are the plan's: the province's assessment shows them
    pa = ep.assess("cn-13th-eco", "130000", 2020)
    frame = pa.to_frame() if hasattr(pa, "to_frame") else None
    values = ep.catalog.observations("cn-13th-eco", "130000")
    assert {ind_of[c] for c in FED} <= set(values)
    assert frame is None or len(frame) > 0
    # re-feeding writes nothing new
    again = f.feed(plan="cn-13th-eco")
    assert again.result is not None and again.result.inserted == again.result.revised == 0


def test_small_scenario(ep: Ecoplan, tmp_path: Path) -> None:
    truth = run_scenario(ep, tmp_path / "scn", outlets=12, days=2, seed=3)
    assert truth["summary"]["exceedances"] == 2 and truth["summary"]["faults"] == 6
    check(ep, tmp_path / "scn", truth)


def test_scenario_is_deterministic(tmp_path: Path) -> None:
    a = write_scenario(tmp_path / "a", outlets=10, days=1, seed=7)
    b = write_scenario(tmp_path / "b", outlets=10, days=1, seed=7)
    assert a["minute_frames"] == b["minute_frames"]
    for name in ("minutes.txt", "daily.txt", "truth.json", "reported.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.slow
def test_full_month(ep: Ecoplan, tmp_path: Path) -> None:
    truth = run_scenario(ep, tmp_path / "scn", outlets=193, seed=1)
    assert truth["summary"]["outlets"] >= 190
    check(ep, tmp_path / "scn", truth)


def test_scenario_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from ecoplan.cli import app as cli_app

    res = CliRunner().invoke(
        cli_app,
        [
            "sources",
            "scenario",
            "--out",
            str(tmp_path / "s"),
            "--outlets",
            "10",
            "--seed",
            "2",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    got = json.loads(res.output)
    assert got["outlets"] == 10 and got["minute_frames"] > 0 and (tmp_path / "s" / "truth.json").is_file()
    bad = CliRunner().invoke(
        cli_app, ["sources", "scenario", "--out", str(tmp_path / "t"), "--month", "June"]
    )
    assert bad.exit_code != 0
