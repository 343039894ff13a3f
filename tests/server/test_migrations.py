"""The migrations build exactly the models' schema, and the server refuses a schema that is behind."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import server.models  # noqa: F401
from server import migrations
from server.core.config import Settings
from server.core.db import make_engine


def test_migrations_match_the_models(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == [], "models changed without a migration: run `mutuparc db revision -m ...`"


def test_database_is_at_head(db):
    assert migrations.current_revision(db.engine) == migrations.head_revision()


def test_server_refuses_an_empty_or_old_schema(tmp_path):
    from server.main import create_app

    engine = make_engine(Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}", _env_file=None))
    with pytest.raises(migrations.SchemaBehind, match="run `mutuparc db upgrade`"):
        create_app(Settings(database_url="sqlite://", _env_file=None), engine)
    migrations.upgrade(engine)
    create_app(Settings(database_url="sqlite://", _env_file=None), engine)


def _insert(connection, table: str, **values) -> None:  # type: ignore[no-untyped-def]
    """A row of an old schema, its other required columns filled with neutral values."""
    from sqlalchemy import text

    for _, name, kind, not_null, default, primary in connection.execute(text(f"PRAGMA table_info({table})")):
        if not_null and default is None and not primary and name not in values:
            kind = kind.upper()
            values[name] = 0 if "INT" in kind or "BOOL" in kind else "[]" if "JSON" in kind else "2026-01-01"
    columns = ", ".join(values)
    statement = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(':' + c for c in values)})"  # noqa: S608
    connection.execute(text(statement), values)


def test_0009_scopes_existing_sources_by_their_assets_member(tmp_path):
    """Sources recorded before scopes existed get their asset's member (or the quarantine, or
    for an address-only collected device its collector's token), and their own section hashes."""
    from sqlalchemy import text

    engine = make_engine(Settings(database_url=f"sqlite:///{tmp_path / 'old.db'}", _env_file=None))
    migrations.upgrade(engine, "0008")
    with engine.begin() as connection:
        _insert(connection, "member", id=1, name="Servon", kind="commune")
        _insert(connection, "enrolment_token", id=7, member_id=1, kind="collector", label="c", token_hash="h")
        for asset_id, member, hashes in ((1, 1, '{"bios": [1, "aaa"], "cpus": [2, "bbb"]}'), (2, None, "{}"),
                                         (3, 1, "{}")):  # fmt: skip
            _insert(connection, "asset", id=asset_id, member_id=member, asset_type="laptop", category="normal",
                    lifecycle_status="in_service", source="agent", section_hashes=hashes)  # fmt: skip
        for source_id, asset_id, kind, key, token in ((1, 1, "agent", "pc-1", None), (2, 1, "agent", "pc-1b", None),
                                                      (3, 2, "agent", "pc-2", None),
                                                      (4, 3, "collector", "snmp-ip-192.168.1.1", 7)):  # fmt: skip
            _insert(connection, "inventory_source", id=source_id, asset_id=asset_id, kind=kind, key=key,
                    enrolment_token_id=token, identity="{}")  # fmt: skip
    migrations.upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, scope, section_hashes FROM inventory_source ORDER BY id")).all()
        manual = connection.execute(text("SELECT DISTINCT manual_fields FROM asset")).scalars().all()
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1, "foreign keys back on"
    assert [(r[0], r[1]) for r in rows] == [(1, "member:1"), (2, "member:1"), (3, "quarantine"), (4, "token:7")]
    assert [json.loads(r[2]) for r in rows] == [{"bios": "aaa"}, {"cpus": "bbb"}, {}, {}]
    assert manual == ["[]"]
