r"""The clause grammar of targets stated in running text: one clause → its targets.

A target sentence (``到2025年，A，B，C。``) is cut into clauses at commas;
:func:`read_clause` reads one clause (its deadline already removed) into
``(name, expr, unit)`` triples in the target grammar (:mod:`ecoplan.plans.targets`),
or says why it could not. The forms, as the corpus documents write them:

=========================================================  ===============================
clause                                                     target(s)
=========================================================  ===============================
``PM2.5浓度确保降至37微克/立方米``                            ``37`` (μg/m³)
``空气质量优良天数比率达到87.5%``                              ``87.5``
``优良水体比例提高到85%`` / ``提升至`` / ``不低于``             ``85`` / ``不低于85``
``重度及以上污染天气比率控制在0.9%以内``                      ``0.9%以内``
``草原综合植被盖度稳定在73%以上``                            ``稳定在73以上``
``单位国内生产总值二氧化碳排放比2020年下降18%``                ``〔18〕`` (from 2020: the base year)
``…比2015年下降15%以上`` in a plan of 2018–2020                 ``比2015年下降15%以上`` (another base:
                                                           kept as written, by :mod:`.prose`)
``细颗粒物浓度下降10%`` / ``下降10%以上``                      ``〔10〕`` / ``〔10〕以上``
``单位地区生产总值用水量累计下降15%``                        ``〔15〕`` (name + 下降)
``化学需氧量和氨氮排放总量分别下降10%以上``                  two indicators, ``〔10〕以上`` each
``单位生产总值二氧化碳排放确保完成国家下达指标``              inherited (nation)
``A、B分别达到80%、85%``                                     ``80`` and ``85``
``新增水土流失综合治理面积10000平方公里``                    ``〔10000〕`` (新增 = added)
``受污染耕地安全利用率达到国家要求``                          ``达到国家要求`` (inherited)
``…控制在省下达目标以内``                                    inherited (province)
``县级城市建成区全面消除黑臭水体``, ``重污染天数基本消除``     ``全面消除`` / ``基本消除``
``有效遏制O3浓度增长趋势``                                    ``有效遏制增长趋势`` (qualitative)
``重点建设用地安全利用率有效保障``                            ``有效保障`` (qualitative)
``生态环境质量稳中向好``                                      ``稳中向好`` (maintain)
``…浓度下降10%，达到35微克/立方米``                           ``35〔10〕``: the second clause has no
                                                           name, it is the first's indicator
``空气质量持续改善``, ``…明显提升``                          none: a general aim, no indicator
``主要污染物排放总量持续下降``                                ``持续下降`` (an aim for a measured
                                                           quantity: qualitative)
``数字经济占比25%以上`` (no verb)                             ``25以上``
``PM2.5年均浓度小于50微克/立方米``, ``…超56%``, ``…实现100%``  ``低于50``, ``超过56``, ``100``
``研发经费投入年均增长7%以上``                                ``…年均增长``: ``7以上`` (a yearly
                                                           rate, never a five-year 〔x〕)
``单位GDP水耗和能耗完成下达目标任务``                         two indicators, inherited
``无劣Ⅴ类水体``; ``地下水环境质量总体稳定``                    ``全面消除``; ``保持``
``…长三角地区PM2.5浓度总体达标，北京市控制在32…以内``          ``北京市PM2.5浓度``: a region alone
                                                           takes the previous indicator
=========================================================  ===============================

``力争…`` is read by the caller: a stretch of the previous clause's target, or,
with no target before it, the target itself (``力争达到X`` → ``X``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ecoplan.plans.extract.tables import as_cumulative_change
from ecoplan.plans.targets import QUALITATIVE_PHRASE

__all__ = ["Reading", "for_region", "looks_like_target", "read_clause", "shorten", "unit_of"]

_NUM = r"(\d+(?:\.\d+)?)"
UNIT = (
    r"(%|％|‰|个百分点|微克/立方米|μg/m3|µg/m3|g/m(?![A-Za-z0-9/²³])|毫克/升|万平方公里|平方公里|平方米|万公顷|公顷|万亩|亿亩|"
    r"亿立方米|万立方米|立方米/公顷|立方米|亿方|万方|起/万枚|万吨标准煤|吨标准煤|万吨|吨/天|吨|万千瓦|千瓦|万个|个|天|岁|年)"
)
VERBS = (
    "降至|降到|下降至|下降到|降低至|降低到|提高到|提高至|提升到|提升至|增加到|增加至|增长到|增长至|上升到|上升至|"
    "达到|达|实现|稳定控制在|控制在|稳定在|保持在|不低于|不超过|不高于|不少于|低于|高于|超过|超|小于|大于|为"
)
_DIRS = "下降|降低|减少|削减|提高|提升|增加|新增|上升|增长"
_CLAUSE_LEVEL = re.compile(
    rf"^(?P<name>.+?)(?P<how>确保|力争|要|将)?(?P<verb>{VERBS}){_NUM}(?P<unit>{UNIT})?"
    r"(?P<suf>以上|以下|以内|左右)?$"
)
#: ``…累计下降15%`` (the seeds' form: the name gets 下降/增加), ``…比2020年下降18%``, ``…下降10%以上``
_CLAUSE_CUMULATIVE = re.compile(
    rf"^(?P<name>.+?)(?:(?:比|较)(?P<by>\d{{4}})年(?:末|底)?)?(?P<acc>累计)?(?P<dir>{_DIRS})(?P<acc2>累计)?了?"
    r"(?P<num>\d+(?:\.\d+)?)"
    rf"(?P<unit>{UNIT})?(?P<suf>以上|以内|左右)?$"
)
_AND_BOUND = re.compile(r"(?<=[\d%])及(?=以上|以下)")
_AIM_TAIL = re.compile(r"(?<=[\d%以上下内右])(?:的?(?:目标|要求)|等)$")
_CLAUSE_LIMIT = re.compile(
    rf"^(?P<name>.+?)达到[^，,（(]{{0,20}}(?:标准)?限值[（(](?P<num>\d+(?:\.\d+)?)(?P<unit>{UNIT})[)）]的?要求$"
)
_CLAUSE_BARE = re.compile(
    rf"^(?P<name>.+?(?:(?<!效)率|比例|比率|比重|占比|浓度|能耗|水耗))(?P<num>\d+(?:\.\d+)?)(?P<unit>{UNIT})?"
    r"(?P<suf>以上|以下|以内|左右)?$"
)
_CLAUSE_AMOUNT = re.compile(rf"^(?P<name>(?:新增|累计|完成).+?){_NUM}(?P<unit>{UNIT})$")
_CLAUSE_NATIONAL = re.compile(r"^(?P<name>.+?)(?:达到|满足|完成)国家(?:考核)?(?:目标)?要求$")
_CLAUSE_HANDED_DOWN = re.compile(
    r"^(?P<name>.+?)(?:控制在|完成|达到|满足)(?P<who>省|市|国家)?(?:政府)?下达的?(?:目标|指标|任务|考核)*"
    r"(?:以内|之内|内|要求)?$"
)
_CLAUSE_NONE_LEFT = re.compile(r"^(?:基本)?无(?P<obj>[^，,]{0,10}(?:水体|断面|天气))$")
_CLAUSE_ELIMINATE = re.compile(r"^(?P<subj>.*?)(?P<how>全面消除|基本消除|得到消除)(?P<obj>.*)$")
_CLAUSE_WORDED = re.compile(
    rf"^(?P<name>.+?)(?P<expr>稳中向好|保持稳定|总体稳定|基本稳定|只增不减|不降低|不减少|{QUALITATIVE_PHRASE})$"
)
#: "有效遏制O3浓度增长趋势": the aim before its indicator.
_CLAUSE_CURB = re.compile(r"^(?P<how>(?:有效)?遏制(?:住)?)(?P<name>.+?)的?(?P<trend>(?:增长|上升)趋势)$")
#: "…将按国家、四川省下达的任务逐年下降": handed down, by whom the last one names.
_CLAUSE_AS_HANDED = re.compile(
    r"^(?P<name>.+?)按(?P<who>.{0,12}?)下达的?(?:目标|任务|指标|要求)(?:逐年)?.{0,4}$"
)
_LEADING_FILLER = re.compile(
    r"^(?:并|且|使|其中|同时|以及|和|这|要求|提出|明确|具体是|具体为|该省|该市|我省|我市|我县|我区|确保|全面|进一步|持续|全省|全市|全国)+"
)
_ITEM_NUMBER = re.compile(r"^(?:\d{1,2}[、.．](?!\d)|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、)")
_TRAILING_HOW = re.compile(r"(?:总体|均|全部|确保|力争|要|将)+$")
_PER_UNIT = re.compile(r"^(单位(?:地区生产总值|国内生产总值|GDP))")
#: Where the shared head of "X和Y…排放总量" starts in the last name.
_HEAD = re.compile(
    r"PM2\.5|PM10|细颗粒物|可吸入颗粒物|臭氧|污水|生活|年均|平均|单位|排放|浓度|比例|比率|占比|比重|总量|覆盖率|利用率|达标率|处理率|治理率|强度|消耗"
)
#: A name that is already an indicator's (it gets no shared head).
_NAMED = re.compile(r"(?:率|比例|比率|比重|占比|浓度|总量|排放量|面积|强度|消耗|能耗|排放)$")
#: A name of a whole, never per unit of GDP.
_WHOLE = re.compile(r"(?:率|比例|比率|比重|占比|浓度|总量|面积)$")
_PERCENT_NAME = re.compile(r"(?:率|比例|比率|比重|盖度|占比|下降|降低|减少)$")
_INDICATOR_WORD = re.compile(
    r"率|比例|比率|比重|占比|浓度|排放|总量|面积|覆盖|天数|指数|强度|消耗|能耗|用水量|盖度|水质|达标|断面|蓄积"
)
_TARGET_WORD = re.compile(
    r"\d|达到|下降|降低|减少|削减|提高|提升|控制在|稳定在|保持|不低于|不超过|消除|以上|以下|以内|左右"
)
_STARTS_WITH_VERB = re.compile(rf"^(?:确保|力争|要|将)?(?:{VERBS}|(?:比|较)\d{{4}}年|累计|{_DIRS})")


@dataclass(frozen=True)
class Reading:
    """What one clause states: its targets, or why none could be read."""

    targets: list[tuple[str, str, str]]  # (name, expr, unit)
    base: str = ""  # the indicator's name before a 下降/增加 was added: carried to a nameless clause
    problem: str | None = None  # a key under extract.prose.reason.* when the clause was not understood
    stretch: bool = False  # written "…力争达到X": a stretch goal
    since: int | None = None  # the year a change is counted from (比2020年下降18%)
    direction: str = ""  # the change's verb with ``since`` (下降, 提高 …)
    aim: bool = False  # understood: a general aim or a task, no indicator target


def unit_of(u: str | None) -> str:
    """The unit as the plan model writes it."""
    if not u:
        return ""
    u = u.replace("％", "%")
    # "g/m": μg/m³ that lost its µ and ³ (a page that kept only Latin-1 letters)
    return {"微克/立方米": "μg/m³", "μg/m3": "μg/m³", "µg/m3": "μg/m³", "g/m": "μg/m³", "个百分点": "%"}.get(
        u, u
    )


def clean(name: str) -> str:
    """The name without leading connectives (全省/全市/全国 kept when they open it)."""
    name = _ITEM_NUMBER.sub("", name)
    name = _LEADING_FILLER.sub("", name) if not name.startswith(("全省", "全市", "全国")) else name
    return _TRAILING_HOW.sub("", name).strip("，,、")


def percent_name(name: str) -> bool:
    """A name whose values are shares (率, 比例 …) or relative changes (下降 …)."""
    return bool(_PERCENT_NAME.search(name))


#: A general aim without a number ("空气质量持续改善"): understood, but no indicator target.
_GENERAL_AIM = re.compile(
    r"(?:持续|明显|显著|稳步|逐步|逐年|进一步|稳定|总体|有所)?(?:改善|下降|降低|减少|提升|提高|增加|好转)$|稳步推进$"
)


_REGION_ONLY = re.compile(r"^[\u4e00-\u9fff]{2,8}?(?:省|市|地区|区域|县|区|城区)$")


def for_region(reading: Reading, base: str) -> Reading:
    """ "…长三角地区PM2.5浓度总体达标，北京市控制在32微克/立方米以内": 北京市 is the region of
    the previous clause's indicator (北京市PM2.5浓度)."""
    if len(reading.targets) != 1 or not base:
        return reading
    region, expr, unit = reading.targets[0]
    if not _REGION_ONLY.match(region) or _INDICATOR_NAME.search(region):
        return reading
    head = _HEAD.search(base, 1)
    name = region + (base[head.start() :] if head else base)
    return replace(reading, targets=[(name, expr, unit)], base=name)


