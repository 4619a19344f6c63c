"""The reasons of the assessment as codes with parameters (issue #9 item 5).

Every reason the rules give is a :class:`~ecoplan.core.words.Reason` (``reason.<code>``
of the catalog of words); :func:`message` renders it in English and Chinese into the
:class:`~ecoplan.assess.model.Message` the results carry. The parameters follow one
convention:

* names (a region, an authority) are ``{"zh": ..., "en": ...}`` mappings, so each
  language gets its own;
* numbers are numbers (rounded as shown, two decimals), the unit a separate
  parameter: :func:`unit_param` gives ``{"zh": "万平方公里", "en": " 10⁴ km²"}`` — the
  Chinese unit follows the number directly, the English one after a space (none
  for ``%`` or a unitless indicator), in English units;
* target expressions are the document's text (``15左右``, ``〔18〕``) in both languages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ecoplan.assess.model import Message
from ecoplan.core.words import Reason, word

__all__ = ["UNIT_EN", "annual_unit_param", "authority", "message", "name_param", "number", "unit_param"]

#: Units of Chinese documents as English text writes them.
UNIT_EN: Final = {
    "万平方公里": "10⁴ km²",
    "平方公里": "km²",
    "平方米": "m²",
    "万公顷": "10⁴ ha",
    "亿立方米": "10⁸ m³",
    "万立方米": "10⁴ m³",
    "亿亩": "10⁸ mu",
    "万亩": "10⁴ mu",
    "万吨标准煤": "10⁴ tce",
    "万吨": "10⁴ t",
    "吨": "t",
    "微克/立方米": "µg/m³",
    "毫克/升": "mg/L",
    "个百分点": "percentage points",
    "起/万枚": "per 10⁴ sources",  # radiation accidents per 10,000 radioactive sources
    "个": "",
}

_UNITLESS: Final = ("", "1")
_PERCENT: Final = ("%", "％")


def message(reason: Reason) -> Message:
    """``reason`` rendered in English and Chinese, carrying the reason itself."""
    return Message(reason.text("en"), reason.text("zh"), reason)


def unit_en(unit: str) -> str:
    """``unit`` in English (a Chinese document unit translated, others as they are)."""
    return UNIT_EN.get(unit, unit)


def unit_param(unit: str) -> dict[str, str]:
    """The unit after a number: ``{"zh": "万平方公里", "en": " 10⁴ km²"}``, ``%`` without a
    space, nothing for a unitless indicator."""
    if unit in _UNITLESS:
        return {"zh": "", "en": ""}
    if unit in _PERCENT:
        return {"zh": "%", "en": "%"}
    en = unit_en(unit)
    return {"zh": unit, "en": f" {en}" if en else ""}


def annual_unit_param(annual_unit: str) -> dict[str, str]:
    """The unit of an annual change (``%/yr``, ``万平方公里/yr``): per year in English;
    in Chinese the bare unit (the text says 年均)."""
    base = annual_unit.removesuffix("/yr")
    en = unit_en(base)
    return {"zh": base, "en": f"{en}/yr" if en else "/yr"}


def name_param(name: Message | Mapping[str, str] | None, code: str) -> dict[str, str]:
    """A region's name for each language (its code when unnamed)."""
    if name is None:
        return {"zh": code, "en": code}
    if isinstance(name, Message):
        return {"zh": name.zh or code, "en": name.en or name.zh or code}
    return {"zh": name.get("zh") or code, "en": name.get("en") or name.get("zh") or code}


def authority(scope: str | None) -> dict[str, str]:
    """Who hands a target down (``province``, ``city``, else the nation), in each language."""
    key = {"province": "authority.province", "city": "authority.city"}.get(scope or "", "authority.nation")
    return {"zh": word(key, "zh"), "en": word(key, "en")}


def number(x: float | None) -> float | None:
    """A number as the reasons show it: two decimals (None stays None)."""
    return None if x is None else round(float(x), 2)
