"""allocation (issue 23): allocation_key_frozen_item, what each measured key counted per member
when its year was closed (the drill-down of a closed year)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "allocation_key_frozen_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("asset_id", sa.Integer(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("detail", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("value", sa.Numeric(precision=18, scale=4), nullable=True),
        sa.ForeignKeyConstraint(
            ["key_id"],
            ["allocation_key.id"],
            name=op.f("fk_allocation_key_frozen_item_key_id_allocation_key"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_allocation_key_frozen_item_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_key_frozen_item")),
    )
    with op.batch_alter_table("allocation_key_frozen_item", schema=None) as batch_op:
        batch_op.create_index("ix_allocation_key_frozen_item_year_key_member", ["year", "key_id", "member_id"])


def downgrade() -> None:
    with op.batch_alter_table("allocation_key_frozen_item", schema=None) as batch_op:
        batch_op.drop_index("ix_allocation_key_frozen_item_year_key_member")
    op.drop_table("allocation_key_frozen_item")
