"""Pollution sources (污染源在线监控): the domain is being built (issue 11).

Only the sans-IO HJ 212 protocol core (:mod:`ecoplan.sources.protocol`) exists so far;
the domain is not registered in :mod:`ecoplan.domains` yet.
"""
