"""The waste domain's records and the rules that need no store.

Vocabularies (roles, unit classes, permit kinds, manifest statuses, ledger stages),
the waste code forms of the 2021 catalogue (``HW08`` category, ``900-249-08`` code), the
14-digit manifest number (《危险废物转移管理办法》 Art. 15: year 4 + province 2 + city 2 +
serial 6) and the validity limits of permits (《危险废物经营许可证管理办法》 Art. 13:
comprehensive 5 years, collection 3 years) and of cross-province approvals (办法 Art. 27:
at most 12 months, and never past the receiver's permit).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

__all__ = [
    "APPROVAL_MONTHS",
    "DECLARATION_KINDS",
    "DECLARATION_PERIODS",
    "LEDGER_STAGES",
    "PERMIT_YEARS",
    "ROLES",
    "STATUSES",
    "UNIT_CLASSES",
    "ManifestNo",
    "add_months",
    "add_years",
    "code_matches",
    "is_category",
    "is_code",
    "manifest_no_problems",
    "parse_manifest_no",
]

ROLES = ("producer", "transporter", "receiver")
#: HJ 1259-2022: 重点监管 (key), 简化管理 (simplified), 登记管理 (registered) units.
UNIT_CLASSES = ("key", "simplified", "registered")
#: 经营许可证 kinds and their longest validity in years (许可证管理办法 Art. 13).
PERMIT_YEARS = {"comprehensive": 5, "collection": 3}
#: A cross-province approval is valid at most this many months (转移管理办法 Art. 27).
APPROVAL_MONTHS = 12
STATUSES = ("draft", "shipped", "received", "confirmed", "rejected", "closed", "corrected")
#: HJ 1259-2022 §7.2 declarations (申报): monthly (key units), quarterly (simplified), annual.
DECLARATION_KINDS = ("monthly", "quarterly", "annual")
#: The period each declaration kind names: ``2025-03``, ``2025Q1``, ``2025``.
DECLARATION_PERIODS = {"monthly": r"\d{4}-(0[1-9]|1[0-2])", "quarterly": r"\d{4}Q[1-4]", "annual": r"\d{4}"}
#: HJ 1259-2022 ledger stages (产生, 入库, 出库, 自行利用处置, 委外).
LEDGER_STAGES = ("generated", "stored_in", "stored_out", "self_treated", "shipped")

_CODE = re.compile(r"^\d{3}-\d{3}-\d{2}$")
_CATEGORY = re.compile(r"^HW\d{2}$")
_MANIFEST = re.compile(r"^\d{14}$")
#: The earliest plausible manifest year (the electronic manifests came later; the 1999
#: 联单办法 numbered paper forms differently).
FIRST_YEAR = 2000


def is_code(text: str) -> bool:
    """An 8-digit waste code as the 2021 catalogue writes it (``900-249-08``)."""
    return bool(_CODE.fullmatch(text))


def is_category(text: str) -> bool:
    """A waste category (``HW08``)."""
    return bool(_CATEGORY.fullmatch(text))


def code_matches(code: str, allowed: list[str] | tuple[str, ...]) -> bool:
    """Whether ``code`` is on a list of codes and categories (``HW08`` covers ``…-08``)."""
    return any(a == code or (is_category(a) and code.endswith("-" + a[2:])) for a in allowed)


@dataclass(frozen=True)
class ManifestNo:
    """A manifest number's parts (Art. 15)."""

    year: int
    province: str
    city: str
    serial: str


def parse_manifest_no(text: str) -> ManifestNo | None:
    """The parts of a 14-digit number, or None when it is not 14 digits."""
    if not _MANIFEST.fullmatch(text):
        return None
    return ManifestNo(int(text[:4]), text[4:6], text[6:8], text[8:])


def manifest_no_problems(text: str, region: str | None, shipped: dt.date | None, today: dt.date) -> list[str]:
    """Reason codes of a manifest number against its producer's region (GB/T 2260 code)
    and its ship date: ``manifest_no_format`` (not 14 digits), ``manifest_no_year``
    (before 2000, after the ship date's year, or more than a year before it; after next
    year when not shipped), ``manifest_no_province`` / ``manifest_no_city`` (not the
    producer's; a producer registered at province level is checked for its province
    only), ``manifest_no_serial`` (serial 000000)."""
    no = parse_manifest_no(text)
    if no is None:
        return ["manifest_no_format"]
    out: list[str] = []
    top = shipped.year if shipped else today.year + 1
    low = shipped.year - 1 if shipped else FIRST_YEAR
    if not (max(FIRST_YEAR, low) <= no.year <= top):
        out.append("manifest_no_year")
    if region and len(region) == 6:
        if no.province != region[:2]:
            out.append("manifest_no_province")
        elif region[2:4] != "00" and no.city != region[2:4]:
            out.append("manifest_no_city")
    if no.serial == "000000":
        out.append("manifest_no_serial")
    return out


def add_years(d: dt.date, years: int) -> dt.date:
    """``d`` plus whole years (29 February → 28 February)."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` plus whole months (the day clipped to the month's end)."""
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return dt.date(y, m, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
