"""Incident grading by the 2011 reporting measures' annex, the Art. 3 clocks, targets in the
zones, intakes downstream, bad input, and ``ecoplan risk incident`` as a contract."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ecoplan.cli import app as cli_app
from ecoplan.core.errors import EcoplanError
from ecoplan.core.words.purity import foreign
from ecoplan.risk import incidents
from ecoplan.risk.standards.incident import GRADES, Facts, deadlines, grade

runner = CliRunner()

# -- the annex, item by item (突发环境事件分级标准; "以上" includes the number) ----------------


@pytest.mark.parametrize(
    ("facts", "expected", "clause"),
    [
        (Facts(deaths=10), "I", "I.1"),
        (Facts(deaths=9), "II", "II.1"),
        (Facts(deaths=3), "II", "II.1"),
        (Facts(deaths=2), "III", "III.1"),
        (Facts(deaths=1), "III", "III.1"),
        (Facts(poisoned=100), "I", "I.1"),
        (Facts(poisoned=99), "II", "II.1"),
        (Facts(poisoned=50), "II", "II.1"),
        (Facts(poisoned=49), "III", "III.1"),
        (Facts(poisoned=10), "III", "III.1"),
        (Facts(evacuated=50_000), "I", "I.2"),
        (Facts(evacuated=49_999), "II", "II.2"),
        (Facts(evacuated=10_000), "II", "II.2"),
        (Facts(evacuated=5_000), "III", "III.2"),
        (Facts(direct_loss_yuan=100_000_000), "I", "I.3"),
        (Facts(direct_loss_yuan=20_000_000), "II", "II.3"),
        (Facts(direct_loss_yuan=5_000_000), "III", "III.3"),
        (Facts(ecology="function_lost"), "I", "I.4"),
        (Facts(ecology="species_mass_death"), "II", "II.4"),
        (Facts(ecology="species_damaged"), "III", "III.4"),
        (Facts(water_source_cut="prefecture"), "I", "I.5"),
        (Facts(water_source_cut="county"), "II", "II.5"),
        (Facts(water_source_cut="township"), "III", "III.5"),
        (Facts(sensitive_area=True), "II", "II.6"),
        (Facts(cross_boundary="national"), "I", "I.7"),
        (Facts(cross_boundary="province"), "II", "II.8"),
        (Facts(cross_boundary="prefecture"), "III", "III.7"),
    ],
)
def test_each_annex_item(facts: Facts, expected: str, clause: str) -> None:
    g = grade(facts)
    assert g.grade == expected and g.reporting_grade == expected
    assert g.grounds[0].clause == clause


@pytest.mark.parametrize(
    "facts",
    [Facts(), Facts(deaths=0, poisoned=9, evacuated=4_999, direct_loss_yuan=4_999_999)],
)
def test_below_every_threshold_is_ordinary(facts: Facts) -> None:
    g = grade(facts)
    assert (g.grade, g.reporting_grade, g.grounds) == ("IV", "IV", ())


def test_the_highest_item_wins_and_every_ground_is_kept() -> None:
    g = grade(Facts(poisoned=12, evacuated=12_000, cross_boundary="national"))
    assert g.grade == "I"
    assert [x.clause for x in g.grounds] == ["I.7", "II.2", "III.1"]


def test_undetermined_is_reported_as_major() -> None:
    g = grade(Facts(undetermined=True, art4=("heavy_metal",)))
    assert (g.grade, g.reporting_grade) == ("IV", "II")
    assert g.grounds[-1].clause == "art4" and g.grounds[-1].params["cases"] == ["heavy_metal"]
    # an event already graded higher keeps its grade
    assert grade(Facts(deaths=12, undetermined=True)).reporting_grade == "I"


def test_bad_facts_refused() -> None:
    with pytest.raises(ValueError, match="deaths"):
        Facts(deaths=-1)
    with pytest.raises(ValueError, match="water_source_cut"):
        Facts(water_source_cut="city")
    with pytest.raises(ValueError, match="art4"):
        Facts(art4=("rumour",))


counts = st.none() | st.integers(0, 200_000)


@settings(max_examples=200, deadline=None)
@given(
    d=counts, p=counts, e=counts, loss=st.none() | st.floats(0, 2e8), more=st.integers(0, 100_000),
    cut=st.none() | st.sampled_from(["prefecture", "county", "township"]),
)  # fmt: skip
def test_more_harm_never_lowers_the_grade(
    d: int | None, p: int | None, e: int | None, loss: float | None, more: int, cut: str | None
) -> None:
    base = grade(Facts(deaths=d, poisoned=p, evacuated=e, direct_loss_yuan=loss))
    worse = grade(
        Facts(
            deaths=(d or 0) + more % 5,
            poisoned=(p or 0) + more,
            evacuated=(e or 0) + more,
            direct_loss_yuan=(loss or 0) + more,
            water_source_cut=cut,
        )
    )
    assert GRADES.index(worse.grade) <= GRADES.index(base.grade)


def test_reporting_clocks_of_article_3() -> None:
    t0 = dt.datetime(2026, 12, 6, 23, 10)
    (one,) = deadlines("III", t0)
    assert one.due == dt.datetime(2026, 12, 7, 3, 10) and one.to == ("local_government", "upper_bureau")
    assert deadlines("IV", t0)[0].hours == 4
    local, province = deadlines("II", t0)
    assert local.due == dt.datetime(2026, 12, 7, 1, 10)
    assert local.to == ("local_government", "provincial_bureau", "mee")
    assert province.due == dt.datetime(2026, 12, 7, 2, 10) and province.after == "received"
    _, province = deadlines("I", t0, province_received_at=dt.datetime(2026, 12, 7, 0, 0))
    assert province.due == dt.datetime(2026, 12, 7, 1, 0)


# -- targets, zones and rivers -----------------------------------------------------------

LON0, LAT0 = 118.80, 32.05
K = math.pi / 180 * 6_371_008.8


def ll(east: float, north: float) -> list[float]:
    """lon/lat of a point ``east``/``north`` metres from the site (equirectangular)."""
    return [LON0 + east / (K * math.cos(math.radians(LAT0))), LAT0 + north / K]


def incident_data(**over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "time": "2026-12-06 09:30",
        "place": {"lon": LON0, "lat": LAT0, "name": "储罐区"},
        "substance": "氯气",
        "release": {"rate_g_s": 1000, "height_m": 0},
        # a west wind: the plume goes east
        "weather": {"wind_m_s": 2, "wind_from_deg": 270, "stability": "D"},
        # red ends where C = 54.985 mg/m³: at 1000 m on the axis (worked in test_plume)
        "loc": {"unit": "mg_m3", "red": 54.9851281, "orange": 5.8, "yellow": 1.5},
        "counts": {"poisoned": 12},
    }
    data.update(over)
    return data


def test_targets_inside_each_zone() -> None:
    inc = incidents.incident_from_mapping(incident_data())
    tg = incidents.targets_from(
        [
            {"id": "in-red", "name": "a", "kind": "school", "lon": ll(990, 0)[0], "lat": ll(990, 0)[1]},
            {"id": "past-red", "name": "b", "kind": "school", "lon": ll(1010, 0)[0], "lat": ll(1010, 0)[1]},
            {"id": "upwind", "name": "c", "kind": "hospital", "lon": ll(-500, 0)[0], "lat": ll(-500, 0)[1]},
            # a village around the axis at 5–6 km whose corners are off the plume: the zone's
            # outline passes through it
            {"id": "village", "name": "d", "kind": "residential",
             "polygon": [ll(5000, -3000), ll(6000, -3000), ll(6000, 3000), ll(5000, 3000)]},
        ]
    )  # fmt: skip
    res = incidents.assess(inc, tg)
    zone = {t["id"]: t["zone"] for t in res["targets"]}
    assert zone == {"in-red": "red", "past-red": "orange", "upwind": None, "village": "yellow"}
    red, orange, yellow = res["zones"]
    assert red["distance_m"] == pytest.approx(1000.0, abs=0.05)
    assert red["targets"] == ["in-red"]
    assert orange["targets"] == ["in-red", "past-red"]
    assert set(yellow["targets"]) == {"in-red", "past-red", "village"}
    assert res["grade"]["grade"] == "III" and res["deadlines"][0]["due"] == "2026-12-06T13:30"
    assert "neutral_density_only" in res["warnings"]
    assert res["art4_hints"] == ["sensitive_area"]  # schools and a village inside
    assert incidents.assess(inc, [t for t in tg if t.id == "upwind"])["art4_hints"] == []


def river(rid: str, *pts: tuple[float, float]) -> dict[str, Any]:
    return {"id": rid, "name": rid, "coords": [ll(e, n) for e, n in pts]}


def intake(tid: str, east: float, north: float) -> dict[str, Any]:
    lon, lat = ll(east, north)
    return {"id": tid, "name": tid, "kind": "drinking_water_intake", "lon": lon, "lat": lat}


def test_intakes_downstream_along_the_river() -> None:
    # a tiny plume (red only, a high LOC) so only the spill entry counts: the river passes
    # 100 m east of the site flowing south, then a main river flows east from its mouth
    data = incident_data(loc={"unit": "g_m3", "red": 5.0})
    inc = incidents.incident_from_mapping(data)
    rivers = incidents.rivers_from(
        [river("trib", (100, 1000), (100, -3000)), river("main", (-5000, -3000), (5000, -3000))]
    )
    tg = incidents.targets_from(
        [
            intake("on-trib", 100, -2000),
            intake("on-main", 2100, -3000),
            intake("main-upstream", -2000, -3000),
            intake("trib-upstream", 100, 800),
            intake("far", 4900, -3000),
            intake("off-river", 3000, 2000),
        ]
    )
    res = incidents.assess(inc, tg, rivers, downstream_km=8.0)
    got = {r["id"]: r["along_river_m"] for r in res["intakes_downstream"]}
    # the spill enters where the river comes within 200 m of the site: north = √(200²−100²) = 173.2 m
    entry = math.sqrt(200**2 - 100**2)
    assert set(got) == {"on-trib", "on-main", "far"}
    assert got["on-trib"] == pytest.approx(entry + 2000, abs=incidents.STEP_M + 1)
    assert got["on-main"] == pytest.approx(entry + 3000 + 2000, abs=incidents.STEP_M + 1)
    assert got["far"] == pytest.approx(entry + 3000 + 4800, abs=incidents.STEP_M + 1)
    assert res["art4_hints"] == ["drinking_water"]
    near = incidents.assess(inc, tg, rivers, downstream_km=5.0)
    assert {r["id"] for r in near["intakes_downstream"]} == {"on-trib"}


def test_the_plume_over_a_river_is_an_entry() -> None:
    # a river 3 km east of the site, flowing south across the plume; the yellow zone covers it
    inc = incidents.incident_from_mapping(incident_data())
    rivers = incidents.rivers_from([river("r", (3000, 5000), (3000, -9000))])
    tg = incidents.targets_from([intake("below", 3000, -4000), intake("above", 3000, 4900)])
    res = incidents.assess(inc, tg, rivers)
    assert [r["id"] for r in res["intakes_downstream"]] == ["below"]
    along = res["intakes_downstream"][0]["along_river_m"]
    assert 4000 < along < 4000 + 1000  # from the zone's northern edge, a few hundred metres up


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "fld"),
    [
        ({"time": None}, "time"),
        ({"time": "yesterday"}, "time"),
        ({"place": {"lon": 200, "lat": 32}}, "place"),
        ({"release": {"rate_g_s": -3}}, "release.rate_g_s"),
        ({"release": {"rate_g_s": 0}}, "release.rate_g_s"),
        ({"weather": {"wind_m_s": 2, "stability": "G"}}, "weather.stability"),
        ({"weather": {"stability": "D"}}, "weather.wind_m_s"),
        ({"loc": {"red": 1, "yellow": 5}}, "loc"),
        ({"loc": {"unit": "ppm", "red": 1}}, "loc.unit"),
        ({"loc": {}}, "loc.red|orange|yellow"),
        ({"counts": {"deaths": 1.5}}, "counts.deaths"),
        ({"counts": {"water_source_cut": "city"}}, "counts.water_source_cut"),
    ],
)
def test_bad_incident_names_the_field(change: dict[str, Any], fld: str) -> None:
    with pytest.raises(EcoplanError) as info:
        incidents.incident_from_mapping(incident_data(**change), "x.yaml")
    assert info.value.key is not None and info.value.key.startswith("risk.incident.error.")
    assert info.value.params["file"] == "x.yaml" and info.value.params["field"] == fld
    assert "x.yaml" in info.value.message("zh") and fld in info.value.message("zh")


scalars = st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=True) | st.text(max_size=8)
trees = st.recursive(
    scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=4)
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["time", "place", "release", "weather", "loc", "counts", "substance", "x"]),
        trees,
        max_size=8,
    )
)
def test_any_mapping_is_an_incident_or_a_worded_error(data: dict[str, Any]) -> None:
    """Whatever the YAML holds, the reader answers an incident or a worded error naming
    the file, never another exception."""
    merged = {**incident_data(), **data}
    try:
        inc = incidents.incident_from_mapping(merged, "f.yaml")
    except EcoplanError as exc:
        assert exc.key is not None and exc.params["file"] == "f.yaml"
        return
    assert inc.rate_g_s > 0 and inc.wind_m_s > 0 and inc.locs_g_m3


def test_bad_targets_and_rivers() -> None:
    with pytest.raises(EcoplanError, match=r"\[2\]"):
        incidents.targets_from([intake("a", 0, 0), {"id": "b", "lon": "east"}], "t.csv")
    with pytest.raises(EcoplanError):
        incidents.rivers_from([{"id": "r", "coords": [[118.8, 32.0]]}], "r.yaml")
    geo = incidents.targets_from(
        [{"type": "Feature", "properties": {"id": "g", "kind": "school"},
          "geometry": {"type": "Point", "coordinates": [118.81, 32.05]}}]
    )  # fmt: skip
    assert geo[0].id == "g" and geo[0].lon == 118.81
    multi = incidents.rivers_from(
        [{"properties": {"id": "m"}, "geometry": {"type": "MultiLineString",
          "coordinates": [[[118.8, 32.0], [118.9, 32.0]], [[118.9, 32.0], [119.0, 32.0]]]}}]
    )  # fmt: skip
    assert [r.id for r in multi] == ["m#1", "m#2"]


# -- the command -------------------------------------------------------------------------


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    p = tmp_path / "incident.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def test_cli_incident_json_contract(tmp_path: Path) -> None:
    data = incident_data(
        targets=[{"id": "s", "name": "小学", "kind": "school", "lon": ll(990, 0)[0], "lat": ll(990, 0)[1]}]
    )
    f = _write(tmp_path, data)
    rivers = tmp_path / "rivers.geojson"
    rivers.write_text(
        json.dumps({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"id": "r", "name": "河"},
             "geometry": {"type": "LineString", "coordinates": [ll(3000, 5000), ll(3000, -9000)]}}]}),
        encoding="utf-8",
    )  # fmt: skip
    targets = tmp_path / "targets.csv"
    w = ll(3000, -4000)
    targets.write_text(
        f"id,name,kind,lon,lat\nw,取水口,drinking_water_intake,{w[0]},{w[1]}\n", encoding="utf-8"
    )
    res = runner.invoke(
        cli_app,
        ["risk", "incident", str(f), "--targets", str(targets), "--rivers", str(rivers), "--format", "json"],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert set(d) >= {"incident", "grade", "deadlines", "zones", "targets", "intakes_downstream", "warnings"}
    assert d["grade"]["grade"] == "III" and d["deadlines"][0]["due"] == "2026-12-06T13:30"
    assert [z["level"] for z in d["zones"]] == ["red", "orange", "yellow"]
    assert d["zones"][0]["targets"] == ["s"] and len(d["zones"][0]["polygon"]) > 10
    assert [i["id"] for i in d["intakes_downstream"]] == ["w"]


def test_cli_incident_with_the_registry_targets(tmp_path: Path, ep: Any, db_path: Path) -> None:
    csv = tmp_path / "targets.csv"
    lon, lat = ll(990, 0)
    csv.write_text(f"target_id,name,kind,lon,lat\nreg1,中心小学,school,{lon},{lat}\n", encoding="utf-8")
    ep.risk.load("targets", [csv])
    ep.close()
    f = _write(tmp_path, incident_data())
    args = ["risk", "incident", str(f), "--registry", "--db", str(db_path), "--format", "json"]
    res = runner.invoke(cli_app, args)
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert [(t["id"], t["zone"]) for t in d["targets"]] == [("reg1", "red")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cli_incident_text_and_errors_in_the_language(tmp_path: Path, lang: str) -> None:
    f = _write(tmp_path, incident_data(counts={"undetermined": True, "art4": ["drinking_water"]}))
    res = runner.invoke(cli_app, ["risk", "incident", str(f), "--lang", lang])
    assert res.exit_code == 0, res.output
    assert foreign(res.stdout, lang, allowed=["储罐区", "氯气"]) == []
    assert "2026-12-06 11:30" in res.stdout and "2026-12-06 12:30" in res.stdout  # 2 h, then 1 h
    bad = _write(tmp_path, incident_data(weather={"wind_m_s": 2, "stability": "Z"}))
    res = runner.invoke(cli_app, ["risk", "incident", str(bad), "--lang", lang])
    assert res.exit_code == 1
    assert "incident.yaml" in res.output and "weather.stability" in res.output
    missing = runner.invoke(cli_app, ["risk", "incident", str(tmp_path / "none.yaml"), "--lang", lang])
    assert missing.exit_code == 1 and "none.yaml" in missing.output
