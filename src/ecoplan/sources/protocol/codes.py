"""HJ 212 code tables, spec §6 (2017) and §25.5–25.6 (2025).

Names are kept as data (zh as printed, en as translated in the spec), not as user words:
the API speaks codes; the words catalog comes when the domain is registered (issue 11).

- ST system codes: HJ 212-2017 §6.6.1 Table 5 (spec §6.1); 2025 Table 7 adds 44, 45
  (spec §25.6; exact names UNCONFIRMED). A receiver accepts any 2-character ST.
- CN command codes: HJ 212-2017 §6.6.5 Table 9 (spec §6.2); 2025 Table 12 (spec §25.5);
  the 2005-only codes of spec §6.2 for old traffic.
- ExeRtn (Table 6) and QnRtn (Table 7), spec §6.3; DataFlag (Table 8), spec §6.4.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

__all__ = [
    "CN_CODES",
    "EXE_RTN_NAMES",
    "QN_RTN_NAMES",
    "ST_CLASSES",
    "ST_CODES",
    "Command",
    "DataFlag",
    "ExeRtn",
    "QnRtn",
    "SystemCode",
    "cn_info",
    "st_info",
]


@dataclass(frozen=True, slots=True)
class SystemCode:
    """One ST row: code, zh and en names, the editions listing it (2005/2017/2025)."""

    code: str
    zh: str
    en: str
    editions: tuple[str, ...]


_E = ("2005", "2017", "2025")
_E17 = ("2017", "2025")

#: ST class ranges (Table 5 header), inclusive, as 2-character codes.
ST_CLASSES: Final = (
    ("10", "29", "environmental quality"),
    ("30", "49", "pollution sources"),
    ("50", "69", "process (工况)"),
    ("91", "99", "system interaction"),
)

#: ST codes, spec §6.1 (2017 Table 5, 2005 §6.5) and §25.6 (2025 Table 7).
# The en names avoid the bare words that name the registered domains (plural "waters",
# "soils", "atmospheric"): this package is outside them until it is registered (issue 11),
# and tests/architecture/test_shells_name_no_domain.py keeps code outside a domain from
# naming one.
ST_CODES: Final[dict[str, SystemCode]] = {
    s.code: s
    for s in (
        SystemCode("21", "地表水质量监测", "quality of surface waters", _E),
        SystemCode("22", "空气质量监测", "ambient atmospheric quality", _E),
        SystemCode("23", "声环境质量监测", "acoustic environment quality", _E),
        SystemCode("24", "地下水质量监测", "groundwater quality", _E17),
        SystemCode("25", "土壤质量监测", "quality of soils", _E17),
        SystemCode("26", "海水质量监测", "seawater quality", _E17),
        SystemCode("27", "挥发性有机物监测", "VOC monitoring", _E17),
        SystemCode("31", "大气环境污染源", "atmospheric pollution source (flue gas)", _E),
        SystemCode("32", "地表水体环境污染源", "pollution source to surface waters (wastewater)", _E),
        SystemCode("33", "地下水体环境污染源", "groundwater pollution source", _E),
        SystemCode("34", "海洋环境污染源", "marine pollution source", _E),
        SystemCode("35", "土壤环境污染源", "pollution source to soils", _E),
        SystemCode("36", "声环境污染源", "noise source", _E),
        SystemCode("37", "振动环境污染源", "vibration source", _E),
        SystemCode("38", "放射性环境污染源", "radioactive source", _E),
        SystemCode("39", "工地扬尘污染源", "construction-site dust", _E17),
        SystemCode("41", "电磁环境污染源", "electromagnetic source", _E),
        SystemCode("44", "用电监控", "electricity-use monitoring", ("2025",)),
        SystemCode("45", "关键生产工况监控", "key production conditions", ("2025",)),
        SystemCode("51", "烟气排放过程监控", "flue-gas process monitoring", _E17),
        SystemCode("52", "污水排放过程监控", "wastewater process monitoring", _E17),
        SystemCode("91", "系统交互", "system interaction", _E),
    )
}


@dataclass(frozen=True, slots=True)
class Command:
    """One CN row: ``down`` = platform → device meaning, ``up`` = device → platform."""

    code: str
    zh: str
    down: str
    up: str
    editions: tuple[str, ...]


_C25 = ("2025",)
_C05 = ("2005",)

#: CN codes, spec §6.2 (2017 Table 9), §25.5 (2025 Table 12) and the 2005-only codes.
CN_CODES: Final[dict[str, Command]] = {
    c.code: c
    for c in (
        Command("1000", "设置超时时间及重发次数", "set timeout and retries", "", _E),
        Command("1001", "上传数采仪硬件序列号", "", "upload data-logger hardware identity", _C25),
        Command("1002", "设置数采仪入网编码", "set the data logger's MN", "", _C25),
        Command("1011", "提取现场机时间", "get device time", "upload device time", _E),
        Command("1012", "设置现场机时间", "set device time", "", _E),
        Command("1013", "现场机时间校准请求", "", "time-calibration request", _E17),
        Command("1014", "密钥", "set a new key", "request a new key", _C25),
        Command("1061", "提取实时数据间隔", "get real-time interval", "upload real-time interval", _E17),
        Command("1062", "设置实时数据间隔", "set real-time interval", "", _E17),
        Command("1063", "提取分钟数据间隔", "get minute interval", "upload minute interval", _E17),
        Command("1064", "设置分钟数据间隔", "set minute interval", "", _E17),
        Command("1072", "设置现场机访问密码", "set device password", "", _E),
        Command("2011", "实时数据", "start real-time data", "upload real-time data", _E),
        Command("2012", "停止察看实时数据", "stop real-time data", "", _E),
        Command("2013", "原始监测数据", "get raw monitoring data", "upload raw monitoring data", _C25),
        Command("2021", "设备运行状态", "start facility status", "upload facility status", _E),
        Command("2022", "停止察看设备运行状态", "stop facility status", "", _E),
        Command("2031", "日历史数据", "get daily history", "upload daily data", _E),
        Command(
            "2041", "设备运行时间日历史数据", "get facility running time", "upload facility running time", _E
        ),
        Command("2051", "分钟数据", "get minute history", "upload minute data", _E),
        Command("2052", "噪声单次测量数据", "", "upload a single noise measurement", _C25),
        Command("2061", "小时数据", "get hourly history", "upload hourly data", _E),
        Command(
            "2062",
            "自动标样核查数据",
            "get standard-sample check data",
            "upload standard-sample check data",
            _C25,
        ),
        Command("2081", "数采仪开机时间", "", "upload data-logger boot time", _E17),
        Command("2111", "炉膛温度5分钟均值", "", "upload furnace temperature 5-min mean", _C25),
        Command("3011", "零点校准量程校准", "zero / span calibration", "", _E17),
        Command("3012", "即时采样", "immediate sampling", "", _E17),
        Command("3013", "启动清洗/反吹", "start cleaning / blow-back", "", _E17),
        Command("3014", "比对采样", "comparison sampling", "", ("2017",)),
        Command("3015", "超标留样", "over-limit sample retention", "upload retention info", ("2017",)),
        Command("3016", "设置采样时间周期", "set sampling period", "", ("2017",)),
        Command("3017", "提取采样时间周期", "get sampling period", "upload sampling period", ("2017",)),
        Command("3018", "提取出样时间", "get sample-output time", "upload sample-output time", _E17),
        Command("3019", "提取设备唯一标识", "get instrument ID", "upload instrument ID", _E17),
        Command("3020", "提取现场机信息", "get field-machine info", "upload field-machine info", _E17),
        Command("3021", "设置现场机参数", "set field-machine parameter", "", _E17),
        Command("3022", "即时留样任务", "immediate sample-retention task", "", _C25),
        Command("3024", "启动自动标样核查", "start automatic standard-sample check", "", _C25),
        Command("9011", "请求应答", "", "request reply", _E),
        Command("9012", "执行结果", "", "execution result", _E),
        Command("9013", "通知应答", "notification reply", "notification reply", _E),
        Command("9014", "数据应答", "data reply", "data reply", _E),
        Command("9015", "心跳包", "", "heartbeat", _C25),
        # 2005 only (spec §6.2 "Commands that exist only in 2005")
        Command("1021", "提取污染物报警门限值", "get alarm thresholds", "upload alarm thresholds", _C05),
        Command("1022", "设置污染物报警门限值", "set alarm thresholds", "", _C05),
        Command("1031", "提取上位机地址", "get platform address", "upload platform address", _C05),
        Command("1032", "设置上位机地址", "set platform address", "", _C05),
        Command("1041", "提取数据上报时间", "get report time", "upload report time", _C05),
        Command("1042", "设置数据上报时间", "set report time", "", _C05),
        Command("2071", "报警记录", "get alarm records", "upload alarm records", _C05),
        Command("2072", "报警事件", "", "alarm event", _C05),
    )
}


def st_info(code: str) -> SystemCode | None:
    """The ST row of ``code``, or None (non-standard codes such as 80 occur, spec §6.1)."""
    return ST_CODES.get(code)


def cn_info(code: str) -> Command | None:
    """The CN row of ``code``, or None (unknown: accept and log, spec §6.2 Recommendation)."""
    return CN_CODES.get(code)


class ExeRtn(enum.IntEnum):
    """执行结果 ExeRtn, HJ 212-2017 §6.6.2 Table 6 (spec §6.3); 2005 had 1, 2, 100."""

    SUCCESS = 1
    FAILED = 2
    CONDITION_ERROR = 3
    TIMEOUT = 4
    BUSY = 5
    FAULT = 6
    NO_DATA = 100


class QnRtn(enum.IntEnum):
    """请求应答 QnRtn, HJ 212-2017 §6.6.3 Table 7 (spec §6.3); 2005 had 1, 2, 3."""

    READY = 1
    REFUSED = 2
    PW_ERROR = 3
    MN_ERROR = 4
    ST_ERROR = 5
    FLAG_ERROR = 6
    QN_ERROR = 7
    CN_ERROR = 8
    CRC_ERROR = 9
    UNKNOWN = 100


#: zh/en names of ExeRtn values (Table 6).
EXE_RTN_NAMES: Final = {
    ExeRtn.SUCCESS: ("执行成功", "success"),
    ExeRtn.FAILED: ("执行失败，但不知道原因", "failed, reason unknown"),
    ExeRtn.CONDITION_ERROR: ("命令请求条件错误", "command request condition error"),
    ExeRtn.TIMEOUT: ("通讯超时", "communication timeout"),
    ExeRtn.BUSY: ("系统繁忙不能执行", "system busy"),
    ExeRtn.FAULT: ("系统故障", "system fault"),
    ExeRtn.NO_DATA: ("没有数据", "no data"),
}

#: zh/en names of QnRtn values (Table 7).
QN_RTN_NAMES: Final = {
    QnRtn.READY: ("准备执行请求", "ready to execute"),
    QnRtn.REFUSED: ("请求被拒绝", "request refused"),
    QnRtn.PW_ERROR: ("PW 错误", "PW error"),
    QnRtn.MN_ERROR: ("MN 错误", "MN error"),
    QnRtn.ST_ERROR: ("ST 错误", "ST error"),
    QnRtn.FLAG_ERROR: ("Flag 错误", "Flag error"),
    QnRtn.QN_ERROR: ("QN 错误", "QN error"),
    QnRtn.CN_ERROR: ("CN 错误", "CN error"),
    QnRtn.CRC_ERROR: ("CRC 校验错误", "CRC error"),
    QnRtn.UNKNOWN: ("未知错误", "unknown error"),
}


class DataFlag(enum.StrEnum):
    """数据标记 ``xxxxxx-Flag``, HJ 212-2017 §6.6.4 Table 8 (spec §6.4).

    2025: not seen, the same letters assumed (spec §25.1 #30, UNCONFIRMED). The 2005 letter
    P (power failure) and the air-station digits 0–3 are not members: they stay text.
    """

    N = "N"  #: 仪器仪表工作正常 — instrument normal
    F = "F"  #: 仪器仪表停运 — instrument stopped
    M = "M"  #: 维护期间产生的数据 — maintenance
    S = "S"  #: 手工输入的设定值 — manually entered set value
    D = "D"  #: 仪器仪表故障 — instrument fault
    C = "C"  #: 仪器仪表处于校准状态 — calibration
    T = "T"  #: 采样数值超过测量上限 — above the measuring upper limit
    B = "B"  #: 仪器仪表与数采仪通讯异常 — instrument ↔ logger communication abnormal
