"""Local time of the incidents: the reporting zone (China Standard Time by default).

The 突发环境事件信息报告办法 counts its hours (Art. 3) on the clocks of the bureaus that
report, so every incident time is a naive local time of one zone: ``ECOPLAN_TZ`` (an
IANA name) or Asia/Shanghai. "Now" is that zone's wall clock, whatever the server's own
zone is (a server on UTC would otherwise refuse an incident of half an hour ago as in the
future and shift every clock by 8 h), and a time written with an offset (``+08:00``,
``Z``) is converted into the zone before its offset is dropped.
"""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

__all__ = ["DEFAULT_ZONE", "local_now", "reporting_zone", "to_local"]

#: The zone when ``ECOPLAN_TZ`` is not set.
DEFAULT_ZONE = "Asia/Shanghai"


def reporting_zone() -> ZoneInfo:
    """The zone incident times are kept in."""
    return ZoneInfo(os.environ.get("ECOPLAN_TZ") or DEFAULT_ZONE)


def local_now() -> dt.datetime:
    """The reporting zone's wall clock now, naive, to the second."""
    return dt.datetime.now(reporting_zone()).replace(tzinfo=None, microsecond=0)


def to_local(t: dt.datetime) -> dt.datetime:
    """``t`` as a naive time of the reporting zone: an aware time is converted, a naive
    one is taken as already local."""
    if t.tzinfo is None or t.tzinfo.utcoffset(t) is None:
        return t
    return t.astimezone(reporting_zone()).replace(tzinfo=None)
