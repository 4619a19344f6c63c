"""Soil: GB 15618—2018 farmland and GB 36600—2018 construction-land classes, the safe-use rates.

Laid out as ``air/`` is: ``standards/`` (pure), ``readers/``, ``pipeline/``, ``feed``,
``schema``, ``storage``, ``service`` (``ep.soil``), ``commands``, ``routes``, ``pages``.
"""

from ecoplan.core.domain import Domain

__all__ = ["DOMAIN"]

DOMAIN = Domain(
    name="soil",
    package="ecoplan.soil",
    title_key="soil.title",
    words="words.yaml",
)
