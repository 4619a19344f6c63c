"""Issue #9: the API's ``?format=csv`` exports cannot attack their reader; JSON-only
resources refuse a ``format`` they do not have."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from tests.hostile import AT, CMD, INDICATOR, LINK, MINUS, PLUS, add_hostile_plan, assert_inert_csv
from tests.web.conftest import serving

from ecoplan.api import create_app
from ecoplan.app import Ecoplan


@pytest.fixture(scope="module")
def evil_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real server over a store holding plan ``evil`` (hostile text)."""
    tmp = tmp_path_factory.mktemp("evil-api")
    db = tmp / "evil.duckdb"
    with Ecoplan(db) as ep:
        ep.init()
        add_hostile_plan(ep, tmp)
    with serving(create_app(db)) as url:
        yield url


def _csv(base: str, path: str) -> list[dict[str, str]]:
    r = httpx.get(base + path, timeout=60)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv"), r.text
    return assert_inert_csv(r.content.decode("utf-8-sig"))


def test_plans_csv_is_inert(evil_base: str) -> None:
    row = next(r for r in _csv(evil_base, "/api/v1/plans?format=csv") if r["id"] == "evil")
    assert (row["title_zh"], row["title_en"]) == ("'" + CMD, "'" + PLUS)
    assert (row["start"], row["indicators"]) == ("2016", "26")  # numbers stay numbers


def test_indicators_csv_is_inert(evil_base: str) -> None:
    rows = _csv(evil_base, "/api/v1/plans/evil/indicators?format=csv")
    row = next(r for r in rows if r["id"] == INDICATOR)
    assert (row["name_zh"], row["name_en"]) == ("'" + CMD, "'" + PLUS)
    assert (row["category_zh"], row["category_en"], row["unit"]) == ("'" + AT, "'" + MINUS, "%")


def test_values_csv_is_inert(evil_base: str) -> None:
    (row,) = _csv(evil_base, "/api/v1/values?plan=evil&format=csv")
    assert (row["source"], row["note"], row["value"]) == ("'" + LINK, "'" + AT, "87.0")


def test_parquet_keeps_the_text_as_it_is(evil_base: str) -> None:
    import io

    import pandas as pd

    r = httpx.get(evil_base + "/api/v1/values?plan=evil&format=parquet", timeout=60)
    assert r.status_code == 200
    frame = pd.read_parquet(io.BytesIO(r.content))
    assert frame.loc[0, "source"] == LINK and frame.loc[0, "value"] == 87.0  # typed: nothing to run


def test_json_keeps_the_text_as_it_is(evil_base: str) -> None:
    r = httpx.get(evil_base + "/api/v1/plans/evil", timeout=60)
    ind = next(i for i in r.json()["indicators"] if i["id"] == INDICATOR)
    assert (ind["name_zh"], ind["category_en"]) == (CMD, MINUS)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/plans/evil/assessment?format=xml",
        "/api/v1/plans/evil/assessment?year=2020&format=csv",
        "/api/v1/plans/evil?format=csv",
        "/api/v1/regions/110000?format=parquet",
        "/api/v1/air/evaluations/110000/2015?format=csv",
        "/api/v1/values?format=xlsx",
    ],
)
def test_a_format_the_resource_lacks_is_refused(evil_base: str, path: str) -> None:
    r = httpx.get(evil_base + path, timeout=60)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid_request" and err["details"][0]["loc"] == ["query", "format"]


def test_format_json_is_still_accepted(evil_base: str) -> None:
    r = httpx.get(evil_base + "/api/v1/plans/evil/assessment?year=2020&format=json", timeout=60)
    assert r.status_code == 200 and r.json()["plan"] == "evil"