def shorten(name: str) -> str:
    """A name too long to be one: "长江、黄河…辽河等七大重点流域…比例" → "七大重点流域…比例"."""
    m = re.search(r"、[^、]*?等", name)
    return name[m.end() :] if m and m.end() < len(name) else name


#: The name of a measured quantity: a general aim ("…持续下降") of it is a target.
_MEASURE = re.compile(r"(?:(?<!效)率|比例|比率|比重|占比|浓度|总量|排放量|排放|强度|使用量|施用量|满意度)$")
#: The name of an indicator a worded target ("有效保障", "以Ⅱ类为主") can be set for.
_INDICATOR_NAME = re.compile(
    r"(?:率|比例|比率|比重|占比|浓度|总量|排放量|排放|强度|质量|水质|面积|天数|天气|能耗|水耗|增长|增速|安全利用|"
    r"满意度|生态环境)$"
)
#: A task, not a target: "降低港口船舶…排放", "持续降低新生产汽车的燃料消耗".
_ACTION = re.compile(
    r"^(?:将|要|应|从根本上|持续|进一步|大力|逐步|积极|着力|全面)*"
    r"(?:降低|提高|提升|减少|推进|加强|强化|实施|开展|推动|推广|控制|严格)"
)


def looks_like_target(clause: str) -> bool:
    """An indicator word and a number or a target word: a clause that should have been read.

    A general aim without a number (``…持续改善``, ``…明显提升``) is not: plans state many
    of them and none is an indicator target.
    """
    if not re.search(r"\d", clause) and (_GENERAL_AIM.search(clause) or _ACTION.match(clause)):
        return False
    return bool(_INDICATOR_WORD.search(clause) and _TARGET_WORD.search(clause))


