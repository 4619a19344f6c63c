"""``load_document`` (text, HTML, .docx, PDF) and the layout helpers."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from tests.conftest import SHARED

from ecoplan.core.errors import InputFileError
from ecoplan.plans.extract.document import (
    display_text,
    find_headings,
    find_page_jumps,
    load_document,
    paragraphs,
    zh_number,
)

SEEDS = SHARED / "seeds"
SEED_FILES = sorted(SEEDS.glob("0*.txt"))


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_every_seed_loads_as_utf8_text(seed: Path) -> None:
    doc = load_document(seed)
    assert (doc.kind, doc.encoding, doc.path) == ("text", "utf-8", str(seed))
    assert doc.text == seed.read_text(encoding="utf-8")  # nothing normalised
    assert len(doc.text) > 10_000


def test_five_seeds_are_there() -> None:
    assert len(SEED_FILES) == 5


def test_gb18030_copy_decodes_identically(tmp_path: Path) -> None:
    snippet = (SEEDS / "003_ced3bd6005114f5c.txt").read_text(encoding="utf-8")[:4000]
    gb = tmp_path / "jiangmen.txt"
    gb.write_bytes(snippet.encode("gb18030"))
    doc = load_document(gb)
    assert doc.encoding == "gb18030" and doc.text == snippet
    gbk = tmp_path / "jiangmen-gbk.txt"  # GBK is a subset of GB18030
    gbk.write_bytes("到2020年，全市森林覆盖率达到46.84%。\n".encode("gbk"))
    assert load_document(gbk).encoding == "gb18030"


def test_utf8_bom_is_recorded_and_dropped(tmp_path: Path) -> None:
    f = tmp_path / "plan.md"
    f.write_bytes(b"\xef\xbb\xbf" + "# 第一章 总则\n2017年底前完成划定。\n".encode())
    doc = load_document(f)
    assert (doc.encoding, doc.kind) == ("utf-8-sig", "markdown")
    assert doc.text.startswith("# 第一章")


def test_utf16_with_bom(tmp_path: Path) -> None:
    f = tmp_path / "plan.txt"
    f.write_text("到2020年，秸秆综合利用率达到85%。\n", encoding="utf-16")
    doc = load_document(f)
    assert doc.encoding == "utf-16" and doc.text.startswith("到2020年")


def test_unknown_extension_is_read_as_text(tmp_path: Path) -> None:
    f = tmp_path / "plan.csv"
    f.write_text("指标,2015年,2020年\n", encoding="utf-8")
    assert load_document(f).kind == "text"
    g = tmp_path / "PLAN"
    g.write_text("规划全文\n", encoding="utf-8")
    assert load_document(g).text == "规划全文\n"


HTML = """<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>“十三五”生态环境保护规划</title>
<style>p {color: red}</style><script>var x = "不要我";</script></head>
<body><h1>第一章　主要目标</h1>
<p>到2020年，生态环境质量总体改善。<br>2017年底前，划定生态保护红线。</p>
<table><tr><th>指标</th><th>2015年</th><th>2020年</th></tr>
<tr><td>森林覆盖率（%）</td><td>21.66</td><td>23.04</td></tr></table>
<ul><li>第一项</li><li>第二项&nbsp;工程</li></ul></body></html>
"""


def test_html_visible_text_with_table_cells_tab_separated(tmp_path: Path) -> None:
    f = tmp_path / "plan.html"
    f.write_bytes(HTML.encode("gbk"))
    doc = load_document(f)
    assert (doc.kind, doc.encoding) == ("html", "gb18030")
    lines = [line for line in doc.text.splitlines() if line]
    assert "var x" not in doc.text and "color" not in doc.text
    assert lines[0] == "“十三五”生态环境保护规划"
    assert "第一章　主要目标" in lines
    assert "到2020年，生态环境质量总体改善。" in lines
    assert "2017年底前，划定生态保护红线。" in lines
    assert "指标\t2015年\t2020年" in lines
    assert "森林覆盖率（%）\t21.66\t23.04" in lines
    assert lines[-2:] == ["第一项", "第二项 工程"]


def test_html_in_utf8_without_meta(tmp_path: Path) -> None:
    f = tmp_path / "plan.htm"
    f.write_text("<p>每年向国务院报告。</p>", encoding="utf-8")
    doc = load_document(f)
    assert doc.encoding == "utf-8" and doc.text.strip() == "每年向国务院报告。"


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(path: Path, body: str) -> Path:
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W_NS}"><w:body>{body}</w:body></w:document>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", xml)
    return path


def _p(*runs: str) -> str:
    return "<w:p>" + "".join(f"<w:r><w:t xml:space='preserve'>{r}</w:t></w:r>" for r in runs) + "</w:p>"


def test_docx_paragraphs_and_table_rows(tmp_path: Path) -> None:
    table = (
        "<w:tbl>"
        f"<w:tr><w:tc>{_p('指标')}</w:tc><w:tc>{_p('2015年')}</w:tc><w:tc>{_p('2020年')}</w:tc></w:tr>"
        f"<w:tr><w:tc>{_p('森林覆盖率（%）')}</w:tc><w:tc>{_p('21.66')}</w:tc><w:tc>{_p('23.04')}</w:tc></w:tr>"
        "</w:tbl>"
    )
    f = _docx(
        tmp_path / "plan.docx", _p("2017年底前，", "划定生态保护红线。") + table + _p("专栏1　主要指标")
    )
    doc = load_document(f)
    assert (doc.kind, doc.encoding) == ("docx", "n/a")
    assert doc.text.splitlines() == [
        "2017年底前，划定生态保护红线。",
        "指标\t2015年\t2020年",
        "森林覆盖率（%）\t21.66\t23.04",
        "专栏1　主要指标",
    ]


def test_broken_docx_files_are_refused(tmp_path: Path) -> None:
    notzip = tmp_path / "old.docx"
    notzip.write_bytes(b"\xd0\xcf\x11\xe0 an old binary .doc")
    with pytest.raises(InputFileError, match=r"old\.docx.*not a valid \.docx"):
        load_document(notzip)
    nodoc = tmp_path / "other.docx"
    with zipfile.ZipFile(nodoc, "w") as zf:
        zf.writestr("content.xml", "<x/>")
    with pytest.raises(InputFileError, match=r"no word/document\.xml"):
        load_document(nodoc)
    bad = _docx(tmp_path / "bad.docx", "<w:p><w:r><w:t>未闭合</w:r></w:p>")
    with pytest.raises(InputFileError, match="not well-formed"):
        load_document(bad)


def _pdf_with_text(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer is ``lines`` (CID font + ToUnicode map)."""
    w = PdfWriter()
    page = w.add_blank_page(595, 842)
    chars = sorted({c for line in lines for c in line})
    cid = {c: i + 1 for i, c in enumerate(chars)}
    cmap = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CMapName /Test def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        f"{len(chars)} beginbfchar",
        *(f"<{cid[c]:04X}> <{ord(c):04X}>" for c in chars),
        "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end",
    ]
    to_unicode = DecodedStreamObject()
    to_unicode.set_data("\n".join(cmap).encode())
    descendant = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType0"),
            NameObject("/BaseFont"): NameObject("/STSong-Light"),
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("GB1"),
                    NameObject("/Supplement"): NumberObject(4),
                }
            ),
        }
    )
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/STSong-Light"),
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([w._add_object(descendant)]),
            NameObject("/ToUnicode"): w._add_object(to_unicode),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): w._add_object(font)})}
    )
    ops = ["BT /F1 12 Tf 14 TL 50 800 Td"]
    ops += ["<" + "".join(f"{cid[c]:04X}" for c in line) + "> Tj T*" for line in lines]
    ops.append("ET")
    content = DecodedStreamObject()
    content.set_data("\n".join(ops).encode())
    page[NameObject("/Contents")] = w._add_object(content)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_pdf_text_layer(tmp_path: Path) -> None:
    f = tmp_path / "plan.pdf"
    lines = ["2017年底前，各地区依法关闭禁养区内的畜禽养殖场。", "到2020年，秸秆综合利用率达到85%。"]
    f.write_bytes(_pdf_with_text(lines))
    doc = load_document(f)
    assert (doc.kind, doc.encoding) == ("pdf", "n/a")
    assert doc.text.splitlines()[:2] == lines


