"""A provincial plan of today: Zhejiang's 14th eco-environmental plan, its targets as the
report of its release states them, the national codes reused for the same definitions,
and its 2021–2022 outcomes.

Expected statuses are worked out by hand from the shipped numbers (see each case),
not recomputed with ecoplan.
"""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pytest
import yaml
from tests.conftest import write_csv
from typer.testing import CliRunner

from ecoplan.app import Ecoplan
from ecoplan.cli import app
from ecoplan.plans import TargetKind, builtin_plans, parse_target

PLANS = {p.id: p for p in builtin_plans()}
ZJ = PLANS["zhejiang-14th-eco"]
YAML_TEXT = resources.files("ecoplan.plans.builtin").joinpath("zhejiang-14th-eco.yaml").read_text("utf-8")
CSV_PATH = Path(str(resources.files("ecoplan.demo").joinpath("zhejiang_14th_values.csv")))


def test_plan_loads_6_indicators_2_binding_2021_2025() -> None:
    assert (ZJ.start, ZJ.end, ZJ.base_year, ZJ.region, ZJ.level.value) == (
        2021,
        2025,
        2020,
        "330000",
        "provincial",
    )
    assert len(ZJ.indicators) == 6
    assert sum(i.attribute == "binding" for i in ZJ.indicators) == 2
    assert ZJ.settings.eliminate_basic == 1.0


@pytest.mark.parametrize(
    ("ind_id", "baseline", "expr", "kind"),
    [
        ("water-grade-i-iii", 94.6, "95%以上", TargetKind.LEVEL),
        ("water-grade-v-provincial", None, "基本消除", TargetKind.ELIMINATE),
        ("air-heavy-days", None, "全面消除", TargetKind.ELIMINATE),
        ("water-drinking-sources", 100.0, "100", TargetKind.LEVEL),
        ("water-drinking-small-sources", None, "95", TargetKind.LEVEL),
        ("water-use-per-gdp", None, "〔16〕以上", TargetKind.CUMULATIVE),
    ],
)
def test_targets_as_the_report_states_them(
    ind_id: str, baseline: float | None, expr: str, kind: TargetKind
) -> None:
    ind = ZJ.indicator(ind_id)
    assert (ind.baseline.year, ind.baseline.value) == (2020, baseline)
    assert [s.year for s in ind.targets] == [2025]
    target = ind.targets[0].target
    assert target == parse_target(expr) and target.kind is kind
    assert parse_target(target.canonical()) == target


def test_yaml_expressions_parse_to_the_loaded_targets() -> None:
    raw = {i["id"]: i for i in yaml.safe_load(YAML_TEXT)["indicators"]}
    for ind in ZJ.indicators:
        assert [parse_target(t["expr"]) for t in raw[ind.id]["targets"]] == [s.target for s in ind.targets]


def test_every_quote_states_its_number_and_is_marked_secondary() -> None:
    for ind in ZJ.indicators:
        src = ind.source
        assert src.file and src.file.startswith("http"), ind.id
        assert src.note and "secondary" in src.note, ind.id
        target = ind.targets[0].target
        if target.kind is TargetKind.ELIMINATE:
            assert target.text in (src.quote or ""), ind.id
        else:
            number = target.canonical().strip("≥〔〕以上")
            assert number in (src.quote or ""), (ind.id, number)
        if ind.baseline.value is not None:  # the baseline's figure is quoted in the scope
            assert f"{ind.baseline.value:g}%" in (ind.scope or ""), ind.id
    head = YAML_TEXT.split("\nid:", 1)[0]
    assert "NOTHING here is confirmed from a primary text" in head and "INFERRED" in head


def test_codes_reuse_the_national_definitions_and_name_new_ones() -> None:
    others = {i.code for p in builtin_plans() if p.id != ZJ.id for i in p.indicators}
    reused = {"water.grade_i_iii_share", "air.heavy_pollution_days_ratio", "water.drinking_source_compliance"}
    reused |= {"resource.water_use_per_gdp_decline"}
    new = {"water.grade_v_share", "water.thousand_ton_source_compliance"}
    codes = {i.code for i in ZJ.indicators}
    assert codes == reused | new
    assert reused <= others  # the same definition keeps the code other plans use
    assert not new & others  # a new definition gets a code no other plan has
    # class V is not the national 劣Ⅴ share
    assert ZJ.indicator("water-grade-v-provincial").code != "water.worse_than_v_share"


