"""``GET /api/v1/plans/{id}/lineage`` through a real uvicorn server on a real DuckDB file."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from tests.plans.test_lineage import store_periods
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("api-lineage")
    app = create_app(tmp / "api.duckdb")
    ep: Ecoplan = app.state.store.app()
    ep.init()
    store_periods(ep, tmp)
    with serving(app) as base:
        yield base


def test_lineage_of_the_15th_like_plan(url: str) -> None:
    r = httpx.get(f"{url}/api/v1/plans/t15-eco/lineage", timeout=30)
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["plan"], d["region"]) == ("t15-eco", "000000")
    assert d["comparable_baseline"]["rule"] == "fixed-stations"
    pm = d["links"][0]
    assert pm["indicator"] == "pm25" and pm["predecessor"]["relation"] == "redefined"
    assert (pm["end"]["value"], pm["end"]["basis"], pm["end"]["source"]) == (
        20.0,
        "change",
        "S14 PM2.5 communiqué",
    )
    assert (pm["baseline"]["value"], pm["baseline"]["quote"]) == (28.0, "细颗粒物浓度（微克/立方米）28 → 25")
    assert pm["verdict"] == "not_comparable" and pm["difference"] is None
    assert [x["verdict"] for x in d["links"]] == ["not_comparable", "not_comparable", "consistent", "differs"]
    assert {"reason", "reason_zh", "reason_code", "reason_params"} <= set(pm)
    assert pm["reason_code"] == "lineage.not_comparable"


def test_region_and_as_of(url: str) -> None:
    r = httpx.get(f"{url}/api/v1/plans/t15-eco/lineage", params={"region": "110000"}, timeout=30)
    days = next(x for x in r.json()["links"] if x["indicator"] == "good-days")
    assert (days["end"]["value"], days["baseline"]["value"], days["verdict"]) == (79.0, 80.1, "differs")
    r = httpx.get(f"{url}/api/v1/plans/t15-eco/lineage", params={"as_of": "2020-01-01"}, timeout=30)
    assert r.status_code == 200
    assert r.json()["as_of"] == "2020-01-01"
    assert next(x for x in r.json()["links"] if x["indicator"] == "good-days")["end"]["value"] is None


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/api/v1/plans/t16-eco/lineage", {}, 404),
        ("/api/v1/plans/t15-eco/lineage", {"region": "999999"}, 404),
        ("/api/v1/plans/t15-eco/lineage", {"region": "abc"}, 422),
        ("/api/v1/plans/t15-eco/lineage", {"as_of": "2025-13-45"}, 400),
        ("/api/v1/plans/t15-eco/lineage", {"as_of": "2020-01-01xyz"}, 400),
        ("/api/v1/plans/t15-eco/lineage", {"format": "csv"}, 422),
    ],
)
def test_bad_requests_are_clear(url: str, path: str, params: dict[str, str], status: int) -> None:
    r = httpx.get(url + path, params=params, timeout=30)
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")


def test_a_plan_without_links_and_the_openapi_entry(url: str) -> None:
    r = httpx.get(f"{url}/api/v1/plans/t14-eco/lineage", timeout=30)
    assert r.status_code == 200 and r.json()["links"] == []
    spec = httpx.get(f"{url}/api/openapi.json", timeout=30).json()
    assert "/api/v1/plans/{plan_id}/lineage" in spec["paths"]


def test_bad_as_of_is_worded(url: str) -> None:
    r = httpx.get(f"{url}/api/v1/plans/t15-eco/lineage", params={"as_of": "yesterday"}, timeout=30)
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["message"] == "as_of must be a date YYYY-MM-DD or an ISO timestamp (got yesterday)"
    assert err["message_zh"] == "`as_of` 须为日期 `YYYY-MM-DD` 或带时间的日期（收到 yesterday）"
