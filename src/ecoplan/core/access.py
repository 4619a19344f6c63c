"""Who may do what, where: roles, principals and region scopes (issue #12).

Roles are ordered — viewer < reporter < reviewer < admin — and each higher role can do
what the lower ones can. Every account and token is scoped to a region subtree of
GB/T 2260 codes: a Jiangmen (440700) reporter writes Jiangmen and its counties only; a
Guangdong (440000) reviewer reviews every Guangdong city; ``000000`` (the nation, a
project convention) covers everything. Pure: no store, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from ecoplan.core.regions import region_parent

__all__ = ["NATION", "Principal", "Role", "covers"]

NATION = "000000"


class Role(StrEnum):
    VIEWER = "viewer"
    REPORTER = "reporter"
    REVIEWER = "reviewer"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _RANK[self]

    def allows(self, needed: Role) -> bool:
        """True when this role includes ``needed`` (roles are hierarchical)."""
        return self.rank >= needed.rank


_RANK = {Role.VIEWER: 0, Role.REPORTER: 1, Role.REVIEWER: 2, Role.ADMIN: 3}


def covers(scope: str, region: str, parent_of: Callable[[str], str | None] = region_parent) -> bool:
    """True when ``region`` is ``scope`` or lies below it (``parent_of`` walks up one level;
    default: the bundled GB/T 2260 regions)."""
    if scope == NATION:
        return True
    seen: set[str] = set()
    cur: str | None = region
    while cur is not None and cur not in seen:
        if cur == scope:
            return True
        seen.add(cur)
        cur = parent_of(cur)
    return False


@dataclass(frozen=True)
class Principal:
    """An authenticated actor: a user acting with ``role`` inside ``region``'s subtree.

    ``via`` says how they proved it (``session``, ``token`` or ``cli`` — a shell on the
    server, trusted as the national admin); ``source`` is where from (a client address).
    A token's principal carries the token's role and region, never more than its owner's.
    """

    user: str
    role: Role
    region: str
    via: str = "session"
    token_id: str | None = None
    source: str | None = None

    def can(self, needed: Role) -> bool:
        return self.role.allows(needed)

    @classmethod
    def shell(cls, user: str = "cli") -> Principal:
        """The operator at the server's shell: national admin (the CLI's writes)."""
        return cls(user, Role.ADMIN, NATION, via="cli", source="cli")
