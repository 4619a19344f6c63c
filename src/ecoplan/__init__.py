"""ecoplan — 生态环境规划实施监测评估平台.

Turns China's eco-environmental protection plans into measured verdicts:
plans and their target expressions, indicator values with revision history,
and the assessment engine (progress, verdicts, scores, ranking, warnings).
"""

from ecoplan.app import Ecoplan, PlanHandle, open
from ecoplan.core.errors import EcoplanError

__all__ = ["Ecoplan", "EcoplanError", "PlanHandle", "open"]
__version__ = "0.1.0"
