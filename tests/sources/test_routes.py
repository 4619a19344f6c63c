"""``/api/v1/sources`` on a real server (uvicorn on 127.0.0.1) over a real DuckDB file
holding a small register (three enterprises in Hebei and Tianjin, their outlets,
devices, permits, limits and permitted quantities) loaded through ``ep.sources``:
paged JSON, CSV and Parquet; 404 for an unregistered enterprise; 422 naming the
parameter for malformed input; a device's password and SM4 key never in an answer."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyarrow.parquet as pq
import pytest
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan
from ecoplan.core.errors import NotFound
from ecoplan.sources.protocol.frame import encode_frame
from ecoplan.sources.standards.credit_code import check_char
from ecoplan.web import register


def code(first17: str) -> str:
    """A valid 统一社会信用代码 (GB 32100-2015) from its first 17 characters."""
    return first17 + check_char(first17)


#: Two enterprises in Hebei (石家庄 130100, 唐山 130200), one in Tianjin (120000).
E1, E2, E3 = code("91130100MA0A1B2C3"), code("91130200MA0D4E5F6"), code("91120000MA0G7H8J9")
MN1, MN2, MN3 = "0A1B2C3D4E5F60718293A4B5", "1A1B2C3D4E5F60718293A4B6", "2A1B2C3D4E5F60718293A4B7"
PW = "481516"
SM4_KEY = "00112233445566778899AABBCCDDEEFF"

REGISTER: dict[str, list[tuple[str, ...]]] = {
    "enterprises.csv": [
        ("credit_code", "name", "region", "industry", "address", "lon", "lat", "key_unit"),
        (E1, "石家庄热电有限公司", "130100", "电力", "石家庄市长安区", "114.52", "38.05", "yes"),
        (E2, "唐山钢铁有限公司", "130200", "钢铁", "唐山市路北区", "118.18", "39.63", "yes"),
        (E3, "天津化工有限公司", "120000", "化工", "天津市滨海新区", "117.70", "39.03", "no"),
    ],
    "outlets.csv": [
        ("outlet_id", "credit_code", "medium", "name", "lon", "lat", "standard", "ref_o2"),
        ("SJZ-DA001", E1, "air", "1号锅炉烟囱", "114.52", "38.05", "GB 13223-2011", "6"),
        ("TS-DA001", E2, "air", "烧结机头", "118.18", "39.63", "GB 28662-2012", "16"),
        ("TJ-DW001", E3, "water", "总排口", "117.70", "39.03", "GB 8978-1996", ""),
    ],
    "devices.csv": [
        ("mn", "outlet_id", "st", "pw", "edition", "sm4_key", "active"),
        (MN1, "SJZ-DA001", "31", PW, "2017", "", "true"),
        (MN2, "TS-DA001", "31", PW, "2025", SM4_KEY, "true"),
        (MN3, "TJ-DW001", "32", PW, "2017", "", "true"),
    ],
    "permits.csv": [
        ("permit_no", "credit_code", "valid_from", "valid_to", "report_cycle"),
        ("91130100MA0A1B2C3X001P", E1, "2018-01-01", "2022-12-31", "year"),
        ("91130200MA0D4E5F6X001P", E2, "2019-01-01", "2023-12-31", "quarter"),
        ("91120000MA0G7H8J9X001V", E3, "2020-01-01", "2024-12-31", "year"),
    ],
    "limits.csv": [
        ("permit_no", "outlet_id", "factor", "limit_value", "unit", "basis", "ref_o2", "standard"),
        ("91130100MA0A1B2C3X001P", "SJZ-DA001", "a21026", "35", "mg/m3", "hour", "6", "GB 13223-2011"),
        ("91130100MA0A1B2C3X001P", "SJZ-DA001", "a21002", "50", "mg/m3", "hour", "6", "GB 13223-2011"),
        ("91130200MA0D4E5F6X001P", "TS-DA001", "a21026", "200", "mg/m3", "hour", "16", "GB 28662-2012"),
        ("91120000MA0G7H8J9X001V", "TJ-DW001", "w01018", "50", "mg/L", "day", "", "GB 8978-1996"),
    ],
    "quantities.csv": [
        ("permit_no", "factor", "year", "quantity_t"),
        ("91130100MA0A1B2C3X001P", "a21026", "2020", "120.5"),
        ("91130100MA0A1B2C3X001P", "a21002", "2020", "180"),
        ("91120000MA0G7H8J9X001V", "w01018", "2020", "40"),
    ],
}


def write_register(folder: Path) -> Path:
    """The register above as CSV files in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in REGISTER.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
    return folder


