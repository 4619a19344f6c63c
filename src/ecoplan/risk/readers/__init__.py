"""Readers of the risk domain: the enterprise file of the grading, the registries."""
