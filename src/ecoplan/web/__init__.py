"""The dashboard (server-rendered, zh/en, JSON twins): :func:`register` adds it to an API app."""

from ecoplan.web.app import register

__all__ = ["register"]
