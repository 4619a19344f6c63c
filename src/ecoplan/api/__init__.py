"""The read-only REST API (``/api/v1``)."""

from ecoplan.api.app import create_app

__all__ = ["create_app"]
