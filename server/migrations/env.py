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
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # SQLite alters a table by copying it and dropping the old one, which foreign keys to it
        # forbid once rows exist: off during the migration (outside any transaction, or SQLite
        # ignores it), checked and back on after.
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=sqlite,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                raise RuntimeError(f"the migration left rows pointing nowhere: {broken[:5]}")
    connection.commit()
    if sqlite:
        connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
