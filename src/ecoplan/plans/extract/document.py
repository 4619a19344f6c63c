"""Load a plan document as text, and read its layout.

:func:`load_document` turns a file (plain text or Markdown in UTF-8 or
GB18030, HTML, Word ``.docx``, a PDF with a text layer) into a
:class:`~ecoplan.plans.extract.spans.Document`. The decoded text (a leading
byte-order mark dropped) is cleaned by
:func:`~ecoplan.plans.extract.normalise.normalise_text` — anti-scraping junk,
traditional script, pinyin glosses, OCR noise in numbers, page furniture — and
every offset an extractor reports is an offset into that cleaned text, the text
the reviewer is shown; :attr:`Document.notes` say what the clean-up changed.

The layout helpers are shared by the extractors:

* :func:`find_page_jumps` — newspaper page jumps (``下转八版``,
  ``（上接第6版）``) that interrupt the running text;
* :func:`find_headings` — chapter, section, part and 专栏 (box) headings, also
  when a copy has lost its line breaks and a heading is glued to the text
  around it (the national 13th FYP copy is three lines of 140 000 characters);
* :func:`paragraphs` — logical paragraphs, rejoining lines an OCR or a PDF
  wrapped in the middle of a sentence;
* :func:`display_text` — a span's text for people: page-jump markers,
  Markdown emphasis and layout whitespace removed.

Encoding rules (plain text, Markdown, HTML): a UTF-8 BOM gives ``utf-8-sig``,
a UTF-16 BOM ``utf-16``; otherwise strict UTF-8, then strict GB18030 (which
covers GBK and GB2312), else the file is refused. HTML also honours a declared
``<meta charset>``. Empty files, whitespace-only files and binary files (NUL
bytes, many control characters, or "GB18030" that is mostly characters no
Chinese text uses) are refused with :class:`~ecoplan.core.errors.InputFileError`.
"""

from __future__ import annotations

import bisect
import re
import zipfile
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

from ecoplan.core.errors import EcoplanError, InputFileError
from ecoplan.plans.extract.normalise import normalise_text
from ecoplan.plans.extract.spans import Document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "LEAD_VERBS",
    "Heading",
    "PageJump",
    "SkipRanges",
    "cleaned",
    "display_text",
    "find_headings",
    "find_page_jumps",
    "is_blank",
    "load_document",
    "paragraphs",
    "zh_number",
]

_TEXT_SUFFIXES = {".txt", ".text", ".md", ".markdown", ""}
_HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_MAX_DOCX_XML = 200 * 1024 * 1024  # uncompressed word/document.xml; a zip bomb guard
#: The largest document :func:`load_document` reads by default (20 MB): a plan, even
#: with its annexes, is a few MB; anything far bigger is more likely a wrong file.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

# ---------------------------------------------------------------------------
# loading


def load_document(
    path: str | Path, *, max_bytes: int | None = DEFAULT_MAX_BYTES, clean: bool = True
) -> Document:
    """Read ``path`` into a :class:`Document`, its text cleaned for the readers.

    Parameters
    ----------
    path
        A ``.txt``/``.text``/``.md`` (or extension-less) text file, ``.html``/
        ``.htm``, ``.docx`` or ``.pdf``. Any other extension is read as text.
    max_bytes
        The largest file accepted (default :data:`DEFAULT_MAX_BYTES`, 20 MB;
        ``None``: no limit). The file's size is checked before anything is
        read, and the text a .docx or PDF decodes to is held to the same
        number of characters.
    clean
        Run :func:`~ecoplan.plans.extract.normalise.normalise_text` on the
        decoded text (default): junk, traditional script, pinyin glosses and
        OCR noise go before any reader sees the text, and the document's
        ``notes`` say what was changed. ``False``: the decoded text as it is.

    Returns
    -------
    Document
        ``path`` as given, ``kind`` ``text``/``markdown``/``html``/``docx``/
        ``pdf``, the ``encoding`` that decoded it (``n/a`` for docx/pdf) and
        the clean-up's ``notes``. Offsets into ``text`` are offsets into the
        cleaned text.

    Raises
    ------
    InputFileError
        The file is missing, empty, whitespace only, binary, in an encoding
        other than UTF-8/GB18030, a broken .docx, or a PDF without a text
        layer (a scan). The error names the file.
    EcoplanError
        The file is larger than ``max_bytes`` (key ``extract.too_large``,
        naming the file, its size and the limit).
    """
    shown = str(path)
    p = Path(path)
    if not p.exists():
        raise InputFileError(shown, "no such file / 文件不存在")
    if not p.is_file():
        raise InputFileError(shown, "not a regular file / 不是普通文件")
    suffix = p.suffix.lower()
    try:
        if max_bytes is not None:
            _check_size(shown, p.stat().st_size, max_bytes)
        doc = _load(p, shown, suffix)
    except OSError as exc:
        raise InputFileError(shown, f"cannot read the file: {exc.strerror or exc} / 无法读取") from None
    if max_bytes is not None and len(doc.text) > max_bytes:
        # a .docx or PDF can hold more text than its file size says (every
        # character is at least one byte, so this only ever refuses too much)
        _check_size(shown, len(doc.text), max_bytes)
    if clean:
        text, notes = normalise_text(doc.text)
        if not text.strip():
            raise InputFileError(shown, "nothing is left after removing junk characters / 清理乱码后没有内容")
        doc = replace(doc, text=text, notes=notes)
    return doc


