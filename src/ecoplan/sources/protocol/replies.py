"""The platform's replies to a device (应答), spec §7.2 (HJ 212-2017 Annex C) and §25.9 item 6.

Every reply echoes the **QN of the packet it answers** in the header, says ``ST=91``
(system interaction), repeats the packet's PW and MN and carries no answer request:
``Flag=4`` (version 1, HJ 212-2017 C.1, C.4, C.14) or ``Flag=8`` (version 2, HJ 212-2025
Annex C as read in spec §25.3). The CP is empty except for 9011 (``QnRtn``) and 9012
(``ExeRtn``).

- 9014 data reply (数据应答): to an upload whose Flag asks for an answer (spec §7.1 "Upload",
  2017 §6.5.2 Figure 8, C.14–C.18, C.24); each sub-packet of a split message is answered
  with its own QN (spec §11 item 5).
- 9013 notification reply (通知应答): to a device notification — 1013 time-calibration
  request (C.4), 1001 registration (2025 C2, MN may be empty), 1014 key request (2025, the
  device direction) — and to a 9015 heartbeat that asks for an answer (2025 Table 12, C54).
- 9011 request reply (``QnRtn``) and 9012 execution result (``ExeRtn``): what a responder
  returns to a request (spec §7.1 "Request"); the platform sends them for a request a
  device makes, the simulator for a platform's request.

**Not emitted: the 2005 form.** HJ/T 212-2005 put the QN inside CP
(``ST=91;CN=9014;…;Flag=0;CP=&&QN=…;CN=2051&&``, spec §7.2, [S05 Annex C]); a 2005 packet
has no Flag, hence no answer request, so :func:`reply_for` answers none of them.

**No reply** to a frame whose CRC could not be checked (an SM4 area without the key,
spec §25.9 item 3), nor to a reply (9011–9014) a device sends back.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from ecoplan.sources.protocol.codes import ExeRtn, QnRtn
from ecoplan.sources.protocol.frame import encode_frame
from ecoplan.sources.protocol.segment import DataArea, Flag, Segment, format_qn

__all__ = [
    "DATA_REPLY",
    "EXECUTION_RESULT",
    "NOTIFICATIONS",
    "NOTIFICATION_REPLY",
    "REPLY_CODES",
    "REPLY_ST",
    "REQUEST_REPLY",
    "data_reply",
    "encode_reply",
    "execution_result",
    "notification_reply",
    "reply_flag",
    "reply_for",
    "request_reply",
]

REQUEST_REPLY: Final = "9011"
EXECUTION_RESULT: Final = "9012"
NOTIFICATION_REPLY: Final = "9013"
DATA_REPLY: Final = "9014"
HEARTBEAT: Final = "9015"
#: The reply commands: a device sending one expects nothing back.
REPLY_CODES: Final = frozenset({REQUEST_REPLY, EXECUTION_RESULT, NOTIFICATION_REPLY, DATA_REPLY})
#: Device → platform notifications, answered by 9013 (2017 C.4; 2025 C2, §25.4 CN 1014).
NOTIFICATIONS: Final = frozenset({"1013", "1001", "1014"})
#: ST of every reply: system interaction (2017 Table 5, spec §7.2).
REPLY_ST: Final = "91"


def reply_flag(segment: Segment) -> Flag:
    """``Flag=8`` for a 2025 (version 2) packet, else ``Flag=4`` (2017 form, spec §7.2).

    >>> reply_flag(Segment.parse("QN=20240601085857223;ST=32;CN=9015;PW=1;MN=A;Flag=9;CP=&&&&")).value
    8
    """
    version = 2 if segment.flag is not None and segment.flag.version == 2 else 1
    return Flag.make(version=version)


def _reply(segment: Segment, cn: str, cp: DataArea) -> Segment:
    qn: datetime | str | None = segment.qn
    return Segment(
        st=REPLY_ST,
        cn=cn,
        pw=segment.pw,
        mn=segment.mn,
        qn=qn,
        flag=reply_flag(segment),
        cp=cp,
    )


def data_reply(segment: Segment) -> Segment:
    """9014 to the upload ``segment``: its QN, ``ST=91``, its PW and MN, ``CP=&&&&`` (C.14).

    >>> data_reply(Segment.parse(
    ...     "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;"
    ...     "Flag=5;CP=&&DataTime=20160801085857;w01018-Rtd=2.2,w01018-Flag=N&&")).encode()
    'QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&'
    """
    return _reply(segment, DATA_REPLY, DataArea())


def notification_reply(segment: Segment) -> Segment:
    """9013 to the notification ``segment`` (C.4; 2025 §25.9 item 6), ``CP=&&&&``."""
    return _reply(segment, NOTIFICATION_REPLY, DataArea())


def request_reply(segment: Segment, rtn: QnRtn | int = QnRtn.READY) -> Segment:
    """9011 to the request ``segment``: ``CP=&&QnRtn=<rtn>&&`` (C.1, spec §6.3)."""
    return _reply(segment, REQUEST_REPLY, DataArea(((("QnRtn", str(int(rtn))),),)))


def execution_result(segment: Segment, rtn: ExeRtn | int = ExeRtn.SUCCESS) -> Segment:
    """9012 to the request ``segment``: ``CP=&&ExeRtn=<rtn>&&`` (C.1, spec §6.3)."""
    return _reply(segment, EXECUTION_RESULT, DataArea(((("ExeRtn", str(int(rtn))),),)))


def encode_reply(reply: Segment) -> bytes:
    """The packet (``##`` … CRC ``\\r\\n``) of a reply built here: the same bytes as
    ``encode_frame(reply.encode())``, written without the general encoder's checks (a
    reply's fields come from a segment that parsed, spec §2)."""
    parts = [f"QN={_qn_text(reply.qn)};"] if reply.qn is not None else []
    for key, value in (("ST", reply.st), ("CN", reply.cn), ("PW", reply.pw), ("MN", reply.mn)):
        if value is not None:
            parts.append(f"{key}={value};")
    if reply.flag is not None:
        parts.append(f"Flag={reply.flag.value};")
    parts.append(f"CP=&&{reply.cp.encode()}&&")
    return encode_frame("".join(parts))


def _qn_text(qn: datetime | str) -> str:
    return format_qn(qn) if isinstance(qn, datetime) else qn


def reply_for(segment: Segment, *, verified: bool = True) -> Segment | None:
    """What the platform answers to a device's ``segment``, or None.

    ``verified`` False: the frame's CRC could not be checked (encrypted without the key),
    never answered (spec §25.9 item 3). Replies (9011–9014) are not answered; a
    notification (1013, 1001, 1014) gets 9013; a 9015 heartbeat gets 9013 when its Flag
    asks for an answer (2025 Table 12); any other packet — the uploads 2011/2051/2061/
    2031/2081/2021/2041…, and unknown CNs (spec §6.2 Recommendation) — gets 9014 when its
    Flag asks for an answer. A packet without a Flag (2005) asks for nothing.

    >>> reply_for(Segment.parse("QN=20160801085857223;ST=32;CN=2051;PW=1;MN=A;Flag=4;CP=&&&&")) is None
    True
    >>> reply_for(Segment.parse("QN=20160801085857223;ST=32;CN=1013;PW=1;MN=A;Flag=4;CP=&&&&")).cn
    '9013'
    """
    if not verified or segment.cn in REPLY_CODES:
        return None
    if segment.cn in NOTIFICATIONS:
        return notification_reply(segment)
    if segment.flag is None or not segment.flag.ack:
        return None
    if segment.cn == HEARTBEAT:
        return notification_reply(segment)
    return data_reply(segment)
