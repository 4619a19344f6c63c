"""Clean a plan's text before the readers see it.

Real copies of plans are not the clean texts the seeds are: reprint sites glue
random ASCII runs into sentences to defeat scrapers (``下降10%g8Kq，``), hide
junk in ``display:none`` spans, zero-width characters and private-use
characters; some copies are in traditional script, carry pinyin glosses
(``生态环境（shēngtài huánjìng）``) or come out of a PDF with OCR noise
(``8O.5``, ``8 7. 5``, a page footer ``— 12 —`` on every page). The table and
prose readers would take the junk for names, units or values.

:func:`normalise_text` runs the clean-ups below in a fixed order, each one pass
(or a few) of compiled regular expressions over the text, so its time is linear
in the text's size (about 0.05 s per MB of clean text, 0.1–0.2 s per MB of a
dirty or traditional one). It returns the cleaned text and notes for people
saying what was changed (``converted from traditional script: 1234
characters``). Clean simplified text is returned unchanged, and cleaning twice
changes nothing more than cleaning once.

1. :func:`strip_invisible` — HTML character references left in the text
   (``&#8203;``, ``&nbsp;``), hidden HTML spans, zero-width, bidi, soft-hyphen
   and private-use characters; then a first pass of :func:`drop_pinyin` (so
   that ``隨(suí)著(zhe)`` is converted as the phrase ``隨著``);
2. :func:`to_simplified` — traditional script to simplified (OpenCC ``t2s``),
   for the whole document when it is written in traditional script, or for the
   lines that are; the conversion keeps the text's length character for
   character (a phrase conversion that would not falls back to characters);
3. :func:`fold_forms` — full-width Latin letters and digits to ASCII, Kangxi
   radicals and CJK compatibility ideographs (a PDF's glyphs) to the unified
   ideographs, a full-width ``．`` between digits to ``.`` (a safe part of NFKC:
   never punctuation, ``％``, ``³`` or ``Ⅲ``);
4. :func:`drop_page_furniture` — page-number lines (``— 12 —``, ``- 3 -``,
   ``第3页 共45页``) and the running header or footer repeated beside them;
5. :func:`fix_ocr_numbers` — ``l``/``O`` read for ``1``/``0`` inside a number
   (``8O.5`` -> ``80.5``), spaces inside a number (``8 7. 5`` -> ``87.5``);
6. :func:`drop_pinyin` — pinyin glosses: a bracket holding only pinyin
   syllables after Chinese characters, and tone-marked pinyin glued to them;
7. :func:`drop_junk` — reprint boilerplate glued into sentences (``本文来自…``),
   forum "jammer" runs (``7 B; g# x0 `- r.``) and anti-scraping ASCII runs (see
   :func:`is_junk`).

Steps 5–7 repeat while they change something (removing a gloss or a junk run
can join the pieces of a number or of another run): once more on a dirty text,
never on a clean one.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from functools import cache
from itertools import pairwise
from typing import Any, Final

from ecoplan.core.words import word

__all__ = [
    "drop_junk",
    "drop_page_furniture",
    "drop_pinyin",
    "fix_ocr_numbers",
    "fold_forms",
    "is_junk",
    "is_pinyin",
    "normalise_text",
    "strip_invisible",
    "to_simplified",
]

Step = Callable[[str], tuple[str, int]]


def _split(words: str) -> frozenset[str]:
    """The white-space separated words of ``words``, as a set."""
    return frozenset(words.split())


def normalise_text(text: str, lang: str = "en") -> tuple[str, tuple[str, ...]]:
    """``text`` cleaned for the readers, and notes on what was changed.

    The notes are in ``lang`` (words ``extract.normalise.*``), one per kind of
    change that happened, with its count; folding full-width forms changes no
    content and is not noted. Text that needs none of the clean-ups (the seeds,
    any clean simplified text) comes back unchanged with no notes.
    """
    counts: dict[str, int] = {}
    for key, step in _STEPS:
        text, count = step(text)
        counts[key] = counts.get(key, 0) + count
    # removing a gloss or a junk run can join the pieces of a number ("8（…）O.5")
    # or of another gloss or run: again until nothing changes (one more pass on a
    # dirty text, none on a clean one)
    for _ in range(_MAX_ROUNDS):
        changed = False
        for key, step in _REMOVALS:
            text, count = step(text)
            counts[key] = counts.get(key, 0) + count
            changed = changed or count > 0
        if not changed:
            break
    notes = tuple(
        word(f"extract.normalise.{key}", lang, count=count)
        for key, count in counts.items()
        if count and key not in _SILENT
    )
    return text, notes


# ---------------------------------------------------------------------------
# 1. invisible characters, character references, hidden spans

_INVISIBLE = "\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufe00-\ufe0f\ufeff\ue000-\uf8ff"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]+")
_ENTITY = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|"
    r"nbsp|ensp|emsp|thinsp|zwsp|zwj|zwnj|lrm|rlm|shy|lt|gt|amp|quot|apos|middot|mdash|ndash|"
    r"ldquo|rdquo|lsquo|rsquo|hellip|times|deg|plusmn|le|ge|micro|sup2|sup3);"
)
_SPACES_FROM_ENTITIES = {"\xa0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " "}
_HIDDEN_SPAN = re.compile(
    r"<(span|font|div|p|i|em|b|strong|label|ins|u|s)\b[^<>]{0,300}?"
    r"(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em)?\s*[;\"']"
    r"|class\s*=\s*[\"']?jammer\b)"
    r"[^<>]{0,300}>[^<>]{0,300}</\1\s*>",
    re.IGNORECASE,
)


def _entity(m: re.Match[str]) -> str:
    raw = m.group(0)
    try:
        out = html.unescape(raw)
    except (ValueError, OverflowError):  # pragma: no cover - unescape does not raise
        return raw
    if out == raw or len(out) != 1:
        return raw
    out = _SPACES_FROM_ENTITIES.get(out, out)
    if _INVISIBLE_RE.fullmatch(out) or (out < " " and out not in "\t\n"):
        return ""
    return out


def strip_invisible(text: str) -> tuple[str, int]:
    """Remove what a reader cannot see: ``(text, characters removed or decoded)``.

    HTML character references (``&#8203;`` goes, ``&nbsp;`` becomes a space,
    ``&lt;`` a ``<``), ``<span style="display:none">…</span>`` left in a text
    copy, zero-width, bidi-control, soft-hyphen, variation-selector and
    private-use characters.
    """
    count = 0
    for _ in range(3):  # "&amp;nbsp;" is a reference to a reference
        if "&" not in text:
            break
        text, n = _ENTITY.subn(_entity, text)
        count += n
        if not n:
            break
    if "<" in text:
        text, n = _HIDDEN_SPAN.subn("", text)
        count += n
    text, n = _INVISIBLE_RE.subn("", text)
    return text, count + n


# ---------------------------------------------------------------------------
# 2. traditional script

#: Characters that t2s changes but simplified texts use as they are (二噁英, 乾隆,
#: 显著): they never count as evidence of traditional script.
_SIMPLIFIED_TOO: Final = frozenset("噁乾著瞭藉覆蘋夥徵於")
#: A stretch is traditional when at least this share of its Chinese characters,
#: and at least _MIN_TRADITIONAL of them, change under t2s.
_TRADITIONAL_SHARE: Final = 0.05
_MIN_TRADITIONAL: Final = 3
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"(?<=[。；！？\n])")


@cache
def _converter() -> Any:
    import opencc  # a C++ library: loaded when a text first needs it

    return opencc.OpenCC("t2s")


_HAN_RANGES: Final = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00))


@cache
def _char_map() -> dict[str, str]:
    """``{c: t2s(c)}`` for every Chinese character of the Basic Multilingual Plane
    that t2s changes to one character, once per process (one OpenCC call: single
    characters on their own lines, so no phrase applies)."""
    chars = [chr(cp) for lo, hi in _HAN_RANGES for cp in range(lo, hi)]
    converted = _converter().convert("\n".join(chars)).split("\n")
    if len(converted) != len(chars):  # pragma: no cover - OpenCC keeps line breaks
        converted = [_converter().convert(c) for c in chars]
    return {c: s for c, s in zip(chars, converted, strict=True) if s != c and len(s) == 1}


@cache
def _evidence() -> re.Pattern[str]:
    """The characters that show a text is in traditional script."""
    chars = sorted(c for c in _char_map() if c not in _SIMPLIFIED_TOO)
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]")


def to_simplified(text: str) -> tuple[str, int]:
    """Traditional script to simplified: ``(text, characters converted)``.

    The whole text is converted when its Chinese characters are traditional
    (at least 5 % of them change under OpenCC ``t2s``, at least three); else
    each line that is. A line of simplified text with one ``噁`` (二噁英) is
    left as it is. Each converted stretch keeps its length: OpenCC's phrase
    conversion (``乾燥`` -> ``干燥`` but ``乾隆`` kept) is used sentence by
    sentence when it keeps the sentence's length, character by character
    otherwise.
    """
    marks = _evidence()
    if not marks.search(text):
        return text, 0
    cmap = _char_map()
    han = _HAN.findall
    found = [m.start() for m in marks.finditer(text)]
    if _is_traditional(len(found), len(han(text))):
        new = _convert(text, cmap)
    else:
        # only the lines with evidence are looked at (never every line of a big text)
        parts: list[str] = []
        pos = 0
        i = 0
        while i < len(found):
            a = text.rfind("\n", 0, found[i]) + 1
            b = text.find("\n", found[i])
            b = len(text) if b < 0 else b
            j = i
            while j < len(found) and found[j] < b:
                j += 1
            line = text[a:b]
            if _is_traditional(j - i, len(han(line))):
                parts.append(text[pos:a])
                parts.append(_convert(line, cmap))
                pos = b
            i = j
        parts.append(text[pos:])
        new = "".join(parts)
    count = sum(map(str.__ne__, text, new)) if new != text else 0
    return new, count


def _is_traditional(found: int, total: int) -> bool:
    return found >= _MIN_TRADITIONAL and found >= total * _TRADITIONAL_SHARE


# a character outside the Basic Multilingual Plane: OpenCC gives 𫫇 (U+2AAC7) for 噁,
# the 2013 standard form; simplified texts write 二噁英, so the character stays
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _convert(stretch: str, cmap: dict[str, str]) -> str:
    conv = _converter()
    whole = conv.convert(stretch)
    if len(whole) == len(stretch):  # the common case: one call for the stretch
        if _ASTRAL.search(whole):
            whole = _ASTRAL.sub(lambda m: stretch[m.start()], whole)
        return str(whole)
    table = {ord(k): v for k, v in cmap.items() if not _ASTRAL.match(v)}
    out = []
    for piece in _SENTENCE_END.split(stretch):
        s = conv.convert(piece) if piece else piece
        if len(s) != len(piece):
            s = piece.translate(table)
        elif _ASTRAL.search(s):
            s = _ASTRAL.sub(lambda m, orig=piece: orig[m.start()], s)
        out.append(s)
    return "".join(out)


# ---------------------------------------------------------------------------
# 3. full-width forms, PDF glyph forms


_WIDE_ALNUM = "０-９Ａ-Ｚａ-ｚ"
# a full-width run (８０．５, ＰＭ２．５, ２０２０) or one between Chinese characters (第５章);
# a lone one beside Latin text or a space (与５ G) stays as it is
_WIDE_RUN = re.compile(rf"[{_WIDE_ALNUM}](?:[{_WIDE_ALNUM}]|．(?=[０-９]))*")
_CJK_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
_WIDE_CHAR = re.compile(f"[{_WIDE_ALNUM}]")
_WIDE_TABLE = {cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)}


@cache
def _glyph_table() -> dict[int, str]:
    """Kangxi radicals, CJK radical supplements and compatibility ideographs whose
    NFKC form is one unified ideograph."""
    table: dict[int, str] = {}
    for cp in [*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00)]:
        c = chr(cp)
        n = unicodedata.normalize("NFKC", c)
        if n != c and len(n) == 1 and _HAN.match(n):
            table[cp] = n
    return table


@cache
def _glyph_class() -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_glyph_table())) + "]")


_FW_POINT = re.compile(r"(?<=[0-9])．(?=[0-9])")


def fold_forms(text: str) -> tuple[str, int]:
    """The safe part of NFKC: ``(text, characters changed)``.

    Full-width letters and digits in a run (``８０．５`` -> ``80.5``,
    ``ＰＭ２．５``) or alone between Chinese characters (``第５章``); Kangxi
    radicals and compatibility ideographs (``⽣`` for ``生``, as PDFs give them)
    to the unified ideograph; ``．`` between digits to ``.``. Full-width
    punctuation (``，（）：％``), ``³``, ``Ⅲ`` and ``①`` are what the readers
    expect and stay, and so does a lone full-width digit beside Latin text or a
    space (the seed's ``与５ G``).
    """
    count = 0

    def wide(m: re.Match[str]) -> str:
        nonlocal count
        run, a, b = m.group(0), m.start(), m.end()
        if len(run) == 1 and not (
            a
            and b < len(m.string)
            and _CJK_IDEOGRAPH.match(m.string, a - 1)
            and _CJK_IDEOGRAPH.match(m.string, b)
        ):
            return run
        count += len(run)
        return run.translate(_WIDE_TABLE)

    if _WIDE_CHAR.search(text):
        text = _WIDE_RUN.sub(wide, text)
    glyphs = len(_glyph_class().findall(text))
    if glyphs:
        text = text.translate(_glyph_table())
    n = 0
    if "．" in text:
        text, n = _FW_POINT.subn(".", text)
    return text, count + glyphs + n


# ---------------------------------------------------------------------------
# 4. OCR noise in numbers

# a number with l or O in it: starts with a digit, not glued to a Latin word
# (the lookahead keeps the callback to numbers with an l or O in them)
_OCR_NUMBER = re.compile(r"[0-9](?=[0-9.]*[lO])[0-9lO]*(?:\.[0-9lO]+)?(?![A-Za-z0-9])")
_OCR_BEFORE = re.compile(r"[A-Za-z0-9_.]")  # what may not stand before such a number
# digits with spaces in them, a space next to the decimal point: 8 7. 5
# digits with spaces in them, a space next to the decimal point: single digits spaced
# out ("8 7. 5"), or one whole number and at most two decimals ("87 .5", "90. 5")
_SPACED_NUMBER = re.compile(
    r"(?<![0-9A-Za-z.．])(?:[0-9](?: [0-9])+|[0-9]+)(?: [.．] ?|[.．] )"
    r"(?:[0-9](?: [0-9])+|[0-9]{1,2})(?![0-9A-Za-z])"
)
# the only space is after the point: "2. 5个城市" may be a list item
_SPACED_HEAD = re.compile(r"[0-9]+[.．] [0-9]+")


def _ocr_number(m: re.Match[str]) -> str:
    s = m.group(0)
    if m.start() and _OCR_BEFORE.match(m.string, m.start() - 1):
        return s  # glued to a word or inside another number (CO2lO, 2.8O)
    if "l" not in s and "O" not in s:
        return s
    digits = sum(c.isdigit() for c in s)
    if s.endswith("l") or (s.endswith("O") and digits < 2) or digits < 1:
        return s
    return s.replace("l", "1").replace("O", "0")


def _spaced_number(m: re.Match[str]) -> str:
    s = m.group(0)
    if _SPACED_HEAD.fullmatch(s):
        # a list item ("2. 5个城市") at a line, sentence or clause start
        before = m.string[m.start() - 1] if m.start() else "\n"
        if before in "\n。；：！？，、 \t\u3000":
            return s
    return s.replace(" ", "").replace("．", ".")


def fix_ocr_numbers(text: str) -> tuple[str, int]:
    """``8O.5`` -> ``80.5``, ``2O2O`` -> ``2020``, ``8 7. 5`` -> ``87.5``:
    ``(text, numbers changed)``.

    A number must start with a digit and not be glued to a Latin word, so
    ``O3``, ``CO2`` and a footnoted ``l2万`` stay; an ``l`` at the end (a unit)
    stays. Spaces are removed only from single digits around a decimal point
    with a space beside it, never from two numbers side by side (``34 35``).
    """
    count = 0

    def ocr(m: re.Match[str]) -> str:
        nonlocal count
        out = _ocr_number(m)
        count += out != m.group(0)
        return out

    def spaced(m: re.Match[str]) -> str:
        nonlocal count
        out = _spaced_number(m)
        count += out != m.group(0)
        return out

    # the patterns are tried at every digit; most texts have no candidate at all, and
    # finding that out by scanning for the few characters involved is much faster
    if _has_ocr_candidate(text):
        text = _OCR_NUMBER.sub(ocr, text)
    if any(h in text for h in (". ", " .", "． ", " ．")) and _SPACED_HINT.search(text):
        text = _SPACED_NUMBER.sub(spaced, text)
    return text, count


_LO = re.compile(r"[lO]")
_SPACED_HINT = re.compile(r"[.．] [0-9]| [.．][0-9]")


def _has_ocr_candidate(text: str) -> bool:
    """Whether an ``l`` or ``O`` follows a digit (maybe through other l, O or a
    point): the only place :data:`_OCR_NUMBER` can change anything."""
    for m in _LO.finditer(text):
        j = m.start()
        while j > 0 and text[j - 1] in "lO.":
            j -= 1
        if j > 0 and "0" <= text[j - 1] <= "9":
            return True
    return False


# ---------------------------------------------------------------------------
# 5. page furniture

_DASH = "-—–－─━~～·"
_PAGE_LINE = re.compile(
    rf"(?m)^[ \t\u3000]*(?:[{_DASH}]+[ \t\u3000]*[1-9][0-9]{{0,3}}[ \t\u3000]*[{_DASH}]+"
    r"|第[ \t\u3000]*[1-9][0-9]{0,3}[ \t\u3000]*页"
    r"(?:[ \t\u3000]*[,，/]?[ \t\u3000]*共[ \t\u3000]*[0-9]{1,4}[ \t\u3000]*页)?"
    r"|[Pp]age[ \t]*[1-9][0-9]{0,3}(?:[ \t]*(?:of|/)[ \t]*[0-9]{1,4})?"
    r")[ \t\u3000]*(?:\n|$)"
)
_HEADER_MAX = 40
_HEADER_MIN_PAGES = 3
_MIN_PAGE_LINES = 2


def drop_page_furniture(text: str) -> tuple[str, int]:
    """Remove page-number lines and the running header/footer beside them:
    ``(text, lines removed)``.

    A page-number line is ``— 12 —``, ``- 3 -``, ``第3页 共45页`` or ``Page 3
    of 45`` alone on its line, page numbers starting at 1; a text with one such
    line keeps it (furniture repeats page after page). A running header or footer is a short line (at
    most 40 characters) right before or after a page-number line (blank lines
    between allowed), the same beside three page numbers or more, and beside
    half of them at least; the same line as the first page's title, far from any
    page number, stays. A 上接/下转 newspaper jump
    is not page furniture: :func:`~ecoplan.plans.extract.document.find_page_jumps`
    reads those.
    """
    pages = list(_PAGE_LINE.finditer(text))
    if len(pages) < _MIN_PAGE_LINES:
        return text, 0  # furniture repeats page after page; one such line may be text
    cut: list[tuple[int, int]] = [(m.start(), m.end()) for m in pages]
    beside: list[tuple[str, int, int]] = []
    for m in pages:
        for line in (_line_before(text, m.start()), _line_after(text, m.end())):
            if line is not None:
                beside.append(line)
    beside = sorted(set(beside), key=lambda x: x[1])  # a line between two page numbers once
    counts = Counter(s for s, _, _ in beside)
    least = max(_HEADER_MIN_PAGES, (len(pages) + 1) // 2)
    for s, a, b in beside:
        if counts[s] >= least:
            cut.append((a, b))
    cut.sort()
    out: list[str] = []
    pos = 0
    removed = 0
    for a, b in cut:
        if a < pos:
            continue
        out.append(text[pos:a])
        pos = b
        removed += 1
    out.append(text[pos:])
    return "".join(out), removed


def _line_before(text: str, start: int) -> tuple[str, int, int] | None:
    """The last non-blank line before ``start`` (a line start), with its range
    including its line break; ``None`` when it is longer than a header."""
    end = start
    for _ in range(4):  # a few blank lines at most
        if end <= 0:
            return None
        lo = max(0, end - 1 - _HEADER_MAX * 4)
        nl = text.rfind("\n", lo, end - 1)
        if nl < 0 and lo > 0:
            return None  # a long line
        a = nl + 1
        line = text[a:end]
        if line.strip():
            s = line.strip()
            if len(s) > _HEADER_MAX or _PAGE_LINE.match(line):
                return None
            return s, a, end
        end = a
    return None


def _line_after(text: str, end: int) -> tuple[str, int, int] | None:
    """The first non-blank line from ``end`` (a line start), like :func:`_line_before`."""
    pos, n = end, len(text)
    for _ in range(4):  # a few blank lines at most
        if pos >= n:
            return None
        nl = text.find("\n", pos, pos + _HEADER_MAX * 4)
        stop = n if nl < 0 and n - pos <= _HEADER_MAX * 4 else nl
        if stop < 0:
            return None
        line = text[pos:stop]
        if line.strip():
            s = line.strip()
            if len(s) > _HEADER_MAX or _PAGE_LINE.match(line):
                return None
            return s, pos, min(n, stop + 1)
        pos = stop + 1
    return None


# ---------------------------------------------------------------------------
# 6. pinyin glosses

_SYLLABLES: Final = _split(
    """
    a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai
    can cang cao ce cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua
    chuai chuan chuang chui chun chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de
    dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en eng er fa
    fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai
    guan guang gui gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan
    huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai
    kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang
    lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv
    lve lü lüe ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu na
    nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo
    nv nve nü nüe o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
    qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri
    rong rou ru rua ruan rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao
    she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo si song sou su
    suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui
    tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu
    xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan
    zang zao ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu
    zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui zun zuo
    """
)
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛ"
_UNTONE = str.maketrans(_TONED + "Üü", "aaaaeeeeiiiioooouuuuüüüünnnaaaaeeeeiiiioooouuuuüüüüüü")
_PY_LETTERS = "A-Za-z" + _TONED + "Üü"
_TONE_CHAR = re.compile(f"[{_TONED}]")
_PY_WORDS = rf"[{_PY_LETTERS}]+(?:['’\- ][{_PY_LETTERS}]+)*"
_CJK_BEFORE = r"(?<=[\u3400-\u4dbf\u4e00-\u9fff])"
# a bracket of Latin letters: a gloss when a Chinese character stands before it (the
# callback looks; a lookbehind tried at every position of the text was slow)
_PY_BRACKET = re.compile(rf"[（(][ \t\u3000]*({_PY_WORDS})[ \t\u3000]*[)）]")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_PY_GLUED = re.compile(
    rf"{_CJK_BEFORE}[ \t\u3000]*((?:[{_PY_LETTERS}]*[{_TONED}][{_PY_LETTERS}]*)"
    rf"(?:['’\- ]+[{_PY_LETTERS}]+)*)(?![{_PY_LETTERS}])"
)
_HAN_RUN_BEFORE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{1,40}$")
_WORD_SPLIT = re.compile(r"['’\- ]+")


@cache
def _syllables(word_: str) -> int:
    """How many pinyin syllables spell ``word_`` (lowercase, no tones); 0 if none do."""
    n = len(word_)
    best = [0] + [-1] * n  # fewest syllables spelling word_[:i]
    for i in range(1, n + 1):
        for j in range(max(0, i - 6), i):
            if best[j] >= 0 and word_[j:i] in _SYLLABLES:
                cand = best[j] + 1
                if best[i] < 0 or cand < best[i]:
                    best[i] = cand
    return max(best[n], 0)


def is_pinyin(s: str) -> int:
    """The number of syllables when ``s`` is pinyin (words of pinyin syllables,
    with or without tone marks, lowercase or capitalised), else 0."""
    words = [w for w in _WORD_SPLIT.split(s.strip()) if w]
    if not words:
        return 0
    total = 0
    for w in words:
        if not (w.islower() or (w[0].isupper() and (len(w) == 1 or w[1:].islower()))):
            return 0
        k = _syllables(w.translate(_UNTONE).lower())
        if not k:
            return 0
        total += k
    return total


def drop_pinyin(text: str) -> tuple[str, int]:
    """Remove pinyin glosses after Chinese characters: ``(text, glosses removed)``.

    A bracket goes when it holds only pinyin: with a tone mark
    (``（lǜsè）``), or without tone marks when it spells two syllables or more
    and no more syllables than the Chinese characters right before it
    (``生态环境(shengtai huanjing)``). Tone-marked pinyin glued to Chinese
    characters goes too. ``（PM2.5）``, ``（COD）``, ``（GDP）``, ``（mg/L）``,
    ``(VOCs)`` and ``（a）`` are not pinyin and stay.
    """
    toned = _TONE_CHAR.search(text) is not None
    if not toned and "(" not in text and "（" not in text:
        return text, 0
    count = 0

    removed = (-1, 0)  # (end, start) of the last gloss removed: glosses in a row

    def bracket(m: re.Match[str]) -> str:
        nonlocal count, removed
        inner = m.group(1)
        start = m.start()
        while start > 0 and m.string[start - 1] in " \t\u3000":
            start -= 1
        if start == removed[0]:
            start = removed[1]  # right after a gloss: what stood before that one counts
        if not start or not _HAN_CHAR.match(m.string, start - 1):
            return m.group(0)
        n = is_pinyin(inner)
        if not n:
            return m.group(0)
        if not _TONE_CHAR.search(inner):
            han = _HAN_RUN_BEFORE.search(m.string, max(0, start - 40), start)
            if n < 2 or han is None or len(han.group(0)) < n:
                return m.group(0)
        count += 1
        removed = (m.end(), start)
        return ""

    def glued(m: re.Match[str]) -> str:
        nonlocal count
        if not is_pinyin(m.group(1)):
            return m.group(0)
        count += 1
        return ""

    text = _PY_BRACKET.sub(bracket, text)
    if toned:
        text = _PY_GLUED.sub(glued, text)
    return text, count


# ---------------------------------------------------------------------------
# 7. anti-scraping junk

_BOILERPLATE = re.compile(
    r"[（(]?(?:本文来自|本文转自|本文来源于|文章来源于|转载请注明(?:出处|来源)?|"
    r"更多精彩内容?[，,]?请关注|未经授权[，,]?(?:严禁|禁止|不得)转载)[^。！？\n（）()]{0,60}[。！）)]?"
)
_BOILERPLATE_HINTS: Final = ("本文", "文章来源", "转载", "更多精彩", "未经授权")
_URL = re.compile(r"(?:https?://|ftp://|www\.)[A-Za-z0-9-]+[^\s<>\"'，。；、）)（(“”]*")
# an address without its scheme: mee.gov.cn/xxgk2018/xxgk/xxgk03/202111/t20211102_958850.html;
# found from its top-level domain (a literal: fast to scan), then widened both ways
_TLD = re.compile(r"\.(?:cn|com|org|net|gov|edu|int)(?![A-Za-z0-9-])")
_HOST_CHARS: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_PATH_END = re.compile(r"[\s<>\"'，。；、）)（(“”]|$")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_LEAD_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_TAIL_NUMBER = re.compile(r"[0-9]+$")
# what a junk run may be glued to: Chinese characters, full-width forms, digits, %
_GLUE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef0-9%“”‘’—…]")
#: Tokens of environmental plans with lower-case letters (compared in lower case);
#: upper case with digits (HFC23, GB3095, PM10) is never junk.
WHITELIST: Final = _split(
    """
    pm2.5 pm10 pm2 pm1 pm25 so2 no2 nox o3 co co2 vocs cod codcr codmn bod bod5 gdp tp tn ph
    km km2 m2 m3 hm2 nm3 mg ug kg kwh mwh gwh twh kw mw gw tw tce tco2 co2e co2eq h2s nh3 n2o
    ch4 sf6 nf3 hfcs pfcs cfcs hcfcs hfc23 o2 5g 4g 3g mp3 mp4 h5 g20 b2b o2o p2p ipv6 ipv4
    wifi x86 iso14001 iso9001 iso50001 pbde pcbs pops pfos pfoa tsp aqi ghg ccus ccs ldar lng
    cng lpg eod ppp ods mg/l ml dl cm mm ha cm2 cm3 mm2 kpa mpa pa db dba lx kt mt gt km3 m3/s
    no3 nh4 po4 so4 cr6 pm0.1 o3-8h ecoplan
    """
)
_ELEMENTS: Final = _split(
    """
    H He Li Be B C N O F Ne Na Mg Al Si P S Cl Ar K Ca Sc Ti V Cr Mn Fe Co Ni Cu Zn Ga Ge As
    Se Br Kr Rb Sr Y Zr Nb Mo Tc Ru Rh Pd Ag Cd In Sn Sb Te I Xe Cs Ba La Ce Pr Nd Pm Sm Eu
    Gd Tb Dy Ho Er Tm Yb Lu Hf Ta W Re Os Ir Pt Au Hg Tl Pb Bi Po At Rn Fr Ra Ac Th Pa U Np
    Pu
    """
)
_VERSION = re.compile(r"(?:[vV]|No|no)\.?[0-9]+(?:\.[0-9]+)*|[0-9]+(?:st|nd|rd|th)")  # v2.0, No.3, 3rd
_TRAILING_NUMBER = re.compile(r"[0-9.]+$")  # pH7.5: a token and its value
_FORMULA_PART = re.compile(r"([A-Z][a-z]?)([0-9]{0,3})")


def _formula(s: str) -> bool:
    """Whether ``s`` is a chemical formula of element symbols (CaCO3, NaOH, Hg2)."""
    pos = 0
    while pos < len(s):
        m = _FORMULA_PART.match(s, pos)
        if not m or m.group(1) not in _ELEMENTS:
            return False
        pos = m.end()
    return bool(s)


def _known(token: str) -> bool:
    return token.lower() in WHITELIST or _formula(token)


def is_junk(run: str) -> bool:
    """Whether an ASCII run looks like anti-scraping junk rather than content.

    Junk is three characters or more, has a lower-case letter and either a
    digit (``g8Kq``, ``aZ3x``, ``x7k2``) or two changes from lower to upper case
    (``aBcD``); and it is not a known token (:data:`WHITELIST`: ``PM2.5``,
    ``VOCs``, ``km2``, ``mg``, ``kWh``…) nor a chemical formula (``CaCO3``).
    Words (``green``, ``Beijing``, ``WeChat``), upper case with digits
    (``HFC23``, ``GB3095``, ``CLI.4.342885``) and numbers are never junk.
    """
    if len(run) < 3 or run.lower() in WHITELIST or _TRAILING_NUMBER.sub("", run).lower() in WHITELIST:
        return False
    if _VERSION.fullmatch(run):
        return False
    lower = any("a" <= c <= "z" for c in run)
    if not lower:
        return False
    digit = any(c.isdigit() for c in run)
    if digit:
        return not _formula(run)
    switches = sum(1 for a, b in pairwise(run) if a.islower() and b.isupper())
    return switches >= 2 and not _formula(run)


# Discuz forum "jammer" junk: tokens of one or two printable ASCII characters separated
# by single spaces ("T! j8 T8 i2 K& _( z"), the first one maybe glued to the text
# before, or starting with one symbol glued to a word or number (">80) |; i2 y J) l!");
# a last token glued to the text after it is that text's start ("| 9。7" keeps its 9).
# The pattern starts with a character class (fast to scan); where a run really starts
# is decided in :func:`_drop_jammer`.
_JAMMER = re.compile(r"[!-~]{1,2}(?: [!-~]{1,2}){2,}(?=\s|$)")
_JAMMER_SYMBOLS = frozenset("!\"#$&'()*+/<=>?@[\\]^_`{}~")
_GLUED_START = frozenset("-!\"#$&'()*+,./:;<=>?@[\\]^_`{|}~")
_NEUTRAL = frozenset({"|", "-", "--"})  # table syntax and "no value" cells: kept


def _weird(token: str) -> bool:
    """A jammer-like token: a symbol no text uses alone (``?``, ``{``), or two
    characters that are no word, number or unit (``K&``, ``]3``, ``q4``, ``aZ``)."""
    if len(token) == 1:
        return token in _JAMMER_SYMBOLS
    a, b = token[0], token[1]
    if a.isdigit() and (b.isdigit() or b in ".%,"):
        return False
    if a.isalpha() and b.isalpha():
        return a.islower() and b.isupper()
    return True


def _jammer(tokens: list[str], glued: bool) -> str | None:
    """What to keep of a token run when it is jammer junk, else None.

    ``glued``: the run's first token touches the text before it (no space).
    """
    weird = [t for t in tokens if _weird(t)]
    symbols = any(c in _JAMMER_SYMBOLS for t in tokens if t not in _NEUTRAL for c in t)
    if len(weird) < 2 or 2 * len(weird) < len(tokens) or not symbols:
        return None
    # cell syntax stays, and a "no value" dash the junk is glued to ("| -! N"")
    first = tokens[0]
    kept = [
        t if t in _NEUTRAL else "-"
        for i, t in enumerate(tokens)
        if (t in _NEUTRAL and (i or not glued)) or (i and t[0] == "-" and tokens[i - 1] == "|")
    ]
    lead = re.match(r"[0-9]+", first) if glued else None
    # a digit glued to the text before stays: it may be a footnote (〔累计〕1"); so
    # does a "no value" dash the junk is glued to ("| -! N"")
    if first in _NEUTRAL:
        prefix = ""
    elif lead:
        prefix = lead.group(0)
    else:
        prefix = "-" if first.startswith("-") else ""
    if kept and (prefix or glued):
        prefix += " "
    return prefix + " ".join(kept)


def _drop_jammer(text: str) -> tuple[str, int]:
    count = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal count
        a = m.start()
        tokens = m.group(0).split(" ")
        head = ""
        if a and "!" <= text[a - 1] <= "~":
            # the first token goes on an ASCII word or number: the run starts at its
            # last character when that is a symbol (">80)"), else at the next token
            first = tokens[0]
            if first[-1] in _GLUED_START:
                head, tokens[0] = first[:-1], first[-1]
                glued = True
            else:
                head, tokens, glued = first + " ", tokens[1:], False
                if len(tokens) < 3:
                    return m.group(0)
        else:
            glued = a > 0 and not text[a - 1].isspace()
        out = _jammer(tokens, glued)
        if out is None:
            return m.group(0)
        count += 1
        return head + out

    return _JAMMER.sub(sub, text), count


_LOWER = re.compile(r"[a-z]+")
_ALNUM: Final = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _runs(text: str) -> Iterator[tuple[int, int]]:
    """The ASCII runs with a lower-case letter (junk always has one; runs without
    are never looked at): from the first letter or digit after anything else (a
    decimal point too: "2.5g8Kq" gives "5g8Kq"), with a number's decimals at the
    end. Found from their lower-case letters: a character class is fast to scan,
    a pattern that backtracks at every digit of a long text was not."""
    n = len(text)
    last = 0
    for m in _LOWER.finditer(text):
        if m.start() < last:
            continue
        a, b = m.start(), m.end()
        while a > last and text[a - 1] in _ALNUM:
            a -= 1
        while b < n and text[b] in _ALNUM:
            b += 1
        while b + 1 < n and text[b] == "." and "0" <= text[b + 1] <= "9":
            b += 2
            while b < n and "0" <= text[b] <= "9":
                b += 1
        last = b
        yield a, b


def drop_junk(text: str) -> tuple[str, int]:
    """Remove reprint boilerplate and anti-scraping runs: ``(text, removed)``.

    Forum "jammer" junk — tokens of one or two ASCII characters separated by
    spaces, symbols and letters mixed (``7 B; g# x0 `- r. y5``) — goes first,
    keeping any ``|`` or ``-`` cell among them and a digit glued to the text
    before (a footnote); a run of plain tokens (``O3 CO 5G``, ``| - |``) stays.

    An ASCII run is removed when it is glued to Chinese text, a number or a
    ``%`` on one side at least and :func:`is_junk` says so. A number leading
    the run stays (``35g8Kq`` -> ``35``) unless a ``%`` stands before it, and so
    does a number ending it before a ``%`` or a decimal point. URLs and e-mail
    addresses are never touched.
    """
    count = 0
    if any(k in text for k in _BOILERPLATE_HINTS):
        text, count = _BOILERPLATE.subn("", text)
    text, jammed = _drop_jammer(text)
    count += jammed
    if not _LOWER.search(text):
        return text, count  # no lower-case letter: no junk run
    protected = []
    if "://" in text or "www." in text:
        protected += [(m.start(), m.end()) for m in _URL.finditer(text)]
    for m in _TLD.finditer(text):
        a = m.start()
        while a > 0 and text[a - 1] in _HOST_CHARS:
            a -= 1
        end = _PATH_END.search(text, m.end())
        protected.append((a, end.start() if end else len(text)))
    if "@" in text:
        protected += [(m.start(), m.end()) for m in _EMAIL.finditer(text)]
    protected.sort()
    out: list[str] = []
    pos = 0
    k = 0
    n = len(text)
    for a, b in _runs(text):
        while k < len(protected) and protected[k][1] <= a:
            k += 1
        if k < len(protected) and protected[k][0] < b:
            continue
        left = text[a - 1] if a else ""
        if left == "." and a > 1 and text[a - 2].isdigit():
            left = "0"  # inside a decimal number: glued to it
        right = text[b] if b < n else ""
        if not (_GLUE.match(left) or _GLUE.match(right)):
            continue
        run = text[a:b]
        lo, hi = 0, len(run)
        lead = _LEAD_NUMBER.match(run)
        if lead and (not left or left not in "%％"):
            lo = lead.end()
        elif lead and not _known(run[lead.end() :]):
            pass  # after a %, a number glued to junk is junk too ("10%8gKq")
        elif lead:
            continue  # after a %, a number and a known token ("%0VOCs")
        if right and right in "%％.．":
            tail = _TAIL_NUMBER.search(run, lo)
            if tail:
                hi = tail.start()
        if hi - lo < 3 or not is_junk(run[lo:hi]):
            continue
        out.append(text[pos : a + lo])
        pos = a + hi
        count += 1
    if pos == 0:
        return text, count
    out.append(text[pos:])
    return "".join(out), count


#: steps whose changes alter no content a reviewer would check: no note
_SILENT: Final = frozenset({"forms"})
_STEPS: Final[tuple[tuple[str, Step], ...]] = (
    ("invisible", strip_invisible),
    # glosses go before the conversion: 隨(suí)著(zhe) is the phrase 隨著 -> 随着 once
    # they are gone (character by character 著 stays 著)
    ("pinyin", drop_pinyin),
    ("traditional", to_simplified),
    ("forms", fold_forms),
    ("page_furniture", drop_page_furniture),
)
_REMOVALS: Final[tuple[tuple[str, Step], ...]] = (
    ("ocr_numbers", fix_ocr_numbers),
    ("pinyin", drop_pinyin),
    ("junk", drop_junk),
)
_MAX_ROUNDS: Final = 4
