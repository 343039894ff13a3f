"""ingest throughput (issue 26): planner statistics refreshed

No schema change. On PostgreSQL, ``ANALYZE`` gives the planner statistics on tables loaded in
bulk since the last autovacuum pass: without them the renewal reports' join of assets, BIOS and
batteries took 7 s on 100,000 assets instead of 0.23 s. (SQLite is left alone: its ``ANALYZE``
creates ``sqlite_stat1``, a table the models do not know.)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ANALYZE")


def downgrade() -> None:
    pass
