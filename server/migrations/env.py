"""Alembic environment: the engine comes from ``alembic_config`` (or the settings)."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import server.models  # noqa: F401 - registers every table on SQLModel.metadata
from server.core.types import render_item

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    from server.core.config import get_settings
    from server.core.db import make_engine

    engine = make_engine(get_settings())

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
