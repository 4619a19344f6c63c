"""The bundled environmental-risk registry sample ``make run`` loads.

Fictitious enterprises, sensitive targets and emergency plans in 郑州 (real district
codes, illustrative positions; two plans overdue for review), imported in this order with
``ecoplan risk import KIND FILE`` so the /risk/ pages are not empty after ``make run``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["DEMO_FILES", "demo_files"]

#: (registry kind, file name under ``risk/data/demo/``), in loading order.
DEMO_FILES: tuple[tuple[str, str], ...] = (
    ("sources", "risk_sources.csv"),
    ("targets", "risk_targets.csv"),
    ("plans", "risk_plans.csv"),
)


def demo_files() -> tuple[tuple[str, Path], ...]:
    """Every bundled risk registry file with its kind, in loading order."""
    root = resources.files("ecoplan.risk").joinpath("data", "demo")
    return tuple((kind, Path(str(root.joinpath(name)))) for kind, name in DEMO_FILES)
