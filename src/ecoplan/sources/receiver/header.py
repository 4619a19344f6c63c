"""The receiver's fast reading of a data segment's header (hj212 spec §4 Table 3).

The receiver needs only the header to decide (MN and PW for the password check, CN and
Flag for the reply, QN to echo): :func:`read_header` applies the header rules of
:meth:`~ecoplan.sources.protocol.segment.Segment.parse` — ``CP=&&`` present
(``no_cp``), the area closed by ``&&`` (``cp_not_closed``), ``NAME=value;`` pieces, none
repeated (``bad_header``), an integer Flag 0..255 (``bad_flag``) — with the same reason
codes, and returns a :class:`Segment` with an empty data area and the QN as text. The
data area itself is parsed by the ingest (``ecoplan sources ingest``), which quarantines
a frame whose area does not parse. A split packet (PNUM/PNO) is parsed in full by the
receiver, for the reassembly checks.
"""

from __future__ import annotations

from ecoplan.sources.protocol.errors import RemoteProtocolError
from ecoplan.sources.protocol.segment import HEADER_ORDER, Flag, Segment

__all__ = ["read_header"]

_KNOWN = frozenset(HEADER_ORDER)


def read_header(data: bytes) -> Segment:
    """The header of the segment ``data`` as a :class:`Segment` (empty CP, QN as text);
    :class:`RemoteProtocolError` as :meth:`Segment.parse` for a bad header."""
    text = data.decode("utf-8")
    at = text.find("CP=&&")
    if at < 0:
        raise RemoteProtocolError("no_cp", "no 'CP=&&' in the data segment", text)
    if not text.endswith("&&", at + 5):
        raise RemoteProtocolError("cp_not_closed", "the data area is not closed by '&&'", text)
    head = text[:at]
    if head and not head.endswith(";"):
        raise RemoteProtocolError("bad_header", "header does not end with ';' before CP", text)
    values: dict[str, str] = {}
    for piece in head[:-1].split(";") if head else ():
        key, sep, value = piece.partition("=")
        if not sep or not key:
            raise RemoteProtocolError("bad_header", f"header piece {piece!r} is not NAME=value", text)
        if key in values:
            raise RemoteProtocolError("bad_header", f"header field {key} repeated", text)
        values[key] = value
    flag: Flag | None = None
    ftext = values.get("Flag")
    if ftext is not None:
        if not (ftext.isdigit() and str(int(ftext)) == ftext and int(ftext) <= 255):
            raise RemoteProtocolError("bad_flag", f"Flag {ftext!r} is not an integer 0..255", text)
        flag = Flag(int(ftext))
    return Segment(
        st=values.get("ST"),
        cn=values.get("CN"),
        pw=values.get("PW"),
        mn=values.get("MN"),
        qn=values.get("QN"),
        flag=flag,
        pnum=values.get("PNUM"),
        pno=values.get("PNO"),
        rf=values.get("RF"),
        extra=tuple((k, v) for k, v in values.items() if k not in _KNOWN),
    )
