"""Moved to :mod:`ecoplan.kit.auth` (shared by the API and the dashboard); kept for
imports of the work in progress of issue #12, removed before it closes."""

from ecoplan.kit.auth import *  # noqa: F403
from ecoplan.kit.auth import Auth, client_of, error_answers, role_extra  # noqa: F401