#: The hour of 2020-05-01 whose SO2 minutes are over the limit: 60 mg/m3 at 9 % O2 is
#: 60 × (21 − 6) / (21 − 9) = 75 mg/m3 at the reference 6 % (HJ 212-2017 Annex D.2.3),
#: over 35; the other hours 20 → 25 are within it.
OVER_HOUR = 3
HOURS = 6


def _frame(t: dt.datetime, cn: str, mn: str, cp: str) -> str:
    qn = t.strftime("%Y%m%d%H%M%S") + "000"
    seg = f"QN={qn};ST=31;CN={cn};PW={PW};MN={mn};Flag=4;CP=&&DataTime={t:%Y%m%d%H%M%S};{cp}&&"
    return encode_frame(seg).decode("ascii").rstrip("\r\n")


def write_frames(path: Path) -> Path:
    """HJ 212-2017 frames of the first boiler (MN1), 2020-05-01 00:00–05:59: minute data
    (CN 2051) of SO2, NOx (32 → 40 converted, within 50) and O2 (9 %), SO2 over its hourly
    limit in hour :data:`OVER_HOUR` only, each minute emitting 0.05 kg SO2 and 0.07 kg NOx;
    and one real-time frame (CN 2011) at 05:59:30 with SO2 converted 36 mg/m3."""
    day = dt.datetime(2020, 5, 1)
    lines = []
    for minute in range(HOURS * 60):
        t = day + dt.timedelta(minutes=minute)
        so2, zs = (60.0, 75.0) if minute // 60 == OVER_HOUR else (20.0, 25.0)
        cp = (
            f"a21026-Avg={so2},a21026-ZsAvg={zs},a21026-Min={so2 - 1},a21026-Max={so2 + 1},"
            f"a21026-Cou=0.05,a21026-Flag=N;a21002-Avg=32.0,a21002-ZsAvg=40.0,a21002-Min=31.0,"
            "a21002-Max=33.0,a21002-Cou=0.07,a21002-Flag=N;a19001-Avg=9.0,a19001-Flag=N"
        )
        lines.append(_frame(t, "2051", MN1, cp))
    rt = "a21026-Rtd=33.0,a21026-ZsRtd=36.0,a21026-Flag=N;a21002-Rtd=40.5,a21002-ZsRtd=43.0,a21002-Flag=N"
    lines.append(_frame(day + dt.timedelta(hours=HOURS - 1, minutes=59, seconds=30), "2011", MN1, rt))
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path


def make_db(tmp: Path, *, frames: bool = True) -> Path:
    """A store with the register loaded (every row accepted) and, with ``frames``, the
    frames of :func:`write_frames` and the facts computed from them."""
    db = tmp / "sources.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        done = ep.sources.registry.load_folder(write_register(tmp / "register"))
        assert all(not getattr(r, "rejects", None) for r in done), done
        if frames:
            got = ep.sources.frames.load_file(write_frames(tmp / "frames.txt"))
            assert ep.sources.frames.stats()["quarantined"] == 0, got
            with contextlib.suppress(NotFound):  # the facts part not built yet
                ep.sources.facts.compute(start="2020-05-01", end="2020-05-02")
    return db


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = create_app(make_db(tmp_path_factory.mktemp("sources-api")))
    register(app)
    with serving(app) as url:
        yield url + "/api/v1/sources"


def get(url: str, **params: str | int) -> httpx.Response:
    return httpx.get(url, params=params, timeout=120)


def test_enterprises_paged_and_by_region(api: str) -> None:
    first = get(f"{api}/enterprises", limit=2).json()
    assert first["total"] == 3 and len(first["items"]) == 2 and first["next_cursor"] is not None
    second = get(f"{api}/enterprises", limit=2, cursor=first["next_cursor"]).json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None
    seen = [e["credit_code"] for e in first["items"] + second["items"]]
    assert sorted(seen) == sorted([E1, E2, E3])
    hebei = get(f"{api}/enterprises", region="130000").json()["items"]
    assert {e["credit_code"] for e in hebei} == {E1, E2}
    assert [e["name"] for e in get(f"{api}/enterprises", region="130200").json()["items"]] == [
        "唐山钢铁有限公司"
    ]
    assert get(f"{api}/enterprises", cursor="7").status_code == 400  # past the end


def test_enterprises_as_csv_and_parquet(api: str) -> None:
    r = get(f"{api}/enterprises", format="csv")
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert {row["credit_code"] for row in rows} == {E1, E2, E3}
    assert {row["name"] for row in rows} >= {"天津化工有限公司"}
    table = pq.read_table(io.BytesIO(get(f"{api}/enterprises", format="parquet").content))
    assert table.num_rows == 3 and "region" in table.column_names


