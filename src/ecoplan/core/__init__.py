"""The small core every other package stands on: errors, regions (GB/T 2260), GB/T 8170
rounding, SQL dialects, templating, safe exports, the catalog of words (zh/en) and the
:class:`~ecoplan.core.domain.Domain` a domain declares itself with. It imports nothing
else of ecoplan."""
