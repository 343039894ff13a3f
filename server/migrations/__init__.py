"""Alembic migrations, driven from code (``mutuparc db upgrade``), no alembic.ini needed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Engine

MIGRATIONS_DIR = Path(__file__).parent


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def revision(engine: Engine, message: str) -> None:
    """Autogenerate a new migration from the difference between the models and the database.

    Revisions are numbered (0001, 0002, ...) so that the history reads in order.
    """
    number = len(list((MIGRATIONS_DIR / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))) + 1
    command.revision(alembic_config(engine), message=message, autogenerate=True, rev_id=f"{number:04d}")


class SchemaBehind(RuntimeError):
    pass


def ensure_current(engine: Engine) -> None:
    """Refuse to serve a database whose schema is not at the code's head revision."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        state = "empty (no schema)" if current is None else f"at revision {current}"
        raise SchemaBehind(
            f"the database schema is {state}, this version of Mutuparc needs {head}: run `mutuparc db upgrade` first"
        )