def _rows() -> list[dict[str, str]]:
    with CSV_PATH.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_demo_rows_name_their_document() -> None:
    rows = _rows()
    assert len(rows) == 4
    ids = {i.id for i in ZJ.indicators}
    for r in rows:
        assert r["plan"] == ZJ.id and r["region"] == "330000" and r["indicator"] in ids
        assert 2021 <= int(r["year"]) <= 2025
        assert r["source"].strip() and r["value"] in r["note"]
    keys = [(r["indicator"], r["year"]) for r in rows]
    assert len(keys) == len(set(keys))


def _load(ep: Ecoplan) -> None:
    ep.import_values(CSV_PATH, recorded_at="2026-03-31", actor="test", only_new=True)


def test_mid_term_2022_by_hand(ep: Ecoplan) -> None:
    """2022: Ⅰ–Ⅲ 97.6 ≥ 95 and drinking water 100 ≥ 100 are met three years early; the
    other four have no 2022 figure."""
    _load(ep)
    got = {a.indicator.id: (a.status.value, a.value) for a in ep.assess(ZJ.id, "330000", 2022).indicators}
    assert got == {
        "water-grade-i-iii": ("achieved", 97.6),
        "water-grade-v-provincial": ("insufficient_data", None),
        "air-heavy-days": ("insufficient_data", None),
        "water-drinking-sources": ("achieved", 100.0),
        "water-drinking-small-sources": ("insufficient_data", None),
        "water-use-per-gdp": ("insufficient_data", None),
    }


def test_2021_met_and_a_made_up_2023_on_schedule(ep: Ecoplan, tmp_path: Path) -> None:
    """2021: Ⅰ–Ⅲ 95.2 is above the 2025 bar of 95 (≥ 95): met. A made-up 2023 of 94.9
    is below 95 but above the linear 序时进度 94.6 + 0.4·3/5 = 94.84: on track."""
    _load(ep)
    got = {a.indicator.id: a.status.value for a in ep.assess(ZJ.id, "330000", 2021).indicators}
    assert got["water-grade-i-iii"] == "achieved"
    extra = write_csv(
        tmp_path / "zj.csv",
        [
            "plan,indicator,region,year,value,unit,source",
            f"{ZJ.id},water-grade-i-iii,330000,2023,94.9,%,test",
        ],
    )
    ep.import_values(extra, actor="test")
    got = {a.indicator.id: a.status.value for a in ep.assess(ZJ.id, "330000", 2023).indicators}
    assert got["water-grade-i-iii"] == "on_track"


def test_final_2025_has_no_published_figure(ep: Ecoplan) -> None:
    """No 2025 Zhejiang figure is shipped (none in any stored page): every indicator is
    insufficient_data, none is guessed from an earlier year."""
    _load(ep)
    result = ep.assess(ZJ.id, "330000", 2025)
    assert {a.status.value for a in result.indicators} == {"insufficient_data"}
    assert result.summary()["binding_total"] == 2


def test_cli_lists_and_assesses(tmp_path: Path) -> None:
    db = str(tmp_path / "x.duckdb")
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", db, "--lang", "en"]).exit_code == 0
    listed = runner.invoke(app, ["plans", "list", "--db", db, "--lang", "en"])
    assert listed.exit_code == 0, listed.output
    for plan_id in ("zhejiang-14th-eco", "shanghai-14th-eco", "henan-14th-eco", "hebei-14th-eco"):
        assert plan_id in listed.output
    imported = runner.invoke(app, ["values", "import", str(CSV_PATH), "--db", db, "--lang", "en"])
    assert imported.exit_code == 0, imported.output
    for year, shown in (("2025", None), ("2022", "97.6")):
        out = runner.invoke(
            app, ["assess", ZJ.id, "--region", "330000", "--year", year, "--db", db, "--lang", "en"]
        )
        assert out.exit_code == 0, out.output
        if shown:
            assert shown in out.output


# ---- Shanghai ----

SH = PLANS["shanghai-14th-eco"]
SH_CSV = Path(str(resources.files("ecoplan.demo").joinpath("shanghai_14th_values.csv")))
CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_shanghai_loads_10_indicators_5_binding() -> None:
    assert (SH.start, SH.end, SH.region, SH.level.value) == (2021, 2025, "310000", "provincial")
    assert len(SH.indicators) == 10
    assert sum(i.attribute == "binding" for i in SH.indicators) == 5
    assert {i.category.zh for i in SH.indicators} == {"生态环境质量", "生态环境治理", "绿色低碳发展"}