def _mb(n: int) -> str:
    """``n`` bytes as megabytes for a message: ``20``, ``20.5``, ``4.05``, ``0.001``."""
    mb = n / (1024 * 1024)
    return f"{mb:.3g}" if mb < 1 else f"{mb:.2f}".rstrip("0").rstrip(".")


def _check_size(shown: str, size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise EcoplanError.worded(
            "extract.too_large",
            file=shown,
            size_mb=_mb(size),
            size=size,
            limit_mb=_mb(max_bytes),
            limit=max_bytes,
        )


def _load(p: Path, shown: str, suffix: str) -> Document:
    if suffix == ".docx":
        text, kind, encoding = _read_docx(p, shown), "docx", "n/a"
    elif suffix == ".pdf":
        text, kind, encoding = _read_pdf(p, shown), "pdf", "n/a"
    else:
        data = p.read_bytes()
        if not data:
            raise InputFileError(shown, "empty file / 空文件")
        if suffix in _HTML_SUFFIXES:
            raw, encoding = _decode(data, shown, declared=_declared_charset(data))
            text, kind = _html_to_text(raw), "html"
        else:
            text, encoding = _decode(data, shown)
            kind = "markdown" if suffix in {".md", ".markdown"} else "text"
    if not text.strip():
        raise InputFileError(shown, "the file contains only whitespace / 文件只有空白")
    return Document(text=text, path=shown, kind=kind, encoding=encoding)


def _decode(data: bytes, shown: str, declared: str | None = None) -> tuple[str, str]:
    """Bytes -> (text, encoding name) by the module's encoding rules."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _checked(data[3:].decode("utf-8", errors="strict"), shown, data), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), shown, b""), "utf-16"
        except UnicodeDecodeError:
            raise InputFileError(shown, "starts with a UTF-16 BOM but is not UTF-16 text") from None
    if b"\x00" in data:
        raise InputFileError(shown, "binary file (NUL bytes), not a text document / 二进制文件，不是文本")
    order = ["utf-8", "gb18030"]
    if declared in order:
        order.remove(declared)
        order.insert(0, declared)
    for enc in order:
        try:
            text = data.decode(enc, errors="strict")
        except UnicodeDecodeError:
            continue
        if enc == "gb18030" and not _plausible_chinese(text):
            break
        return _checked(text, shown, data), enc
    raise InputFileError(
        shown, "not UTF-8 or GB18030 text (binary or another encoding) / 不是 UTF-8 或 GB18030 编码的文本"
    )


def _checked(text: str, shown: str, data: bytes) -> str:
    """Refuse text with many control characters (binary junk that decoded)."""
    if "\x00" in text:
        raise InputFileError(
            shown, "binary file (NUL characters), not a text document / 二进制文件，不是文本"
        )
    if text:
        controls = sum(1 for c in text if (c < " " and c not in "\t\n\r\f\v") or "\x7f" <= c < "\xa0")
        if controls > max(2, len(text) // 100):
            raise InputFileError(
                shown, f"binary file ({controls} control characters), not a text document / 二进制文件"
            )
    return text


def _plausible_chinese(text: str) -> bool:
    """Whether GB18030-decoded text looks like text rather than junk.

    Real GBK/GB2312 Chinese is almost entirely GB2312 characters; random bytes
    that happen to decode as GB18030 are mostly rare extension characters.
    """
    counts = Counter(text)
    total = sum(counts.values())
    rare = 0
    for ch, n in counts.items():
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            rare += n
    return rare <= total * 0.2


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii").lower()
    if name in {"utf-8", "utf8"}:
        return "utf-8"
    if name in {"gbk", "gb2312", "gb18030", "gb_2312-80", "x-gbk", "cp936"}:
        return "gb18030"
    return None


# --- HTML -------------------------------------------------------------------

_HTML_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "tfoot",
    "thead", "title", "tr", "ul",
}  # fmt: skip
_HTML_SKIP = {"script", "style", "noscript", "template", "head"}
_HTML_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
# inline styles that hide an element: reprint sites hide junk in them (Discuz forums
# use <font class="jammer">, hidden by their style sheet)
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0+(?:\.0+)?(?:px|pt|em|rem)?\s*(?:;|$)",
    re.IGNORECASE,
)


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_title = False
        self.cells_in_row = 0
        # an element hidden by its style (anti-scraping junk): its tag and how
        # many elements of that tag are open inside it
        self.hidden_tag = ""
        self.hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.hidden_depth:
            if tag == self.hidden_tag:
                self.hidden_depth += 1
            return
        style = next((v or "" for k, v in attrs if k == "style"), "")
        classes = next((v or "" for k, v in attrs if k == "class"), "").split()
        hidden = any(k == "hidden" for k, _ in attrs) or _HIDDEN_STYLE.search(style) or "jammer" in classes
        if hidden and tag not in _HTML_VOID:
            self.hidden_tag, self.hidden_depth = tag, 1
            return
        if tag == "title":
            self.in_title = True
        elif tag in _HTML_SKIP:
            self.skip += 1
        if tag in ("td", "th"):
            if self.cells_in_row:
                self.parts.append("\t")
            self.cells_in_row += 1
        elif tag == "tr":
            self.cells_in_row = 0
        if tag in _HTML_BLOCK:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HTML_BLOCK and not self.hidden_depth:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if self.hidden_depth:
            if tag == self.hidden_tag:
                self.hidden_depth -= 1
            return
        if tag == "title":
            self.in_title = False
        elif tag in _HTML_SKIP and self.skip:
            self.skip -= 1
        if tag in _HTML_BLOCK:
            self.parts.append("\n")
        if tag == "tr":
            self.cells_in_row = 0

    def handle_data(self, data: str) -> None:
        if self.hidden_depth or (self.skip and not self.in_title):
            return
        # HTML collapses ASCII white space only; U+3000 (full-width space) is text
        self.parts.append(re.sub(r"[ \t\n\r\f]+", " ", data.replace("\xa0", " ")))


def _html_to_text(raw: str) -> str:
    parser = _TextParser()
    parser.feed(raw)
    parser.close()
    lines = []
    for line in "".join(parser.parts).split("\n"):
        cells = [re.sub(r" {2,}", " ", c).strip() for c in line.split("\t")]
        lines.append("\t".join(cells).strip() if len(cells) == 1 else "\t".join(cells))
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n")
    return text + "\n" if text else text


# --- DOCX -------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(p: Path, shown: str) -> str:
    try:
        with zipfile.ZipFile(p) as zf:
            try:
                info = zf.getinfo("word/document.xml")
            except KeyError:
                raise InputFileError(shown, "no word/document.xml: not a Word .docx document") from None
            if info.file_size > _MAX_DOCX_XML:
                raise InputFileError(shown, "word/document.xml is too large")
            xml = zf.read(info)
    except zipfile.BadZipFile:
        if p.stat().st_size == 0:
            raise InputFileError(shown, "empty file / 空文件") from None
        raise InputFileError(
            shown, "not a valid .docx (zip) file; old binary .doc is not supported"
        ) from None
    if b"<!DOCTYPE" in xml[:2048] or b"<!ENTITY" in xml:
        raise InputFileError(shown, "word/document.xml declares a DTD or entities; refused")
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise InputFileError(shown, f"word/document.xml is not well-formed XML: {exc}") from None
    body = root.find(f"{_W}body")
    lines: list[str] = []
    _docx_blocks(body if body is not None else root, lines)
    return "\n".join(lines) + "\n" if lines else ""


def _docx_blocks(elem: ElementTree.Element, lines: list[str]) -> None:
    """Paragraphs become lines; a table row becomes one line, cells joined by tabs."""
    for child in elem:
        if child.tag == f"{_W}p":
            lines.append(_docx_par(child))
        elif child.tag == f"{_W}tbl":
            for row in child.iter(f"{_W}tr"):
                cells = []
                for cell in row.findall(f"{_W}tc"):
                    paras = [_docx_par(q) for q in cell.iter(f"{_W}p")]
                    cells.append(" ".join(s for s in paras if s.strip()))
                lines.append("\t".join(cells))
        elif child.tag != f"{_W}sectPr":
            _docx_blocks(child, lines)  # content controls, custom XML, ...


def _docx_par(par: ElementTree.Element) -> str:
    out: list[str] = []
    for node in par.iter():
        if node.tag == f"{_W}t" and node.text:
            out.append(node.text)
        elif node.tag == f"{_W}tab":
            out.append("\t")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            out.append("\n")
    return "".join(out)


# --- PDF --------------------------------------------------------------------


def _read_pdf(p: Path, shown: str) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if p.stat().st_size == 0:
        raise InputFileError(shown, "empty file / 空文件")
    try:
        reader = PdfReader(p)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputFileError(shown, "the PDF is encrypted (password protected)")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputFileError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InputFileError(shown, f"not a readable PDF: {exc}") from None
    text = "\n".join(pages)
    meaningful = sum(1 for c in text if c.isalnum())
    if meaningful < max(10, 10 * len(pages)):
        raise InputFileError(
            shown,
            "no text layer: scanned PDFs (images) are out of scope; OCR it first "
            "/ 没有文字层：扫描版 PDF 请先做 OCR",
        )
    return text


# ---------------------------------------------------------------------------
# layout

_CN_NUM = "零〇一二三四五六七八九十百"
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}


def zh_number(s: str) -> int | None:
    """``"十五"`` -> 15, ``"6"`` -> 6, ``"一百零二"`` -> 102; None if not a number."""
    s = s.strip()
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_NUM for c in s):
        return None
    if all(c in _ZH_DIGITS for c in s):  # digit by digit: 二〇二〇
        return int("".join(str(_ZH_DIGITS[c]) for c in s))
    total, cur = 0, 0
    for c in s:
        if c == "百":
            total += (cur or 1) * 100
            cur = 0
        elif c == "十":
            total += (cur or 1) * 10
            cur = 0
        else:
            cur = _ZH_DIGITS[c]
    return total + cur


@dataclass(frozen=True)
class PageJump:
    """A newspaper page-jump marker: ``下转八版`` (``down``: the text goes on
    elsewhere) or ``上接六版`` (``up``: the text comes from elsewhere)."""

    start: int
    end: int
    direction: str  # "down" | "up"
    page: str  # as printed: "八", "6"


_JUMP = re.compile(
    rf"[（(]?[ \t\u3000]*(上接|下转|转|接)[ \t\u3000]*第?[ \t\u3000]*([0-9０-９{_CN_NUM}]+)[ \t\u3000]*版"
    r"[ \t\u3000]*[)）]?"
)


def find_page_jumps(text: str) -> list[PageJump]:
    """Every page-jump marker, in text order.

    ``上接/下转`` are accepted anywhere; the bare ``接/转`` only in parentheses
    or alone on a line, where they cannot be part of a word.
    """
    out = []
    for m in _JUMP.finditer(text):
        word = m.group(1)
        if word in ("接", "转"):
            bracketed = m.group(0).startswith(("（", "(")) and m.group(0).endswith((")", "）"))
            if not bracketed and not _alone_on_line(text, m.start(), m.end()):
                continue
        direction = "up" if "接" in word else "down"
        out.append(PageJump(m.start(), m.end(), direction, m.group(2)))
    return out


def _alone_on_line(text: str, start: int, end: int) -> bool:
    """Whether only white space surrounds ``text[start:end]`` on its line.

    Looks at the white space next to the match only, never at the whole line,
    so a 140 000-character line with many matches costs no more than one pass.
    """
    a = start
    while a > 0 and text[a - 1] != "\n" and text[a - 1].isspace():
        a -= 1
    if a > 0 and text[a - 1] != "\n":
        return False
    b, n = end, len(text)
    while b < n and text[b] != "\n" and text[b].isspace():
        b += 1
    return b == n or text[b] == "\n"


_NON_SPACE = re.compile(r"\S")


def is_blank(text: str, start: int, end: int) -> bool:
    """``not text[start:end].strip()`` without copying the slice: it stops at
    the first character that is not white space (``\\S`` and ``str.isspace``
    agree on what white space is)."""
    return _NON_SPACE.search(text, start, max(start, end)) is None


@dataclass(frozen=True)
class Heading:
    """A heading: ``start``/``end`` cover the marker and the title.

    ``level`` is ``chapter`` (第X章), ``section`` (第X节), ``part`` (``一、``
    at a line start, Markdown ``#``) or ``box`` (专栏N). ``title`` may be empty
    when a glued heading's title could not be told from the text after it.
    """

    start: int
    end: int
    level: str
    number: int
    title: str
    own_line: bool


_SPACE = " \t\u3000\xa0"
_CHAPTER = re.compile(rf"第[ \u3000]*([0-9{_CN_NUM}]+)[ \u3000]*([章节])")
_BOX = re.compile(r"专[ \t\u3000]*栏[ \t\u3000]*([0-9０-９]+)")
_PART = re.compile(rf"(?m)^[{_SPACE}#]*([{_CN_NUM}]+)[、.．]")
_MD = re.compile(r"(?m)^(#{1,6})[ \t]+(\S.*)$")
# what may stand right before a glued heading
_BEFORE_HEADING = '。；！？：”"）)】』」\n' + _SPACE
_TOC_TAIL = re.compile(r"[ \t\u3000]*(?:\.{2,}|…{1,}|·{2,})[ \t\u3000.…·]*\d*\s*$")
# verbs a box's body (or a paragraph's lead sentence) starts with
LEAD_VERBS = (
    "加快", "加大", "加强", "开展", "推进", "推动", "实施", "建立", "健全", "完善", "强化",
    "提高", "提升", "深化", "严格", "构建", "保护", "维护", "促进", "落实", "全面", "大力",
    "积极", "切实", "优化", "控制", "防控", "治理", "整治", "建设", "实行", "坚持", "划定",
    "制定", "完成", "组织", "鼓励", "支持", "引导", "扩大", "巩固", "持续", "深入", "着力",
    "重点", "探索", "统筹", "确保", "力争", "培育", "发展", "打好", "打赢", "淘汰", "禁止",
)  # fmt: skip


def find_headings(text: str) -> list[Heading]:
    """Chapter, section, part and box headings, in text order.

    A heading on its own line takes the rest of the line as its title (a table
    of contents' dot leaders and page numbers are dropped). A heading glued to
    the running text (``……基础。第一节　强化生态空间管控全面落实……``) takes
    the longest title the document's table of contents gives for it; a glued
    heading not in the contents gets an empty title. Glued 专栏 titles end at
    the first item marker ``（一）``, a table header (``指　标``), white space,
    or — failing those — where a lead verb starts the body (``加强生态环境基础
    调查加大基础调查力度`` -> ``加强生态环境基础调查``).
    """
    found: list[Heading] = []
    toc: dict[tuple[str, int], set[str]] = {}
    glued: list[tuple[re.Match[str], str, int]] = []
    for m in _CHAPTER.finditer(text):
        spaced = text[m.end() : m.end() + 1] in ("\u3000", " ", "\t")
        if m.start() > 0 and text[m.start() - 1] not in _BEFORE_HEADING and not spaced:
            continue
        number = zh_number(m.group(1))
        if number is None:
            continue
        level = "chapter" if m.group(2) == "章" else "section"
        title_start = _skip_space(text, m.end())
        short = _short_rest(text, title_start, 60) if _line_start(text, m.start()) else None
        if short is not None:
            # the rest of the line, right-stripped, is at most 60 characters
            title = _TOC_TAIL.sub("", short).strip()
            found.append(Heading(m.start(), title_start + len(short), level, number, title, True))
            toc.setdefault((level, number), set()).add(title)
            continue
        # glued: a contents entry ends at white space or at the next heading
        window = text[title_start : title_start + 40]
        stop = re.search(rf"[{_SPACE}\n]|第[{_CN_NUM}0-9]+[章节]", window)
        if stop and 2 <= stop.start() <= 30 and not re.search(r"[。；]", window[: stop.start()]):
            toc.setdefault((level, number), set()).add(window[: stop.start()])
        glued.append((m, level, number))
    for m, level, number in glued:
        title_start = _skip_space(text, m.end())
        titles = sorted(toc.get((level, number), ()), key=len, reverse=True)
        title = next((t for t in titles if t and text.startswith(t, title_start)), "")
        end = title_start + len(title) if title else m.end()
        found.append(Heading(m.start(), end, level, number, title, False))
    for m in _BOX.finditer(text):
        if m.start() > 0 and text[m.start() - 1] not in _BEFORE_HEADING:
            continue
        number = int(m.group(1).translate(_FULLWIDTH_DIGITS))
        title_start = _skip_space(text, m.end())
        rest = _short_rest(text, title_start, 40) if _line_start(text, m.start()) else None
        own = rest is not None
        title = rest if rest is not None else _glued_box_title(text, title_start)
        found.append(Heading(m.start(), title_start + len(title), "box", number, title, own))
    for m in _PART.finditer(text):
        number = zh_number(m.group(1))
        title_start = _skip_space(text, m.end())
        line = text[title_start : _eol(text, m.end())].rstrip()
        sentence = re.match(r"[^。；]*[。；]?", line)
        first = sentence.group(0) if sentence else line
        if number is None or not first or len(first) > 40:
            continue
        start = m.start() + len(m.group(0)) - len(m.group(0).lstrip(_SPACE + "#"))
        found.append(Heading(start, title_start + len(first), "part", number, first.rstrip("。；"), True))
    for m in _MD.finditer(text):
        inner = _CHAPTER.match(m.group(2)) or _BOX.match(m.group(2))
        if inner:
            continue  # already found as a chapter/section/box
        found.append(Heading(m.start(), m.end(), "part", len(m.group(1)), m.group(2).strip(), True))
    found.sort(key=lambda h: (h.start, -h.end))
    out: list[Heading] = []
    for h in found:
        if out and h.start < out[-1].end and h.start != out[-1].start:
            continue
        if out and h.start == out[-1].start:
            continue
        out.append(h)
    return out


_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _glued_box_title(text: str, start: int) -> str:
    window = text[start : start + 40]
    marks = [
        m.start()
        for pattern in (r"（[一二三四五六七八九十]+）", r"指[ \u3000]+标", r"[ \t\u3000\n]")
        if (m := re.search(pattern, window)) and m.start() >= 2
    ]
    if marks:
        return window[: min(marks)]
    # no marker: the title runs into the body, which starts with a lead verb
    m = re.search(r"[。；，：]", window)
    title = window[: m.start()] if m else window[:30]
    for i in range(4, len(title) - 1):
        if title.startswith(LEAD_VERBS, i):
            return title[:i]
    return title


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _SPACE:
        pos += 1
    return pos


def _eol(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end < 0 else end


def _line_start(text: str, pos: int) -> bool:
    """Whether only ``_SPACE``, ``#`` and ``*`` stand before ``pos`` on its line
    (scans back over those characters only, not to the start of a long line)."""
    lead = _SPACE + "#*"
    while pos > 0 and text[pos - 1] in lead:
        pos -= 1
    return pos == 0 or text[pos - 1] == "\n"


def _short_rest(text: str, pos: int, limit: int) -> str | None:
    """``text[pos:end of line].rstrip()`` when that is at most ``limit``
    characters, else ``None`` — reading ``limit`` characters (and any white
    space after them), never the rest of a long line."""
    nl = text.find("\n", pos, pos + limit + 1)
    if nl >= 0:
        return text[pos:nl].rstrip()
    j, n = pos + limit, len(text)
    while j < n and text[j] != "\n" and text[j].isspace():
        j += 1
    if j < n and text[j] != "\n":
        return None
    return text[pos:j].rstrip()


# --- paragraphs --------------------------------------------------------------

_TERMINATORS = "。；！？!?;"
_CLOSERS = "”’\"')）」』】*"
_LIST_START = re.compile(
    rf"[{_SPACE}]*(?:#|第[{_CN_NUM}0-9]+[章节]|专[ \u3000]*栏|[{_CN_NUM}]+、|（[{_CN_NUM}]+）|"
    r"\d{1,2}[.．、](?!\d)|——|--|[-*•·](?=\s)|注[:：]|附件|附表|表\s*\d)"
)


def paragraphs(
    text: str, start: int = 0, end: int | None = None, *, jumps: list[PageJump] | None = None
) -> list[tuple[int, int]]:
    """Logical paragraphs of ``text[start:end]`` as ``(start, end)`` ranges.

    A line break (and any blank lines after it) ends a paragraph when the line
    before ends a sentence (``。；！？``, maybe followed by a closing quote,
    bracket or ``**``), when the next line starts a heading or a list item
    (``第X章``, ``一、``, ``（一）``, ``1.``, ``——``, ``#`` ...), when the
    line before is a short heading-like line (no clause punctuation, at most
    25 characters) followed by a blank line, or at a page-jump marker.
    Otherwise the lines are one paragraph wrapped by a printer, an OCR or a
    PDF, and are joined. Ranges exclude leading/trailing white space and the
    page-jump markers themselves.

    ``jumps``: :func:`find_page_jumps` of ``text``, when the caller has them
    (a caller asking for many ranges of one text should: finding them reads
    the whole text).
    """
    stop = len(text) if end is None else end
    if jumps is None:
        jumps = find_page_jumps(text)
    # markers are in text order and do not overlap: their ends are sorted too
    first = bisect.bisect_right(jumps, start, key=lambda j: j.end)
    inside = []
    for j in jumps[first:]:
        if j.start >= stop:
            break
        inside.append(j)
    # cut the range at jump markers first
    pieces: list[tuple[int, int]] = []
    pos = start
    for j in inside:
        if j.start > pos:
            pieces.append((pos, j.start))
        pos = max(pos, j.end)
    if pos < stop:
        pieces.append((pos, stop))
    out: list[tuple[int, int]] = []
    for a, b in pieces:
        out.extend(_paragraphs_in(text, a, b))
    return out


def _paragraphs_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        lines.append((pos, stop))
        pos = stop + 1
    out: list[tuple[int, int]] = []
    cur: tuple[int, int] | None = None
    cur_last = 0  # where the current paragraph's last line starts
    blank_after_cur = False
    for a, b in lines:
        seg = text[a:b]
        if not seg.strip():
            if cur is not None:
                blank_after_cur = True
            continue
        if cur is not None and _breaks(text, cur[0], cur_last, cur[1], seg, blank_after_cur):
            out.append(_trim(text, *cur))
            cur = None
        cur = (a, b) if cur is None else (cur[0], b)
        cur_last = a
        blank_after_cur = False
    if cur is not None:
        out.append(_trim(text, *cur))
    return [r for r in out if r[1] > r[0]]


def _breaks(text: str, first: int, last_line: int, end: int, after: str, blank: bool) -> bool:
    """Whether the paragraph ``text[first:end]`` (its last line starting at
    ``last_line``) ends before the line ``after``.

    Reads the paragraph's last line and its end only — never the whole
    paragraph, which would make a long wrapped paragraph quadratic.
    """
    k = end
    while k > first and text[k - 1] in _SPACE + "\r":
        k -= 1
    while k > first and text[k - 1] in _CLOSERS:
        k -= 1
    if (k > first and text[k - 1] in _TERMINATORS) or _LIST_START.match(after):
        return True
    line = text[last_line:end].strip(_SPACE + "\r")
    if "\t" in line:  # a table row
        return True
    # A short heading-like line on its own ("(征求意见稿)", "第三节 …"): only as the
    # first line of a paragraph (a wrapped sentence's later lines never are), with
    # no clause punctuation and no year in it (a line ending "…应于2017年9月前" is
    # a sentence wrapped after its deadline, even when blank lines follow).
    first_line = last_line == first  # its lines are not blank: one line, or a line break inside
    if (blank or _LIST_START.match(line)) and first_line:
        return len(line) <= 25 and not re.search(r"[，、；：,。！？]", line) and not _YEAR.search(line)
    return False


_YEAR = re.compile(r"[0-9０-９〇零一二三四五六七八九]{4}\s*年")


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


# --- display ------------------------------------------------------------------

_CJKISH = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’—…·]")


class SkipRanges:
    """Ranges of a text that :func:`cleaned` leaves out, sorted once.

    A document's page-jump markers are skipped in every one of its many
    clauses; sorting them (and walking all of them) per clause made cleaning
    a document quadratic. This keeps them sorted by start with the running
    maximum of their ends, so the ranges that can touch ``[start, end)`` are
    found by bisection.
    """

    def __init__(self, ranges: list[tuple[int, int]]) -> None:
        self.ranges = sorted(ranges)
        self._max_end: list[int] = []
        top = -1
        for _, b in self.ranges:
            top = max(top, b)
            self._max_end.append(top)

    def near(self, start: int, end: int) -> list[tuple[int, int]]:
        """The ranges, in order, from the first that may end after ``start``
        up to the last that starts before ``end`` (a superset of those that
        overlap ``[start, end)``; the earlier ones all end by ``start``)."""
        i = bisect.bisect_right(self._max_end, start)
        out = []
        for a, b in self.ranges[i:]:
            if a >= end:
                break
            out.append((a, b))
        return out


def cleaned(
    text: str,
    ranges: list[tuple[int, int]],
    skip: list[tuple[int, int]] | SkipRanges | None = None,
) -> tuple[str, Sequence[int]]:
    """The text of ``ranges`` for people and matchers, with an offset map.

    Returns ``(clean, where)``: ``clean[i]`` is ``text[where[i]]``. Drops the
    ranges in ``skip`` (page-jump markers by default), Markdown ``**``
    emphasis, and white space that only the layout put there (line breaks and
    OCR spaces next to Chinese characters); a single space is kept between two
    Latin letters or digits (``PM2.5 and`` stays readable).

    ``skip`` may be a :class:`SkipRanges` built once for many calls on one text.
    ``where`` is an array of machine integers, and the text is handled run by
    run (never one object per character), so a long clause stays small.
    """
    if skip is None:
        skip = [(j.start, j.end) for j in find_page_jumps(text)]
    skips = skip if isinstance(skip, SkipRanges) else SkipRanges(skip)
    segments: list[tuple[int, int]] = []  # what is kept of the ranges, in order
    for start, end in ranges:
        pos = start
        for a, b in skips.near(start, end):
            if b <= pos or a >= end:
                continue
            if a > pos:
                segments.append((pos, a))
            pos = b
        if end > pos:
            segments.append((pos, end))
    joined = "".join(text[a:b] for a, b in segments)
    origin = _Origin(segments)
    parts: list[str] = []
    where = array("q")
    prev = ""  # the last character kept
    n = len(joined)
    for m in _CLEAN_TOKEN.finditer(joined):
        token, i = m.group(), m.start()
        if token == "**":
            continue
        if token[0].isspace():
            # white space: keep one space between two non-CJK characters only
            nxt = joined[m.end()] if m.end() < n else ""
            if prev and nxt and not _CJKISH.match(prev) and not _CJKISH.match(nxt) and nxt != "*":
                parts.append(" ")
                where.append(origin.at(i))
                prev = " "
            continue
        parts.append(token)
        origin.extend(where, i, m.end())
        prev = token[-1]
    return "".join(parts), where


# ``**`` (emphasis, dropped), a run of white space, a run of anything else, a lone ``*``
_CLEAN_TOKEN = re.compile(r"\*\*|\s+|[^\s*]+|\*")


class _Origin:
    """Positions in the joined kept segments -> positions in the text; asked in
    increasing order, so a cursor walks the segments once."""

    def __init__(self, segments: list[tuple[int, int]]) -> None:
        self._segments = segments
        self._k = 0  # the segment the cursor is in
        self._base = 0  # where that segment starts in the joined text

    def _seek(self, i: int) -> tuple[int, int]:
        """(text position of joined position ``i``, joined end of its segment)."""
        while True:
            a, b = self._segments[self._k]
            if i < self._base + (b - a):
                return a + (i - self._base), self._base + (b - a)
            self._base += b - a
            self._k += 1

    def at(self, i: int) -> int:
        return self._seek(i)[0]

    def extend(self, where: array[int], i: int, e: int) -> None:
        while i < e:
            pos, seg_end = self._seek(i)
            stop = min(e, seg_end)
            where.extend(range(pos, pos + (stop - i)))
            i = stop


def display_text(
    text: str, start: int, end: int, skip: list[tuple[int, int]] | SkipRanges | None = None
) -> str:
    """``text[start:end]`` for people: see :func:`cleaned`."""
    return cleaned(text, [(start, end)], skip)[0].strip()
