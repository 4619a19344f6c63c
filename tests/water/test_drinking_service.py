"""``ep.water.drinking`` and ``ep.water.black_odorous`` on a real DuckDB file: the example
data end to end (verdicts, regional rates and ratios, plan indicators fed), idempotent
imports, nothing half-written, a hand-entered value kept; the yearly rules on small
hand-made cases."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from ecoplan.app import Ecoplan
from ecoplan.core.errors import InputFileError, StoreError
from ecoplan.ingest.values import ValueRow
from ecoplan.plans.model import Basis
from ecoplan.store import faults
from ecoplan.water.pipeline import drinking as pipe
from ecoplan.water.report import section

DATA = Path(__file__).resolve().parents[2] / "src" / "ecoplan" / "water" / "data"
SUPPLY = {"HB-DW-01": 450000, "HB-DW-02": 300000, "HB-DW-03": 200000, "HB-DW-04": 40000, "HB-DW-05": 30000,
          "HB-DW-06": 35000}  # fmt: skip


def _load(ep: Ecoplan) -> None:
    ep.water.drinking.load(
        [DATA / "drinking-monitoring.csv"], register=DATA / "drinking-sources.csv", format="wide"
    )
    ep.water.black_odorous.load(
        [DATA / "black-odorous-points.csv"], register=DATA / "black-odorous-bodies.csv"
    )


def test_example_sources_verdicts_and_rates(ep: Ecoplan) -> None:
    _load(ep)
    att = ep.water.drinking.attainment(year=2024).set_index("source")
    # the example was written so that 陡河 has Mn 0.14 mg/L (Table 2: 0.1) and 迁西 NH3-N 1.2 (Ⅲ: 1.0)
    assert att.loc["HB-DW-03", "failing"] == '["Mn"]' and not att.loc["HB-DW-03", "meets"]
    assert att.loc["HB-DW-05", "failing"] == '["NH3N"]' and att.loc["HB-DW-05", "cls"] == 4
    assert att["meets"].sum() == 5 and (att["n_months"] == 12).all()
    assert att.loc["HB-DW-04", "standard"] == "GB/T 14848—2017"
    rates = ep.water.drinking.rates(year=2024).set_index("key")
    hebei = rates.loc["130000"]
    assert (hebei["n_sources"], hebei["n_meeting"]) == (6, 4)  # the township source is not counted
    assert hebei["rate_count_pct"] == pytest.approx(400 / 6)
    meeting = sum(v for k, v in SUPPLY.items() if k not in ("HB-DW-03", "HB-DW-05"))
    assert hebei["rate_volume_pct"] == pytest.approx(100 * meeting / sum(SUPPLY.values()))
    assert rates.loc["130200", "rate_count_pct"] == pytest.approx(100 / 3)  # 陡河 ✗, 迁西 ✗, 遵化 ✓
    county = ep.water.drinking.rates(year=2019, levels="county", region="440700")
    assert county["n_sources"].tolist() == [3] and county["n_meeting"].tolist() == [2]  # 开平 Fe 0.45 in 2019


def test_load_is_idempotent_and_logged(ep: Ecoplan) -> None:
    _load(ep)
    again = ep.water.drinking.load([DATA / "drinking-monitoring.csv"], register=DATA / "drinking-sources.csv",
                                   format="wide")  # fmt: skip
    assert (again.added, again.revised, again.unchanged, again.registered_new) == (0, 0, 180 * 13, 0)
    b = ep.water.black_odorous.load(
        [DATA / "black-odorous-points.csv"], register=DATA / "black-odorous-bodies.csv"
    )
    assert (b.added, b.revised, b.unchanged) == (0, 0, 108 * 5)
    log = ep.catalog.con.execute(
        "SELECT format, count(*) FROM water_imports GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert log == [("black-odorous", 2), ("drinking", 2)]


def test_a_revised_value_replaces_the_stored_one(ep: Ecoplan, tmp_path: Path) -> None:
    _load(ep)
    f = tmp_path / "fix.csv"
    f.write_text("station,time,item,value,unit\nHB-DW-03,2024-01,锰,0.02,mg/L\n", encoding="utf-8")
    res = ep.water.drinking.load([f], format="long")
    assert (res.added, res.revised, res.unchanged) == (0, 1, 0)
    s = ep.water.drinking.store.drinking_samples(2024)
    got = s[(s["source"] == "HB-DW-03") & (s["item"] == "Mn") & (s["time"] == pd.Timestamp("2024-01-01"))]
    assert got["value"].tolist() == [0.02]


def test_bad_input_stores_nothing(ep: Ecoplan, tmp_path: Path) -> None:
    reg = tmp_path / "reg.csv"
    reg.write_text("code,name,region,type,level,supply_m3d\nA,甲,130100,river,city,1\nB,乙,130100,sea,city,1\n",
                   encoding="utf-8")  # fmt: skip
    with pytest.raises(InputFileError):
        ep.water.drinking.load([DATA / "drinking-monitoring.csv"], register=reg, format="wide")
    assert ep.water.drinking.sources().empty
    good = pd.DataFrame([{"code": "A", "name": "甲", "region": "130100", "type": "river", "level": "city",
                          "supply_m3d": 1.0}])  # fmt: skip
    samples = pd.DataFrame(
        {
            "station": ["Z"],
            "time": [pd.Timestamp("2024-01-01")],
            "item": ["Fe"],
            "value": [0.1],
            "flag": [None],
        }
    )
    with pytest.raises(StoreError):  # a source of no register: the whole import rolls back
        ep.water.drinking.store.import_drinking(good, samples, pd.DataFrame(columns=["reason"]), ["x.csv"])
    assert ep.water.drinking.sources().empty
    assert ep.catalog.con.execute("SELECT count(*) FROM water_imports").fetchone() == (0,)


@pytest.mark.parametrize("kind", ["drinking", "black_odorous"])
@pytest.mark.parametrize("step", ["after_register", "before_commit"])
def test_a_failed_import_leaves_nothing(ep: Ecoplan, kind: str, step: str) -> None:
    tables = (
        "water_drinking_sources", "water_drinking_samples", "water_black_bodies", "water_black_measures",
        "water_imports", "water_rejects",
    )  # fmt: skip
    point = f"water.{kind}.{step}"
    with faults.armed(point), pytest.raises(faults.InjectedFault, match=point):
        _load(ep)
    counts = [ep.catalog.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in tables]
    if kind == "drinking":
        assert counts == [0, 0, 0, 0, 0, 0]
    else:  # the drinking import before it committed on its own
        assert counts[2:4] == [0, 0] and counts[0] == 11 and counts[4] == 1
    _load(ep)  # and the same files load cleanly afterwards
    assert len(ep.water.black_odorous.registered()) == 6


def test_feed_writes_the_plans_and_keeps_hand_values(ep: Ecoplan) -> None:
    _load(ep)
    ep.catalog.add_values(
        [
            ValueRow(
                "jiangmen-13th-eco", "water-drinking-source", "440700", 2020, 99.0, "%", Basis.LEVEL, "市公报"
            )
        ],
        actor="user",
    )
    res = ep.water.drinking.feed()
    got = {(r.plan, r.region, r.year): r for r in res.rows}
    hb = got[("hebei-14th-eco", "130000", 2024)]
    assert hb.value == pytest.approx(400 / 6) and hb.source == "pipeline water"
    assert "4 of 6 sources" in hb.note and "12 months" in hb.note
    assert got[("jiangmen-13th-eco", "440700", 2019)].value == pytest.approx(200 / 3)
    assert ("jiangmen-13th-eco", "440700", 2020) not in got
    kept = [s for s in res.skipped if (s.plan, s.region, s.year) == ("jiangmen-13th-eco", "440700", 2020)]
    assert kept and kept[0].why.key == "feeds.manual"
    assert res.result is not None and res.result.inserted == len(res.rows)
    again = ep.water.drinking.feed()
    assert again.result is not None and again.result.inserted == 0 and again.result.unchanged == len(res.rows)


def test_black_odorous_example(ep: Ecoplan) -> None:
    _load(ep)
    bodies = ep.water.black_odorous.bodies(year=2019).set_index("body")
    assert bodies.loc["JM-HC-03", "eliminated"] is False or not bodies.loc["JM-HC-03", "eliminated"]
    assert bodies.loc["JM-HC-01", "eliminated"]
    assert bodies.loc["HB-HC-01", "reason"] == "no_data"  # listed 2019, measured in 2023 only
    r19 = ep.water.black_odorous.ratios(year=2019, area="prefecture", region="440700").iloc[0]
    assert (r19["n_listed"], r19["n_eliminated"]) == (3, 2) and r19["remaining_pct"] == pytest.approx(100 / 3)
    r23 = ep.water.black_odorous.ratios(year=2023, area="county", region="130000").iloc[0]
    assert (r23["n_listed"], r23["n_assessed"], r23["n_eliminated"]) == (3, 3, 2)
    res = ep.water.black_odorous.feed()
    got = {(r.indicator, r.region, r.year): r.value for r in res.rows}
    assert got[("water-black-odorous", "440700", 2019)] == pytest.approx(100 / 3)
    assert got[("water-black-odorous", "440700", 2020)] == 0.0
    assert got[("water-black-odorous-county", "130000", 2023)] == pytest.approx(100 / 3)
    assert any(s.why.key == "water.black_odorous.feed.none_assessed" for s in res.skipped)


def _frame(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"source": s, "time": pd.Timestamp(t), "item": i, "value": v, "flag": None} for s, t, i, v in rows]
    )


REG = pd.DataFrame(
    [
        {"code": "R", "name": "河", "region": "130100", "type": "river", "level": "city", "supply_m3d": 10.0},
        {
            "code": "G",
            "name": "井",
            "region": "130181",
            "type": "groundwater",
            "level": "county",
            "supply_m3d": 5.0,
        },
    ]
)
GOOD = {"pH": 7.5, "DO": 7.0, "CODMn": 2.0, "NH3N": 0.2, "TP": 0.05}


def test_rule_mean_against_every_sample() -> None:
    rows = [("R", f"2024-{m:02d}-05", k, v) for m in range(1, 13) for k, v in GOOD.items()]
    rows += [("R", f"2024-{m:02d}-05", "Fe", 0.5 if m == 1 else 0.1) for m in range(1, 13)]
    s = _frame(rows)
    # the year's mean Fe is (0.5 + 11 × 0.1) / 12 ≈ 0.133 ≤ 0.3; January alone is above 0.3
    assert pipe.source_attainment(REG, s, 2024)["meets"].tolist() == [True]
    strict = pipe.source_attainment(REG, s, 2024, rule="every_sample")
    assert strict["meets"].tolist() == [False] and strict["failing"].tolist() == ['["Fe"]']


def test_groundwater_is_classed_by_gb14848() -> None:
    # nitrate 25 mg/L (as N): GB/T 14848—2017 Ⅲ ≤ 20, Ⅳ ≤ 30 → Ⅳ, fails; GB 3838 Table 2 would say 10
    s = _frame([("G", "2024-03-01", "NO3N", 25.0), ("G", "2024-03-01", "NH3N", 0.1)])
    a = pipe.source_attainment(REG, s, 2024).iloc[0]
    assert (a["cls"], a["meets"], a["failing"]) == (4, False, '["NO3N"]')


def test_shallow_point_uses_the_depth() -> None:
    bodies = pd.DataFrame(
        [{"code": "B", "name": "塘", "region": "130181", "area": "county", "listed_year": 2020}]
    )
    rows = []
    for p in ("P1", "P2", "P3"):
        for d in ("2024-03-01", "2024-06-01", "2024-09-01"):
            rows += [(p, d, "SD", 9.0), (p, d, "depth", 20.0)]
    m = pd.DataFrame([{"body": "B", "point": p, "seq": None, "date": pd.Timestamp(d), "item": i, "value": v}
                      for p, d, i, v in rows])  # fmt: skip
    # 20 cm of water: 重度 below 0.4 × 20 = 8 cm, 轻度 up to 20 cm — SD 9 is 轻度, not 重度 (< 10)
    out = pipe.black_bodies(bodies, m, 2024).iloc[0]
    assert out["grades"] == '{"P1": "light", "P2": "light", "P3": "light"}'
    assert out["verdict"] == "by_point" and not out["eliminated"]


def test_report_note(ep: Ecoplan) -> None:
    assert section(ep, ep.definition("hebei-14th-eco"), "130000", 2025, "zh") is None  # nothing stored
    _load(ep)
    s = section(ep, ep.definition("hebei-14th-eco"), "130000", 2025, "zh")
    assert s is not None and s.rows == ()
    assert "2024 年县级及以上集中式饮用水水源地水质达标率 66.7%（4/6 个水源地达标）" in s.note
    assert "2023 年县级城市建成区黑臭水体比例 33.3%（列入 3 个，已消除 2 个）" in s.note
    en = section(ep, ep.definition("jiangmen-13th-eco"), "440700", 2019, "en")
    assert en is not None and "2019: black-odorous water bodies in the prefecture-level" in en.note
    assert "33.3% remaining (3 listed, 2 eliminated)" in en.note