@pytest.mark.parametrize(
    ("ind_id", "expr", "number"),
    [
        ("air-pm25", "35以下", "35"),
        ("air-good-days", "85左右", "85"),
        ("water-grade-i-iii", "60%以上", "60"),
        ("coastal-water-good", "14左右", "14"),
        ("soil-safe-use", "95%以上", "95"),
        ("urban-sewage", "99", "99"),
        ("rural-sewage", "90%以上", "90"),
        ("waste-recycling", "45%以上", "45"),
        ("forest-coverage", "19.5", "19.5"),
        ("park-area-per-capita", "9.5", "9.5"),
    ],
)
def test_shanghai_targets_and_quotes(ind_id: str, expr: str, number: str) -> None:
    ind = SH.indicator(ind_id)
    assert [s.year for s in ind.targets] == [2025]
    assert ind.targets[0].target == parse_target(expr)
    assert parse_target(ind.targets[0].target.canonical()) == ind.targets[0].target
    assert ind.source.quote and number in ind.source.quote
    assert ind.source.note and "secondary" in ind.source.note


@pytest.mark.parametrize(
    ("plan_id", "corpus_doc"),
    [
        ("shanghai-14th-eco", "prov-shanghai-14th-eco"),
        ("zhejiang-14th-eco", "prov-zhejiang-14th-eco"),
        ("henan-14th-eco", "prov-henan-14th-eco"),
    ],
)
def test_quotes_are_in_the_stored_copy(plan_id: str, corpus_doc: str) -> None:
    """The page the quotes come from is also kept in the corpus (its first 2,000 bytes):
    every quote must be in it exactly as printed, pinyin glosses and ASCII commas too."""
    doc = CORPUS / corpus_doc / "document.txt"
    if not doc.exists():
        pytest.skip(f"{doc} not in this checkout")
    text = doc.read_text("utf-8")
    plan = PLANS[plan_id]
    for ind in plan.indicators:
        assert ind.source.quote and ind.source.quote in text, (plan_id, ind.id)


def test_shanghai_final_2025_by_hand(ep: Ecoplan) -> None:
    """2025: PM2.5 26.3 ≤ 35 and AQI 优良率 88.5 against 85左右 (±5 % of 85 = 4.25, so at
    least 80.75) are met: 2 of the 5 binding met; the other 8 have no 2025 figure."""
    ep.import_values(SH_CSV, recorded_at="2026-03-31", actor="test", only_new=True)
    result = ep.assess(SH.id, "310000", 2025)
    got = {a.indicator.id: (a.status.value, a.value) for a in result.indicators}
    assert got.pop("air-pm25") == ("achieved", 26.3)
    assert got.pop("air-good-days") == ("achieved", 88.5)
    assert set(got.values()) == {("insufficient_data", None)}
    summary = result.summary()
    assert (summary["binding_total"], summary["binding_met"]) == (5, 2)


def test_shanghai_demo_rows() -> None:
    with SH_CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted((r["indicator"], r["year"], r["value"]) for r in rows) == [
        ("air-good-days", "2022", "87.1"),
        ("air-good-days", "2025", "88.5"),
        ("air-pm25", "2022", "25"),
        ("air-pm25", "2025", "26.3"),
    ]
    for r in rows:
        assert r["plan"] == SH.id and r["region"] == "310000" and r["source"].strip()
        assert r["value"] in r["note"]


# ---- Henan ----

HN = PLANS["henan-14th-eco"]
HN_CSV = Path(str(resources.files("ecoplan.demo").joinpath("henan_14th_values.csv")))


@pytest.mark.parametrize(
    ("ind_id", "expr", "number"),
    [
        ("air-good-days", "71%以上", "71"),
        ("water-grade-i-iii", "75.6%以上", "75.6"),
        ("soil-farmland-safe-use", "95%以上", "95"),
        ("groundwater-grade-v", "25%以下", "25"),
        ("rural-sewage", "45", "45"),
        ("forest-coverage", "26%以上", "26"),
        ("wetland-protection-rate", "53", "53"),
        ("energy-intensity-decline", "〔15〕", "15"),
        ("co2-intensity-decline", "〔19.5〕", "19.5"),
        ("hazardous-waste-use-disposal", "98", "98"),
        ("medical-waste-harmless", "100", "100"),
        ("radiation-accident-rate", "低于1.3", "1.3"),
    ],
)
def test_henan_targets_and_quotes(ind_id: str, expr: str, number: str) -> None:
    ind = HN.indicator(ind_id)
    assert ind.targets[0].year == 2025 and ind.targets[0].target == parse_target(expr)
    assert parse_target(ind.targets[0].target.canonical()) == ind.targets[0].target
    assert ind.source.quote and number + ("起" if ind.unit == "起/万枚" else "%") in ind.source.quote