def test_one_enterprise_with_outlets_devices_permits(api: str) -> None:
    body = get(f"{api}/enterprises/{E1}").json()
    assert body["name"] == "石家庄热电有限公司" and body["region"] == "130100"
    assert [o["outlet_id"] for o in body["outlets"]] == ["SJZ-DA001"]
    assert [d["mn"] for d in body["devices"]] == [MN1]
    assert [p["permit_no"] for p in body["permits"]] == ["91130100MA0A1B2C3X001P"]
    missing = get(f"{api}/enterprises/{code('91110000MA0K1L2M3')}")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    bad = get(f"{api}/enterprises/not-a-code")
    assert bad.status_code == 422 and bad.json()["error"]["details"][0]["loc"] == ["path", "credit_code"]


def test_no_password_or_key_leaves_the_api(api: str) -> None:
    for path in ("/devices", f"/enterprises/{E2}", "/devices?format=csv"):
        text = httpx.get(api + path, timeout=60).text
        assert MN2 in text
        assert PW not in text and SM4_KEY not in text and "sm4_key" not in text
    items = get(f"{api}/devices", outlet="TS-DA001").json()["items"]
    assert [(d["mn"], d["st"], d["edition"]) for d in items] == [(MN2, "31", "2025")]
    assert not {"pw", "sm4_key"} & set(items[0])


def test_outlets_permits_limits_quantities(api: str) -> None:
    outlets = get(f"{api}/outlets", enterprise=E3).json()["items"]
    assert [(o["outlet_id"], o["medium"]) for o in outlets] == [("TJ-DW001", "water")]
    permits = get(f"{api}/permits", enterprise=E2).json()["items"]
    assert [p["permit_no"] for p in permits] == ["91130200MA0D4E5F6X001P"]
    limits = get(f"{api}/limits", outlet="SJZ-DA001").json()["items"]
    assert sorted((x["factor"], x["limit_value"], x["basis"]) for x in limits) == [
        ("a21002", 50.0, "hour"),
        ("a21026", 35.0, "hour"),
    ]
    assert get(f"{api}/limits", outlet="SJZ-DA001", at="2017-06-30").json()["total"] == 0  # before the permit
    assert get(f"{api}/limits", outlet="SJZ-DA001", at="2020-06-30").json()["total"] == 2
    q = get(f"{api}/quantities", enterprise=E1, year=2020).json()["items"]
    assert sorted((x["factor"], x["quantity_t"]) for x in q) == [("a21002", 180.0), ("a21026", 120.5)]


def test_live_values_of_an_enterprise(api: str) -> None:
    items = get(f"{api}/live", enterprise=E1).json()["items"]
    by = {i["factor"]: i for i in items}
    assert set(by) == {"a21026", "a21002", "a19001"}
    assert by["a21026"]["zs_rtd"] == 36.0 and by["a21026"]["data_time"].startswith("2020-05-01T05:59:30")
    assert by["a19001"]["avg"] == 9.0 and by["a19001"]["data_time"].startswith("2020-05-01T05:59:00")
    assert {i["outlet_id"] for i in items} == {"SJZ-DA001"}
    assert get(f"{api}/live", enterprise=E3).json()["total"] == 0  # registered, never reported
    assert get(f"{api}/live", outlet="SJZ-DA001", limit=1).json()["total"] == 3


def test_hourly_series_of_an_outlet(api: str) -> None:
    body = get(f"{api}/hourly", outlet="SJZ-DA001", factor="a21026").json()
    items = body["items"]
    assert body["total"] == HOURS
    assert [i["hour"][:13] for i in items] == [f"2020-05-01T{h:02d}" for h in range(HOURS)]
    # the judged value: the mean converted to the reference O2 (60 → 75, 20 → 25)
    assert [i["value"] for i in items] == [75.0 if h == OVER_HOUR else 25.0 for h in range(HOURS)]
    assert [i["exceed"] for i in items] == [h == OVER_HOUR for h in range(HOURS)]
    assert {i["valid_minutes"] for i in items} == {60}
    some = get(
        f"{api}/hourly", outlet="SJZ-DA001", start="2020-05-01T02:00:00", end="2020-05-01T03:59:59"
    ).json()
    assert {i["hour"][:13] for i in some["items"]} == {"2020-05-01T02", "2020-05-01T03"}
    assert get(f"{api}/hourly", outlet="SJZ-DA001", start="2020-05-02").json()["total"] == 0


