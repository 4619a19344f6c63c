"""Who may send: the device registry's MN → password (and whether the device is active).

hj212 spec §4 Table 3: PW is the access password, MN the device's unique number; the
platform checks both before it stores or answers (a wrong PW is ``QnRtn=3`` for a
request, spec §6.3; for uploads it simply gets no 9014). The receiver reads a snapshot of
``sources_devices`` at start (``ep.sources.frames.device_auth()``) and on SIGHUP / every
few seconds, so that it never keeps the store open while it serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DeviceAuth", "check"]


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
