"""The dashboard (server-rendered, zh/en, JSON twins)."""

from ecoplan.web.pages import register

__all__ = ["register"]
