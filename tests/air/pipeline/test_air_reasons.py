"""The air evaluation's reasons are codes rendered from the catalog of words (issue #9 item 5).

An invalid year (too few valid days, or short months) reads correctly in Chinese — the
old ``_zh_reason`` parsed the English sentence and kept only the last short month —
and every note and validity reason is free of the other language's words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.air.pipeline.air_helpers import batch, hourly, stations

from ecoplan.air.pipeline.evaluate import _valid
from ecoplan.app import Ecoplan
from ecoplan.core.words import Reason
from ecoplan.core.words.purity import foreign


@pytest.fixture
def syn(tmp_path: Path) -> Iterator[Ecoplan]:
    ep = Ecoplan(tmp_path / "syn.duckdb")
    ep.init()
    yield ep
    ep.close()


def _load(ep: Ecoplan, h: pd.DataFrame, absent: tuple[str, ...] = ()) -> None:
    ep.air.store.import_batch(batch(h, stations(["A"], "110000"), absent), fmt="test")


def _pure(d: dict) -> None:
    for n in d["notes"]:
        assert foreign(n["zh"], "zh") == [], n["zh"]
        assert foreign(n["en"], "en") == [], n["en"]
    for v in d["validity"].values():
        if v["reason"] is not None:
            assert foreign(v["reason_zh"], "zh") == [] and foreign(v["reason"], "en") == [], v


def test_too_few_valid_days_reads_correctly_in_chinese(syn: Ecoplan) -> None:
    _load(syn, hourly(["A"], dt.date(2015, 3, 1), 306))
    d = syn.air.evaluate("110000", 2015).to_dict()
    v = d["validity"]["pm25"]
    assert v["reason_zh"] == "有效日数 306 天，不足 324 天"
    assert v["reason_code"] == "air.too_few_days" and v["reason_params"] == {"days": 306, "need": 324}
    back = Reason.from_dict({"code": v["reason_code"], "params": v["reason_params"]})
    assert back.text("zh") == v["reason_zh"]
    zh = [n["zh"] for n in d["notes"]]
    assert "PM2.5 年评价统计无效：有效日数 306 天，不足 324 天（GB 3095 表4）" in zh
    assert "优良天数比例、重度及以上污染天数比例不予报告：有效日数 306 天，不足 324 天" in zh
    note = next(n for n in d["notes"] if n["key"] == "note.air.annual_invalid")
    assert note["params"]["reason"] == {"code": "air.too_few_days", "params": {"days": 306, "need": 324}}
    _pure(d)


def test_every_short_month_is_named_in_both_languages(syn: Ecoplan) -> None:
    days = [dt.date(2015, 1, 1) + dt.timedelta(days=i) for i in range(365)]
    keep = [x for x in days if not ((x.month == 4 and x.day > 20) or (x.month == 7 and x.day > 25))]
    _load(syn, pd.concat([hourly(["A"], x, 1) for x in keep]))
    d = syn.air.evaluate("110000", 2015).to_dict()
    v = d["validity"]["so2"]
    assert v["reason"] == "too few valid days in month(s) 4, 7"
    assert v["reason_zh"] == "月有效日数不足（4、7月）"  # _zh_reason said （7月）
    assert v["reason_params"]["month_list"] == [4, 7]
    _pure(d)


def test_monthly_absent_and_straddling_notes_are_pure(syn: Ecoplan) -> None:
    _load(syn, hourly(["A"], dt.date(2026, 1, 1), 365, {"co": np.nan}), absent=("co",))
    d = syn.air.evaluate("110000", 2026).to_dict()
    assert d["validity"]["co"]["reason_code"] == "air.not_monitored"
    assert d["validity"]["co"]["reason_zh"] == "未监测"
    keys = {n.get("key") for n in d["notes"]}
    assert {"note.air.annual_invalid", "note.air.not_monitored", "note.air.straddles"} <= keys
    straddle = next(n for n in d["notes"] if n.get("key") == "note.air.straddles")
    assert "transition" not in straddle["zh"]
    _pure(d)
    apr = syn.air.evaluate("110000", 2026, month=4).to_dict()
    assert "note.air.monthly_attainment" in {n.get("key") for n in apr["notes"]}
    _pure(apr)


@pytest.mark.parametrize(
    ("per_month", "month", "code", "zh"),
    [
        ({m: 30 for m in range(1, 13)}, None, None, None),
        (
            {**{m: 30 for m in range(1, 13)}, 2: 24},
            None,
            "air.too_few_days_in_months",
            "月有效日数不足（2月）",
        ),
        ({m: 20 for m in range(1, 13)}, None, "air.too_few_days", "有效日数 240 天，不足 324 天"),
        ({2: 25}, 2, None, None),
        ({3: 26}, 3, "air.too_few_days", "有效日数 26 天，不足 27 天"),
    ],
)
def test_validity_reason(
    per_month: dict[int, int], month: int | None, code: str | None, zh: str | None
) -> None:
    ok, why = _valid(per_month, month)
    assert ok is (code is None)
    assert (None if why is None else why.code) == code
    assert (None if why is None else why.text("zh")) == zh
