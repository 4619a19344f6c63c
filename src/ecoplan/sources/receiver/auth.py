"""Who may send: the device registry's MN → password (and whether the device is active).

hj212 spec §4 Table 3: PW is the access password, MN the device's unique number; the
platform checks both before it stores or answers (a wrong PW is ``QnRtn=3`` for a
request, spec §6.3; for uploads it simply gets no 9014). The receiver reads a snapshot of
``sources_devices`` at start (``ep.sources.frames.device_auth()``) and on SIGHUP / every
few seconds, so that it never keeps the store open while it serves.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ecoplan.core.errors import EcoplanError

__all__ = ["DeviceAuth", "check", "load_csv"]


@dataclass(frozen=True, slots=True)
class DeviceAuth:
    """One registered device: MN, password, ST, edition (2017|2025), SM4 key, active."""

    mn: str
    pw: str
    st: str = ""
    edition: str = "2017"
    sm4_key: str | None = None
    active: bool = True


def check(devices: Mapping[str, DeviceAuth] | None, mn: str | None, pw: str | None) -> str | None:
    """None when ``mn``/``pw`` may send, else the quarantine reason: ``unknown_device``
    (no such MN, or not active) or ``bad_password``. ``devices`` None: no check."""
    if devices is None:
        return None
    device = devices.get(mn or "")
    if device is None or not device.active:
        return "unknown_device"
    if device.pw != (pw or ""):
        return "bad_password"
    return None


def load_csv(path: str | Path) -> dict[str, DeviceAuth]:
    """The devices of a registry CSV (``mn,outlet_id,st,pw,edition,sm4_key,active``, the
    file ``ecoplan sources simulate --register`` writes): for a receiver run without a
    store. :class:`EcoplanError` naming the row when a row has no MN or PW."""
    out: dict[str, DeviceAuth] = {}
    target = Path(path)
    try:
        text = target.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise EcoplanError.worded(
            "sources.receiver.error.no_devices", path=str(target), reason=str(exc)
        ) from None
    for row_no, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        mn, pw = (row.get("mn") or "").strip(), (row.get("pw") or "").strip()
        if not mn or not pw:
            raise EcoplanError.worded(
                "sources.receiver.error.bad_devices_file", path=str(target), row=row_no, reason="mn/pw"
            )
        active = (row.get("active") or "true").strip().lower() not in ("false", "0", "no", "否")
        out[mn] = DeviceAuth(
            mn, pw, (row.get("st") or "").strip(), (row.get("edition") or "2017").strip() or "2017",
            (row.get("sm4_key") or "").strip() or None, active,
        )  # fmt: skip
    return out
