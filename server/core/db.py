"""Engine and sessions for SQLite (embedded default) and PostgreSQL (production)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlmodel import Session, create_engine

from .config import Settings


def _prepare_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        # Let SQLAlchemy emit BEGIN itself (below) instead of pysqlite's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:  # type: ignore[no-untyped-def]
        # Take the write lock at the start: two deferred transactions that both try to write
        # would otherwise deadlock into "database is locked" instead of waiting their turn.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(settings: Settings) -> Engine:
    url = settings.database_url
    if settings.is_sqlite:
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # One connection per process: threads queue for it instead of polling SQLite's lock
        # (busy_timeout sleeps up to 100 ms at a time, which collapses throughput under load).
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=1,
            max_overflow=0,
            pool_timeout=60,
        )
        _prepare_sqlite(engine)
        return engine
    engine = create_engine(url, pool_size=settings.db_pool_size, max_overflow=settings.db_pool_size)
    _ping_idle_connections(engine)
    return engine


# A connection back in use within this many seconds is not pinged: under load, connections
# circulate in milliseconds and a ping per transaction was one round trip in four.
PING_AFTER_IDLE_SECONDS = 1.0


def _ping_idle_connections(engine: Engine) -> None:
    """Replace, at checkout, a pooled connection that died while idle (a database restart)
    instead of failing the request. Unlike ``pool_pre_ping``, only connections idle for
    ``PING_AFTER_IDLE_SECONDS`` are pinged. What still fails mid-transaction is retried (ingest)
    or answered 503 with Retry-After (API), and agents retry."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record) -> None:  # type: ignore[no-untyped-def]
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception as exc:
            # The pool discards this connection and checks out a fresh one.
            raise DisconnectionError(str(exc)) from exc


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error."""
    with Session(engine, expire_on_commit=False) as session, session.begin():
        yield session


@contextmanager
def pipelined(connection: Connection) -> Iterator[None]:
    """Send the statements run inside in one go (PostgreSQL: psycopg's pipeline mode), instead of
    one round trip each; elsewhere, nothing changes.

    Only for writes whose results nobody reads: a SELECT inside would find its rows not yet there.
    A statement the database refuses raises here, at the latest when the block ends, as the
    SQLAlchemy exception it would have raised alone (``IntegrityError``, ``OperationalError``...);
    the transaction is then failed and only good for a rollback.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    raw = connection.connection.driver_connection
    error_class = connection.dialect.loaded_dbapi.Error
    try:
        with raw.pipeline():
            yield
    except error_class as exc:
        invalidated = bool(raw.closed or getattr(raw, "broken", False))
        if invalidated:
            connection.invalidate(exc)
        raise DBAPIError.instance(
            None, None, exc, error_class, connection_invalidated=invalidated, dialect=connection.dialect
        ) from exc