def test_one_exceedance_with_its_frames_as_evidence(api: str) -> None:
    (event,) = get(f"{api}/exceedances", region="130000").json()["items"]
    assert (event["credit_code"], event["outlet_id"], event["factor"], event["basis"]) == (
        E1,
        "SJZ-DA001",
        "a21026",
        "hour",
    )
    assert event["start"].startswith(f"2020-05-01T{OVER_HOUR:02d}:00") and event["max_value"] == 75.0
    assert get(f"{api}/exceedances", region="120000").json()["total"] == 0
    assert get(f"{api}/exceedances", enterprise=E1, start="2020-05-02").json()["total"] == 0
    frames = get(f"{api}/exceedances/{event['event_id']}/evidence", limit=1000).json()
    assert frames["total"] == 60  # the minutes of the hour over the limit
    times = sorted(f["data_time"][11:16] for f in frames["items"])
    assert times[0] == f"{OVER_HOUR:02d}:00" and times[-1] == f"{OVER_HOUR:02d}:59"
    assert all("CN=2051" in f["raw"] and "a21026-Avg=60.0" in f["raw"] for f in frames["items"])
    assert all(f";PW=******;MN={MN1};" in f["raw"] and PW not in f["raw"] for f in frames["items"])
    csv_text = get(f"{api}/exceedances/{event['event_id']}/evidence", format="csv").content.decode(
        "utf-8-sig"
    )
    assert len(list(csv.DictReader(io.StringIO(csv_text)))) == 60
    missing = get(f"{api}/exceedances/SJZ-DA001:a21026:hour:2020050104/evidence")
    assert missing.status_code == 404


def test_alarms_filtered(api: str) -> None:
    items = get(f"{api}/alarms", enterprise=E1).json()["items"]
    assert items and {i["credit_code"] for i in items} == {E1}
    kinds = {i["kind"] for i in items}
    for kind in kinds:
        some = get(f"{api}/alarms", enterprise=E1, kind=kind).json()["items"]
        assert some and {i["kind"] for i in some} == {kind}
    assert get(f"{api}/alarms", region="120000").json()["total"] == 0


def test_the_quarter_yellow_list(api: str) -> None:
    (card,) = get(f"{api}/cards", quarter="2020Q2").json()["items"]
    assert (card["credit_code"], card["card"], card["causes"]) == (E1, "yellow", "exceedance:a21026")
    assert get(f"{api}/cards", quarter="2020Q1").json()["total"] == 0
    assert get(f"{api}/cards", quarter="2020Q2", region="120000").json()["total"] == 0


def test_totals_by_enterprise_and_region(api: str) -> None:
    rows = get(f"{api}/totals", year=2020, region="130100").json()["items"]
    got = {r["factor"]: r["tonnes"] for r in rows if r["credit_code"] == E1}
    # 360 minutes × 0.05 kg SO2 and × 0.07 kg NOx
    assert got == {"a21026": pytest.approx(0.018), "a21002": pytest.approx(0.0252)}
    by_region = get(f"{api}/totals", year=2020, by="region", region="130000").json()["items"]
    hebei = {r["factor"]: r["tonnes"] for r in by_region if r["region"] == "130000"}
    assert hebei["a21026"] == pytest.approx(0.018)
    assert get(f"{api}/totals", year=2019).json()["total"] == 0


def test_credit_rating_inputs(api: str) -> None:
    rows = {r["credit_code"]: r for r in get(f"{api}/credit", year=2020).json()["items"]}
    assert rows[E1]["exceedance_events"] == 1 and rows[E1]["exceedance_hours"] == 1
    assert rows[E1]["yellow_cards"] == 1 and rows[E1]["red_cards"] == 0


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/hourly", {"outlet": "SJZ-DA001", "start": "2020-05-02", "end": "2020-05-01"}, "start"),
        ("/hourly", {"outlet": "SJZ-DA001", "start": "2020-13-01"}, "start"),
        ("/hourly", {"start": "2020-05-01"}, "outlet"),
        ("/exceedances", {"end": "yesterday"}, "end"),
        ("/alarms", {"start": "2020-05-01T25:00:00"}, "start"),
        ("/alarms", {"kind": "smoke"}, "kind"),
        ("/cards", {"quarter": "2020Q5"}, "quarter"),
        ("/totals", {"by": "province"}, "by"),
        ("/totals", {"year": 1800}, "year"),
        ("/enterprises", {"region": "1301"}, "region"),
        ("/limits", {"at": "30/06/2020"}, "at"),
        ("/exceedances", {"enterprise": "91130100MA0A1B2C3O"}, "enterprise"),
    ],
)
def test_malformed_parameters_are_422_naming_the_parameter(
    api: str, path: str, params: dict[str, str | int], field: str
) -> None:
    r = get(api + path, **params)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_request"
    assert [d["loc"][-1] for d in err["details"]] == [field]
