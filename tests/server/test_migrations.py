"""The migrations build exactly the models' schema, and the server refuses a schema that is behind."""

from __future__ import annotations

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
