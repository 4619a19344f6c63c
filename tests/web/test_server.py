"""The dashboard and the API on a real server (uvicorn on 127.0.0.1), read with httpx."""

from __future__ import annotations

from pathlib import Path

import httpx


def get(base: str, path: str, **kw: object) -> httpx.Response:
    return httpx.get(base + path, timeout=60, **kw)  # type: ignore[arg-type]


def test_indicators_collection_pages_in_plan_order(base: str) -> None:
    first = get(base, "/api/v1/plans/cn-13th-eco/indicators?limit=10").json()
    assert first["total"] == 26 and first["items"][0]["id"] == "air-good-days"
    rest = get(base, f"/api/v1/plans/cn-13th-eco/indicators?limit=100&cursor={first['next_cursor']}").json()
    assert len(first["items"]) + len(rest["items"]) == 26 and rest["next_cursor"] is None
    assert "air-good-days" in get(base, "/api/v1/plans/cn-13th-eco/indicators?format=csv").text


def test_openapi_is_published(base: str) -> None:
    spec = get(base, "/api/openapi.json").json()
    assert spec["info"]["title"] == "ecoplan API"
    assert {"/api/v1/plans", "/api/v1/values", "/api/v1/air/evaluations/{region}/{year}"} <= set(
        spec["paths"]
    )


def test_home_in_both_languages(base: str) -> None:
    zh = get(base, "/")
    assert zh.status_code == 200 and "生态环境规划实施监测评估平台" in zh.text and 'lang="zh-CN"' in zh.text
    assert "binding-summary" in zh.text and "北京市" in zh.text
    en = get(base, "/?lang=en")
    assert (
        "Eco-environmental plan monitoring" in en.text
        and "Beijing" in en.text
        and 'id="lang-switch"' in en.text
    )
    assert get(base, "/?format=json").json()["national_summary"]["binding_met"] == 12


def test_plan_page_and_its_json_twin(base: str) -> None:
    page = get(base, "/plans/cn-13th-eco?year=2020")
    assert (
        page.status_code == 200
        and "约束性" in page.text
        and "地级及以上城市空气质量优良天数比率" in page.text
    )
    assert "binding" in get(base, "/plans/cn-13th-eco?year=2020&lang=en").text
    twin = get(base, "/plans/cn-13th-eco?year=2020&format=json").json()
    assert len(twin["indicators"]) == 26 and twin["summary"]["binding_met"] == 12
    assert get(base, "/plans/nope").status_code == 404


def test_region_page_shows_the_air_calendar(base: str) -> None:
    page = get(base, "/regions/110000")
    assert page.status_code == 200 and "id='calendar'" in page.text and "AQI" in page.text
    twin = get(base, "/regions/110000?format=json").json()
    assert len(twin["daily"]) == 366  # the latest valid year, 2016
    assert [a["year"] for a in twin["air"]] == [2013, 2014, 2015, 2016, 2017]
    assert {v["source"] for v in twin["values"]} == {"pipeline air"}
    assert {p["plan"] for p in twin["plans"]} == {"cn-13th-eco", "cn-13th-eco-mee2020"}
    assert "region-plans" in page.text


def test_api_errors_have_one_shape(base: str) -> None:
    for path, status, code in (
        ("/api/v1/plans/nope", 404, "not_found"),
        ("/api/v1/regions/999999", 404, "not_found"),
        ("/api/v1/regions?limit=0", 422, "invalid_request"),
        ("/api/v1/values?cursor=nowhere", 400, "invalid_cursor"),
        ("/api/v1/plans/cn-13th-eco/assessment?as_of=yesterday", 400, "bad_as_of"),
        ("/api/v1/nothing-here", 404, "not_found"),
    ):
        r = get(base, path)
        assert r.status_code == status, path
        assert r.json()["error"]["code"] == code, path
    big = httpx.post(base + "/api/v1/plans", content=b"x" * 1_100_000, timeout=30)
    assert big.status_code == 413 and big.json()["error"]["code"] == "request_too_large"


def test_cursor_pagination_is_stable_and_complete(base: str) -> None:
    seen: list[str] = []
    cursor = None
    while True:
        q = "/api/v1/regions?level=prefecture&limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = get(base, q).json()
        seen += [r["code"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 333 and seen == sorted(seen)


def test_bulk_export_and_etags(base: str, tmp_path: Path) -> None:
    csv = get(base, "/api/v1/values?plan=cn-13th-eco&format=csv")
    assert csv.headers["content-type"].startswith("text/csv") and "air-good-days" in csv.text
    parquet = get(base, "/api/v1/air/daily/110000?from=2015-01-01&to=2015-12-31&format=parquet")
    (tmp_path / "d.parquet").write_bytes(parquet.content)
    import pandas as pd

    assert len(pd.read_parquet(tmp_path / "d.parquet")) == 365
    plans_csv = get(base, "/api/v1/plans?format=csv")
    assert plans_csv.status_code == 200 and "cn-13th-eco" in plans_csv.text
    assert get(base, "/api/v1/air/stations?format=csv").text.count("\n") == 13  # header + 12 stations
    first = get(base, "/api/v1/plans")
    again = get(base, "/api/v1/plans", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304


def test_air_evaluation_endpoint_matches_the_cli_contract(base: str) -> None:
    d = get(base, "/api/v1/air/evaluations/110000/2015").json()
    assert d["good_days"] == 186 and d["pm25_annual_ugm3"] == 79.2
    m = get(base, "/api/v1/air/evaluations/110000/2015?month=2").json()
    assert m["month"] == 2 and m["pm25_mean_ugm3"] is not None


def test_warnings_rankings_and_tasks_pages(base: str) -> None:
    w = get(base, "/warnings?format=json").json()["items"]
    assert all({"plan", "region", "level", "reason"} <= set(x) for x in w)
    assert get(base, "/warnings").status_code == 200 and get(base, "/warnings?lang=en").status_code == 200
    r = get(base, "/rankings?format=json").json()
    assert {p["plan"] for p in r["plans"]} >= {"cn-13th-eco"}
    assert r["air"][0]["region"] == "110000" and r["air"][0]["year"] == 2016
    assert "air-rank" in get(base, "/rankings").text
    t = get(base, "/tasks?plan=cn-13th-eco&format=json").json()["items"]
    assert t and all(isinstance(x["overdue"], bool) for x in t)
    assert any(x["overdue"] for x in t)  # 2017–2020 deadlines with no recorded status
    assert "已逾期" in get(base, "/tasks?plan=cn-13th-eco").text
    assert get(base, "/tasks?plan=nope").status_code == 404