def test_henan_shape_and_codes() -> None:
    assert (HN.start, HN.end, HN.region, len(HN.indicators)) == (2021, 2025, "410000", 12)
    assert sum(i.attribute == "binding" for i in HN.indicators) == 6
    assert HN.indicator("co2-intensity-decline").is_cumulative
    radiation = HN.indicator("radiation-accident-rate").targets[0].target
    assert radiation.op is not None and radiation.op.value == "<"  # 低于: strictly below
    new = {
        "water.groundwater_grade_v_share",
        "waste.hazardous_use_disposal_rate",
        "waste.medical_harmless_disposal_rate",
        "risk.radioactive_source_accident_rate",
    }
    others = {i.code for p in builtin_plans() if p.id != HN.id for i in p.indicators}
    assert {i.code for i in HN.indicators} - others == new
    # 地下水Ⅴ类 under GB/T 14848-2017 is not the 13th plans' 极差 share
    assert "water.groundwater_very_poor_share" in others


def test_henan_mid_term_by_hand(ep: Ecoplan) -> None:
    """Ⅰ–Ⅲ 81.9 (2022), 83.0 (2023), 86.1 (2024) are all at or above 75.6; farmland safe
    use 100 (2024) ≥ 95: met early. 2025: nothing published, all insufficient_data."""
    ep.import_values(HN_CSV, recorded_at="2026-03-31", actor="test", only_new=True)
    for year, value in ((2022, 81.9), (2023, 83.0), (2024, 86.1)):
        a = next(
            a for a in ep.assess(HN.id, "410000", year).indicators if a.indicator.id == "water-grade-i-iii"
        )
        assert (a.status.value, a.value) == ("achieved", value)
    got = {a.indicator.id: a.status.value for a in ep.assess(HN.id, "410000", 2024).indicators}
    assert got["soil-farmland-safe-use"] == "achieved" and got["air-good-days"] == "insufficient_data"
    assert {a.status.value for a in ep.assess(HN.id, "410000", 2025).indicators} == {"insufficient_data"}


# ---- Hebei (the plan was built in before; its outcomes are new) ----

HB_CSV = Path(str(resources.files("ecoplan.demo").joinpath("hebei_14th_values.csv")))


def test_hebei_outcomes_by_hand(ep: Ecoplan) -> None:
    """hebei-14th-eco, linear 序时进度 from 2020:
    PM2.5 44.8 → 37: 2024 expects 44.8 − 7.8·4/5 = 38.56, and 37.7 is below it: on track.
    Good days 69.9 → 75: 2023 expects 72.96, but 68.5 is below the 2020 level: off track;
    2024 expects 73.98, and 72.9 is above 69.9 but behind: at risk.
    Ⅰ–Ⅲ 73.0 in 2021 is already above the 70 % bar: achieved."""
    ep.import_values(HB_CSV, recorded_at="2026-03-31", actor="test", only_new=True)

    def status(year: int) -> dict[str, str]:
        result = ep.assess("hebei-14th-eco", "130000", year)
        return {a.indicator.id: a.status.value for a in result.indicators if a.value is not None}

    assert status(2021) == {
        "air-pm25": "on_track",
        "air-good-days": "on_track",
        "water-grade-i-iii": "achieved",
    }
    assert status(2023) == {"air-pm25": "on_track", "air-good-days": "off_track"}
    assert status(2024) == {"air-pm25": "on_track", "air-good-days": "at_risk"}
    assert status(2025) == {}


def test_hebei_rows_name_their_document() -> None:
    with HB_CSV.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 7
    hebei = PLANS["hebei-14th-eco"]
    for r in rows:
        assert r["plan"] == hebei.id and r["region"] == "130000"
        assert hebei.indicator(r["indicator"]).unit == r["unit"]
        assert r["source"].strip() and r["value"] in r["note"]
