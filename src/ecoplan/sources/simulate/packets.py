"""The uploads a simulated device sends, in the exact form of HJ 212-2017 Annex C
(C.14 real-time 2011, C.16 minute 2051, C.17 hourly 2061, C.18 daily 2031) and the 2025
heartbeat 9015 (spec §25.5, C54). Built as text for speed; every one re-parses to the
same text (:meth:`Segment.parse` … :meth:`Segment.encode`, tested).

Values: the device's typical level times a random factor; flags ``N`` mostly, with some
``M`` (maintenance), ``D`` (fault), ``C`` (calibration) and ``T`` (over the upper limit)
(spec §6.4 Table 8).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Final

from ecoplan.sources.protocol.crc import crc16
from ecoplan.sources.simulate.devices import SimDevice

__all__ = ["FLAG_WEIGHTS", "STEPS", "UPLOAD_CNS", "heartbeat", "upload"]

#: The upload CNs and how far DataTime moves between two of them.
STEPS: Final = {
    "2011": timedelta(seconds=30),
    "2051": timedelta(minutes=10),
    "2061": timedelta(hours=1),
    "2031": timedelta(days=1),
}
UPLOAD_CNS: Final = tuple(STEPS)
FLAG_WEIGHTS: Final = (("N", 94), ("M", 2), ("D", 2), ("C", 1), ("T", 1))
_FLAGS: Final = tuple(f for f, _ in FLAG_WEIGHTS)
_WEIGHTS: Final = tuple(w for _, w in FLAG_WEIGHTS)
_NO_TOTAL: Final = frozenset({"a19001"})
_NO_ZS: Final = frozenset({"a19001", "a00000", "w01018", "w21003", "w00000"})


def _packet(segment: str) -> bytes:
    """``encode_frame(segment)`` for a segment built here (printable text by construction,
    so the framer's control-character scan is skipped): length, segment, CRC, CRLF (§2)."""
    data = segment.encode("utf-8")
    return b"##%04d%s%04X\r\n" % (len(data), data, crc16(data))


def _qn(when: datetime) -> str:
    return f"{when:%Y%m%d%H%M%S}{when.microsecond // 1000:03d}"


def _area(device: SimDevice, cn: str, data_time: datetime, rng: random.Random) -> str:
    items = [f"DataTime={data_time:%Y%m%d%H%M%S}"]
    flags = rng.choices(_FLAGS, _WEIGHTS, k=len(device.factors))
    for (code, level), flag in zip(device.factors, flags, strict=True):
        v = level * rng.uniform(0.6, 1.4)
        if cn == "2011":
            pairs = [f"{code}-Rtd={v:.2f}"]
            if code not in _NO_ZS:
                pairs.append(f"{code}-ZsRtd={v * 1.1:.2f}")
        else:
            lo, hi = v * rng.uniform(0.7, 0.95), v * rng.uniform(1.05, 1.3)
            pairs = [f"{code}-Min={lo:.2f}", f"{code}-Avg={v:.2f}", f"{code}-Max={hi:.2f}"]
            if code not in _NO_ZS:
                pairs.append(f"{code}-ZsAvg={v * 1.1:.2f}")
            if code not in _NO_TOTAL:
                pairs.append(f"{code}-Cou={v * 3.6:.2f}")
        pairs.append(f"{code}-Flag={flag}")
        items.append(",".join(pairs))
    return ";".join(items)


def upload(
    device: SimDevice,
    cn: str,
    qn_time: datetime,
    data_time: datetime,
    rng: random.Random,
    *,
    ack: bool = True,
) -> tuple[str, bytes]:
    """(QN, packet) of one upload ``cn`` (2011/2051/2061/2031) at ``data_time``."""
    qn = _qn(qn_time)
    flag = device.flag_ack if ack else device.flag_ack - 1
    seg = (
        f"QN={qn};ST={device.st};CN={cn};PW={device.pw};MN={device.mn};Flag={flag};"
        f"CP=&&{_area(device, cn, data_time, rng)}&&"
    )
    return qn, _packet(seg)


def heartbeat(device: SimDevice, qn_time: datetime) -> tuple[str, bytes]:
    """(QN, packet) of a 2025 heartbeat 9015 asking for a 9013 (``Flag=9``, ``CP=&&&&``)."""
    qn = _qn(qn_time)
    seg = f"QN={qn};ST={device.st};CN=9015;PW={device.pw};MN={device.mn};Flag=9;CP=&&&&"
    return qn, _packet(seg)
