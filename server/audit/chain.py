"""Appending to the audit chain, and checking it end to end."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, insert, select

from server.core.locks import wait_for

from .models import AuditEvent

GENESIS = "0" * 64
HASHED_FIELDS = ("seq", "at", "actor", "via", "action", "member_id", "details")


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def row_hash(prev_hash: str, row: dict[str, Any]) -> str:
    content = canonical_json({name: row[name] for name in HASHED_FIELDS})
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def now_text() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(connection: Connection, *, actor: str, via: str, action: str, details: dict[str, Any],
           member_id: int | None = None) -> dict[str, Any]:  # fmt: skip
    """Add one event at the end of the chain, in the caller's transaction (so it commits, or
    rolls back, with the change it records)."""
    wait_for(connection, "audit chain")  # every server instance appends one row at a time
    last = connection.execute(select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)).first()
    seq, prev_hash = (last.seq + 1, last.hash) if last else (1, GENESIS)
    row = {"seq": seq, "at": now_text(), "actor": actor[:150], "via": via[:100], "action": action[:200],
           "member_id": member_id, "details": canonical_json(details), "prev_hash": prev_hash}  # fmt: skip
    row["hash"] = row_hash(prev_hash, row)
    connection.execute(insert(AuditEvent), row)
    return row


@dataclass
class Verification:
    rows: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def rows_in_order(connection: Connection, batch: int = 5_000) -> Iterator[dict[str, Any]]:
    columns = [AuditEvent.__table__.c[name] for name in (*HASHED_FIELDS, "prev_hash", "hash")]
    # On the statement: Connection.execution_options() would change the caller's connection for good.
    result = connection.execute(select(*columns).order_by(AuditEvent.seq).execution_options(yield_per=batch))
    for row in result.mappings():
        yield dict(row)


def check_rows(rows: Iterable[dict[str, Any]]) -> Verification:
    """Recompute a chain given in ``seq`` order: a changed, deleted, inserted or moved row is named."""
    report = Verification()
    prev_hash, expected_seq = GENESIS, 1
    for row in rows:
        report.rows += 1
        if row["seq"] != expected_seq:
            report.problems.append(f"rows {expected_seq} to {row['seq'] - 1} are missing (deleted)")
        if row["prev_hash"] != prev_hash:
            report.problems.append(f"row {row['seq']}: does not follow the previous row (chain broken)")
        if row_hash(row["prev_hash"], row) != row["hash"]:
            report.problems.append(f"row {row['seq']}: its content was changed after it was written")
        prev_hash, expected_seq = row["hash"], row["seq"] + 1
        report.head_seq, report.head_hash = row["seq"], row["hash"]
    return report


def verify(connection: Connection, expected_head: tuple[int, str] | None = None) -> Verification:
    """Check the chain in the database. Deleting the last rows leaves a valid shorter chain:
    ``expected_head`` (a head printed by an earlier verification or export) catches that."""
    report = check_rows(rows_in_order(connection))
    if expected_head is not None:
        seq, head_hash = expected_head
        if report.head_seq < seq:
            report.problems.append(f"the chain ends at row {report.head_seq}: rows after it, up to {seq}, were deleted")
        elif not _has_row(connection, seq, head_hash):
            report.problems.append(f"row {seq} is not the one recorded earlier (expected hash {head_hash[:16]}...)")
    return report


def _has_row(connection: Connection, seq: int, row_hash_value: str) -> bool:
    query = select(AuditEvent.id).where(AuditEvent.seq == seq, AuditEvent.hash == row_hash_value)
    return connection.execute(query).first() is not None
