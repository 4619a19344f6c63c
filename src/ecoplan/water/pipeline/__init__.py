"""Surface-water pipeline: samples → station periods → section classes → shares → targets;
lake trophic state (:mod:`.trophic`).

The SQL (:mod:`.sql`) is written once in DuckDB's dialect from the standards' tables
and run on DuckDB or, through SQLGlot, on Spark (:mod:`.evaluate`).
"""

from ecoplan.water.pipeline.evaluate import (
    SECTION_COLUMNS,
    SHARE_COLUMNS,
    TARGET_RESULT_COLUMNS,
    register,
    sample_classes,
    sections,
    shares,
    targets,
)
from ecoplan.water.pipeline.sql import GRADE_CODES, PeriodOptions
from ecoplan.water.pipeline.trophic import TROPHIC_COLUMNS, trophic

__all__ = [
    "GRADE_CODES",
    "SECTION_COLUMNS",
    "SHARE_COLUMNS",
    "TARGET_RESULT_COLUMNS",
    "TROPHIC_COLUMNS",
    "PeriodOptions",
    "register",
    "sample_classes",
    "sections",
    "shares",
    "targets",
    "trophic",
]
