"""The 2021 名录 as data: counts, codes checked by hand against the official text, editions
by date, reason-coded lookups, added tables, and the build script against the text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import SHARED

from ecoplan.core.errors import InputFileError
from ecoplan.domains import domains
from ecoplan.waste import catalogue
from ecoplan.waste.catalogue import Catalogue, CatalogueError, Entry, normalise_code
from ecoplan.waste.catalogue.build import BuildError, Row, parse, render_csv
from ecoplan.waste.catalogue.table import parse_table

domains()  # the words of the waste domain (worded errors)
TEXT = SHARED / "data" / "waste" / "minglu-2021.txt"
SHIPPED = resources.files("ecoplan.waste.catalogue") / "data" / "minglu-2021.csv"
needs_text = pytest.mark.skipif(not TEXT.is_file(), reason="the 名录 text is in the shared data")
D2023 = dt.date(2023, 6, 1)


def _reason(exc: pytest.ExceptionInfo[CatalogueError]) -> str:
    return exc.value.reason


# -- the official counts ---------------------------------------------------------------


def test_467_codes_in_46_categories() -> None:
    rows = catalogue.entries("2021")
    assert len(rows) == 467
    assert len({r.code for r in rows}) == 467
    expected = {f"HW{n:02d}" for n in [*range(1, 41), *range(45, 51)]}
    assert {r.category for r in rows} == expected
    assert len(expected) == 46
    assert all(r.description and r.hazard and r.industry and r.category_name for r in rows)
    assert all(r.category == "HW" + r.code[-2:] for r in rows)


@needs_text
def test_counts_per_category_match_the_text() -> None:
    """Every code printed in the table (counted with a plain regex, not the parser) is
    in the CSV, category by category."""
    text = TEXT.read_text(encoding="utf-8")
    table = text[text.index("附表") : text.index("注：1.")]
    printed = re.findall(r"^\s{0,24}(?:\S+\s+){0,3}?(\d{3}-\d{3}-\d{2})\s", table, flags=re.M)
    assert len(printed) == 467
    by_text = Counter("HW" + c[-2:] for c in printed)
    by_csv = Counter(r.category for r in catalogue.entries("2021"))
    assert by_csv == by_text
    # read by hand from the text: the categories of one code, and HW01's five
    for cat in ("HW03", "HW14", "HW19", "HW20", "HW24", "HW25", "HW26", "HW28"):
        assert by_csv[cat] == 1, cat
    assert by_csv["HW01"] == 5


# -- spot checks: transcribed by hand from the 2021 text ---------------------------------

SPOT = [
    ("841-001-01", "HW01", "医疗废物", "卫生", "感染性废物", "In"),
    ("841-004-01", "HW01", "医疗废物", "卫生", "化学性废物", "T/C/I/R"),
    (
        "271-001-02",
        "HW02",
        "医药废物",
        "化学药品原料药制造",
        "化学合成原料药生产过程中产生的蒸馏及反应残余物",
        "T",
    ),
    (
        "276-002-02",
        "HW02",
        "医药废物",
        "生物药品制品制造",
        "利用生物技术生产生物化学药品、基因工程药物（不包括利用生物技术合成氨基酸、维生素、"
        "他汀类降脂药物、降糖类药物）过程中产生的废母液、反应基和培养基废物",
        "T",
    ),
    (
        "900-002-03",
        "HW03",
        "废药物、药品",
        "非特定行业",
        "销售及使用过程中产生的失效、变质、不合格、淘汰、伪劣的化学药品和生物制品（不包括列入"
        "《国家基本药物目录》中的维生素、矿物质类药，调节水、电解质及酸碱平衡药），以及《医疗用"
        "毒性药品管理办法》中所列的毒性中药",
        "T",
    ),
    (
        "263-006-04",
        "HW04",
        "农药废物",
        "农药制造",
        "乙烯基双二硫代氨基甲酸及其盐类生产过程中产生的过滤、蒸发和离心分离残余物及废水处"
        "理污泥，产品研磨和包装工序集（除）尘装置收集的粉尘和地面清扫废物",
        "T",
    ),
    (
        "900-249-08",
        "HW08",
        "废矿物油与含矿物油废物",
        "非特定行业",
        "其他生产、销售、使用过程中产生的废矿物油及沾染矿物油的废弃包装物",
        "T,I",
    ),
    (
        "900-214-08",
        "HW08",
        "废矿物油与含矿物油废物",
        "非特定行业",
        "车辆、轮船及其它机械维修过程中产生的废发动机油、制动器油、自动变速器油、齿轮油等废润滑油",
        "T,I",
    ),
    (
        "900-210-08",
        "HW08",
        "废矿物油与含矿物油废物",
        "非特定行业",
        "含油废水处理中隔油、气浮、沉淀等处理过程中产生的浮油、浮渣和污泥（不包括废水生化处理污泥）",
        "T,I",
    ),
    (
        "900-006-09",
        "HW09",
        "油/水、烃/水混合物或乳化液",
        "非特定行业",
        "使用切削油或切削液进行机械加工过程中产生的油/水、烃/水混合物或乳化液",
        "T",
    ),
    (
        "900-009-10",
        "HW10",
        "多氯（溴）联苯类废物",
        "非特定行业",
        "含有 PCBs、PCTs 和 PBBs 的电力设备的清洗液",
        "T",
    ),
    (
        "252-017-11",
        "HW11",
        "精（蒸）馏残渣",
        "煤炭加工",
        "固定床气化技术生产化工合成原料气、燃料油合成原料气过程中粗煤气冷凝产生的焦油和焦油渣",
        "T",
    ),
    (
        "900-256-12",
        "HW12",
        "染料、涂料废物",
        "非特定行业",
        "使用酸、碱或有机溶剂清洗容器设备过程中剥离下的废油漆、废染料、废涂料",
        "T,I,C",
    ),
    (
        "900-017-14",
        "HW14",
        "新化学物质废物",
        "非特定行业",
        "研究、开发和教学活动中产生的对人类或环境影响不明的化学物质废物",
        "T/C/I/R",
    ),
    (
        "267-001-15",
        "HW15",
        "爆炸性废物",
        "炸药、火工及焰火产品制造",
        "炸药生产和加工过程中产生的废水处理污泥",
        "R,T",
    ),
    (
        "772-003-18",
        "HW18",
        "焚烧处置残渣",
        "环境治理业",
        "危险废物焚烧、热解等处置过程产生的底渣、飞灰和废水处理污泥",
        "T",
    ),
    (
        "900-020-19",
        "HW19",
        "含金属羰基化合物废物",
        "非特定行业",
        "金属羰基化合物生产、使用过程中产生的含有羰基化合物成分的废物",
        "T",
    ),
    (
        "261-040-20",
        "HW20",
        "含铍废物",
        "基础化学原料制造",
        "铍及其化合物生产过程中产生的熔渣、集（除）尘装置收集的粉尘和废水处理污泥",
        "T",
    ),
    ("384-002-26", "HW26", "含镉废物", "电池制造", "镍镉电池生产过程中产生的废渣和废水处理污泥", "T"),
    ("265-001-29", "HW29", "含汞废物", "合成材料制造", "氯乙烯生产过程中含汞废水处理产生的废活性炭", "T,C"),
    (
        "231-007-29",
        "HW29",
        "含汞废物",
        "印刷",
        "使用显影剂、汞化合物进行影像加厚（物理沉淀）以及使用显影剂、氨氯化汞进行影像加厚（氧化）产生的废液和残渣",
        "T",
    ),
    (
        "321-024-48",
        "HW48",
        "有色金属采选和冶炼废物",
        "常用有色金属冶炼",
        "电解铝铝液转移、精炼、合金化、铸造过程熔体表面产生的铝灰渣，以及回收铝过程产生的盐渣和二次铝灰",
        "R,T",
    ),
    (
        "900-041-49",
        "HW49",
        "其他废物",
        "非特定行业",
        "含有或沾染毒性、感染性危险废物的废弃包装物、容器、过滤吸附介质",
        "T/In",
    ),
    (
        "900-042-49",
        "HW49",
        "其他废物",
        "非特定行业",
        "环境事件及其处理过程中产生的沾染危险化学品、危险废物的废物",
        "T/C/I/R/In",
    ),
    ("772-006-49", "HW49", "其他废物", "环境治理", None, "T/In"),
    ("276-006-50", "HW50", "废催化剂", "生物药品制品制造", "生物药品生产过程中产生的废催化剂", "T"),
    ("900-049-50", "HW50", "废催化剂", "非特定行业", "机动车和非道路移动机械尾气净化废催化剂", "T"),
]


@pytest.mark.parametrize(
    ("code", "cat", "cat_name", "industry", "desc", "hazard"), SPOT, ids=[s[0] for s in SPOT]
)
def test_spot_checks_against_the_text(
    code: str, cat: str, cat_name: str, industry: str, desc: str | None, hazard: str
) -> None:
    e = catalogue.lookup(code, on=D2023)
    assert (e.code, e.category, e.category_name, e.industry, e.hazard) == (
        code,
        cat,
        cat_name,
        industry,
        hazard,
    )
    if desc is not None:
        assert e.description == desc
    assert e.edition == "2021"


def test_description_fragments_and_hazards() -> None:
    """Long descriptions assembled across lines, hazards glued to the text on their line."""
    e = catalogue.lookup("900-402-06", on=D2023)
    assert e.description.startswith(
        "工业生产中作为清洗剂、萃取剂、溶剂或反应介质使用后废弃的有机溶剂，包括苯、"
    )
    assert "对二甲苯、1,2,4-三甲苯、乙苯、乙醇、异丙醇、乙醚" in e.description
    assert e.description.endswith("以及在使用前混合的含有一种或多种上述溶剂的混合/调和溶剂")
    assert e.hazard == "T,I,R" and e.hazards == ("T", "I", "R")
    e = catalogue.lookup("900-039-49", on=D2023)
    assert e.description.endswith(
        "（不包括 900-405-06、772-005-18、261-053-29、265-002-29、384-003-29、387-001-29 类废物）"
    )
    e = catalogue.lookup("900-047-49", on=D2023)
    assert e.hazard == "T/C/I/R" and "具有危险特性的残留样品" in e.description
    hazards = Counter(r.hazard for r in catalogue.entries("2021"))
    assert hazards["T"] == 364 and hazards["In"] == 3 and hazards["T/In"] == 2


# -- codes -------------------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=8, max_size=8)


@given(digits)
def test_a_code_in_either_written_form_normalises_to_the_dashed_one(d: str) -> None:
    dashed = f"{d[:3]}-{d[3:6]}-{d[6:]}"
    assert normalise_code(dashed) == dashed
    assert normalise_code(d) == dashed
    assert normalise_code(f"  {dashed} ") == dashed
    assert normalise_code(dashed) == normalise_code(normalise_code(dashed) or "")


@given(st.text(max_size=14))
def test_anything_else_is_malformed(text: str) -> None:
    t = text.strip()
    well = re.fullmatch(r"[0-9]{3}-[0-9]{3}-[0-9]{2}|[0-9]{8}", t) is not None
    assert (normalise_code(text) is not None) == well
    if not well:
        with pytest.raises(CatalogueError) as exc:
            catalogue.lookup(text, on=D2023)
        assert _reason(exc) == "malformed_code"


@given(digits)
def test_a_well_formed_code_is_found_or_refused_with_a_reason(d: str) -> None:
    code = f"{d[:3]}-{d[3:6]}-{d[6:]}"
    listed = {r.code for r in catalogue.entries("2021")}
    try:
        e = catalogue.lookup(d, on=D2023)
    except CatalogueError as exc:
        assert exc.reason == "unknown_code"
        assert code not in listed
        assert code in str(exc)
    else:
        assert e.code == code
        assert code in listed or code.startswith("900-000-")


@pytest.mark.parametrize("bad", ["900-249-8", "900-249-081", "HW08", "900_249_08", "９００-２４９-０８", ""])
def test_malformed_codes(bad: str) -> None:
    with pytest.raises(CatalogueError) as exc:
        catalogue.lookup(bad, on=D2023)
    assert _reason(exc) == "malformed_code"
    assert "NNN-NNN-NN" in exc.value.message("en") and "NNN-NNN-NN" in exc.value.message("zh")


def test_identified_wastes_of_article_6() -> None:
    e = catalogue.lookup("900-000-08", on=D2023)
    assert (e.category, e.category_name, e.hazard) == ("HW08", "废矿物油与含矿物油废物", "")
    assert "第六条" in e.description
    with pytest.raises(CatalogueError) as exc:
        catalogue.lookup("900-000-42", on=D2023)  # no HW42 in 2021
    assert _reason(exc) == "unknown_code"
    assert "900-000-08" not in {r.code for r in catalogue.entries("2021")}


# -- editions by date -----------------------------------------------------------------------


def test_editions_and_their_days() -> None:
    ed = {s.edition.name: s for s in catalogue.editions()}
    assert list(ed) == ["2008", "2016", "2021", "2025"]
    e21 = ed["2021"]
    assert (e21.edition.valid_from, e21.edition.valid_to) == (dt.date(2021, 1, 1), dt.date(2024, 12, 31))
    assert (e21.loaded, e21.source, e21.codes, e21.categories) == (True, "shipped", 467, 46)
    assert e21.edition.order == "部令第15号"
    e25 = ed["2025"]
    assert (e25.edition.valid_from, e25.edition.valid_to, e25.loaded) == (dt.date(2025, 1, 1), None, False)
    assert e25.edition.order == "生态环境部等五部门令第36号"
    assert not ed["2016"].loaded


@pytest.mark.parametrize("day", [dt.date(2021, 1, 1), dt.date(2024, 12, 31)])
def test_the_2021_edition_covers_its_days(day: dt.date) -> None:
    assert catalogue.lookup("900-249-08", on=day).edition == "2021"
    assert len(catalogue.entries(on=day)) == 467


@pytest.mark.parametrize(
    ("day", "edition"),
    [(dt.date(2025, 1, 1), "2025"), (dt.date(2026, 7, 1), "2025"), (dt.date(2020, 12, 31), "2016")],
)
def test_a_date_of_an_unloaded_edition_says_so(day: dt.date, edition: str) -> None:
    with pytest.raises(CatalogueError) as exc:
        catalogue.lookup("900-249-08", on=day)
    assert _reason(exc) == "edition_not_loaded"
    assert exc.value.params["edition"] == edition
    assert f"minglu-{edition}.csv" in exc.value.message("zh") and "未载入" in exc.value.message("zh")
    assert "not loaded" in str(exc.value)
    with pytest.raises(CatalogueError):
        catalogue.entries(on=day)


def test_before_the_first_edition_and_contradictions() -> None:
    with pytest.raises(CatalogueError) as exc:
        catalogue.lookup("900-249-08", on=dt.date(2008, 7, 31))
    assert _reason(exc) == "no_edition"
    with pytest.raises(CatalogueError) as exc:
        catalogue.entries("2021", on=dt.date(2025, 3, 1))
    assert _reason(exc) == "not_in_force"
    with pytest.raises(CatalogueError) as exc:
        catalogue.entries("2019")
    assert _reason(exc) == "unknown_edition" and "2008, 2016, 2021, 2025" in str(exc.value)
    assert catalogue.lookup("900-249-08", edition="2021").code == "900-249-08"


# -- added tables ---------------------------------------------------------------------------

HEAD = "code,category,category_name,industry,description,hazard"


def _table(path: Path, *rows: str) -> Path:
    path.write_text(
        "\n".join(["# a later edition, typed in by a user", HEAD, *rows]) + "\n", encoding="utf-8"
    )
    return path


def test_an_added_edition_by_file(tmp_path: Path) -> None:
    f = _table(
        tmp_path / "mine.csv",
        '900-249-08,HW08,废矿物油与含矿物油废物,非特定行业,其他废矿物油,"T，I"',
        "900-250-08,HW08,废矿物油与含矿物油废物,非特定行业,一种新列入的废物,T",
    )
    cat = Catalogue(files={"2025": f})
    e = cat.lookup("900-250-08", on=dt.date(2025, 6, 1))
    assert (e.edition, e.description, e.hazard) == ("2025", "一种新列入的废物", "T")
    assert cat.lookup("90024908", on=dt.date(2025, 6, 1)).hazard == "T,I"
    with pytest.raises(CatalogueError) as exc:
        cat.lookup("900-250-08", on=D2023)  # only in 2025: wrong edition for a 2023 date
    assert _reason(exc) == "wrong_edition" and exc.value.params["editions"] == "2025"
    with pytest.raises(CatalogueError) as exc:
        cat.lookup("900-039-49", on=dt.date(2025, 6, 1))  # in 2021, not in this 2025 table
    assert _reason(exc) == "wrong_edition" and exc.value.params["edition"] == "2025"
    with pytest.raises(CatalogueError) as exc:
        cat.lookup("900-251-08", on=dt.date(2025, 6, 1))
    assert _reason(exc) == "unknown_code"
    status = {s.edition.name: s for s in cat.editions()}["2025"]
    assert (status.source, status.codes, status.categories) == ("mine.csv", 2, 1)
    with pytest.raises(CatalogueError) as exc:
        Catalogue(files={"2030": f})
    assert _reason(exc) == "unknown_edition"


def test_an_added_edition_by_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _table(tmp_path / "minglu-2025.csv", "900-250-08,HW08,,,一种新列入的废物,T")
    monkeypatch.setenv(catalogue.ENV_FOLDER, str(tmp_path))
    assert catalogue.lookup("900-250-08", on=dt.date(2025, 1, 1)).edition == "2025"
    assert catalogue.lookup("900-249-08", on=D2023).edition == "2021"
    monkeypatch.delenv(catalogue.ENV_FOLDER)
    with pytest.raises(CatalogueError):
        catalogue.lookup("900-250-08", on=dt.date(2025, 1, 1))


def test_a_bad_table_is_refused_whole(tmp_path: Path) -> None:
    f = _table(
        tmp_path / "bad.csv",
        "900-250-08,HW08,,,good row,T",
        "900-25-08,HW08,,,short code,T",
        "900-251-08,HW09,,,wrong category,T",
        "900-252-08,HW08,,,bad hazard,X",
        "900-250-08,HW08,,,twice,T",
        "900-253-08,HW08,,,,T",
    )
    with pytest.raises(InputFileError) as exc:
        Catalogue(files={"2025": f}).entries("2025")
    got = [(p.reason, p.row, p.field, p.text) for p in exc.value.problems]
    assert got == [
        ("malformed_code", 4, "code", "900-25-08"),
        ("category_mismatch", 5, "category", "HW09"),
        ("bad_hazard", 6, "hazard", "X"),
        ("duplicate_code", 7, "code", "900-250-08"),
        ("missing", 8, "description", None),
    ]
    assert all(p.file == "bad.csv" for p in exc.value.problems)
    (tmp_path / "nohazard.csv").write_text("code,category,description\n900-250-08,HW08,x\n", encoding="utf-8")
    with pytest.raises(InputFileError) as exc:
        Catalogue(files={"2025": tmp_path / "nohazard.csv"}).entries("2025")
    assert [(p.reason, p.row, p.field) for p in exc.value.problems] == [("missing_column", 1, "hazard")]


# -- the CSV and its build ------------------------------------------------------------------

cells = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and not s.startswith("#"))


@given(
    st.lists(
        st.tuples(digits, cells, cells, cells, st.sampled_from(["T", "T,I", "C,T", "T/C/I/R", "In", "T/In"])),
        min_size=1,
        max_size=20,
        unique_by=lambda t: t[0],
    )
)
def test_the_csv_round_trips(rows: list[tuple[str, str, str, str, str]]) -> None:
    written = [
        Row(f"{d[:3]}-{d[3:6]}-{d[6:]}", f"HW{d[6:]}", name, ind, desc, hz, 0)
        for d, name, ind, desc, hz in rows
    ]
    back = parse_table(render_csv(written), "2021", "x.csv")
    assert [(e.code, e.category, e.category_name, e.industry, e.description, e.hazard) for e in back] == [
        (r.code, r.category, r.category_name, r.industry, r.description, r.hazard) for r in written
    ]


def test_the_shipped_csv_names_its_source_and_reads_back() -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    head = text.splitlines()[:3]
    assert all(line.startswith("# ") for line in head)
    assert "部令 第15号" in head[1] and "2021-01-01" in head[1]
    rows = list(csv.reader(io.StringIO("\n".join(text.splitlines()[3:]))))
    assert rows[0] == ["code", "category", "category_name", "industry", "description", "hazard"]
    assert len(rows) == 468
    assert [Entry(c, k, n, i, d, h, "2021") for c, k, n, i, d, h in rows[1:]] == list(
        catalogue.entries("2021")
    )


@needs_text
def test_the_build_reproduces_the_shipped_csv() -> None:
    rows = parse(TEXT.read_text(encoding="utf-8"))
    assert render_csv(rows) == SHIPPED.read_text(encoding="utf-8")
    assert rows[0].line < rows[-1].line


@needs_text
def test_the_build_refuses_a_mangled_text() -> None:
    lines = TEXT.read_text(encoding="utf-8").splitlines()
    at = next(i for i, t in enumerate(lines) if "271-001-02" in t)
    assert lines[at + 1].strip() == "残余物"
    with pytest.raises(BuildError, match="line"):
        parse("\n".join(lines[: at + 1] + lines[at + 2 :]))  # a row's lower half lost
    bad_hazard = [t.replace("     T", "     X") if "271-004-02" in t else t for t in lines]
    with pytest.raises(BuildError, match="271-004-02"):
        parse("\n".join(bad_hazard))
    with pytest.raises(BuildError, match="no table"):
        parse("国家危险废物名录")
