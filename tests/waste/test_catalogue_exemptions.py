"""The exemption list (危险废物豁免管理清单) of the 2021 名录, against the text."""

from __future__ import annotations

import json
import re

import pytest
import typer
from tests.conftest import SHARED
from typer.testing import CliRunner

from ecoplan.domains import domains
from ecoplan.waste import catalogue
from ecoplan.waste.catalogue.exemptions import STAGES
from ecoplan.waste.commands.catalogue import register

domains()
TEXT = SHARED / "data" / "waste" / "minglu-2021.txt"
needs_text = pytest.mark.skipif(not TEXT.is_file(), reason="the 名录 text is in the shared data")


def test_32_items_in_57_rows_with_known_stages() -> None:
    rows = catalogue.exemptions()
    assert sorted({r.item for r in rows}) == list(range(1, 33))
    assert len(rows) == 57
    assert {r.stage for r in rows} <= set(STAGES)
    assert all(r.waste and r.condition and r.exemption for r in rows)
    assert [r.item for r in rows] == sorted(r.item for r in rows)


def test_codes_of_the_list_are_in_the_catalogue() -> None:
    listed = {e.code for e in catalogue.entries("2021")}
    cats = {e.category for e in catalogue.entries("2021")}
    for r in catalogue.exemptions():
        for c in r.codes:
            assert c in listed or c in cats, (r.item, c)
    assert {r.item for r in catalogue.exemptions() if not r.codes} == {1, 25, 26, 32}


@needs_text
def test_the_codes_and_items_printed_in_the_appendix() -> None:
    text = TEXT.read_text(encoding="utf-8")
    appendix = text[text.index("本清单各栏目说明") :]
    printed = set(re.findall(r"(?<![\d-])\d{3}-\d{3}-\d{2}(?![\d-])", appendix))
    ours = {c for r in catalogue.exemptions() for c in r.codes if c[0].isdigit()}
    # 900-041-49 is also quoted inside item 8's waste (不包括900-041-49类); 900-042-49 in item 25's
    assert printed == ours | {"900-042-49"}
    items = {int(m) for m in re.findall(r"^(\d{1,2})\s", appendix, flags=re.M)}
    assert items == set(range(1, 33))


@pytest.mark.parametrize(
    ("code", "stage", "condition", "exemption"),
    [
        (
            "900-249-08",
            "利用",
            "封口处于打开状态、静置无滴漏且经打包压块后用于金属冶炼。",
            "利用过程不按危险废物管理。",
        ),
        ("900-041-49", "全部环节", "未分类收集。", "全过程不按危险废物管理。"),
        ("251-017-50", "运输", "采用密闭罐车运输。", "不按危险废物进行运输。"),
        ("900-052-31", "运输", "运输工具满足防雨、防渗漏、防遗撒要求。", "不按危险废物进行运输。"),
        ("321-026-48", "利用", "回收金属铝。", "利用过程不按危险废物管理。"),
    ],
)
def test_spot_checks(code: str, stage: str, condition: str, exemption: str) -> None:
    (row,) = catalogue.exemptions_for(code)
    assert (row.stage, row.condition, row.exemption) == (stage, condition, exemption)


def test_a_category_and_several_stages() -> None:
    acid = catalogue.exemptions_for("261-057-34")  # any HW34 code: item 20 (废酸)
    assert [(r.item, r.stage) for r in acid] == [(20, "利用"), (20, "利用")]
    assert "GB5085.3" in acid[1].condition
    fly_ash = catalogue.exemptions_for("772-002-18")
    assert [r.stage for r in fly_ash] == ["运输", "处置", "处置"]
    assert catalogue.exemptions_for("900-039-49") == ()
    assert catalogue.exemptions_for("not a code") == ()


def test_the_command_prints_the_list() -> None:
    group = typer.Typer()
    register(group)
    group.command("other")(lambda: None)
    res = CliRunner().invoke(group, ["catalogue", "--edition", "2021", "--exemptions", "--lang", "en"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert len(rows) == 57 and list(rows[0]) == ["item", "code", "waste", "stage", "condition", "exemption"]
    assert "2021 exemption list: 32 items, 57 rows" in res.stderr
