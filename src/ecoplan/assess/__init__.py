"""Pure verdicts: each region judged on its own baseline and target, year by year.

``evaluate`` (one plan for one region: ``model``, ``resolve``, ``baseline``, ``space``,
``measures``, ``verdict``, ``early_warning``, ``reasons``), ``table`` (the same rules
vectorised over every region), ``progress`` (schedules and projections), ``scoring``
and ``ranking`` (scores, grades and ranks by level under a rules file). No I/O: the
store calls these and keeps what they return. See ``docs/assessment.md``.
"""
