"""The Annex C flows as sans-IO state machines (spec §7, §25.5, §25.7, §25.9).

No sockets and no clock: the caller feeds the segments it received (:meth:`receive`) and
the time (``now``, a :class:`datetime` it reads from its own clock, also used to make
QNs), and calls :meth:`tick` to let timeouts fire; every call returns :data:`Action` s —
:class:`Send` a segment, :class:`Received` data for the application, :class:`Done` /
:class:`Failed` for an exchange, :class:`Acked` for an upload or notification answered,
:class:`KeyInstalled` for a 1014 key change.

**Platform** (:class:`Platform`, one per connection):

- a **request** (spec §7.1, 2017 §6.5.1 Figure 7): send it; wait for 9011 — no reply
  within ``OverTime`` → resend (same QN) up to ``ReCount`` times, then
  :class:`Failed` ``no_reply`` (2017 §6.2 "请求回应超时"); QnRtn ≠ 1 → ``refused``;
  then the uploads (a "get" request: each answered 9014 when its Flag asks) and the 9012
  ExeRtn → :class:`Done`; no upload or result within ``OverTime`` after the 9011 or the
  last upload → ``execution_timeout`` ("执行超时"). Requests run one at a time, in order;
- a **notification** (2012, 2022: §7.1 "Notification") waits for 9013, with the same
  retries;
- **history / back-fill** (2051/2061/2031/2041 and 2025's 2013/2062, C.20–C.22,
  C.47–C.50): :func:`history_request` with ``BeginTime``/``EndTime``; the uploads that
  answer it are :class:`Received` with ``backfill=True`` (2025: they carry ``RF=1``,
  §25.3; an ``RF=1`` upload is back-fill whenever it comes, §25.9 item 5);
- **device uploads and notifications** are answered by :func:`.replies.reply_for`
  (9014 when the Flag asks; 9013 for 1013, 1001, 1014 and a 9015 heartbeat that asks);
  a 1013 time-calibration request is followed by a 1012 set-time request (C.4); a 1001
  registration by a 1002 set-MN request when ``assign_mn`` gives one (2025 C2/C3); a
  1014 key request by a 1014 new-key request when ``new_key`` gives one (2025 C7/C8),
  and the key is :class:`KeyInstalled` only after the device's 9012 ExeRtn=1, so the
  platform never encrypts with a key the device does not have;
- :meth:`Platform.initialise`: the first-connection sequence of §7.5 (2017 §6.7): time
  calibration 1012, timeout and retries 1000, real-time interval 1062, minute interval
  1064, real-time upload on/off 2011/2012, facility status on/off 2021/2022.

**Device** (:class:`Device`, for the simulator): answers a platform request as Annex C
shows — 9011 (QnRtn 3 for a wrong PW, 4 for a wrong MN, 8 for an unknown CN, 2 while
it still answers the previous request), the
uploads with new QNs (each waiting for its 9014 before the next when acknowledged,
C.48/C.50), then 9012; 9013 to a notification; applies 1000 (OverTime/ReCount), 1072
(password), 1002 (its MN) and 1014 (a new key). It uploads data (:meth:`Device.upload`)
— a segment over 1024 bytes as PNUM packets (:func:`.reassembly.split_segment`, 2025
§8.1.2), each answered on its own (C.50) — and notifications (1013, 1001, 1014, 9015
heartbeats), resending an unanswered one
(same QN) ``ReCount`` times after ``OverTime`` each, then :class:`Failed` ``no_ack``
with the segment, to be back-filled with ``RF=1`` (2025 §8.1.2, spec §25.7).

Timeouts: Table 1 (spec §7.4) via :data:`MEDIA`; 2025 keeps a Table 1 whose values were
not seen (spec §25.7), so the 2017 values are the defaults. Replies are built by
:mod:`.replies`.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from ecoplan.sources.protocol import replies
from ecoplan.sources.protocol.codes import CN_CODES, ExeRtn, QnRtn
from ecoplan.sources.protocol.crypto import parse_key
from ecoplan.sources.protocol.errors import LocalProtocolError
from ecoplan.sources.protocol.frame import STANDARD_MAX_SEGMENT
from ecoplan.sources.protocol.reassembly import split_segment
from ecoplan.sources.protocol.segment import DataArea, Flag, Segment, format_qn, format_time, parse_qn

__all__ = [
    "HISTORY_CNS",
    "MEDIA",
    "Acked",
    "Action",
    "Answer",
    "Device",
    "Done",
    "Failed",
    "KeyInstalled",
    "Platform",
    "Received",
    "Send",
    "Timing",
    "history_request",
    "make_segment",
]


@dataclass(frozen=True, slots=True)
class Timing:
    """超时时间 and 重发次数 (2017 §6.2, Table 1; set by CN 1000 ``OverTime``/``ReCount``)."""

    over_time: float = 10.0
    re_count: int = 3

    @property
    def delta(self) -> timedelta:
        return timedelta(seconds=self.over_time)


#: Table 1 (spec §7.4): GPRS, CDMA, WCDMA, TD-SCDMA, CDMA2000, PLC, LTE, WiMAX 10 s / 3; ADSL 5 s / 3.
MEDIA: Final[Mapping[str, Timing]] = {
    **dict.fromkeys(
        ("gprs", "cdma", "wcdma", "td-scdma", "cdma2000", "plc", "td-lte", "fdd-lte", "wimax"),
        Timing(10.0, 3),
    ),
    "adsl": Timing(5.0, 3),
}
#: The "get history" commands answered by back-filled uploads (C.20–C.23; 2025 C27, C59).
HISTORY_CNS: Final = frozenset({"2031", "2041", "2051", "2061", "2013", "2062"})
#: Platform → device notifications, answered by 9013 (C.11, C.13).
PLATFORM_NOTIFICATIONS: Final = frozenset({"2012", "2022"})


# --- actions ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Send:
    """Send ``segment`` (frame it with :func:`.frame.encode_frame`, encrypt as the link says)."""

    segment: Segment


@dataclass(frozen=True, slots=True)
class Received:
    """A segment from the peer for the application: an upload, a notification, a heartbeat.
    ``backfill``: history or ``RF=1`` data; ``request``: the QN of the request it answers."""

    segment: Segment
    backfill: bool = False
    request: str | None = None


@dataclass(frozen=True, slots=True)
class Done:
    """A request or notification completed: its QN and CN, the ExeRtn (None for a
    notification) and how many uploads answered it."""

    qn: str
    cn: str
    exe_rtn: int | None
    uploads: int = 0


@dataclass(frozen=True, slots=True)
class Failed:
    """An exchange given up: ``reason`` ``no_reply`` (no 9011/9013 after the retries),
    ``refused`` (QnRtn ≠ 1, in ``code``), ``execution_timeout``, ``no_ack`` (an upload
    never answered: back-fill it), ``failed`` (ExeRtn ≠ 1, in ``code``)."""

    qn: str
    cn: str
    reason: str
    code: int | None = None
    segment: Segment | None = None


@dataclass(frozen=True, slots=True)
class Acked:
    """An upload or notification answered (9014 / 9013) after ``tries`` sends."""

    qn: str
    cn: str
    tries: int


@dataclass(frozen=True, slots=True)
class KeyInstalled:
    """A new SM4 key for ``mn`` from ``created`` (CN 1014), to add to the key ring."""

    mn: str
    key: bytes
    created: datetime | None


Action = Send | Received | Done | Failed | Acked | KeyInstalled


@dataclass(frozen=True, slots=True)
class Answer:
    """What a device's application answers to a platform request: the ExeRtn and the data
    areas to upload (one segment each, new QNs)."""

    exe_rtn: ExeRtn | int = ExeRtn.SUCCESS
    uploads: tuple[DataArea, ...] = ()


# --- segments ---------------------------------------------------------------------------


def _version(edition: str) -> int:
    return 2 if edition == "2025" else 1


def make_segment(
    *,
    qn: datetime,
    st: str,
    cn: str,
    pw: str,
    mn: str,
    edition: str = "2017",
    ack: bool = True,
    cp: DataArea | Mapping[str, str] | Iterable[Iterable[tuple[str, str]]] | None = None,
    rf: bool = False,
) -> Segment:
    """A canonical segment of ``edition`` (Flag 5/4 in 2017, 9/8 in 2025, spec §25.3)."""
    area = cp if cp is None or isinstance(cp, DataArea | Mapping) else DataArea.build(cp)
    return Segment.build(
        qn=qn, st=st, cn=cn, pw=pw, mn=mn, flag=Flag.make(version=_version(edition), ack=ack), cp=area, rf=rf
    )


def history_request(
    cn: str, begin: datetime, end: datetime, *, qn: datetime, st: str, pw: str, mn: str, edition: str = "2017"
) -> Segment:
    """A "get history" request (C.20–C.22): ``CP=&&BeginTime=…;EndTime=…&&``."""
    if cn not in HISTORY_CNS:
        raise LocalProtocolError("bad_cn", f"CN {cn} is not a history command", cn)
    if end < begin:
        raise LocalProtocolError("bad_value", "EndTime before BeginTime", f"{begin}/{end}")
    cp = {"BeginTime": format_time(begin), "EndTime": format_time(end)}
    return make_segment(qn=qn, st=st, cn=cn, pw=pw, mn=mn, edition=edition, cp=cp)


def _qn_text(seg: Segment) -> str:
    """The QN a reply answers: the header's, or 2005's QN inside CP (spec §7.2)."""
    if isinstance(seg.qn, datetime):
        return format_qn(seg.qn)
    return seg.qn or seg.cp.get("QN") or ""


class _Clock:
    """Unique QNs from the caller's time (two in the same millisecond get +1 ms)."""

    def __init__(self) -> None:
        self._last: datetime | None = None

    def qn(self, now: datetime) -> datetime:
        at = now.replace(microsecond=now.microsecond - now.microsecond % 1000)
        if self._last is not None and at <= self._last:
            at = self._last + timedelta(milliseconds=1)
        self._last = at
        return at

    def after(self, qn: datetime | None) -> None:
        """The next QN comes after ``qn`` (uploads answering a request get new QNs, C.47)."""
        if qn is not None and (self._last is None or qn > self._last):
            self._last = qn