def starts_with_verb(clause: str) -> bool:
    """A clause without its own name (``达到35微克/立方米``): its subject is the previous one's."""
    return bool(_STARTS_WITH_VERB.match(clause))


def split_names(name: str) -> list[str]:
    """``X和Y排放总量`` → X排放总量, Y排放总量; ``单位GDP能耗和二氧化碳排放`` → both per unit GDP."""
    parts = [p for p in re.split(r"和|、|与", name) if p]
    if len(parts) < 2:
        parts = [p for p in re.split(r"及(?!以上|以下|其|周边)", name) if p]
    if len(parts) < 2:
        return [name]
    last = parts[-1]
    prefix = _PER_UNIT.match(parts[0])
    if prefix and not _PER_UNIT.match(last):  # 单位GDP能耗和二氧化碳排放: per unit GDP both
        return [parts[0]] + [
            p if _PER_UNIT.match(p) or _WHOLE.search(p) else prefix.group(1) + p for p in parts[1:]
        ]
    head = _HEAD.search(last, 1)  # the head follows what tells the parts apart
    if head is None:
        return parts
    tail = last[head.start() :]
    return [p if _NAMED.search(p) else p + tail for p in parts[:-1]] + [last]


def _split_and(name: str) -> list[str]:
    """``A及B`` → A, B (a shared 单位地区生产总值 prefix is copied): the seeds' 及 rule."""
    parts = re.split(r"及(?!以上|以下|其)", name)
    if len(parts) != 2 or not all(parts):
        return [name]
    left, right = parts
    prefix = _PER_UNIT.match(left)
    if prefix and not _PER_UNIT.match(right):
        right = prefix.group(1) + right
    return [left, right]


