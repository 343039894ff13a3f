"""Change history: what changed on an asset, old and new value, when, from which source.

One row per change, kept in full (a 2,000-package upgrade is 2,000 rows, written in one batch).
How a row's ``field`` reads:

- ``name``, ``serial``, ``lifecycle_status``, ``created``...: the asset's own record;
- ``hardware.dns``: a field of a one-record section;
- ``softwares`` with only a new (old) value: an item added (removed), named by its label;
- ``networks[eth0 00:11:22:33:44:55].ipv4``: a field of an item found in both reports.

``group`` puts rows back together as people read them: per inventory (one ``at``, source and
actor) and section, with counts of items added, removed and updated.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, insert
from sqlmodel import Session

from .components import COMPONENT_TABLES
from .models import AssetChange

FIELD_LENGTH = 100  # AssetChange.field
ASSET = "asset"  # the group of the asset's own fields (not an inventory section)
ADDED, REMOVED, UPDATED = "added", "removed", "updated"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):  # order is not a change: an interface's addresses, a VM's tags
        if all(isinstance(v, str | int | float | bool) or v is None for v in value):
            return ", ".join(sorted(str(v) for v in value if v is not None)) or None
        return json.dumps(sorted(value, key=_canonical), ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, dict):
        return _canonical(value) if value else None
    return str(value)


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _compared(value: Any) -> str | None:
    """What a value is compared as: an empty text is no value."""
    return _text(value) or None


class SectionRules(Protocol):
    """How a section's reports are compared (``server.ingest.history_rules.SectionRules``)."""

    @property
    def values(self) -> Callable[[dict[str, Any]], dict[str, Any]]: ...
    @property
    def identity(self) -> Callable[[dict[str, Any]], tuple[Any, ...]]: ...
    @property
    def label(self) -> Callable[[dict[str, Any]], str]: ...
    @property
    def name(self) -> Callable[[dict[str, Any]], str]: ...


def item_field(section: str, item: str, key: str) -> str:
    """``section[item].key``, the item's name shortened to fit the column."""
    room = FIELD_LENGTH - len(section) - len(key) - 3
    if len(item) > room:
        item = item[: max(room - 1, 1)] + "…"
    return f"{section}[{item}].{key}"[:FIELD_LENGTH]


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
                "field": field[:FIELD_LENGTH],
                "old_value": _text(old),
                "new_value": _text(new),
            }
        )

    def _values(self, asset_id: int, prefix: str, old: Mapping[str, Any], new: Mapping[str, Any],
                said: frozenset[tuple[str | None, str | None]] = frozenset()) -> None:  # fmt: skip
        for key in [*old, *(k for k in new if k not in old)]:
            before, after = _compared(old.get(key)), _compared(new.get(key))
            if before != after and (before, after) not in said:
                self.add(asset_id, f"{prefix}{key}", old.get(key), new.get(key))

    def record(self, asset_id: int, section: str, old: Mapping[str, Any] | None, new: Mapping[str, Any],
               rules: SectionRules) -> None:  # fmt: skip
        """A one-record section (hardware, operating system...): one row per changed value, but
        for a change the asset's own record already says (its name, from ``hardware.name``)."""
        before = rules.values(dict(old)) if old else {}
        said = frozenset((r["old_value"], r["new_value"]) for r in self.rows
                         if r["asset_id"] == asset_id and parse_field(r["field"])[0] == ASSET)  # fmt: skip
        self._values(asset_id, f"{section}.", before, rules.values(dict(new)), said)

    def items(self, asset_id: int, section: str, old: Sequence[Mapping[str, Any]],
              new: Sequence[Mapping[str, Any]], rules: SectionRules) -> None:  # fmt: skip
        """A list section: items matched by identity; one row per item added or removed, and per
        changed value of an item found on both sides. Items equal on every compared value are
        unchanged whatever their order."""
        before = [(dict(r), rules.values(dict(r))) for r in old]
        after = [(dict(r), rules.values(dict(r))) for r in new]

        def canon(values: dict[str, Any]) -> tuple[tuple[str, str], ...]:
            return tuple(sorted((k, t) for k, v in values.items() if (t := _compared(v)) is not None))

        def unmatched(side: list, other: list) -> list:  # type: ignore[type-arg]
            left = Counter(canon(v) for _, v in other)
            out = []
            for record, values in side:
                key = canon(values)
                if left[key] > 0:
                    left[key] -= 1
                else:
                    out.append((record, values, key))
            return out

        gone, came = unmatched(before, after), unmatched(after, before)
        if not gone and not came:
            return
        by_identity: dict[tuple[Any, ...], tuple[list, list]] = defaultdict(lambda: ([], []))  # type: ignore[type-arg]
        for index, entries in enumerate((gone, came)):
            for entry in entries:
                identity = tuple(_compared(part) for part in rules.identity(entry[0]))
                by_identity[identity][index].append(entry)
        removed: list[str] = []
        added: list[str] = []
        updated: list[tuple[str, list[tuple[str, Any, Any]]]] = []
        for olds, news in by_identity.values():
            olds.sort(key=lambda e: e[2])
            news.sort(key=lambda e: e[2])
            for (_, old_values, _), (new_record, new_values, _) in zip(olds, news, strict=False):
                keys = [*old_values, *(k for k in new_values if k not in old_values)]
                changes = [(k, old_values.get(k), new_values.get(k)) for k in keys
                           if _compared(old_values.get(k)) != _compared(new_values.get(k))]  # fmt: skip
                updated.append((rules.name(new_record) or rules.label(new_record), changes))
            removed += [rules.label(record) for record, _, _ in olds[len(news) :]]
            added += [rules.label(record) for record, _, _ in news[len(olds) :]]
        for label in sorted(added):
            self.add(asset_id, section, None, label)
        for label in sorted(removed):
            self.add(asset_id, section, label, None)
        for name, changes in sorted(updated, key=lambda u: u[0]):
            for key, old_value, new_value in changes:
                self.add(asset_id, item_field(section, name, key), old_value, new_value)

    def flush(self, session: Session | Connection) -> None:
        if self.rows:
            connection = session.connection() if isinstance(session, Session) else session
            connection.execute(insert(self.table), self.rows)
            self.rows = []