@dataclass(slots=True)
class _Pending:
    """One exchange we started and wait on."""

    segment: Segment
    kind: str  # "request" | "notification" | "upload"
    deadline: datetime
    tries: int = 1
    phase: str = "reply"  # request: "reply" (waiting 9011) | "execute" (after 9011)
    uploads: int = 0
    then: Callable[[int], list[Action]] | None = None  # run on ExeRtn
    history: bool = False  # a history record: the next one waits for its 9014

    @property
    def qn(self) -> str:
        return _qn_text(self.segment)

    @property
    def cn(self) -> str:
        return self.segment.cn or ""


def _resend_or_fail(p: _Pending, now: datetime, timing: Timing, reason: str) -> tuple[list[Action], bool]:
    """On a reply timeout: resend (same QN) while retries are left, else fail. Returns the
    actions and whether ``p`` is still pending."""
    if p.tries <= timing.re_count:
        p.tries += 1
        p.deadline = now + timing.delta
        return [Send(p.segment)], True
    return [Failed(p.qn, p.cn, reason, segment=p.segment)], False


# --- platform ---------------------------------------------------------------------------


class Platform:
    """The platform side of one device connection (spec §7, §25.5).

    ``edition``, ``st``, ``pw``, ``mn``: what the platform's requests say (the device's
    ST, PW and MN). ``assign_mn``: MN to give a registering device (1001 → 1002), from
    its ``i23005-Info``; ``new_key``: a new SM4 key for an MN that asks (1014), or None.
    """

    def __init__(
        self,
        *,
        mn: str,
        pw: str,
        st: str = "32",
        edition: str = "2017",
        timing: Timing | None = None,
        assign_mn: Callable[[Segment], str | None] | None = None,
        new_key: Callable[[str], bytes | None] | None = None,
    ) -> None:
        self.mn, self.pw, self.st, self.edition = mn, pw, st, edition
        self.timing = timing or Timing()
        self.assign_mn = assign_mn
        self.new_key = new_key
        self._clock = _Clock()
        self._queue: deque[_Pending] = deque()
        self._active: _Pending | None = None

    # building

    def segment(self, cn: str, now: datetime, cp: Mapping[str, str] | DataArea | None = None) -> Segment:
        """A platform → device segment with a fresh QN and an answer requested."""
        qn = self._clock.qn(now)
        return make_segment(qn=qn, st=self.st, cn=cn, pw=self.pw, mn=self.mn, edition=self.edition, cp=cp)

    @property
    def busy(self) -> bool:
        """An exchange is running or queued."""
        return self._active is not None or bool(self._queue)

    # starting exchanges

    def request(self, segment: Segment, now: datetime) -> list[Action]:
        """Queue a request (its answer: 9011, uploads, 9012); send it when none is running."""
        kind = "notification" if segment.cn in PLATFORM_NOTIFICATIONS else "request"
        self._queue.append(_Pending(segment, kind, now))
        return self._next(now)

    def history(self, cn: str, begin: datetime, end: datetime, now: datetime) -> list[Action]:
        """Queue a history request (back-fill) for ``BeginTime..EndTime``."""
        seg = history_request(
            cn, begin, end, qn=self._clock.qn(now), st=self.st, pw=self.pw, mn=self.mn, edition=self.edition
        )
        return self.request(seg, now)

    def initialise(
        self,
        now: datetime,
        *,
        rtd_interval: int = 30,
        min_interval: int = 10,
        realtime: bool = True,
        status: bool = False,
    ) -> list[Action]:
        """The first-connection sequence of §7.5 (2017 §6.7), queued in order."""
        t = self.timing
        steps: list[tuple[str, dict[str, str]]] = [
            ("1012", {"SystemTime": format_time(now)}),
            ("1000", {"OverTime": str(int(t.over_time)), "ReCount": str(t.re_count)}),
            ("1062", {"RtdInterval": str(rtd_interval)}),
            ("1064", {"MinInterval": str(min_interval)}),
            ("2011" if realtime else "2012", {}),
            ("2021" if status else "2022", {}),
        ]
        actions: list[Action] = []
        for cn, cp in steps:
            actions += self.request(self.segment(cn, now, cp), now)
        return actions

    # feeding

    def receive(self, seg: Segment, now: datetime) -> list[Action]:
        """A segment from the device, its CRC verified (:func:`.crypto.open_frame` ok): a
        frame that could not be checked is never answered (spec §25.9 item 3)."""
        if seg.cn in replies.REPLY_CODES:
            return self._reply(seg, now)
        actions: list[Action] = []
        answer = replies.reply_for(seg)
        if answer is not None:
            actions.append(Send(answer))
        active = self._active
        in_history = (
            active is not None
            and active.kind == "request"
            and active.phase == "execute"
            and seg.cn == active.cn
        )
        if in_history and active is not None:
            active.uploads += 1
            active.deadline = now + self.timing.delta  # 执行超时 restarts after each sub-packet
        backfill = seg.rf == "1" or (in_history and seg.cn in HISTORY_CNS)
        actions.append(Received(seg, backfill, active.qn if in_history and active is not None else None))
        actions += self._device_initiated(seg, now)
        return actions

    def tick(self, now: datetime) -> list[Action]:
        """Let the timeouts of ``now`` fire."""
        p = self._active
        if p is None or now < p.deadline:
            return []
        if p.phase == "execute":
            self._active = None
            return [Failed(p.qn, p.cn, "execution_timeout", segment=p.segment), *self._next(now)]
        actions, alive = _resend_or_fail(p, now, self.timing, "no_reply")
        if not alive:
            self._active = None
            actions += self._next(now)
        return actions

    # internals

    def _next(self, now: datetime) -> list[Action]:
        if self._active is not None or not self._queue:
            return []
        p = self._queue.popleft()
        p.deadline = now + self.timing.delta
        self._active = p
        return [Send(p.segment)]

    def _reply(self, seg: Segment, now: datetime) -> list[Action]:
        p = self._active
        if p is None or _qn_text(seg) != p.qn:
            return []  # a late or foreign reply: nothing waits for it
        if p.kind == "notification":
            if seg.cn != replies.NOTIFICATION_REPLY:
                return []
            self._active = None
            return [Done(p.qn, p.cn, None), *self._next(now)]
        if seg.cn == replies.REQUEST_REPLY and p.phase == "reply":
            rtn = seg.cp.value("QnRtn")
            code = int(rtn) if isinstance(rtn, int) else None
            if code != QnRtn.READY:
                self._active = None
                return [Failed(p.qn, p.cn, "refused", code, p.segment), *self._next(now)]
            p.phase, p.deadline = "execute", now + self.timing.delta
            return []
        if seg.cn == replies.EXECUTION_RESULT:
            rtn = seg.cp.value("ExeRtn")
            code = int(rtn) if isinstance(rtn, int) else None
            self._active = None
            out: list[Action] = []
            if code == ExeRtn.SUCCESS or (code == ExeRtn.NO_DATA and p.cn in HISTORY_CNS):
                out.append(Done(p.qn, p.cn, code, p.uploads))
                self._adopt(p.segment)
                if p.then is not None:
                    out += p.then(code)
            else:
                out.append(Failed(p.qn, p.cn, "failed", code, p.segment))
            return out + self._next(now)
        return []

    def _adopt(self, req: Segment) -> None:
        """What a request the device executed changes here: 1072 its PW, 1000 the timing."""
        if req.cn == "1072" and req.cp.get("NewPW"):
            self.pw = req.cp.get("NewPW") or self.pw
        elif req.cn == "1000":
            over, count = req.cp.value("OverTime"), req.cp.value("ReCount")
            if isinstance(over, int) and isinstance(count, int):
                self.timing = Timing(float(over), count)

    def _device_initiated(self, seg: Segment, now: datetime) -> list[Action]:
        """Follow-ups of device notifications: 1013 → 1012 (C.4); 1001 → 1002 (2025 C2/C3);
        1014 → 1014 (2025 C7/C8)."""
        if seg.cn == "1013":
            cp = {"SystemTime": format_time(now)}
            pol = seg.cp.get("PolId")
            return self.request(self.segment("1012", now, {"PolId": pol, **cp} if pol else cp), now)
        if seg.cn == "1001" and self.assign_mn is not None:
            new_mn = self.assign_mn(seg)
            info = seg.cp.get("i23005-Info")
            if new_mn and info:
                qn = self._clock.qn(now)
                req = make_segment(
                    qn=qn, st=seg.st or self.st, cn="1002", pw=self.pw, mn=new_mn,
                    edition=self.edition, cp={"i23005-Info": info},
                )  # fmt: skip
                self.mn = new_mn
                return self.request(req, now)
        if seg.cn == "1014" and self.new_key is not None and seg.mn:
            key = self.new_key(seg.mn)
            if key is not None:
                created = self._clock.qn(now)
                if len(key) != 16 or not (key.isascii() and key.decode("ascii").isprintable()):
                    raise LocalProtocolError("bad_key", "NewSK is 16 printable characters (§25.4)", key)
                text = key.decode("ascii")
                cp = {"SKCreateTime": format_qn(created), "NewSK": text}
                req = self.segment("1014", now, DataArea.build([list(cp.items())]))
                mn = seg.mn

                def installed(_: int) -> list[Action]:
                    return [KeyInstalled(mn, key, created)]

                actions = self.request(req, now)
                for p in (self._active, *self._queue):
                    if p is not None and p.segment is req:
                        p.then = installed
                return actions
        return []


