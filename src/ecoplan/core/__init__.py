"""The small core every other package stands on: errors, regions, units, the record
types passed between layers, GB/T 8170 rounding, SQL dialects, templating, safe
exports and the catalog of words (zh/en). It imports nothing else of ecoplan."""