# -- reading ----------------------------------------------------------------------------------


def parse_field(field: str) -> tuple[str, str | None, str]:
    """``(section, item, key)`` of a row's field: ``networks[eth0].ipv4`` is
    ``("networks", "eth0", "ipv4")``, ``hardware.dns`` ``("hardware", None, "dns")``, ``softwares``
    (an item added or removed) ``("softwares", None, "")``, ``serial`` ``("asset", None, "serial")``."""
    ends = [i for i in (field.find("["), field.find(".")) if i >= 0]
    head = field[: min(ends)] if ends else field
    if head not in COMPONENT_TABLES:
        return ASSET, None, field
    rest = field[len(head) :]
    if rest.startswith("[") and "]." in rest:
        close = rest.rindex("].")
        return head, rest[1:close], rest[close + 2 :]
    return head, None, rest[1:] if rest.startswith(".") else rest


def kind_of(field: str, old_value: str | None, new_value: str | None) -> str:
    """``added``, ``removed`` (an item of a list section, or a whole section) or ``updated``."""
    section, _, key = parse_field(field)
    if section != ASSET and not key:
        if old_value is None:
            return ADDED
        if new_value is None:
            return REMOVED
    return UPDATED


def line(change: AssetChange) -> dict[str, Any]:
    """A row as the API and the page show it: its values, what kind of change, of which item."""
    section, item, key = parse_field(change.field)
    return {
        "id": change.id,
        "at": change.at,
        "source": change.source,
        "actor": change.actor,
        "field": change.field,
        "old_value": change.old_value,
        "new_value": change.new_value,
        "section": section,
        "item": item,
        "key": key or None,
        "kind": kind_of(change.field, change.old_value, change.new_value),
    }


def group(
    events: Iterable[tuple[dt.datetime, str, str | None]], changes: Iterable[AssetChange]
) -> list[dict[str, Any]]:
    """``changes`` per event (``(at, source, actor)``, in the order given), then per section in
    the order the rows were written. A section counts the items it added and removed, and the
    items (one-record sections: the fields) it updated, whatever the number of their changed
    values; ``count`` is its number of rows."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {
        tuple(key): {"at": key[0], "source": key[1], "actor": key[2], "count": 0, "sections": {}} for key in events
    }
    updated: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for change in sorted(changes, key=lambda c: c.id or 0):
        key = (change.at, change.source, change.actor)
        event = out.get(key)
        if event is None:
            continue
        entry = line(change)
        section = event["sections"].get(entry["section"])
        if section is None:
            section = event["sections"][entry["section"]] = {"section": entry["section"], ADDED: 0, REMOVED: 0,
                                                             UPDATED: 0, "count": 0, "changes": []}  # fmt: skip
        if entry["kind"] == UPDATED:
            items = updated[(*key, entry["section"])]
            items.add(entry["item"] if entry["item"] is not None else entry["key"] or entry["field"])
            section[UPDATED] = len(items)
        else:
            section[entry["kind"]] += 1
        section["count"] += 1
        section["changes"].append(entry)
        event["count"] += 1
    return [{**event, "sections": list(event["sections"].values())} for event in out.values()]
