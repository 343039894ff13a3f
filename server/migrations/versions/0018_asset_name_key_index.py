"""ingest (issue 26): an index on asset.name_key alone, for reconciliation's candidates (a new
reporter's name is looked up in every member's assets: the (member_id, name_key) index cannot
serve that, so each batch of new machines read the whole asset table)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 03:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Not a batch operation: on SQLite that would rebuild the table and drop its triggers (0017).
    op.create_index("ix_asset_name_key", "asset", ["name_key"])


def downgrade() -> None:
    op.drop_index("ix_asset_name_key", table_name="asset")
