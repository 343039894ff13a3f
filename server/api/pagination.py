"""Offset/limit pagination and ordering, NetBox style."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy import func, select
from sqlmodel import Session

from server.core.errors import Invalid

MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Page:
    offset: int
    limit: int


def get_page(
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
) -> Page:
    return Page(offset, limit)


PageDep = Annotated[Page, Depends(get_page)]


def count(session: Session, statement: Any) -> int:
    return session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0


def order(statement: Any, ordering: str | None, columns: dict[str, Any], default: list[Any]) -> Any:
    """Apply ``ordering=name,-last_seen`` with the columns a route allows; unknown names are refused."""
    if not ordering:
        return statement.order_by(*default)
    clauses = []
    for item in ordering.split(","):
        name = item.strip().lstrip("-")
        if name not in columns:
            raise Invalid(f"cannot order by {name!r}; allowed: {', '.join(sorted(columns))}")
        column = columns[name]
        clauses.append(column.desc().nulls_last() if item.strip().startswith("-") else column.asc().nulls_last())
    return statement.order_by(*clauses, *default)