_BOUND = "(?:以上|以下|以内|左右)"
_RESPECTIVELY = re.compile(
    rf"^(?P<pre>(?:(?:比|较)\d{{4}}年(?:末|底)?)?(?:累计)?(?:{VERBS}|{_DIRS})?)"
    rf"(?P<vals>\d+(?:\.\d+)?{UNIT}?{_BOUND}?(?:[、和及,，]\d+(?:\.\d+)?{UNIT}?{_BOUND}?)*)$"
)


def _respectively(clause: str) -> Reading:
    """``A和B分别下降10%以上`` / ``A、B分别达到80%、85%``: one target per name."""
    left, _, right = clause.partition("分别")
    moved = re.search(r"(?:比|较)\d{4}年(?:末|底)?$", left)  # 比2020年分别下降… : the year goes right
    if moved:
        left, right = left[: moved.start()], moved.group() + right
    m = _RESPECTIVELY.match(right)
    names = split_names(clean(left))
    if not m or not left:
        return Reading([], problem="no_form")
    values = [v.group() for v in re.finditer(rf"\d+(?:\.\d+)?{UNIT}?{_BOUND}?", m.group("vals"))]
    last_unit = re.search(rf"{UNIT}{_BOUND}?$", values[-1])
    if last_unit and len(values) > 1:  # 分别达到407、262、84万千瓦: the unit is written once
        values = [v if re.search(UNIT, v) else v + last_unit.group(1) for v in values]
    if len(values) == 1:
        values = values * len(names)
    if len(values) != len(names):
        return Reading([], problem="count_mismatch")
    out: list[tuple[str, str, str]] = []
    since: int | None = None
    direction = ""
    for name, value in zip(names, values, strict=True):
        one = read_clause(f"{name}{m.group('pre')}{value}")
        out.extend(one.targets)
        since, direction = since or one.since, direction or one.direction
    return (
        Reading(out, base=names[-1], since=since, direction=direction)
        if out
        else Reading([], problem="no_form")
    )


