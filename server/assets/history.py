"""Change history: what changed on an asset, old and new value, when, from which source."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, insert
from sqlmodel import Session

from .models import AssetChange

MAX_ITEMS_PER_SECTION = 100


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


class ChangeLog:
    """Collects changes during one transaction and writes them in one batch."""

    table = AssetChange.__table__

    def __init__(self, *, source: str, actor: str | None, at: dt.datetime) -> None:
        self.source, self.actor, self.at = source, actor, at
        self.rows: list[dict[str, Any]] = []

    def add(self, asset_id: int, field: str, old: Any, new: Any) -> None:
        self.rows.append(
            {
                "asset_id": asset_id,
                "at": self.at,
                "source": self.source,
                "actor": self.actor,
                "field": field,
                "old_value": _text(old),
                "new_value": _text(new),
            }
        )

    def fields(self, asset_id: int, prefix: str, old: Mapping[str, Any], new: Mapping[str, Any], keys: Iterable[str]):  # type: ignore[no-untyped-def]
        for key in keys:
            if new.get(key) is not None and _text(old.get(key)) != _text(new.get(key)):
                self.add(asset_id, f"{prefix}{key}", old.get(key), new.get(key))

    def items(self, asset_id: int, section: str, old_labels: Iterable[str], new_labels: Iterable[str]) -> None:
        """One row per item added or removed from a component list (capped per section)."""
        before, after = Counter(old_labels), Counter(new_labels)
        removed = sorted((before - after).elements())
        added = sorted((after - before).elements())
        changes = [(label, None) for label in removed] + [(None, label) for label in added]
        for old, new in changes[:MAX_ITEMS_PER_SECTION]:
            self.add(asset_id, section, old, new)
        if len(changes) > MAX_ITEMS_PER_SECTION:
            self.add(asset_id, section, None, f"... {len(changes) - MAX_ITEMS_PER_SECTION} more changes")

    def flush(self, session: Session | Connection) -> None:
        if self.rows:
            connection = session.connection() if isinstance(session, Session) else session
            connection.execute(insert(self.table), self.rows)
            self.rows = []
