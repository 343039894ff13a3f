"""Who is asking, and which members' data they may see: the one place isolation is decided.

Every query over member data goes through ``MemberScope``; routes never filter by hand.
A member reader sees their member only; quarantined assets (no member) are DSIT-only.
Objects outside the scope are reported as not found, so their existence does not leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from server.accounts.models import Role

from .errors import Forbidden, NotFound


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: int
    username: str
    role: Role
    member_id: int | None

    @property
    def is_dsit(self) -> bool:
        return self.role in (Role.ADMIN, Role.TECHNICIAN)

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise Forbidden(f"this action needs one of the roles: {allowed}")

    def require_dsit(self) -> None:
        self.require(Role.ADMIN, Role.TECHNICIAN)

    def require_admin(self) -> None:
        self.require(Role.ADMIN)


@dataclass(frozen=True, slots=True)
class MemberScope:
    principal: Principal

    @property
    def member_id(self) -> int | None:
        """The only member visible, or None when every member (and the quarantine) is."""
        return None if self.principal.is_dsit else self.principal.member_id

    def filter(self, statement: Any, column: Any) -> Any:
        if self.principal.is_dsit:
            return statement
        if self.principal.member_id is None:
            return statement.where(False)  # a reader bound to no member sees nothing
        return statement.where(column == self.principal.member_id)

    def can_see(self, member_id: int | None) -> bool:
        return self.principal.is_dsit or (member_id is not None and member_id == self.principal.member_id)

    def check(self, member_id: int | None, what: str = "object") -> None:
        if not self.can_see(member_id):
            raise NotFound(f"{what} not found")

    def owned(self, model: Any, member_id: int | None = None) -> Any:
        """SELECT of ``model`` rows (with a ``member_id`` column) in scope, of one member if given."""
        statement = self.filter(select(model), model.member_id)
        return statement if member_id is None else statement.where(model.member_id == member_id)

    def get(self, session: Session, model: Any, object_id: int, what: str) -> Any:
        """A ``model`` row by id, or NotFound when it is missing or outside the scope."""
        row = session.get(model, object_id)
        if row is None or not self.can_see(row.member_id):
            raise NotFound(f"{what} {object_id} not found")
        return row