def read_clause(clause: str) -> Reading:
    """The targets one clause states (its deadline and any 力争 already removed).

    A name that lists whole indicators (``自然保护地面积比例、生态保护红线面积比例和基本水面率
    不减少``) gives each of them the target.
    """
    clause = _AIM_TAIL.sub("", clause)  # "…达到71%以上的目标"
    clause = _AND_BOUND.sub("", clause)  # "51%及以上" (not the 及 of "重度及以上污染天气")
    if "分别" in clause:
        return _respectively(clause)
    reading = _read_one(clause)
    if any(u == "年" and re.fullmatch(r"(?:19|20)\d\d", e) for _, e, u in reading.targets):
        return Reading([], aim=True)  # 规划基准年为2022年: a date, no target
    if len(reading.targets) != 1:
        return reading
    name, expr, unit = reading.targets[0]
    parts = [p for p in re.split(r"和|、|与|及(?!以上|以下|其)", name) if p]
    if len(parts) < 2 or not all(_WHOLE.search(p) for p in parts):
        shared = _shared_list(name)
        if shared:
            return replace(reading, targets=[(p, expr, unit) for p in shared], base=shared[-1])
        return reading
    return replace(reading, targets=[(p, expr, unit) for p in parts], base=parts[-1])


#: The measured quantity a list of items shares: "化肥、农药使用量".
_SHARED_QUANTITY = re.compile(r"(?:使用量|施用量|用量|使用强度)$")


