"""Readers of surface-water monitoring data: one module per input format, one registry.

Every reader returns a :class:`~ecoplan.water.readers.batch.WaterBatch`.
"""

from ecoplan.water.readers.batch import WaterBatch

__all__ = ["WaterBatch"]
