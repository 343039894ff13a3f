"""renewal (issue 26): assessment_version, bumped by triggers in every transaction that changes
what the renewal assessment reads, so that each worker caches the assessment until it changes

PostgreSQL: deferred constraint triggers (fired at commit, once per transaction: the shard row
is locked for the commit alone), on the first of 16 shard rows no other transaction holds.
SQLite (one writer at a time): plain triggers on one row. An update bumps only when a column
the assessment reads changes (``last_seen``, ``updated_at``, ``section_hashes`` do not).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-08 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SHARDS = 16
# Table -> the columns the assessment (and its readiness facts) reads; None: any change.
WATCHED: dict[str, tuple[str, ...] | None] = {
    "asset": ("member_id", "site_id", "name", "asset_type", "category", "manufacturer", "model", "os_label",
              "commissioning_date", "purchase_date", "warranty_end", "first_seen", "lifecycle_status",
              "merged_into_id", "source"),
    "bios": ("asset_id", "bios_date", "secure_boot", "extra"),
    "battery": ("asset_id", "manufacture_date"),
    "cpu": ("asset_id", "name", "arch"),
    "firmware": ("asset_id", "type", "name", "version"),
    "computer_info": ("asset_id", "memory_mb"),
    "memory_module": ("asset_id", "capacity_mb"),
    "disk": ("asset_id", "size_bytes"),
    "operating_system": ("asset_id", "arch"),
    "renewal_policy": None,
    "unit_price": None,
    "model_support": None,
    "support_extension": None,
    "eol_catalogue": None,
    "eol_override": None,
}  # fmt: skip
JSON_COLUMNS = {("bios", "extra")}  # PostgreSQL's json has no equality: compared as text
FUNCTION = "mutuparc_assessment_bump"

PG_FUNCTION = f"""
CREATE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    picked integer;
BEGIN
    IF current_setting('mutuparc.assessment_bumped', true) = '1' THEN
        RETURN NULL;  -- once per transaction
    END IF;
    PERFORM set_config('mutuparc.assessment_bumped', '1', true);
    SELECT shard INTO picked FROM assessment_version
        ORDER BY (shard + pg_backend_pid()) % {SHARDS} LIMIT 1 FOR UPDATE SKIP LOCKED;
    IF picked IS NULL THEN  -- every shard held by a committing transaction, or no rows (emptied)
        INSERT INTO assessment_version (shard, n, epoch)
            SELECT s, 0, e FROM generate_series(0, {SHARDS - 1}) s,
                 (SELECT md5(random()::text || clock_timestamp()::text) AS e) fresh
            ON CONFLICT (shard) DO NOTHING;
        picked := pg_backend_pid() % {SHARDS};
    END IF;
    UPDATE assessment_version SET n = n + 1 WHERE shard = picked;
    RETURN NULL;
END
$$
"""  # noqa: S608 - constants of this file
SQLITE_BUMP = ("INSERT INTO assessment_version (shard, n, epoch) VALUES (0, 1, lower(hex(randomblob(16)))) "
               "ON CONFLICT (shard) DO UPDATE SET n = n + 1;")  # fmt: skip


def _changed(table: str, columns: tuple[str, ...], postgresql: bool) -> str:
    def differs(column: str) -> str:
        if postgresql:
            cast = "::text" if (table, column) in JSON_COLUMNS else ""
            return f"OLD.{column}{cast} IS DISTINCT FROM NEW.{column}{cast}"
        return f"OLD.{column} IS NOT NEW.{column}"

    return " OR ".join(differs(c) for c in columns)


def _triggers(table: str, columns: tuple[str, ...] | None, postgresql: bool) -> list[tuple[str, str, str | None]]:
    """(name, events, condition) of the triggers on ``table``."""
    if columns is None:
        return [(f"av_{table}", "INSERT OR UPDATE OR DELETE", None)]
    if table == "asset":  # an asset without a member (quarantine) is not assessed
        found = [("av_asset_insert", "INSERT", "NEW.member_id IS NOT NULL"),
                 ("av_asset_delete", "DELETE", "OLD.member_id IS NOT NULL")]  # fmt: skip
    else:
        found = [(f"av_{table}_insert", "INSERT", None), (f"av_{table}_delete", "DELETE", None)]
    return [*found, (f"av_{table}_update", "UPDATE", _changed(table, columns, postgresql))]


def upgrade() -> None:
    op.create_table(
        "assessment_version",
        sa.Column("shard", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("epoch", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.PrimaryKeyConstraint("shard", name=op.f("pk_assessment_version")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute(PG_FUNCTION)
    for table, columns in WATCHED.items():
        for name, events, condition in _triggers(table, columns, postgresql):
            when = f" WHEN ({condition})" if condition else ""
            if postgresql:
                # Several events in one trigger: PostgreSQL then allows no WHEN on OLD/NEW, none here.
                op.execute(f"CREATE CONSTRAINT TRIGGER {name} AFTER {events} ON {table} DEFERRABLE INITIALLY "
                           f"DEFERRED FOR EACH ROW{when} EXECUTE FUNCTION {FUNCTION}()")  # fmt: skip
            else:
                for event in events.split(" OR "):
                    suffix = "" if len(events.split(" OR ")) == 1 else f"_{event.lower()}"
                    op.execute(f"CREATE TRIGGER {name}{suffix} AFTER {event} ON {table} FOR EACH ROW{when} "
                               f"BEGIN {SQLITE_BUMP} END")  # fmt: skip
        if postgresql:
            op.execute(f"CREATE TRIGGER av_{table}_truncate AFTER TRUNCATE ON {table} "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()")  # fmt: skip
    if postgresql:  # the shards, with the epoch of this database
        epoch = "(SELECT md5(random()::text || clock_timestamp()::text))"  # one for every shard
        op.execute(f"INSERT INTO assessment_version (shard, n, epoch) "  # noqa: S608 - constants
                   f"SELECT s, 0, {epoch} FROM generate_series(0, {SHARDS - 1}) s")  # fmt: skip
    else:
        op.execute("INSERT INTO assessment_version (shard, n, epoch) VALUES (0, 0, lower(hex(randomblob(16))))")


def downgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    for table, columns in WATCHED.items():
        for name, events, _ in _triggers(table, columns, postgresql):
            if postgresql:
                op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            else:
                for event in events.split(" OR "):
                    suffix = "" if len(events.split(" OR ")) == 1 else f"_{event.lower()}"
                    op.execute(f"DROP TRIGGER IF EXISTS {name}{suffix}")
        if postgresql:
            op.execute(f"DROP TRIGGER IF EXISTS av_{table}_truncate ON {table}")
    if postgresql:
        op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
    op.drop_table("assessment_version")
