"""The database refuses UPDATE and DELETE on the audit chain (migration 0008 creates the same
triggers). Lifting them is for the test suite's table resets and for showing that
``mutuparc audit verify`` catches what someone with the database password could still do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, text

CREATE = {
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$",
        "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    ],
    "sqlite": [
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    ],
}
DROP = {
    "postgresql": ["DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event"],
    "sqlite": ["DROP TRIGGER IF EXISTS audit_event_no_update", "DROP TRIGGER IF EXISTS audit_event_no_delete"],
}


@contextmanager
def lifted(connection: Connection) -> Iterator[None]:
    """The chain's protection off for the length of the block, in the caller's transaction."""
    dialect = connection.dialect.name
    for statement in DROP[dialect]:
        connection.execute(text(statement))
    yield
    for statement in CREATE[dialect]:
        connection.execute(text(statement))


TRIGGER_NAMES = {
    "postgresql": ("audit_event_append_only",),
    "sqlite": ("audit_event_no_update", "audit_event_no_delete"),
}


def missing_triggers(connection: Connection) -> list[str]:
    """The protection triggers the database lacks (a backup taken after someone dropped them)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = 'audit_event'::regclass"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_event'"
    present = set(connection.execute(text(query)).scalars())
    return [name for name in TRIGGER_NAMES[dialect] if name not in present]


def reinstall(connection: Connection) -> None:
    """The triggers as they must be, whatever a restored backup held."""
    dialect = connection.dialect.name
    for statement in DROP[dialect] + CREATE[dialect]:
        connection.execute(text(statement))