def _shared_list(name: str) -> list[str] | None:
    """``主要农作物化肥、农药使用量`` → 主要农作物化肥使用量, 主要农作物农药使用量.

    The items of a 、 list share the quantity after the last one and the qualifier before
    the first one; the qualifier is what the first item has beyond the last item's length
    (listed items are parallel words). None when ``name`` is no such list.
    """
    parts = name.split("、")
    last = parts[-1]
    tail = _SHARED_QUANTITY.search(last)
    if len(parts) < 2 or tail is None or "等" in name or re.search(r"\d", name):
        return None
    item = last[: tail.start()]
    if not item or any(_SHARED_QUANTITY.search(p) or _MEASURE.search(p) for p in parts[:-1]):
        return None
    first = parts[0]
    prefix = first[: -len(item)] if len(first) > len(item) + 1 else ""
    items = [first[len(prefix) :], *parts[1:-1], item]
    return [prefix + i + tail.group() for i in items]


#: "…浓度要比2015年下降30%至56微克/立方米左右": a change, then the level it brings.
_CHANGE_TO_LEVEL = re.compile(
    rf"^(?P<change>.+?(?:{_DIRS})\d+(?:\.\d+)?(?:%|％|个百分点))(?:至|到)(?P<level>\d+(?:\.\d+)?)"
    rf"(?P<unit>{UNIT})?(?P<suf>以上|以下|以内|左右)?$"
)


