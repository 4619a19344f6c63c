"""区域生态质量评价办法(试行) (MEE, 2021): the ecological quality index EQI — registered,
method NOT LOADED.

What is known (the project spec on waste, risk and ecology, section C): 4 first-level
indicators (生态格局, 生态功能, 生物多样性, 生态胁迫), 11 second-level and 18 third-level
ones. The weights, the
normalisation and the class bounds were not found in a primary text, so nothing is
computed: :func:`evaluate` raises a worded error saying the method is not loaded, the
way an indicator whose method is unknown is shown as such, and :data:`METHOD` tells the
API and the pages so. (HJ 1172-2021 is the 全国生态状况调查评估 ecosystem-quality spec,
not this method.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NoReturn

from ecoplan.core.errors import EcoplanError

__all__ = ["METHOD", "Method", "evaluate"]


@dataclass(frozen=True)
class Method:
    """An evaluation method the domain knows of, and whether it is loaded."""

    code: str
    document: str
    loaded: bool
    first_level: tuple[str, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "document": self.document,
            "loaded": self.loaded,
            "first_level": list(self.first_level),
            "note": self.note,
        }


METHOD = Method(
    code="eqi",
    document="区域生态质量评价办法(试行) (2021)",
    loaded=False,
    first_level=("生态格局", "生态功能", "生物多样性", "生态胁迫"),
    note="weights, normalisation and class bounds not found in a primary text",
)


def evaluate(**_: float) -> NoReturn:
    """Always refuses: the method's text is not loaded."""
    raise EcoplanError.worded("ecology.eqi.not_loaded", document=METHOD.document)
