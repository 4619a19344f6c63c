"""The header row of a flattened or one-cell-per-line table, and the table's title.

The header (``指标 2015年 2020年 〔累计〕1 属性``) gives the column years — the
first is the baseline column, the later ones milestones/targets — and may
have a ``〔累计〕`` column with its note number, and a 单位 column after the name
(group ``unit``); a year may be written ``现状值（2020年）``; category and 序号 columns
before 指标 (``类别 序号 指标 2025年 2030年 属性``) are found by
:func:`_pre_columns`; the title is the nearest heading before it (专栏1,
表1, 附表, 附件), else the last non-empty line.
"""

from __future__ import annotations

import re

_HEADER = re.compile(
    r"指[\s\u3000]*标(?:[\s\u3000]*名[\s\u3000]*称)?(?P<unit>[\s\u3000]*单[\s\u3000]*位)?"
    r"(?P<cols>(?:[\s\u3000]*(?:(?:(?:现状|基期|基准|目标|规划|预期)值?[\s\u3000]*[（(])?"
    r"(?:19|20)\d{2}[\s\u3000]*年[)）]?(?:[\s\u3000]*[（(][^）)\n]{0,8}[)）])?"
    r"|[〔\[【][\s\u3000]*累[\s\u3000]*计[\s\u3000]*[〕\]】])(?:[1-9](?![0-9年]))?)+)"
    r"[\s\u3000]*(?:指[\s\u3000]*标[\s\u3000]*)?属[\s\u3000]*性"
)
# category and 序号 columns before 指标, read backwards from it (the header pattern itself starts
# with the literal 指, which the regular-expression engine scans for fast)
_PRE_COLUMNS = re.compile(
    r"(?:(?:类[\s\u3000]*别|类[\s\u3000]*型|领[\s\u3000]*域|分[\s\u3000]*类|序[\s\u3000]*号|编[\s\u3000]*号)"
    r"[\s\u3000]*){1,3}$"
)
_HEADING = re.compile(
    r"(?:^|(?<=[\s。；]))[#\s]*((?:专栏|附表|附件|表)[\s\u3000]*[0-9０-９一二三四五六七八九十]*)", re.M
)


def _pre_columns(text: str, header_start: int) -> tuple[int, str]:
    """Where the header starts with its category/序号 columns before 指标, and their text."""
    lo = max(0, header_start - 24)
    m = _PRE_COLUMNS.search(text, lo, header_start)
    if m is None:
        return header_start, ""
    return m.start(), m.group()


def _title(text: str, header_start: int) -> tuple[str, int]:
    window_start = max(0, header_start - 300)
    window = text[window_start:header_start]
    found = list(_HEADING.finditer(window))
    if found:
        start = window_start + found[-1].start(1)
    else:
        lines = [ln for ln in re.finditer(r"[^\n]+", window) if ln.group().strip()]
        if not lines:
            return "", header_start
        start = window_start + lines[-1].start()
    title = re.sub(r"[\s\u3000\u2002#]+", " ", text[start:header_start]).strip()
    return title, start