def _read_one(clause: str) -> Reading:
    """The targets of one clause without 分别."""
    m = _CHANGE_TO_LEVEL.match(clause)
    if m:  # both targets, in the level's unit (the quantity measured); the caller keeps one per year
        change = _read_one(m.group("change"))
        if len(change.targets) == 1:
            name, expr, _ = change.targets[0]
            unit = unit_of(m.group("unit"))
            level = f"{m.group('level')}{'%' if unit == '%' else ''}{m.group('suf') or ''}"
            return replace(change, targets=[(name, expr, unit or "%"), (name, level, unit or "%")])
    m = _CLAUSE_CUMULATIVE.match(clause)
    yearly = re.search(r"(?:年均|每年|年平均)$", m.group("name")) if m else None
    if m and yearly:  # 研发经费投入年均增长7%以上: the indicator is the yearly rate, no 〔x〕
        name = clean(m.group("name")[: yearly.start()]) + "年均" + m.group("dir")
        unit = unit_of(m.group("unit")) or "%"
        suffix = {"以上": "以上", "以内": "以下", "左右": "左右"}.get(m.group("suf") or "", "")
        return Reading([(name, f"{m.group('num')}{'%' if unit == '%' else ''}{suffix}", unit)], base=name)
    if m:
        name = clean(m.group("name"))
        word = ""
        if m.group("acc") or m.group("acc2"):  # the seeds' form: 下降 or 增加 added to the name
            word = "下降" if m.group("dir") in ("下降", "降低", "减少", "削减") else "增加"
        suffix = {"以上": "以上", "以内": "以下", "左右": "左右"}.get(m.group("suf") or "", "")
        unit = unit_of(m.group("unit")) or "%"
        since = int(m.group("by")) if m.group("by") else None
        return Reading(
            [(name + word, f"〔{m.group('num')}〕{suffix}", unit)],
            base=name,
            since=since,
            direction=m.group("dir"),
        )
    m = _CLAUSE_NATIONAL.match(clause)
    if m:
        names = _split_and(clean(m.group("name")))
        return Reading([(n, "达到国家要求", "%" if percent_name(n) else "") for n in names], base=names[-1])
    m = _CLAUSE_HANDED_DOWN.match(clause)
    if m:
        expr = {"省": "省下达", "市": "市下达"}.get(m.group("who") or "", "国家下达")
        names = split_names(clean(m.group("name")))  # 单位GDP水耗和能耗完成下达目标任务
        return Reading([(n, expr, "%" if percent_name(n) else "") for n in names], base=names[-1])
    m = _CLAUSE_AS_HANDED.match(clause)
    if m:
        who = m.group("who")
        expr = "省下达" if "省" in who else "市下达" if "市" in who else "国家下达"
        names = split_names(clean(m.group("name")))
        return Reading([(n, expr, "%" if percent_name(n) else "") for n in names], base=names[-1])
    m = _CLAUSE_NONE_LEFT.match(clause)
    if m:  # 无劣Ⅴ类水体: none left
        return Reading(
            [(m.group("obj"), "消除", "%" if "水体" in m.group("obj") else "")], base=m.group("obj")
        )
    m = _CLAUSE_ELIMINATE.match(clause)
    if m and len(m.group("obj")) <= 12 and (m.group("subj") or m.group("obj")):
        name = clean(m.group("subj")) + m.group("obj")
        names = split_names(name) if "、" in name else [name]  # 重污染天气、城市黑臭水体基本消除
        units = ["%" if percent_name(n) or "水体" in n else "" for n in names]  # a share of water bodies
        how = "全面消除" if m.group("how") == "得到消除" else m.group("how")  # 总体得到消除
        return Reading([(n, how, u) for n, u in zip(names, units, strict=True)], base=names[-1])
    m = _CLAUSE_LEVEL.match(clause)
    if m:
        verb, num, suf = m.group("verb"), m.group(4), m.group("suf") or ""
        unit = unit_of(m.group("unit"))
        if verb in ("稳定在", "保持在") and suf == "左右":
            expr = f"{num}左右"
        elif verb in ("稳定在", "保持在"):
            expr = f"{verb}{num}{suf}"
        elif verb in ("不低于", "不超过", "不高于", "不少于", "低于", "高于", "超过", "小于", "大于"):
            expr = f"{verb}{num}"
        elif verb == "超":
            expr = f"超过{num}"
        else:
            expr = f"{num}{'%' if unit == '%' else ''}{suf}"
        name = clean(m.group("name"))
        stretch = m.group("how") == "力争"
        return Reading([(name, as_cumulative_change(name, unit, expr), unit)], base=name, stretch=stretch)
    m = _CLAUSE_CURB.match(clause)
    if m and _INDICATOR_NAME.search(m.group("name")):  # 有效遏制O3浓度增长趋势: verb first
        name = clean(m.group("name"))
        return Reading([(name, f"{m.group('how')}{m.group('trend')}", "")], base=name)
    m = _CLAUSE_WORDED.match(clause)
    if m:
        name = clean(m.group("name"))
        general = _GENERAL_AIM.fullmatch(m.group("expr"))
        # "主要污染物排放总量持续下降" is a target; "空气质量持续改善", "土壤污染风险得到有效管控" are aims
        if not (_MEASURE.search(name) if general else _INDICATOR_NAME.search(name)) or _ACTION.match(name):
            return Reading([], aim=True)
        return Reading([(name, m.group("expr"), "")], base=name)  # a worded target: no unit printed
    m = _CLAUSE_LIMIT.match(clause)
    if m:  # no2年均值达到“新标准”二级标准限值(40微克/立方米)要求: the limit in brackets
        name, unit = clean(m.group("name")), unit_of(m.group("unit"))
        return Reading([(name, m.group("num"), unit)], base=name)
    m = _CLAUSE_BARE.match(clause)
    if m:  # 数字经济占比25%以上: the number follows the name
        name, num, suf = clean(m.group("name")), m.group("num"), m.group("suf") or ""
        unit = unit_of(m.group("unit"))
        return Reading([(name, f"{num}{'%' if unit == '%' else ''}{suf}", unit)], base=name)
    m = _CLAUSE_AMOUNT.match(clause)
    if m:
        name = clean(m.group("name"))
        num = m.group(2)
        expr = f"〔{num}〕" if name.startswith(("新增", "累计")) else num
        return Reading([(name, expr, unit_of(m.group("unit")))], base=name)
    return Reading([], problem="no_form")
