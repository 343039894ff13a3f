"""PostgreSQL advisory locks: what several server instances on one database must not do at once.

SQLite needs none of this: every write transaction holds the database's write lock from its start
(BEGIN IMMEDIATE, see ``db``), and SQLite serves one machine anyway.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, text

from .errors import Conflict


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for a lock name (the same on every instance and Python run)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def wait_for(connection: Connection, name: str) -> None:
    """Hold lock ``name`` until the caller's transaction ends, waiting for it if another has it."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key(name)})


class JobBusy(Conflict):
    pass


def run_alone(connection: Connection, job: str) -> None:
    """Claim ``job`` for the caller's transaction, or raise JobBusy at once if another instance
    has it (scheduled jobs: the timer may fire on every server machine)."""
    if connection.dialect.name != "postgresql":
        return
    claimed = connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": lock_key(f"job:{job}")})
    if not claimed.scalar_one():
        raise JobBusy(f"{job} is already running on another server instance")