def test_pdf_without_text_layer_is_refused(tmp_path: Path) -> None:
    w = PdfWriter()
    w.add_blank_page(595, 842)
    w.add_blank_page(595, 842)
    f = tmp_path / "scan.pdf"
    with f.open("wb") as fh:
        w.write(fh)
    with pytest.raises(InputFileError, match="no text layer: scanned PDFs") as exc:
        load_document(f)
    assert exc.value.file == str(f)


def test_not_a_pdf_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "fake.pdf"
    f.write_bytes(b"this is not a PDF at all")
    with pytest.raises(InputFileError, match=r"fake\.pdf"):
        load_document(f)


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", " \n\t\u3000\n".encode(), "only whitespace"),
        ("nul.txt", b"abc\x00def" * 50, "binary"),
        ("blob.txt", bytes(range(256)) * 40, "binary"),
        ("ctrl.md", bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15]) * 100, "binary"),
        ("latin.txt", "Café crème ÿ\n".encode("latin-1") * 5, "not UTF-8 or GB18030"),
        ("empty.pdf", b"", "empty file"),
        ("empty.docx", b"", "empty file"),
    ],
)
def test_bad_files_give_input_file_error_naming_the_file(
    tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    f = tmp_path / name
    f.write_bytes(data)
    with pytest.raises(InputFileError, match=reason) as exc:
        load_document(f)
    assert exc.value.file == str(f) and name in str(exc.value)


def test_random_high_bytes_are_not_taken_for_gb18030(tmp_path: Path) -> None:
    rnd = bytes(b for b in os.urandom(20_000) if b >= 0x80)
    f = tmp_path / "junk.txt"
    f.write_bytes(rnd)
    with pytest.raises(InputFileError, match=r"junk\.txt"):
        load_document(f)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        load_document(tmp_path / "nope.txt")
    with pytest.raises(InputFileError, match="not a regular file"):
        load_document(tmp_path)


# --- layout ---------------------------------------------------------------------


def test_page_jumps_in_the_newspaper_copy() -> None:
    text = load_document(SEEDS / "001_ec3a463adf956f3f.txt").text
    jumps = find_page_jumps(text)
    assert [(j.direction, j.page, text[j.start : j.end]) for j in jumps] == [
        ("down", "八", "下转八版"),
        ("up", "六", "上接六版"),
    ]
    inline = "……生态建设与环境（下转第8版）"
    assert [(j.direction, j.page) for j in find_page_jumps(inline)] == [("down", "8")]
    assert find_page_jumps("直接转化为版面") == []


def test_paragraphs_rejoin_ocr_lines() -> None:
    text = load_document(SEEDS / "001_ec3a463adf956f3f.txt").text
    paras = [display_text(text, a, b) for a, b in paragraphs(text)]
    assert "第三节提高危险废物处置水平" in paras  # spaces between Chinese characters are layout
    assert any(
        p.startswith("加强汞污染控制。") and p.endswith("淘汰含汞体温计、血压计等添汞产品。") for p in paras
    )
    # the box items are double-spaced and wrapped mid-name
    assert any("湖州长兴县（铅蓄电池行业综合整治）" in p for p in paras)
    assert not any("下转" in p or "上接" in p for p in paras)


def test_headings_of_the_glued_national_plan() -> None:
    text = load_document(SEEDS / "000_9380b4ef97fd83be.txt").text
    heads = [h for h in find_headings(text) if h.start > 1000]  # after the table of contents
    chapters = [(h.number, h.title) for h in heads if h.level == "chapter"]
    assert [n for n, _ in chapters] == list(range(2, 11))  # 第一章 is glued to the contents
    assert (3, "强化源头防控，夯实绿色发展基础") in chapters
    boxes = [(h.number, h.title) for h in heads if h.level == "box"]
    assert boxes == [
        (1, "“十三五”生态环境保护主要指标"),
        (2, "各流域需要改善的控制单元"),
        (3, "推动重点行业治污减排"),
        (4, "区域性、流域性总量控制地区"),
        (5, "重金属综合整治示范"),
        (6, "全国生态环境监测网络建设"),
        (7, "加强生态环境基础调查"),
        (8, "环境治理保护重点工程"),
        (9, "山水林田湖生态工程"),
    ]
    sec = next(h for h in heads if h.level == "section" and h.title == "严格评估考核")
    assert text[sec.end :].startswith("环境保护部要会同有关部门")


def test_zh_number() -> None:
    assert [zh_number(s) for s in ("一", "十", "十五", "二十三", "一百零二", "二〇二〇", "6", "x")] == [
        1,
        10,
        15,
        23,
        102,
        2020,
        6,
        None,
    ]


def test_display_text_drops_layout_and_markers() -> None:
    text = "到 2017 年，建立京津冀区域生态\n保护补偿机制\n\n下转八版\n\n**PM2.5 and** O3。"
    assert display_text(text, 0, len(text)) == "到2017年，建立京津冀区域生态保护补偿机制PM2.5 and O3。"
