"""``ep.water.feed``: the Ⅰ–Ⅲ and 劣Ⅴ shares written to plan indicators, source
"pipeline water"; idempotent; a value entered by hand is never overwritten."""

from __future__ import annotations

from tests.water.pipeline.water_helpers import batch, sample, station

from ecoplan.app import Ecoplan
from ecoplan.ingest.values import ValueRow
from ecoplan.plans.model import Basis
from ecoplan.water.feed import FEEDS, SOURCE
from ecoplan.water.readers.batch import WaterBatch


def test_no_feed_maps_to_the_15th_fyp_good_water_bodies_share() -> None:
    """优良水体比例 (15th FYP) has no published method: it is never fed from the class shares."""
    assert "water.good_water_bodies_share" not in FEEDS
    assert all(f.code != "water.good_water_bodies_share" for f in FEEDS.values())
    assert set(FEEDS) == {"water.grade_i_iii_share", "water.worse_than_v_share"}


def _hebei() -> WaterBatch:
    # 5 sections of Hebei (Shijiazhuang): 4 at Ⅱ (NH3N 0.4), 1 劣Ⅴ (NH3N 2.5) → 80.0 % and 20.0 %
    sts = [station(f"H{i}", "130102") for i in range(5)]
    rows = [sample(f"H{i}", "2025-11-10 08:00", "NH3N", 0.4 if i < 4 else 2.5) for i in range(5)]
    rows += [sample(f"H{i}", "2025-12-10 08:00", "NH3N", 0.4 if i < 4 else 2.5) for i in range(5)]
    return batch(sts, rows)


def test_feed_writes_idempotently_with_the_months_in_the_note(ep: Ecoplan) -> None:
    ep.water.load_batch(_hebei(), format="long")
    dry = ep.water.feed(dry_run=True)
    assert dry.result is None and dry.rows
    res = ep.water.feed()
    got = {(r.plan, r.region, r.indicator): r for r in res.rows}
    row = got[("hebei-14th-eco", "130000", "water-grade-i-iii")]
    assert row.value == 80.0 and row.source == SOURCE and row.year == 2025
    assert "5 sections" in (row.note or "") and "2 of 12 months (11, 12)" in (row.note or "")
    assert got[("hebei-14th-eco", "130100", "water-grade-i-iii")].value == 80.0
    assert res.result is not None and res.result.inserted == len(res.rows)
    again = ep.water.feed()
    assert again.result is not None and again.result.inserted == 0 and again.result.unchanged == len(res.rows)
    obs = ep.catalog.observations("hebei-14th-eco", "130000")["water-grade-i-iii"]
    assert [(o.year, o.value, o.source) for o in obs if o.year == 2025] == [(2025, 80.0, SOURCE)]


def test_a_revised_sample_revises_the_value_and_keeps_the_old(ep: Ecoplan) -> None:
    ep.water.load_batch(_hebei(), format="long")
    ep.water.feed()
    b = _hebei()
    b.samples.loc[b.samples["station"] == "H4", "value"] = 0.3
    ep.water.load_batch(b, format="long")
    res = ep.water.feed()
    assert res.result is not None and res.result.revised >= 1
    hist = ep.catalog.value_rows("hebei-14th-eco", "130000", "water-grade-i-iii", history=True)
    assert [h["value"] for h in hist if h["year"] == 2025] == [80.0, 100.0]


def test_a_hand_entered_value_is_never_overwritten(ep: Ecoplan) -> None:
    ep.catalog.add_values(
        [ValueRow("hebei-14th-eco", "water-grade-i-iii", "130000", 2025, 75.5, "%", Basis.LEVEL, "省公报")],
        actor="user",
    )
    ep.water.load_batch(_hebei(), format="long")
    res = ep.water.feed()
    assert all(not (r.region == "130000" and r.plan == "hebei-14th-eco") for r in res.rows)
    skip = [s for s in res.skipped if s.region == "130000" and s.plan == "hebei-14th-eco"]
    assert skip and skip[0].why.key == "feeds.manual"
    assert "省公报" in skip[0].why.text("en")
    obs = ep.catalog.observations("hebei-14th-eco", "130000")["water-grade-i-iii"]
    assert [(o.value, o.source) for o in obs if o.year == 2025] == [(75.5, "省公报")]
