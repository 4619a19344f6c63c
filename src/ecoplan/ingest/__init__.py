"""Readers of what users bring that is not a domain's monitoring data: plans (YAML,
Excel), indicator values and decomposed targets. All or nothing: a bad file is refused
with every problem named by file, row and field; nothing is stored half."""
