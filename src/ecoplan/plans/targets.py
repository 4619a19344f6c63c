r"""The target-expression grammar: what plans actually write in their tables.

Plans print targets as short expressions — ``＞80``, ``＜5``, ``≥8``,
``15左右``, ``90以上``, ``〔18〕``, ``23.04〔1.38〕``, ``基本消除``, ``保持``,
``控制在省下达的指标内``, ``-``. :func:`parse_target` turns one into a
:class:`Target`; :meth:`Target.canonical` prints it back in one canonical
spelling, and ``parse_target(t.canonical()) == t`` for every target.

Meaning of the words (``assessment.md`` §1.3, after Civil Code of the PRC
Art. 1259: "以上、以下、以内 include the number itself; 不满、超过、以外 do
not"):

========================  =========  ==============================================
written                   kind       meaning
========================  =========  ==============================================
``≥X``, ``X以上``,        level      value >= X
``不低于X``
``≤X``, ``X以下``,        level      value <= X
``X以内``, ``不超过X``
``超过X``                 level      value > X (strict)
``低于X``, ``不满X``      level      value < X (strict)
``＞X`` (table symbol)    level      value >= X; value > X when the plan sets
                                     ``strict_gt`` (tables use '＞' for 以上)
``＜X`` (table symbol)    level      value <= X; strict with ``strict_lt``
``X``                     level      reach X; the indicator's direction decides
``X左右``, ``79%左右``    about      X within the plan's tolerance
``〔x〕``                 cumulative five-year cumulative change x (§1.2)
``X〔x〕``                cumulative level X and cumulative change x together
``〔x〕以上``             cumulative a cumulative change of at least x (as ``〔x〕``)
``〔x〕以下``             cumulative a cumulative change of at most x
``〔x〕左右``             cumulative a cumulative change of about x (judged as ``〔x〕``)
``基本消除``/``全面消除`` eliminate  remaining at most the plan's threshold
``保持``, ``稳定``,       maintain   not worse than the baseline
``不降低``, ``总体稳定``
``稳中向好``              maintain   not worse than the baseline (scope ``improve``:
                                     the plan also asks for improvement)
``稳定在X以上``           maintain   at least X (and not worse than baseline)
``…省下达…``,             inherited  the parent plan's decomposed target
``达到国家要求``,
``完成下达目标任务``
``有效保障``,             qualitative a stated aim no single number can judge:
``与GDP增长同步``,                   shown as "not judged quantitatively"
``保持在合理区间``,
``持续改善``, ``持续下降``,
``全面达标``,
``稳定达到Ⅱ类``, ``以Ⅱ类为主``,
``达到第一类海水水质标准``,
``得到有效控制``, ``有效遏制增长趋势``, ``定性``,
``减少``, ``下降`` (a direction
alone); ``得到有效保障`` is
``有效保障``
``比2015年下降15%以上``   qualitative a change from another year than the plan's
                                     base year (no 〔x〕 on the plan's base), kept as
                                     written
``年均降低3.2%``          qualitative a yearly rate, kept as written
``力争X``                 (any)      the target X as a stretch goal (``stretch``),
                                     judged as X; not before a qualitative,
                                     inherited or empty target
``-``, ``—``, empty       none       no quantitative target
========================  =========  ==============================================

Full-width forms are folded by Unicode NFKC first (``＞８０`` = ``>80``).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum

from ecoplan.core.errors import TargetSyntaxError

__all__ = [
    "QUALITATIVE_PHRASE",
    "Op",
    "Target",
    "TargetKind",
    "format_number",
    "parse_target",
]


class TargetKind(StrEnum):
    """What sort of target an expression states."""

    LEVEL = "level"
    ABOUT = "about"
    CUMULATIVE = "cumulative"
    ELIMINATE = "eliminate"
    MAINTAIN = "maintain"
    INHERITED = "inherited"
    QUALITATIVE = "qualitative"
    NONE = "none"


class Op(StrEnum):
    """Comparison of a level target."""

    GE = ">="  #: at least (≥, 以上, 不低于)
    LE = "<="  #: at most (≤, 以下, 以内, 不超过)
    GT = ">"  #: strictly more (超过)
    LT = "<"  #: strictly less (低于, 不满)
    TABLE_GT = "table>"  #: '＞' printed in a plan table (inclusive unless strict_gt)
    TABLE_LT = "table<"  #: '＜' printed in a plan table (inclusive unless strict_lt)
    REACH = "reach"  #: a plain number; the indicator's direction decides


@dataclass(frozen=True)
class Target:
    """One parsed target expression.

    Attributes
    ----------
    kind : TargetKind
    op : Op or None
        Comparison for level/maintain targets.
    value : float or None
        The level (level, about, maintain-at) or None.
    cumulative : float or None
        The five-year cumulative change of a ``〔x〕`` target.
    scope : str or None
        ``"basic"``/``"full"`` for eliminate; ``"province"``, ``"city"`` or
        ``"nation"`` for inherited targets (who hands the target down);
        ``"improve"`` for ``稳中向好`` (maintain); the phrase of a qualitative
        target (None: ``定性``).
    text : str
        The expression as written (not part of equality).
    bound : Op or None
        ``Op.GE``/``Op.LE`` for a cumulative target written ``〔x〕以上`` /
        ``〔x〕以下``.
    about : bool
        A cumulative target written ``〔x〕左右``.
    stretch : bool
        Written ``力争X``: a stretch goal, judged as X.
    """

    kind: TargetKind
    op: Op | None = None
    value: float | None = None
    cumulative: float | None = None
    scope: str | None = None
    text: str = field(default="", compare=False)
    bound: Op | None = None
    about: bool = False
    stretch: bool = False

    def __post_init__(self) -> None:
        # a qualitative target carries no number: whatever was passed is dropped
        if self.kind is TargetKind.QUALITATIVE:
            for name in ("op", "value", "cumulative", "bound"):
                object.__setattr__(self, name, None)
            object.__setattr__(self, "about", False)

    def canonical(self) -> str:
        """Canonical half-width spelling; parses back to an equal target."""
        if self.stretch:
            return "力争" + replace(self, stretch=False).canonical()
        k = self.kind
        if k is TargetKind.NONE:
            return "-"
        if k is TargetKind.QUALITATIVE:
            return self.scope or "定性"
        if k is TargetKind.ELIMINATE:
            return "基本消除" if self.scope == "basic" else "全面消除"
        if k is TargetKind.INHERITED:
            return {"province": "省下达", "city": "市下达"}.get(self.scope or "", "国家要求")
        if k is TargetKind.ABOUT:
            return f"{format_number(self.value)}左右"
        if k is TargetKind.MAINTAIN:
            if self.value is None:
                return "稳中向好" if self.scope == "improve" else "保持"
            suffix = {Op.GE: "以上", Op.LE: "以下"}.get(self.op or Op.REACH, "")
            return f"稳定在{format_number(self.value)}{suffix}"
        level = ""
        if self.value is not None:
            level = _OP_PREFIX[self.op or Op.REACH] + format_number(self.value)
        if k is TargetKind.CUMULATIVE:
            suffix = "左右" if self.about else {Op.GE: "以上", Op.LE: "以下"}.get(self.bound or Op.REACH, "")
            return f"{level}〔{format_number(self.cumulative)}〕{suffix}"
        return level

    @property
    def is_quantitative(self) -> bool:
        """True when the target can be judged from a number alone."""
        return self.kind not in (TargetKind.NONE, TargetKind.INHERITED, TargetKind.QUALITATIVE)


_OP_PREFIX = {
    Op.GE: "≥",
    Op.LE: "≤",
    Op.GT: "超过",
    Op.LT: "低于",
    Op.TABLE_GT: ">",
    Op.TABLE_LT: "<",
    Op.REACH: "",
}


def format_number(x: float | None) -> str:
    """Shortest decimal text of ``x`` without exponent or trailing zeros."""
    if x is None:
        raise ValueError("no number to format")
    d = Decimal(repr(float(x))).normalize()
    text = format(d, "f")
    return "0" if text in ("-0", "") else text


_NONE_WORDS = {"", "-", "--", "—", "——", "–", "/", "无", "－"}
_ELIMINATE = re.compile(r"^(基本|全面)?消除(黑臭水体)?$")
_MAINTAIN_BARE = {
    "保持",
    "稳定",
    "保持稳定",
    "不降低",
    "不下降",
    "不减少",
    "不退化",
    "只增不减",
    "总体稳定",
    "基本稳定",
    "持续改善并保持稳定",
}
_NUM = r"(\d+(?:\.\d+)?)"
# Unit words that may trail a number; the indicator carries the unit, so they
# are dropped (after NFKC, 'μg/m³' becomes 'μg/m3').
_UNITS = (
    r"(?:%|‰|个百分点|微克/立方米|μg/m3|ug/m3|毫克/升|mg/L|平方米|平方公里|万平方公里|"
    r"万公顷|万亩|亿亩|亿立方米|万吨|吨|个)?"
)
_PREFIX_OPS = {
    ">=": Op.GE,
    "≥": Op.GE,
    "不低于": Op.GE,
    "不少于": Op.GE,
    "<=": Op.LE,
    "≤": Op.LE,
    "不超过": Op.LE,
    "不高于": Op.LE,
    "不大于": Op.LE,
    ">": Op.TABLE_GT,
    "<": Op.TABLE_LT,
    "超过": Op.GT,
    "高于": Op.GT,
    "大于": Op.GT,
    "低于": Op.LT,
    "不满": Op.LT,
    "小于": Op.LT,
}
_SUFFIX_OPS = {"以上": Op.GE, "以下": Op.LE, "以内": Op.LE}
_PREFIX_RE = "|".join(sorted((re.escape(k) for k in _PREFIX_OPS), key=len, reverse=True))
_LEVEL = re.compile(rf"^(?P<pre>{_PREFIX_RE})?{_NUM}{_UNITS}(?P<suf>以上|以下|以内|左右)?$")
_CUMULATIVE = re.compile(
    r"^(?P<level>.*?)[〔\[【]" + _NUM + _UNITS + r"[〕\]】](?P<csuf>以上|以下|以内|左右)?$"
)
_MAINTAIN_AT = re.compile(rf"^(?:稳定在|保持在|稳定于|保持){_NUM}{_UNITS}(?P<suf>以上|以下)?$")
#: Aims no single number can judge (written in a target cell or after a name).
_CLASS = r"(?:[IV]+|[ⅠⅡⅢⅣⅤ]+)类"
#: Aims no single number can judge, as a pattern without anchors (the prose reader
#: finds them at the end of a clause: "重点建设用地安全利用率有效保障").
QUALITATIVE_PHRASE = (
    r"(?:定性|定性指标|(?:得到)?有效保障|(?:得到)?有效保护|(?:增长趋势)?得到(?:有效|合理)(?:控制|遏制|管控)|"
    r"(?:有效)?遏制(?:住)?(?:增长|上升)趋势|"
    r"与(?:GDP|国内生产总值|地区生产总值|经济|经济增长)(?:增长)?(?:基本)?同步(?:增长)?|"
    r"(?:保持|稳定|处于|运行)(?:在)?合理区间(?:内)?|"
    r"(?:持续|明显|显著|稳步|逐步|逐年|进一步|总体)(?:改善|提升|提高|增加|下降|降低|减少|好转)|"
    r"(?:持续)?改善|稳步推进|有所(?:改善|提升|提高|下降)|下降|降低|减少|"
    r"(?:全面|稳定|总体|基本|持续)?达标|"
    rf"(?:稳定)?(?:达到|保持)(?:或好于|或优于)?(?:地表水)?{_CLASS}(?:及以上)?(?:水质)?(?:标准)?|以{_CLASS}为主|"
    r"达到(?:第[一二三四]类|[一二三四]类)海水水质(?:标准)?)"
)
_QUALITATIVE = re.compile(rf"^{QUALITATIVE_PHRASE}$")
#: A change counted from another year than the plan's base (``比2015年下降15%以上``) or a
#: yearly rate (``年均降低3.2%``): neither is a five-year 〔x〕 on the plan's base year, and
#: the assessment has no rule for them, so they are aims "not judged quantitatively" that
#: keep their words and number (canonical: ``比2015年下降15%以上``, ``年均降低3.2%``).
_OTHER_RATE = re.compile(
    r"^(?P<base>比\d{4}年|年均)(?P<dir>下降|降低|减少|削减|提高|提升|增加|增长|上升)"
    r"(?P<num>\d+(?:\.\d+)?)(?P<pct>%|个百分点)?(?P<suf>以上|以下|以内|左右)?$"
)


def _rate_phrase(m: re.Match[str]) -> str:
    """The canonical words of an :data:`_OTHER_RATE` target (以内 as 以下; the number shortest)."""
    suffix = {"以内": "以下"}.get(m.group("suf") or "", m.group("suf") or "")
    number = format_number(float(m.group("num")))
    return f"{m.group('base')}{m.group('dir')}{number}{m.group('pct') or ''}{suffix}"


_FILLERS = re.compile(r"^(?:达到|确保|控制在|降至|提高到|提高至|下降到|下降至|不低于达到)")


def _normalise(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text)
    return re.sub(r"\s+", "", folded)


def parse_target(text: str | float | int | None) -> Target:
    """Parse one target expression.

    Parameters
    ----------
    text : str, number or None
        The expression as the plan writes it. Numbers are plain level
        targets; ``None`` is "no target".

    Returns
    -------
    Target

    Raises
    ------
    TargetSyntaxError
        The text matches no form of the grammar; the message quotes it.

    Examples
    --------
    >>> parse_target("＞80").canonical()
    '>80'
    >>> parse_target("〔18〕").cumulative
    18.0
    """
    if text is None:
        return Target(TargetKind.NONE, text="")
    if isinstance(text, bool):
        raise TargetSyntaxError(str(text), "a target is a number or an expression")
    if isinstance(text, int | float):
        if not math.isfinite(text) or text < 0:
            raise TargetSyntaxError(str(text), "a target value is a finite number, zero or more")
        return Target(TargetKind.LEVEL, Op.REACH, float(text), text=format_number(text))
    raw = str(text)
    s = _normalise(raw)
    if s.startswith("力争"):
        inner = _parse(s[2:], raw)
        if inner.kind in (TargetKind.NONE, TargetKind.QUALITATIVE, TargetKind.INHERITED) or inner.stretch:
            raise TargetSyntaxError(raw, "'力争' (stretch) comes before a number or 基本消除, as in '力争85'")
        return replace(inner, stretch=True)
    return _parse(s, raw)


def _parse(s: str, raw: str) -> Target:
    """Parse the normalised expression ``s`` (``raw`` as written, for messages)."""
    if s in _NONE_WORDS:
        return Target(TargetKind.NONE, text=raw)
    if "下达" in s or "国家要求" in s or "国家考核要求" in s:
        if "省" in s:
            scope = "province"
        elif "市下达" in s:
            scope = "city"
        else:
            scope = "nation"
        return Target(TargetKind.INHERITED, scope=scope, text=raw)
    m = _ELIMINATE.match(s)
    if m:
        return Target(TargetKind.ELIMINATE, scope="basic" if m.group(1) == "基本" else "full", text=raw)
    if s in _MAINTAIN_BARE:
        return Target(TargetKind.MAINTAIN, text=raw)
    if s == "稳中向好":
        return Target(TargetKind.MAINTAIN, scope="improve", text=raw)
    if _QUALITATIVE.match(s):
        aim = None if s == "定性" else re.sub(r"^得到(?=有效(?:保障|保护)$)", "", s)  # 得到 adds nothing
        return Target(TargetKind.QUALITATIVE, scope=aim, text=raw)
    m = _OTHER_RATE.match(s)
    if m:  # 比2015年下降15%以上, 年均降低3.2%: no 〔x〕 on the plan's base; kept as written
        return Target(TargetKind.QUALITATIVE, scope=_rate_phrase(m), text=raw)
    m = _MAINTAIN_AT.match(s)
    if m:
        op = _SUFFIX_OPS.get(m.group("suf") or "", Op.REACH)
        return Target(TargetKind.MAINTAIN, op, _finite(m.group(1), raw), text=raw)
    m = _CUMULATIVE.match(s)
    if m:
        cumulative = _finite(m.group(2), raw)
        csuf = m.group("csuf") or ""
        bound = _SUFFIX_OPS.get(csuf) if csuf != "左右" else None
        about = csuf == "左右"
        level_text = m.group("level")
        if not level_text:
            return Target(TargetKind.CUMULATIVE, cumulative=cumulative, text=raw, bound=bound, about=about)
        op, value = _parse_level(level_text, raw)
        return Target(TargetKind.CUMULATIVE, op, value, cumulative, text=raw, bound=bound, about=about)
    if "左右" in s:
        m = _LEVEL.match(_FILLERS.sub("", s))
        if not m or m.group("pre") or m.group("suf") != "左右":
            raise TargetSyntaxError(raw, "'左右' (about) follows a plain number, as in '15左右'")
        return Target(TargetKind.ABOUT, None, _finite(m.group(2), raw), text=raw)
    op, value = _parse_level(s, raw)
    return Target(TargetKind.LEVEL, op, value, text=raw)


def _parse_level(s: str, raw: str) -> tuple[Op, float]:
    m = _LEVEL.match(s) or _LEVEL.match(_FILLERS.sub("", s))
    if not m:
        raise TargetSyntaxError(
            raw,
            "expected a number with an optional comparison (＞80, ≥8, 90以上, 0.9%以内), "
            "an about-value (15左右), a cumulative value (〔18〕), 基本消除, 保持, "
            "an inherited target (省下达 / 国家要求) or '-'",
        )
    pre, suf = m.group("pre"), m.group("suf")
    if suf == "左右":
        raise TargetSyntaxError(raw, "'左右' cannot be combined with a cumulative or bound")
    if pre and suf:
        raise TargetSyntaxError(raw, f"both {pre!r} and {suf!r}: state the comparison once")
    op = _PREFIX_OPS[pre] if pre else _SUFFIX_OPS[suf] if suf else Op.REACH
    return op, _finite(m.group(2), raw)


def _finite(digits: str, raw: str) -> float:
    value = float(digits)
    if not math.isfinite(value):
        raise TargetSyntaxError(raw, "number out of range")
    return value
