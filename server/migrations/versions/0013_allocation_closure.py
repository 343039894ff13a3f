"""allocation closures freeze a year, numbered statement versions (issue 23): allocation_statement_version;
allocation_key_import.reason (a measured key's value overridden by the DSIT, and why)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('allocation_key_import', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=True))
    op.create_table('allocation_statement_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('published_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('published_by', sqlmodel.sql.sqltypes.AutoString(length=150), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_allocation_statement_version_member_id_member')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_allocation_statement_version')),
    sa.UniqueConstraint('year', 'member_id', 'version', name='uq_allocation_statement_version')
    )
    with op.batch_alter_table('allocation_statement_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_allocation_statement_version_year'), ['year'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('allocation_statement_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_allocation_statement_version_year'))
    op.drop_table('allocation_statement_version')
    with op.batch_alter_table('allocation_key_import', schema=None) as batch_op:
        batch_op.drop_column('reason')
