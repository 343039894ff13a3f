"""Writing cost pools (API and pages alike): never in a closed year, never one that cannot be split."""

from __future__ import annotations

from sqlmodel import Session

from . import keys
from .models import CostPool
from .schemas import PoolIn
from .statements import check_pool


def create(session: Session, pool_in: PoolIn, stale_days: int) -> CostPool:
    keys.check_open(session, pool_in.year)
    if pool_in.key_code:
        keys.key_by_code(session, pool_in.key_code)
    pool = CostPool(**pool_in.stored())
    session.add(pool)
    session.flush()
    check_pool(session, pool, stale_days)
    return pool


def replace(session: Session, pool: CostPool, pool_in: PoolIn, stale_days: int) -> CostPool:
    keys.check_open(session, pool.year)
    keys.check_open(session, pool_in.year)  # nor moved into a closed year
    if pool_in.key_code:
        keys.key_by_code(session, pool_in.key_code)
    for name, value in pool_in.stored().items():
        setattr(pool, name, value)
    session.add(pool)
    session.flush()
    check_pool(session, pool, stale_days)
    return pool


def delete(session: Session, pool: CostPool) -> None:
    keys.check_open(session, pool.year)
    session.delete(pool)