# --- device -----------------------------------------------------------------------------

Handler = Callable[[Segment], Answer]


def _no_data(_: Segment) -> Answer:
    return Answer()


class Device:
    """The device side (数采仪) of the flows, for a simulator (spec §7, §25.5, §25.9 item 7).

    ``handler`` answers a platform request with the data to upload (default: nothing,
    ExeRtn 1). ``ack``: the device's uploads ask for a 9014 (Flag 5/9) and it sends the
    next history record only after it (C.48/C.50). ``hardware_id``: the ``i23005-Info``
    a 2025 data logger registers with (1001) and is recognised by (1002).
    """

    def __init__(
        self,
        *,
        mn: str,
        pw: str,
        st: str = "32",
        edition: str = "2017",
        timing: Timing | None = None,
        handler: Handler | None = None,
        ack: bool = True,
        hardware_id: str | None = None,
        max_segment: int = STANDARD_MAX_SEGMENT,
    ) -> None:
        self.mn, self.pw, self.st, self.edition = mn, pw, st, edition
        self.max_segment = max_segment
        self.timing = timing or Timing()
        self.handler = handler or _no_data
        self.ack = ack
        self.hardware_id = hardware_id
        self._clock = _Clock()
        self._waiting: dict[str, _Pending] = {}  # QN → our upload / notification awaiting 9014/9013
        self._outbox: deque[Segment] = deque()  # history records held until the previous 9014
        self._finish: Segment | None = None  # the 9012 to send when the outbox is empty

    # building

    def segment(
        self,
        cn: str,
        now: datetime,
        cp: Mapping[str, str] | DataArea | None = None,
        *,
        ack: bool | None = None,
        rf: bool = False,
    ) -> Segment:
        """A device → platform segment with a fresh QN."""
        return make_segment(
            qn=self._clock.qn(now), st=self.st, cn=cn, pw=self.pw, mn=self.mn, edition=self.edition,
            ack=self.ack if ack is None else ack, cp=cp, rf=rf and self.edition == "2025",
        )  # fmt: skip

    @property
    def pending(self) -> int:
        """Uploads and notifications awaiting their answer."""
        return len(self._waiting)

    # device-initiated

    def send(self, seg: Segment, now: datetime) -> list[Action]:
        """Send ``seg``; when its Flag asks for an answer, wait for it with retries."""
        if seg.flag is not None and seg.flag.ack:
            self._waiting[_qn_text(seg)] = _Pending(seg, "upload", now + self.timing.delta)
        return [Send(seg)]

    def upload(
        self, cn: str, cp: Mapping[str, str] | DataArea, now: datetime, *, backfill: bool = False
    ) -> list[Action]:
        """Upload data (2011/2051/2061/2031…, C.14–C.18); ``backfill`` marks ``RF=1`` (2025).
        A segment over ``max_segment`` goes as PNUM packets, each answered on its own (C.49/C.50)."""
        actions: list[Action] = []
        for packet in self._packets(self.segment(cn, now, cp, rf=backfill), now):
            actions += self.send(packet, now)
        return actions

    def _packets(self, seg: Segment, now: datetime) -> list[Segment]:
        return split_segment(seg, lambda: self._clock.qn(now), max_segment=self.max_segment)

    def heartbeat(self, now: datetime) -> list[Action]:
        """9015 heartbeat, ``CP=&&&&`` (2025 Table 12, C54)."""
        return self.send(self.segment("9015", now), now)

    def time_calibration(self, now: datetime, pol_id: str | None = None) -> list[Action]:
        """1013 time-calibration request (C.4)."""
        return self.send(self.segment("1013", now, {"PolId": pol_id} if pol_id else None), now)

    def register(self, now: datetime, info: Mapping[str, str] | None = None) -> list[Action]:
        """1001 hardware identity (2025 C2): ``i23005-Info`` … ``i23008-Info``."""
        if self.hardware_id is None:
            raise LocalProtocolError("no_hardware_id", "a device registers with its hardware_id", "")
        cp = {"i23005-Info": self.hardware_id, **(info or {})}
        return self.send(self.segment("1001", now, cp), now)

    def request_key(self, now: datetime, created: datetime) -> list[Action]:
        """1014 ↑ ask for a new key, ``SKCreateTime`` of the current one (2025 C7)."""
        return self.send(self.segment("1014", now, {"SKCreateTime": format_qn(created)}), now)

    # feeding

    def receive(self, seg: Segment, now: datetime) -> list[Action]:
        """A segment from the platform."""
        if seg.cn in (replies.DATA_REPLY, replies.NOTIFICATION_REPLY):
            return self._answered(seg, now)
        if seg.cn in PLATFORM_NOTIFICATIONS:
            return [Send(replies.notification_reply(seg)), Received(seg)]
        if seg.cn in replies.REPLY_CODES:
            return []
        return self._request(seg, now)

    def tick(self, now: datetime) -> list[Action]:
        """Resend unanswered uploads (same QN) or give them up (``no_ack``: back-fill later)."""
        actions: list[Action] = []
        for qn, p in list(self._waiting.items()):
            if now < p.deadline:
                continue
            out, alive = _resend_or_fail(p, now, self.timing, "no_ack")
            actions += out
            if not alive:
                del self._waiting[qn]
                actions += self._drain(now)
        return actions

    # internals

    def _answered(self, seg: Segment, now: datetime) -> list[Action]:
        p = self._waiting.pop(_qn_text(seg), None)
        if p is None:
            return []
        return [Acked(p.qn, p.cn, p.tries), *self._drain(now)]

    def _drain(self, now: datetime) -> list[Action]:
        """Send the next held history record, or the 9012 when none is left (C.48/C.50)."""
        if any(p.history for p in self._waiting.values()):
            return []
        if self._outbox:
            return self._send_record(self._outbox.popleft(), now)
        if self._finish is not None:
            done, self._finish = self._finish, None
            return [Send(done)]
        return []

    def _send_record(self, seg: Segment, now: datetime) -> list[Action]:
        self._waiting[_qn_text(seg)] = _Pending(seg, "upload", now + self.timing.delta, history=True)
        return [Send(seg)]

    def _check(self, seg: Segment) -> QnRtn:
        if seg.cn not in CN_CODES:
            return QnRtn.CN_ERROR
        if seg.pw != self.pw:
            return QnRtn.PW_ERROR
        if seg.cn == "1002":
            return QnRtn.READY if seg.cp.get("i23005-Info") == self.hardware_id else QnRtn.MN_ERROR
        if seg.mn != self.mn:
            return QnRtn.MN_ERROR
        return QnRtn.READY

    def _request(self, seg: Segment, now: datetime) -> list[Action]:
        rtn = self._check(seg)
        if rtn == QnRtn.READY and (self._outbox or self._finish is not None):
            rtn = QnRtn.REFUSED  # still sending the answer to the previous request
        reply = replies.request_reply(seg, rtn)
        if rtn != QnRtn.READY:
            return [Send(reply)]
        actions: list[Action] = [Send(reply), Received(seg)]
        actions += self._apply(seg)
        answer = self.handler(seg)
        self._clock.after(seg.qn_time)
        history = seg.cn in HISTORY_CNS and seg.cp.get("BeginTime") is not None
        records = [
            packet
            for area in answer.uploads
            for packet in self._packets(self.segment(seg.cn or "", now, area, rf=history), now)
        ]  # new QNs for the uploads, long ones split (C.20, C.47–C.50)
        result = replies.execution_result(seg, answer.exe_rtn)
        if not (self.ack and records):
            return actions + [Send(r) for r in records] + [Send(result)]
        self._outbox.extend(records)
        self._finish = result
        return actions + self._drain(now)

    def _apply(self, seg: Segment) -> list[Action]:
        """The protocol-level settings a request changes: 1000, 1072, 1002, 1014."""
        cp = seg.cp
        if seg.cn == "1000":
            over, count = cp.value("OverTime"), cp.value("ReCount")
            if isinstance(over, int) and isinstance(count, int):
                self.timing = Timing(float(over), count)
        elif seg.cn == "1072" and cp.get("NewPW"):
            self.pw = cp.get("NewPW") or self.pw
        elif seg.cn == "1002" and seg.mn:
            self.mn = seg.mn
        elif seg.cn == "1014":
            text, created = cp.get("NewSK"), cp.get("SKCreateTime")
            if text is not None:
                try:
                    key = parse_key(text)
                except LocalProtocolError:
                    return []
                return [KeyInstalled(self.mn, key, parse_qn(created or ""))]
        return []
